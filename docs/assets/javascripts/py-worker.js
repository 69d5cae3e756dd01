// A module worker (Pyodide 314 refuses classic workers). Runs Python (Pyodide + the selfcheck
// wheel) off the main thread, so typing and scrolling never stall while Python starts or works.
// Everything loads from this site's own files. A page that needs Python at once runs this very
// text from a Blob (overrides/main.html); so no URL here is relative and none comes from
// import.meta: every one is built from the `root` the page sends.
//
// Messages in:  {id, type: "init", root}        → {id, ok, result: {pyodide, wheels, standard}}
//               {id, type: "call", name, args, slot?}
//                                                → {id, ok, result} | {id, ok: false, kind, error, detail}
//                                                  | {id, ok: true, superseded: true} (see `latest`)
//               {type: "drawn"}                  the page's form is on screen (see "A first visit
//                                                  waits for the form" below); no answer
// Messages out: {type: "progress", stage, text}  while loading
// `name` must be an entry of selfcheck.bridge.TABLE: Python refuses anything else. The site's data
// files are handed to the bridge once, at start, so calls carry only the page's own arguments.
//
// Start-up runs everything that does not depend on something else at the same time. The manifest
// names the folders of this release's files (assets/pyodide/<hash>/, assets/wheels/<hash>/: their
// URLs change whenever their bytes do, so a browser may keep them without asking again, and a
// return visit asks for none of them). A page that starts this worker from a Blob hands it the
// manifest of its own build (`self.scManifest`, see below), so the Pyodide module, the selfcheck
// wheel and the engine's data (one file, assets/data/engine.json, only what selfcheck.bridge.TABLE
// hands to Python) are requested at once, and loadPyodide fetches the runtime while those arrive.
// Started otherwise (a page reached by instant navigation), it asks for assets/wheels/manifest.json
// first, with the engine's data. The .wasm type check reads the type of the response loadPyodide
// itself gets (no request of its own), and is not on the way: its answer is read when both are done.
// openpyxl (only the XLSX exports need it) is downloaded after the first score and unpacked on
// first use. Calls may arrive before start-up is done: they wait for it here, in the worker, so the
// page's first score needs no round trip through a busy main thread.
//
// A page that starts this worker from a Blob puts its root in the Blob's first line (`self.scRoot`),
// and the manifest in its second (`self.scManifest`: written into the page by the build that wrote
// the files it names, macros/assets.py, so the two always agree; waiting for manifest.json took a
// round trip of 35-60 ms on a cold desktop load before Python's first request). Start-up begins
// as soon as this module runs (a first visit's downloads then wait until the page has drawn its
// form: "A first visit waits for the form" below): the page's "init" message is delivered only when
// the page's main thread is free again, behind Material's bundle (about 100 ms on a desktop, several
// times that on a slow phone). "init" then answers with that same start-up.
//
// Python's memory after the engine's imports is kept in this browser (see "A saved Python" below),
// so a return visit restores it instead of starting Python afresh.
//
// `timings` in the init answer: epoch milliseconds of each start-up step (performance.timeOrigin
// + now), for benchmarks/bench_selfcheck_page.py; `python` says how Python started ("restored" from
// the saved copy, or "fresh").

let pyodide = null;
let callPy = null;
let startPromise = null;
const timings = {};
const mark = (name) => { timings[name] = Math.round(performance.timeOrigin + performance.now()); };
mark("worker-start");
const extraWheels = new Map(); // dist name ("openpyxl") → Promise<Uint8Array>
const unpacked = new Set();

// ---- A first visit waits for the form --------------------------------------------------------
// Started from the page's <head>, this worker would send its first requests before the page has
// drawn anything, and on a first visit Python's 6 MB then share the link (and the cores) with the
// page's own first bytes, parse and layout: on a phone the form was typeable only after Python's
// first bytes had arrived. So a worker started from the page (`self.scRoot`) that finds no saved
// Python asks for nothing until the page says its form is on screen ("drawn": py-client.js posts
// it one frame after the form's first panel is parsed, SC.py.formDrawn), or until HOLD_MAX_MS have
// passed (a page that never says so, a tab opened in the background). The worker has started and
// looked for a saved Python meanwhile, and the page is still being parsed when the downloads begin
// (the form's first panel is about a third of the page). A return visit with a saved Python starts
// at once: its files come from this browser's cache, so there is nothing to share.
// Cold loads, with and without the wait, interleaved (benchmarks/bench_selfcheck_page.py's pages,
// runs of 5 and 8): phone profile (4x CPU, 10 Mbit/s), the form typeable 673-745 -> 603-623 ms and
// before any Python byte arrives (13 of 13 loads, was 0 of 13), first score 1.00x -> 1.04-1.06x
// the baseline; desktop, typeable 203 -> 179 ms, first score 60-155 ms later (two runs of 10).
// The benchmark's "eager" row keeps measuring the difference.
const HOLD_MAX_MS = 3000;
let formIsDrawn;
const formDrawn = new Promise((resolve) => {
  formIsDrawn = resolve;
  setTimeout(resolve, HOLD_MAX_MS);
});

const PY_GLUE = `
import js
from pyodide.ffi import to_js
from selfcheck import bridge

# The answer's value apart from the rest: a str converted inside a dict_converter container
# took 5-7x as long as the same str returned alone (Pyodide 314 under Node: 14-20 ms against
# 2.7 ms for a score's 108 KB of JSON; in Chromium's worker the difference was within the noise
# of a loaded machine), and a score is the page's every re-score.
def _sc_call(name, args):
    answer = bridge.call(name, args)
    value = answer.pop("value", None)
    if not isinstance(value, str):
        value = to_js(value, dict_converter=js.Object.fromEntries)
    return to_js(answer, dict_converter=js.Object.fromEntries), value

def _sc_needs(name):
    return to_js(bridge.needs(name))
`;

function progress(stage, text) {
  self.postMessage({ type: "progress", stage, text });
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`无法下载${what}（${url}）：网络不通或网站未运行。`, { cause: e });
  }
  if (!response.ok) throw new Error(`无法下载${what}（${url}）：服务器返回 ${response.status}。`);
  return response;
}

const distOf = (file) => file.split("-")[0];

// ---- A saved Python ----------------------------------------------------------------------------
// Starting Python is most of the wait for the first score on every visit: the runtime sets itself
// up and imports the engine (about 1 s on a desktop, several on a phone). On a visit that starts
// afresh, the worker copies Python's memory right after the engine's imports, before the site's
// data, the page's arguments or anything a person typed has reached Python (so the copy holds none
// of it), and after the first score keeps it (its pages that are not all zeros, about 12 MB) in this
// browser's IndexedDB, which plain-http intranet hosting also has (the Cache API needs https). A
// later visit restores that memory instead of starting Python and importing the engine
// (benchmarks/bench_selfcheck_page.py, phone profile: from the Pyodide module to the engine ready,
// 2.3 s afresh, 0.8 s restored; desktop 1.3 s and 0.9 s).
// The copy is stored under the site's `runtime_id` (manifest.json: a hash of the runtime's files and
// the selfcheck wheel), so a new release starts afresh and replaces it. Anything that goes wrong
// (no IndexedDB, private mode, storage full, a damaged copy) means an ordinary start: the copy only
// ever saves time. Pyodide marks these options private (`_makeSnapshot`, `_loadSnapshot`,
// `makeMemorySnapshot`); Pyodide is pinned (package-lock.json), and tests/browser/test_py_snapshot.py
// restores a copy in real Chromium, so an upgrade that changes them fails a test, not a reader.
const SAVED_DB = "sc-python";
const SAVED_STORE = "memory";
const SAVED_RECORD = "python";
// Part of the key: what the worker imports before copying (PY_IMPORTS), and how a copy is kept.
const SAVED_FORMAT = 2;
const PY_IMPORTS = "import selfcheck.bridge";

function savedStore(mode, work) {
  return new Promise((resolve, reject) => {
    if (!self.indexedDB) { reject(new Error("no IndexedDB")); return; }
    const open = indexedDB.open(SAVED_DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(SAVED_STORE);
    open.onerror = () => reject(open.error);
    open.onblocked = () => reject(new Error("IndexedDB blocked"));
    open.onsuccess = () => {
      const db = open.result;
      let request;
      try {
        const tx = db.transaction(SAVED_STORE, mode);
        request = work(tx.objectStore(SAVED_STORE));
        tx.oncomplete = () => { db.close(); resolve(request.result); };
        tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
      } catch (e) {
        db.close();
        reject(e);
      }
    };
  });
}

const savedKey = (manifest) => manifest.runtime_id ? `${SAVED_FORMAT}:${manifest.runtime_id}` : null;

// The copy as kept: about half of Python's memory is pages of zeros, so only the other 4 KiB pages
// are stored (about 12 MB of about 30), after a list of where each goes. Restoring copies them into
// place, where inflating gzip (5 MB kept) took 150 ms of a desktop's CPU and would take a slow
// phone the best part of a second, on the way to the first score.
const PAGE = 4096;

// Pyodide's copy starts with a header of its own, so its last page may be short.
const pageSpan = (length, page) => [page * PAGE, Math.min((page + 1) * PAGE, length)];

function packMemory(memory) {
  // Whole 4-byte words: Pyodide's copy is a fresh array of them (were it not, this throws, and no
  // copy is kept).
  const words = new Uint32Array(memory.buffer, memory.byteOffset, memory.length / 4);
  const used = [];
  let size = 0;
  for (let page = 0; page * PAGE < memory.length; page += 1) {
    const [start, end] = pageSpan(memory.length, page);
    let w = start / 4;
    while (w < end / 4 && words[w] === 0) w += 1;
    if (w < end / 4) {
      used.push(page);
      size += end - start;
    }
  }
  const packed = new Uint8Array(8 + used.length * 4 + size);
  new Uint32Array(packed.buffer, 0, 2 + used.length).set([memory.length, used.length, ...used]);
  let at = 8 + used.length * 4;
  for (const page of used) {
    const [start, end] = pageSpan(memory.length, page);
    packed.set(memory.subarray(start, end), at);
    at += end - start;
  }
  return packed;
}

function unpackMemory(packed) {
  const [length, count] = new Uint32Array(packed.buffer, packed.byteOffset, 2);
  const pages = new Uint32Array(packed.buffer, packed.byteOffset + 8, count);
  const memory = new Uint8Array(length);
  let at = 8 + count * 4;
  for (const page of pages) {
    const [start, end] = pageSpan(length, page);
    if (end <= start || at + end - start > packed.length) throw new Error("damaged copy");
    memory.set(packed.subarray(at, at + end - start), start);
    at += end - start;
  }
  if (at !== packed.length) throw new Error("damaged copy");
  return memory;
}

// The saved copy for this release, or null: {memory: a promise of its bytes}, so that they are
// read and unpacked while Pyodide's own module loads (loadPyodide awaits them only then).
async function savedPython(key) {
  if (!key) return null;
  const record = await savedStore("readonly", (store) => store.get(SAVED_RECORD));
  if (!record || record.key !== key || !(record.memory instanceof Blob)) return null;
  const memory = record.memory.arrayBuffer().then((buffer) => {
    const unpacked = unpackMemory(new Uint8Array(buffer));
    mark("saved-read");
    return unpacked;
  });
  memory.catch(() => {}); // a failure surfaces in loadPyodide, which then starts afresh
  return { memory };
}

async function keepPython(key, memory) {
  const packed = new Blob([packMemory(memory)]);
  await savedStore("readwrite", (store) => store.put({ key, memory: packed }, SAVED_RECORD));
}

function forgetPython() {
  return savedStore("readwrite", (store) => store.delete(SAVED_RECORD)).catch(() => {});
}

// The type the server gave the runtime's .wasm, read from the response Pyodide itself fetches
// (this worker's fetch, wrapped): with a wrong one Pyodide fails late and obscurely, or not at all.
// Resolves with that response (its headers; the body is Pyodide's), or null when the fetch got no
// answer (offline, left to loadPyodide).
function watchWasmType() {
  const plain = self.fetch;
  return new Promise((resolve) => {
    self.fetch = function (input, options) {
      const answer = plain.call(this, input, options);
      if (/\.wasm$/.test(String(input instanceof Request ? input.url : input).split("?")[0])) {
        answer.then(resolve, () => resolve(null));
      }
      return answer;
    };
  });
}

// `held`: started from the page's <head>, so a first visit waits for the form (see formDrawn).
async function init(root, held) {
  const wheelsRoot = root + "assets/wheels/";
  const given = self.scManifest && typeof self.scManifest === "object" ? self.scManifest : null;
  // The saved Python for this release, if this browser has one: looked up while the module loads,
  // or, where a first visit waits for the form, first (a lookup, not a read: its bytes are read
  // only when restored).
  let savedP = given ? savedPython(savedKey(given)).catch(() => null) : null;
  if (held && given && !(await savedP)) await formDrawn;
  progress("runtime", "正在下载 Python 运行环境（约 6 MB，只在第一次较慢）…");
  // The engine's data comes meanwhile, while the manifest is read (if the page gave none).
  const dataP = fetchOk(root + "assets/data/engine.json", "数据文件").then((r) => r.json());
  dataP.catch(() => {}); // reported by the await below
  const manifest = given || await (await fetchOk(wheelsRoot + "manifest.json", "程序清单")).json();
  const hashed = /^[0-9a-f]{16}$/;
  if (!manifest.folders || !hashed.test(manifest.folders.pyodide) || !hashed.test(manifest.folders.wheels)) {
    throw new Error("程序清单不完整（缺少 folders），网站文件不完整。");
  }
  const base = root + "assets/pyodide/" + manifest.folders.pyodide + "/";
  const wheels = wheelsRoot + manifest.folders.wheels + "/";
  const wasmTypeP = watchWasmType();
  const moduleP = import(base + "pyodide.mjs").catch((e) => {
    throw new Error(`无法加载 Python 运行环境（${base}pyodide.mjs）。请确认网站完整部署了 assets/pyodide/ 目录。（${e && e.message ? e.message : e}）`, { cause: e });
  });
  const own = manifest.wheels.find((w) => distOf(w) === "selfcheck");
  if (!own) throw new Error("程序清单中没有 selfcheck 程序包，网站文件不完整。");
  const ownWheelP = fetchOk(wheels + own, "自评程序").then((r) => r.arrayBuffer());
  ownWheelP.catch(() => {}); // reported by the await below

  if (!savedP) savedP = savedPython(savedKey(manifest)).catch(() => null);

  const { loadPyodide } = await moduleP;
  mark("module");

  // Python with the engine imported and the site's data handed over. `memory`: a saved copy to
  // restore, or null to start afresh (and, where it can be kept, copy Python after the imports).
  async function prepare(memory) {
    let py;
    try {
      py = await (memory
        ? loadPyodide({ indexURL: base, fullStdLib: false, _loadSnapshot: memory })
        : loadPyodide({ indexURL: base, fullStdLib: false, _makeSnapshot: !!self.indexedDB }));
    } catch (e) {
      throw new Error(`Python 运行环境启动失败（${e && e.message ? e.message : e}）。`, { cause: e });
    }
    mark("pyodide");
    progress("wheels", "正在加载自评程序…");
    const [data, ownWheel] = await Promise.all([dataP, ownWheelP]);
    mark("fetched");
    // A restored Python has the engine imported, but not its files: they are not in its memory.
    py.unpackArchive(new Uint8Array(ownWheel), "wheel");
    let copy = null;
    try {
      if (!memory && self.indexedDB && savedKey(manifest)) {
        py.runPython(PY_IMPORTS);
        mark("imported");
        try {
          copy = py.makeMemorySnapshot();
          mark("copied");
        } catch (e) {
          copy = null; // not kept; this start goes on as usual
        }
      }
      py.runPython(PY_GLUE);
      py.globals.get("bridge").set_data(py.toPy(data));
    } catch (e) {
      throw new Error(`自评程序加载不完整（${e && e.message ? e.message : e}）。请刷新页面；仍不行请联系网站管理员。`, { cause: e });
    }
    return { py, copy };
  }

  const saved = await savedP;
  let restored = !!saved;
  const readyP = prepare(saved && saved.memory).catch((e) => {
    if (!restored) throw e;
    // A saved copy that does not work is dropped, and Python starts afresh.
    restored = false;
    forgetPython();
    return prepare(null);
  });
  readyP.catch(() => {});
  // Whichever comes first: the .wasm's answer, or Python ready (or failed) without one.
  const wasm = await Promise.race([wasmTypeP, readyP.then(() => null, () => null)]);
  if (wasm && !wasm.ok) {
    throw new Error(`无法下载 Python 运行环境（${base}pyodide.asm.wasm）：服务器返回 ${wasm.status}。`);
  }
  const mime = wasm ? (wasm.headers.get("content-type") || "").split(";")[0].trim().toLowerCase() : "application/wasm";
  if (mime !== "application/wasm") {
    throw new Error(`网站服务器把 .wasm 文件的类型报为“${mime || "未知"}”，浏览器要求 application/wasm，` +
      "所以评分程序无法运行。请网站管理员按 README 的部署说明设置 MIME 类型（nginx 的 types、IIS 的 mimeMap）。");
  }
  const { py, copy } = await readyP;
  pyodide = py;
  mark("glue");
  callPy = pyodide.globals.get("_sc_call");
  const needsPy = pyodide.globals.get("_sc_needs");
  self.needsOf = (name) => needsPy(name);
  for (const file of manifest.wheels) {
    const dist = distOf(file);
    if (dist === "selfcheck") continue;
    // Downloaded once Python is up (so it never competes with start-up), kept in memory so that
    // an XLSX export works offline later; unpacked only when first needed.
    extraWheels.set(dist, new Promise((resolve) => setTimeout(resolve, 0)).then(() =>
      fetchOk(wheels + file, "表格导出组件").then((r) => r.arrayBuffer())));
    extraWheels.get(dist).catch(() => {});
  }
  if (copy) {
    // After the first score: a call that waited for start-up runs before this timer fires.
    const key = savedKey(manifest);
    setTimeout(() => keepPython(key, copy).catch(() => forgetPython()), 0);
  }
  progress("ready", "已就绪");
  return {
    pyodide: manifest.pyodide, wheels: manifest.wheels, standard: manifest.standard, timings,
    python: restored ? "restored" : "fresh",
  };
}

// openpyxl needs et_xmlfile: every extra wheel is unpacked together, the first time any is needed.
async function ensure(name) {
  const needs = [...self.needsOf(name)];
  if (!needs.length || needs.every((d) => unpacked.has(d))) return;
  progress("wheels", "正在加载表格导出组件（只在第一次导出时）…");
  for (const [dist, bytesP] of extraWheels) {
    if (unpacked.has(dist)) continue;
    pyodide.unpackArchive(new Uint8Array(await bytesP), "wheel");
    unpacked.add(dist);
  }
  progress("ready", "已就绪");
}

// Calls that carry a `slot` ("score"): only the latest of a slot is worth an answer. One that
// waited for start-up while a newer one of its slot arrived is answered `superseded` without
// running, so the edits typed while Python starts cost one score, not one each. Once Python is up
// a call runs as soon as it is read, before the next message is, so none is superseded then.
const latest = new Map(); // slot → id of its newest call
const SUPERSEDED = { superseded: true };

async function call(name, args, id, slot) {
  try {
    await startPromise;
  } catch (e) {
    const err = new Error(e && e.message ? e.message : String(e));
    err.kind = "load";
    throw err;
  }
  if (!callPy) {
    const err = new Error("Python 尚未就绪。");
    err.kind = "load";
    throw err;
  }
  if (slot && latest.get(slot) !== id) return SUPERSEDED;
  await ensure(name);
  const pair = callPy(name, pyodide.toPy(args, { depth: 1 }));
  const [answer, value] = [pair.get(0), pair.get(1)];
  pair.destroy();
  if (answer.ok) return value;
  const err = new Error(answer.message);
  err.kind = answer.kind;
  err.detail = answer.detail || "";
  throw err;
}

self.onmessage = async (event) => {
  const { id, type, slot } = event.data;
  if (type === "drawn") {
    formIsDrawn();
    return;
  }
  if (slot) latest.set(slot, id);
  try {
    let result;
    if (type === "init") {
      if (!startPromise) startPromise = init(event.data.root);
      result = await startPromise;
    } else {
      result = await call(event.data.name, event.data.args || [], id, slot);
      if (result === SUPERSEDED) {
        self.postMessage({ id, ok: true, superseded: true });
        return;
      }
    }
    const transfer = result instanceof Uint8Array ? [result.buffer] : [];
    self.postMessage({ id, ok: true, result }, transfer);
  } catch (e) {
    self.postMessage({
      id, ok: false, error: e && e.message ? e.message : String(e),
      kind: (e && e.kind) || (type === "init" ? "load" : "bug"), detail: (e && (e.detail || e.stack)) || "",
    });
  }
};

if (typeof self.scRoot === "string") {
  startPromise = init(self.scRoot, true);
  startPromise.catch(() => {}); // reported to the page by its "init" call
}
