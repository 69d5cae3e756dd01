// Named drafts in localStorage, each a complete answers document, through SC.store (one policy:
// a full or blocked storage shows a message and the last saved copy stays).
const SC = window.SC;
export const STORE_KEY = "sc-selfcheck-v1";

export function loadStore() {
  const store = SC.store.get(STORE_KEY, null);
  if (store && store.drafts && typeof store.drafts === "object") return store;
  return { current: null, drafts: {} };
}

export function saveStore(store) {
  return SC.store.set(STORE_KEY, store);
}

export function newDraftId() {
  return "d" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
}

// The current draft, created when there is none; returns whether the store changed.
export function ensureDraft(store) {
  if (store.current && store.drafts[store.current]) return false;
  const ids = Object.keys(store.drafts);
  if (ids.length) store.current = ids[0];
  else {
    const id = newDraftId();
    store.drafts[id] = { name: "草稿 1", updated: new Date().toISOString(), doc: null };
    store.current = id;
  }
  return true;
}
