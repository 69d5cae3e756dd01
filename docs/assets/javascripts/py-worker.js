// A module worker (Pyodide 314 refuses classic workers). Runs Python (Pyodide + the selfcheck
// wheel) off the main thread, so typing and scrolling never
// stall while Python starts or works. Everything loads from this site's own files.
//
// Messages in:  {id, type: "init", root}            → {id, ok, result: {pyodide, wheels}}
//               {id, type: "call", fn, args}         → {id, ok, result} | {id, ok: false, error, kind}
// Messages out: {type: "progress", stage, text}     while loading
// `fn` is a dotted Python name ("selfcheck.api.score"). An argument {"$data": "standard"} is
// replaced by the text of assets/data/standard.json, fetched once.


let pyodide = null;
let root = "";
let callPy = null;
const dataCache = new Map();

const PY_GLUE = `
import importlib
from pyodide.ffi import JsProxy, to_js

def _sc_arg(a):
    if isinstance(a, JsProxy):
        if a.constructor.name == "Uint8Array":
            return a.to_bytes()
        return a.to_py()
    return a

def _sc_call(fn, args):
    from selfcheck.errors import SelfcheckError
    module, name = fn.rsplit(".", 1)
    target = getattr(importlib.import_module(module), name)
    try:
        value = target(*[_sc_arg(a) for a in args]) if callable(target) else target
    except SelfcheckError as exc:
        return {"__error__": str(exc), "kind": type(exc).__name__}
    if isinstance(value, (bytes, bytearray)):
        return to_js(bytes(value))
    return value
`;

function progress(stage, text) {
  self.postMessage({ type: "progress", stage, text });
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`无法下载${what}（${url}）：网络不通或网站未运行。`);
  }
  if (!response.ok) throw new Error(`无法下载${what}（${url}）：服务器返回 ${response.status}。`);
  return response;
}

async function init(siteRoot) {
  root = siteRoot;
  const base = root + "assets/pyodide/";
  progress("runtime", "正在下载 Python 运行环境（约 6 MB，只在第一次较慢）…");
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(base + "pyodide.mjs"));
  } catch (e) {
    throw new Error(`无法加载 Python 运行环境（${base}pyodide.mjs）。请确认网站完整部署了 assets/pyodide/ 目录。（${e && e.message ? e.message : e}）`);
  }
  // Check the server first: with a wrong type Pyodide fails late and obscurely, or not at all.
  // No answer at all (offline, the offline copy answers GET only) is left to loadPyodide below.
  const wasm = await fetch(base + "pyodide.asm.wasm", { method: "HEAD" }).catch(() => null);
  if (wasm && !wasm.ok) {
    throw new Error(`无法下载 Python 运行环境（${base}pyodide.asm.wasm）：服务器返回 ${wasm.status}。`);
  }
  const mime = wasm ? (wasm.headers.get("content-type") || "").split(";")[0].trim().toLowerCase() : "application/wasm";
  if (mime !== "application/wasm") {
    throw new Error(`网站服务器把 .wasm 文件的类型报为“${mime || "未知"}”，浏览器要求 application/wasm，` +
      "所以评分程序无法运行。请网站管理员按 README 的部署说明设置 MIME 类型（nginx 的 types、IIS 的 mimeMap）。");
  }
  try {
    pyodide = await loadPyodide({ indexURL: base, fullStdLib: false });
  } catch (e) {
    throw new Error(`Python 运行环境启动失败（${e && e.message ? e.message : e}）。`);
  }
  progress("wheels", "正在加载自评程序…");
  const manifest = await (await fetchOk(root + "assets/wheels/manifest.json", "程序清单")).json();
  const urls = manifest.wheels.map((w) => root + "assets/wheels/" + w);
  const failures = [];
  await pyodide.loadPackage(urls, { messageCallback: () => {}, errorCallback: (m) => failures.push(m) });
  const missing = manifest.wheels
    .map((w) => w.split("-")[0])
    .filter((name) => !Object.keys(pyodide.loadedPackages).some((k) => k.replace(/-/g, "_") === name));
  if (missing.length) {
    throw new Error(`自评程序加载不完整，缺少：${missing.join("、")}。${failures.join(" ")}`);
  }
  // Every data file now, while the network is there: a page may go offline after loading.
  await Promise.all((manifest.data || []).map((name) => resolveArg({ $data: name })));
  pyodide.runPython(PY_GLUE);
  callPy = pyodide.globals.get("_sc_call");
  progress("ready", "已就绪");
  return { pyodide: manifest.pyodide, wheels: manifest.wheels, standard: manifest.standard };
}

async function resolveArg(arg) {
  if (arg && typeof arg === "object" && !ArrayBuffer.isView(arg) && typeof arg.$data === "string") {
    if (!dataCache.has(arg.$data)) {
      const response = await fetchOk(root + "assets/data/" + arg.$data + ".json", "数据文件");
      dataCache.set(arg.$data, await response.text());
    }
    return dataCache.get(arg.$data);
  }
  return arg;
}

async function call(fn, args) {
  if (!callPy) throw new Error("Python 尚未就绪。");
  const resolved = await Promise.all(args.map(resolveArg));
  const value = callPy(fn, pyodide.toPy(resolved, { depth: 1 }));
  if (value && typeof value === "object" && typeof value.toJs === "function") {
    const js = value.toJs({ dict_converter: Object.fromEntries });
    value.destroy();
    if (js && js.__error__) {
      const err = new Error(js.__error__);
      err.kind = js.kind;
      throw err;
    }
    return js;
  }
  return value;
}

self.onmessage = async (event) => {
  const { id, type } = event.data;
  try {
    const result = type === "init" ? await init(event.data.root) : await call(event.data.fn, event.data.args || []);
    const transfer = result instanceof Uint8Array ? [result.buffer] : [];
    self.postMessage({ id, ok: true, result }, transfer);
  } catch (e) {
    self.postMessage({ id, ok: false, error: e && e.message ? e.message : String(e), kind: (e && e.kind) || "Error" });
  }
};
