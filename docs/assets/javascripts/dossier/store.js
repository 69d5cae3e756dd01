// Community workspaces: one profile per community, shared by every staff tool.
//
// How the tools share it without each being rewritten: every tool keeps reading and writing its
// own localStorage key, as today. The workspace that is open "owns" those keys; the others keep a
// copy of theirs in this store. Switching community parks the open one's values and puts the
// chosen one's in place, so whichever tool page is opened next shows that community.
//   自评            sc-selfcheck-v1: its drafts stay there; a workspace points at its own draft
//                   (switching sets `current`), and the draft's profile is the workspace profile.
//   风险一张图       sc-riskmap:doc (and sc-riskmap:image, its picture when IndexedDB is missing)
//   预案编制         sc-plan-draft-v1
//   明白卡社区信息    sc-residents-cards-community
//   物资储备         sc-reserve-v1 (the community's quantities on hand and notes, dossier/reserve.js)
//   工作日历         sc-calendar-v1 (the dates each periodic task was done, dossier/calendar.js)
// A failed write (storage full) changes nothing: the store is written first, and a key that
// cannot be swapped in puts every key back as it was.
//
// Migration (first run after the upgrade): every existing 自评 draft becomes a workspace; the
// open draft's workspace takes the saved map, plan and card data. Nothing is deleted.

export const KEY = "sc-dossier-v1";
export const SELFCHECK_KEY = "sc-selfcheck-v1";
export const SWAPPED = ["sc-riskmap:doc", "sc-riskmap:image", "sc-plan-draft-v1", "sc-residents-cards-community", "sc-reserve-v1", "sc-calendar-v1"];
export const FULL = "浏览器的本地存储已满或被禁止，这次修改没有保存（以前保存的内容都还在）。请先生成报送材料包或导出文件备份，再清理浏览器数据后重试。";

export class StorageFull extends Error {
  constructor() { super(FULL); this.name = "StorageFull"; }
}

function read(key) {
  try { return localStorage.getItem(key); } catch (e) { return null; }
}

function readJson(key, fallback) {
  const raw = read(key);
  if (raw === null) return fallback;
  try { return JSON.parse(raw); } catch (e) { return fallback; }
}

function write(key, value) {
  try {
    if (value === null || value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch (e) {
    throw new StorageFull();
  }
}

function newId(prefix) {
  return prefix + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
}

export function blankDoc(standardVersion) {
  return {
    format: "selfcheck-answers", format_version: 1, standard_version: standardVersion,
    profile: { town: "", site_name: "", address: "", kind: null, population: null, facts: {} },
    answers: {}, records: [], evidence: {}, notes: {},
  };
}

function selfcheckStore() {
  const s = readJson(SELFCHECK_KEY, null);
  return s && s.drafts && typeof s.drafts === "object" ? s : { current: null, drafts: {} };
}

function load() {
  const s = readJson(KEY, null);
  return s && s.workspaces && typeof s.workspaces === "object" ? s : null;
}

function save(state) {
  write(KEY, JSON.stringify(state));
}

// First run: today's drafts become workspaces. Returns the state (saved), never throws for full
// storage: without room the workspaces are shown from memory and nothing old is touched.
export function migrate() {
  const existing = load();
  if (existing) return existing;
  const sc = selfcheckStore();
  const state = { version: 1, current: null, workspaces: {}, migrated: new Date().toISOString() };
  for (const [draftId, draft] of Object.entries(sc.drafts)) {
    const id = newId("w");
    state.workspaces[id] = { id, draft: draftId, created: draft.updated || state.migrated, slots: {}, fileTicks: {} };
    if (draftId === sc.current) state.current = id;
  }
  const ids = Object.keys(state.workspaces);
  // Staff tools' data only: a resident's own 明白卡 data alone makes no workspace (and no badge).
  const toolData = ["sc-riskmap:doc", "sc-plan-draft-v1", "sc-reserve-v1", "sc-calendar-v1"].some((k) => read(k) !== null);
  if (!ids.length && toolData) {
    // A saved map (or plan) with no 自评 draft: it becomes a workspace of its own, with a new draft.
    const id = newId("w");
    const draftId = newId("d");
    sc.drafts[draftId] = { name: "迁移的社区", updated: state.migrated, doc: null };
    sc.current = draftId;
    write(SELFCHECK_KEY, JSON.stringify(sc));
    state.workspaces[id] = { id, draft: draftId, created: state.migrated, slots: {}, fileTicks: {} };
    ids.push(id);
  }
  if (ids.length && !state.current) state.current = ids[0];
  // Nothing to record on a device that never used a staff tool (a resident's phone): no write.
  if (ids.length) { try { save(state); } catch (e) { /* shown from memory; the old keys are untouched */ } }
  return state;
}

// The store, kept in step with the 自评 page's own draft list: a draft made there (its “新草稿”)
// becomes a workspace, and choosing another draft there switches community for every tool.
export function state() {
  const s = migrate();
  const sc = selfcheckStore();
  const linked = new Set(Object.values(s.workspaces).map((ws) => ws.draft));
  let changed = false;
  for (const [draftId, draft] of Object.entries(sc.drafts)) {
    if (linked.has(draftId)) continue;
    const id = newId("w");
    s.workspaces[id] = { id, draft: draftId, created: draft.updated || new Date().toISOString(), slots: {}, fileTicks: {} };
    changed = true;
  }
  if (!s.current && Object.keys(s.workspaces).length) { s.current = Object.keys(s.workspaces)[0]; changed = true; }
  if (changed) { try { save(s); } catch (e) { /* shown from memory */ } }
  const chosen = Object.values(s.workspaces).find((ws) => ws.draft === sc.current);
  if (chosen && chosen.id !== s.current) {
    try { swap(s, chosen.id); } catch (e) { /* storage full: stays on the open workspace */ }
  }
  return s;
}

export function profileOf(ws) {
  const draft = selfcheckStore().drafts[ws.draft];
  const p = (draft && draft.doc && draft.doc.profile) || {};
  return {
    town: p.town || "", site_name: p.site_name || "", address: p.address || "", kind: p.kind || null,
    population: p.population === undefined ? null : p.population, facts: p.facts || {},
    draftName: draft ? draft.name : "",
  };
}

export function label(ws) {
  const p = profileOf(ws);
  return [p.town, p.site_name || p.draftName || "未命名社区"].filter(Boolean).join(" ");
}

export function list() {
  const s = state();
  return Object.values(s.workspaces).map((ws) => ({ ...ws, label: label(ws), profile: profileOf(ws), current: ws.id === s.current }));
}

export function current() {
  const s = state();
  const ws = s.current && s.workspaces[s.current];
  return ws ? { ...ws, label: label(ws), profile: profileOf(ws) } : null;
}

// The 自评 answers document of a workspace (what the 自评 page shows for it).
export function answersOf(ws, standardVersion) {
  const draft = selfcheckStore().drafts[ws.draft];
  return (draft && draft.doc) || blankDoc(standardVersion);
}

function updateDraft(ws, standardVersion, change) {
  const sc = selfcheckStore();
  const draft = sc.drafts[ws.draft] || (sc.drafts[ws.draft] = { name: "社区", updated: null, doc: null });
  const doc = draft.doc || blankDoc(standardVersion);
  change(doc, draft);
  draft.doc = doc;
  draft.updated = new Date().toISOString();
  write(SELFCHECK_KEY, JSON.stringify(sc));
}

export function create(profile, standardVersion) {
  const s = state();
  const sc = selfcheckStore();
  const id = newId("w");
  const draftId = newId("d");
  const doc = blankDoc(standardVersion);
  Object.assign(doc.profile, profile);
  const before = read(SELFCHECK_KEY);
  sc.drafts[draftId] = { name: profile.site_name || "新社区", updated: new Date().toISOString(), doc };
  write(SELFCHECK_KEY, JSON.stringify(sc));
  // With no community open, what the tools hold now (a map drawn, reserve quantities typed before
  // any workspace existed) belongs to the new one: the switch below puts it back, not blanks.
  const adopted = s.current ? {} : Object.fromEntries(SWAPPED.map((k) => [k, read(k)]).filter(([, v]) => v !== null));
  s.workspaces[id] = { id, draft: draftId, created: new Date().toISOString(), slots: adopted, fileTicks: {} };
  try {
    save(s);
  } catch (e) {
    write(SELFCHECK_KEY, before);
    throw e;
  }
  switchTo(id);
  return id;
}

export function updateProfile(id, profile, standardVersion) {
  const ws = state().workspaces[id];
  updateDraft(ws, standardVersion, (doc, draft) => {
    Object.assign(doc.profile, profile);
    if (profile.site_name) draft.name = profile.site_name;
  });
  notify();
}

// Evidence ticks that come from attached files: ticked when a file is attached to a piece of
// evidence; unticked when its last file goes, unless it had been ticked by hand before.
export function setFileTicks(id, item, attachedIndices, standardVersion) {
  const s = state();
  const ws = s.workspaces[id];
  const byFile = new Set((ws.fileTicks || {})[item] || []);
  updateDraft(ws, standardVersion, (doc) => {
    const ticked = new Set(doc.evidence[item] || []);
    for (const i of attachedIndices) {
      if (!ticked.has(i)) byFile.add(i);
      ticked.add(i);
    }
    for (const i of [...byFile]) {
      if (!attachedIndices.includes(i)) { ticked.delete(i); byFile.delete(i); }
    }
    doc.evidence[item] = [...ticked].sort((a, b) => a - b);
  });
  ws.fileTicks = { ...(ws.fileTicks || {}), [item]: [...byFile] };
  save(s);
}

export function switchTo(id) {
  const s = state();
  if (!s.workspaces[id]) return;
  if (s.current !== id) swap(s, id);
  const sc = selfcheckStore();
  if (sc.current !== s.workspaces[id].draft) {
    sc.current = s.workspaces[id].draft;
    write(SELFCHECK_KEY, JSON.stringify(sc));
  }
  notify();
}

// Park the open workspace's tool keys, put `id`'s in place. On a failed write every key is put
// back and the error is thrown: nothing is lost.
function swap(s, id) {
  const before = Object.fromEntries(SWAPPED.map((k) => [k, read(k)]));
  const outgoing = s.current && s.workspaces[s.current];
  const incoming = s.workspaces[id];
  const next = { ...s, current: id, workspaces: { ...s.workspaces } };
  if (outgoing) next.workspaces[outgoing.id] = { ...outgoing, slots: { ...before } };
  save(next); // parked first: if this fails, nothing has moved
  try {
    for (const k of SWAPPED) write(k, (incoming.slots || {})[k] === undefined ? null : incoming.slots[k]);
    const sc = selfcheckStore();
    if (sc.current !== incoming.draft) {
      sc.current = incoming.draft;
      write(SELFCHECK_KEY, JSON.stringify(sc));
    }
  } catch (e) {
    for (const k of SWAPPED) { try { write(k, before[k]); } catch (e2) { /* the old value is still in the slot */ } }
    try { save(s); } catch (e3) { /* the parked copy is harmless */ }
    throw e;
  }
  Object.assign(s, next);
}

export function remove(id) {
  const s = state();
  const ws = s.workspaces[id];
  if (!ws) return;
  const sc = selfcheckStore();
  delete sc.drafts[ws.draft];
  if (sc.current === ws.draft) sc.current = null;
  delete s.workspaces[id];
  if (s.current === id) {
    for (const k of SWAPPED) write(k, null);
    s.current = Object.keys(s.workspaces)[0] || null;
  }
  write(SELFCHECK_KEY, JSON.stringify(sc));
  save(s);
  if (s.current) {
    const next = s.workspaces[s.current];
    for (const k of SWAPPED) write(k, (next.slots || {})[k] === undefined ? null : next.slots[k]);
    sc.current = next.draft;
    write(SELFCHECK_KEY, JSON.stringify(sc));
  }
  notify();
}

// The current value of a tool's key for a workspace (live for the open one, parked otherwise).
export function toolValue(ws, key) {
  const s = state();
  if (ws.id === s.current) return read(key);
  const v = (s.workspaces[ws.id].slots || {})[key];
  return v === undefined ? null : v;
}

const listeners = new Set();
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
function notify() {
  for (const fn of listeners) { try { fn(); } catch (e) { console.error(e); } }
}
// Another tab switched community: follow it.
window.addEventListener("storage", (e) => { if (e.key === KEY || e.key === SELFCHECK_KEY) notify(); });
