// The page side of dossier/worker.js: one worker per tab, started on first use.
let worker = null;
let nextId = 1;
const waiting = new Map();

export function call(root, type, payload) {
  if (!worker) {
    worker = new Worker(root + "assets/javascripts/dossier/worker.js", { type: "module" });
    worker.onmessage = (e) => {
      const w = waiting.get(e.data.id);
      if (!w) return;
      waiting.delete(e.data.id);
      if (e.data.ok) w.resolve(e.data.result);
      else w.reject(Object.assign(new Error(e.data.error), { detail: e.data.detail }));
    };
    worker.onerror = (e) => {
      for (const w of waiting.values()) w.reject(new Error("Python 程序没有启动（浏览器可能过旧，或网站文件不完整），请用新版浏览器打开或刷新页面。"));
      waiting.clear();
    };
    const started = send("init", { root });
    started.catch(() => { /* reported by the call that needs it */ });
    // For whatever should wait meanwhile (sw-register.js holds the offline copy's downloads).
    window.dispatchEvent(new CustomEvent("sc:python-start", { detail: { ready: started } }));
  }
  return send(type, payload);
}

function send(type, payload) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, type, ...payload });
  });
}

export async function loadJson(root, stem) {
  const r = await fetch(root + "assets/data/" + stem + ".json");
  if (!r.ok) throw new Error(`无法读取数据文件 ${stem}.json（服务器返回 ${r.status}），请刷新页面。`);
  return r.json();
}

// A page leaving (or starting) drops the files it had the worker keep; no worker yet: nothing to do.
export function release() {
  if (worker) send("forget", { names: null }).catch(() => { /* nothing kept */ });
}
