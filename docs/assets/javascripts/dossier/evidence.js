// Evidence files (台账) per workspace and item, kept in this browser's IndexedDB; never uploaded.
//
// Limits are the package's (selfcheck/package.py): one file up to 50 MB, one community's files up
// to 1 GB together. They are checked before anything is written. Each file is written in its own
// transaction: a full or refused storage aborts only that file, and everything stored before stays.

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_EVIDENCE_BYTES = 1024 * 1024 * 1024;
export const LIMITS_TEXT = "单个文件不超过 50 MB，每个社区的台账资料合计不超过 1024 MB";
const DB_NAME = "sc-dossier";
const FILES = "files";

export class EvidenceError extends Error {}

let dbPromise = null;
export function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      if (!self.indexedDB) { reject(new EvidenceError("这个浏览器不能在本地保存文件（不支持 IndexedDB，或处于无痕/隐私模式），台账文件无法保存。")); return; }
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(FILES, { keyPath: "id" });
        store.createIndex("workspace", "workspace");
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab deletes or upgrades the store (a newer version of the site, or "clear site
        // data"): let go at once, or that tab waits forever; the next use here opens it again.
        db.onversionchange = () => { db.close(); dbPromise = null; };
        resolve(db);
      };
      request.onerror = () => reject(new EvidenceError("浏览器拒绝了本地文件存储（可能处于无痕/隐私模式，或存储已被禁用），台账文件无法保存。"));
    });
    dbPromise.catch(() => { dbPromise = null; });
  }
  return dbPromise;
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error);
  });
}

function req(r) {
  return new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
}

export const mb = (n) => (n >= 1024 * 1024 ? (n / 1024 / 1024).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB");

// Metadata of a workspace's files (no contents): [{id, workspace, item, entry, name, type, size, added}]
export async function list(workspace) {
  const db = await openDb();
  const tx = db.transaction(FILES, "readonly");
  const all = [];
  await new Promise((resolve, reject) => {
    const cursor = tx.objectStore(FILES).index("workspace").openCursor(IDBKeyRange.only(workspace));
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) return resolve();
      const meta = { ...c.value };
      delete meta.blob; // the contents stay on disk
      all.push(meta);
      c.continue();
    };
    cursor.onerror = () => reject(cursor.error);
  });
  return all.sort((a, b) => (a.item === b.item ? a.added.localeCompare(b.added) : a.item.localeCompare(b.item, "en", { numeric: true })));
}

export async function used(workspace) {
  return (await list(workspace)).reduce((n, f) => n + f.size, 0);
}

export async function get(id) {
  const db = await openDb();
  return req(db.transaction(FILES, "readonly").objectStore(FILES).get(id));
}

// Add files to an item; refused as a whole (nothing written) when over a limit.
export async function add(workspace, item, entry, files) {
  files = [...files];
  const big = files.find((f) => f.size > MAX_FILE_BYTES);
  if (big) throw new EvidenceError(`文件“${big.name}”有 ${mb(big.size)}，超过了上限（${LIMITS_TEXT}），没有保存。请压缩或拆分后再添加。`);
  const have = await used(workspace);
  const adding = files.reduce((n, f) => n + f.size, 0);
  if (have + adding > MAX_EVIDENCE_BYTES) {
    throw new EvidenceError(`这个社区已保存 ${mb(have)} 台账资料，再加 ${mb(adding)} 会超过上限（${LIMITS_TEXT}），没有保存。`);
  }
  const db = await openDb();
  const names = new Set((await list(workspace)).filter((f) => f.item === item).map((f) => f.name));
  const saved = [];
  for (const file of files) {
    let name = file.name || "文件";
    for (let n = 2; names.has(name); n++) name = name.replace(/(\.[^.]*)?$/, (ext) => `（${n}）${ext || ""}`);
    names.add(name);
    const record = {
      id: "f" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8),
      workspace, item, entry: entry === null || entry === undefined || entry === "" ? null : Number(entry),
      name, type: file.type || "application/octet-stream", size: file.size, added: new Date().toISOString(),
      // Stored as its own Blob: IndexedDB keeps it on disk, nothing is read into memory here.
      blob: file,
    };
    try {
      const tx = db.transaction(FILES, "readwrite");
      tx.objectStore(FILES).add(record);
      await done(tx);
    } catch (e) {
      const full = e && (e.name === "QuotaExceededError" || /quota/i.test(String(e.message)));
      throw new EvidenceError((full ? `浏览器的存储空间已满，文件“${name}”没有保存` : `文件“${name}”没有保存（浏览器拒绝了写入）`) +
        `；${saved.length ? `之前的 ${saved.length} 个文件已保存，` : ""}以前保存的资料都还在。请清理浏览器空间或删除不需要的文件后重试。`);
    }
    saved.push(record.id);
  }
  return saved;
}

export async function remove(id) {
  const db = await openDb();
  const tx = db.transaction(FILES, "readwrite");
  tx.objectStore(FILES).delete(id);
  await done(tx);
}

export async function removeWorkspace(workspace) {
  for (const f of await list(workspace)) await remove(f.id);
}

export async function estimate() {
  try { return navigator.storage && navigator.storage.estimate ? await navigator.storage.estimate() : null; } catch (e) { return null; }
}
