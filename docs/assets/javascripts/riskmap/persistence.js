// 风险一张图, persistence: the document in localStorage (through SC.store: a full or blocked
// storage shows one message and the last saved copy stays), the base picture in IndexedDB (it is
// usually too big for localStorage), with localStorage as the picture's fallback. The undo history
// is not saved: after a reload the map is the last autosaved one, and undo starts from there.
import { BLANK, restoredDoc, rescale } from "./model.js";

const SC = window.SC;
export const DOC_KEY = "sc-riskmap:doc";
const IMAGE_KEY = "sc-riskmap:image"; // localStorage fallback when IndexedDB is unavailable
const DB_NAME = "sc-riskmap";
const DB_STORE = "images";

function openDb() {
  return new Promise((resolve, reject) => {
    if (!window.indexedDB) { reject(new Error("浏览器不支持 IndexedDB")); return; }
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(DB_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
async function dbDo(mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(DB_STORE, mode);
    const request = work(tx.objectStore(DB_STORE));
    tx.oncomplete = () => { db.close(); resolve(request.result); };
    tx.onerror = tx.onabort = () => { db.close(); reject(tx.error || new Error("保存失败")); };
  });
}
const dbGet = (key) => dbDo("readonly", (s) => s.get(key));
const dbPut = (key, value) => dbDo("readwrite", (s) => s.put(value, key));
const dbDelete = (key) => dbDo("readwrite", (s) => s.delete(key));


// The document without the picture's pixels (those go to storeImage); false if not saved.
export function saveDoc(doc) {
  const stored = { ...doc, image: doc.image ? { width: doc.image.width, height: doc.image.height } : null };
  return SC.store.set(DOC_KEY, stored);
}

// The picture: IndexedDB, else localStorage; null deletes it. Returns whether it was kept.
export async function storeImage(href) {
  if (!href) {
    try { await dbDelete("base"); } catch (e) { /* nothing stored there */ }
    SC.store.remove(IMAGE_KEY);
    return true;
  }
  try {
    await dbPut("base", href);
    SC.store.remove(IMAGE_KEY);
    return true;
  } catch (e) {
    try {
      localStorage.setItem(IMAGE_KEY, href);
      return true;
    } catch (e2) {
      return false;
    }
  }
}

// The saved document (or null) and, when it had a picture, the picture's data URL (or null).
export async function loadSaved() {
  const stored = SC.store.get(DOC_KEY, null);
  if (!stored || !Array.isArray(stored.elements)) return { stored: null, href: null };
  let href = null;
  if (stored.image) {
    try { href = await dbGet("base"); } catch (e) { /* fall back below */ }
    if (!href) { try { href = localStorage.getItem(IMAGE_KEY); } catch (e) { /* none */ } }
  }
  return { stored, href: href || null };
}

// The map saved last time, ready to draw: {doc, warning} (doc null when nothing was saved). A
// damaged copy is set aside by SC.store (under "<key>-broken") and the page starts empty.
export async function restoreDoc(byId, day) {
  const { stored, href } = await loadSaved();
  if (!stored) return { doc: null, warning: "" };
  const doc = restoredDoc(stored, byId, day);
  if (!stored.image) return { doc, warning: "" };
  if (href) {
    doc.image = { href, width: stored.image.width, height: stored.image.height };
    return { doc, warning: "" };
  }
  // Keep the elements where they were on the picture's grid.
  rescale(doc, stored.image, BLANK);
  return { doc, warning: "上次的底图没有保存下来，请重新加载底图（标注都还在）。" };
}
