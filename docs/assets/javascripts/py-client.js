// One Python worker per browser tab, shared by every page feature and kept across Material's
// instant navigation (the window survives it). Usage:
//   await SC.py.ready((p) => show(p.text));          // starts Pyodide once
//   const json = await SC.py.call("selfcheck.api.score", {$data: "standard"}, ...);
"use strict";
window.SC = window.SC || {};
window.SC.py = window.SC.py || (function () {
  const root = new URL("../../", document.currentScript.src).href;
  const pending = new Map();
  const listeners = new Set();
  let worker = null;
  let readyPromise = null;
  let seq = 0;
  const state = { stage: "idle", text: "", error: null, info: null };

  function notify() {
    listeners.forEach((fn) => {
      try { fn({ ...state }); } catch (e) { console.error(e); }
    });
  }

  function send(message) {
    return new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  }

  function start() {
    worker = new Worker(root + "assets/javascripts/py-worker.js", { type: "module" });
    worker.onmessage = (event) => {
      const data = event.data;
      if (data.type === "progress") {
        state.stage = data.stage;
        state.text = data.text;
        notify();
        return;
      }
      const entry = pending.get(data.id);
      if (!entry) return;
      pending.delete(data.id);
      if (data.ok) entry.resolve(data.result);
      else {
        const err = new Error(data.error);
        err.kind = data.kind;
        entry.reject(err);
      }
    };
    worker.onerror = (event) => {
      const err = new Error("Python 后台程序出错：" + (event.message || "无法启动"));
      pending.forEach((p) => p.reject(err));
      pending.clear();
    };
  }

  function ready(onProgress) {
    if (onProgress) {
      listeners.add(onProgress);
      onProgress({ ...state });
    }
    if (!readyPromise) {
      if (location.protocol === "file:") {
        state.stage = "error";
        state.error = "本页需要通过网站地址（http:// 或 https://）打开，不能直接双击本地文件打开。请按 README 的说明启动网站。";
        notify();
        readyPromise = Promise.reject(new Error(state.error));
        readyPromise.catch(() => {});
        return readyPromise;
      }
      start();
      state.stage = "loading";
      readyPromise = send({ type: "init", root }).then(
        (info) => { state.stage = "ready"; state.info = info; notify(); return info; },
        (err) => { state.stage = "error"; state.error = err.message; notify(); throw err; },
      );
    }
    return readyPromise;
  }

  function call(fn, ...args) {
    return ready().then(() => send({ type: "call", fn, args }));
  }

  function unsubscribe(fn) { listeners.delete(fn); }

  return { ready, call, unsubscribe, root, state };
})();
