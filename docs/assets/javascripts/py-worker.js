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
// Messages out: {type: "progress", stage, text}  while loading
// `name` must be an entry of selfcheck.bridge.TABLE: Python refuses anything else. The site's data
// files are handed to the bridge once, at start, so calls carry only the page's own arguments.
//
// Start-up runs everything that does not depend on something else at the same time: the Pyodide
// module, the .wasm type check, the manifest, the engine's data (one file, assets/data/engine.json,
// only what selfcheck.bridge.TABLE hands to Python) and the selfcheck wheel are all requested at
// once; loadPyodide then fetches the runtime while those arrive. The .wasm type check is not on
// the way: loadPyodide starts without waiting for it, and its answer is read when both are done.
// openpyxl (only the XLSX exports need it) is downloaded after the first score and unpacked on
// first use. Calls may arrive before start-up is done: they wait for it here, in the worker, so the
// page's first score needs no round trip through a busy main thread.
//
// `timings` in the init answer: epoch milliseconds of each start-up step (performance.timeOrigin
// + now), for benchmarks/bench_selfcheck_page.py.

let pyodide = null;
let callPy = null;
let startPromise = null;
const timings = {};
const mark = (name) => { timings[name] = Math.round(performance.timeOrigin + performance.now()); };
mark("worker-start");
const extraWheels = new Map(); // dist name ("openpyxl") → Promise<Uint8Array>
const unpacked = new Set();

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

async function init(root) {
  const base = root + "assets/pyodide/";
  const wheels = root + "assets/wheels/";
  progress("runtime", "正在下载 Python 运行环境（约 6 MB，只在第一次较慢）…");
  // All at once: none of these waits for another.
  const moduleP = import(base + "pyodide.mjs").catch((e) => {
    throw new Error(`无法加载 Python 运行环境（${base}pyodide.mjs）。请确认网站完整部署了 assets/pyodide/ 目录。（${e && e.message ? e.message : e}）`, { cause: e });
  });
  // The server's type for .wasm: with a wrong one Pyodide fails late and obscurely, or not at all.
  // No answer at all (offline, the offline copy answers GET only) is left to loadPyodide below.
  const headP = fetch(base + "pyodide.asm.wasm", { method: "HEAD" }).catch(() => null);
  const manifestP = fetchOk(wheels + "manifest.json", "程序清单").then((r) => r.json());
  const dataP = fetchOk(root + "assets/data/engine.json", "数据文件").then((r) => r.json());
  const ownWheelP = manifestP.then((m) => {
    const own = m.wheels.find((w) => distOf(w) === "selfcheck");
    if (!own) throw new Error("程序清单中没有 selfcheck 程序包，网站文件不完整。");
    return fetchOk(wheels + own, "自评程序").then((r) => r.arrayBuffer());
  });
  // Keep every promise observed, so an early failure is reported once, by the await below.
  [manifestP, dataP, ownWheelP].forEach((p) => p.catch(() => {}));

  const { loadPyodide } = await moduleP;
  mark("module");
  const pyodideP = loadPyodide({ indexURL: base, fullStdLib: false });
  pyodideP.catch(() => {});
  const wasm = await headP;
  if (wasm && !wasm.ok) {
    throw new Error(`无法下载 Python 运行环境（${base}pyodide.asm.wasm）：服务器返回 ${wasm.status}。`);
  }
  const mime = wasm ? (wasm.headers.get("content-type") || "").split(";")[0].trim().toLowerCase() : "application/wasm";
  if (mime !== "application/wasm") {
    throw new Error(`网站服务器把 .wasm 文件的类型报为“${mime || "未知"}”，浏览器要求 application/wasm，` +
      "所以评分程序无法运行。请网站管理员按 README 的部署说明设置 MIME 类型（nginx 的 types、IIS 的 mimeMap）。");
  }
  try {
    pyodide = await pyodideP;
  } catch (e) {
    throw new Error(`Python 运行环境启动失败（${e && e.message ? e.message : e}）。`, { cause: e });
  }
  mark("pyodide");
  progress("wheels", "正在加载自评程序…");
  const [manifest, data, ownWheel] = await Promise.all([manifestP, dataP, ownWheelP]);
  mark("fetched");
  pyodide.unpackArchive(new Uint8Array(ownWheel), "wheel");
  try {
    pyodide.runPython(PY_GLUE);
  } catch (e) {
    throw new Error(`自评程序加载不完整（${e && e.message ? e.message : e}）。请刷新页面；仍不行请联系网站管理员。`, { cause: e });
  }
  pyodide.globals.get("bridge").set_data(pyodide.toPy(data));
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
  progress("ready", "已就绪");
  return { pyodide: manifest.pyodide, wheels: manifest.wheels, standard: manifest.standard, timings };
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
