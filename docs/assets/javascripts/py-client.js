// The Python engine for page features: one worker per browser tab, kept across Material's
// instant navigation (the window survives it). Loaded in <head> with core.js. On a page that needs
// Python from the start (front matter `sc_python`), the worker is already started by the page's
// first inline script (overrides/main.html) and taken over here (`SC.early`).
//
//   SC.py.ready(onProgress, {signal})  starts Pyodide once; onProgress({stage, text, error}) until
//                                      the signal aborts (pass a feature's ctx.signal)
//   SC.py.formDrawn()                  the page's form is parsed (its template calls this after
//                                      its first panel): one frame later, a first visit's worker
//                                      begins its downloads (py-worker.js, "A first visit waits")
//   SC.engine.score(doc)               → what the page draws of the result (selfcheck/page_view.py;
//                                      one facade per entry of selfcheck/bridge.py);
//                                      may be called before Python is up: it waits in the worker
//   SC.showError(box, error)           an input error as its sentence; a bug as a short apology
//                                      with a "复制错误详情" button (the detail is never shown)
//
// Errors from the engine carry `kind`: "input" (a complete Chinese sentence about what the user
// gave), "bug" (our fault; `detail` holds the traceback), "load" (Python did not start).
"use strict";
(function () {
  const SC = (window.SC = window.SC || {});
  if (SC.py) return;
  const root = SC.root || new URL("../../", document.currentScript.src).href;
  const pending = new Map();
  const listeners = new Set();
  let worker = null;
  let readyPromise = null;
  let seq = 0;
  const state = { stage: "idle", text: "", error: null, info: null };
  const SUPERSEDED = Object.freeze({}); // the answer to a call that a newer one of its slot replaced

  function notify() {
    listeners.forEach((fn) => {
      try { fn(Object.assign({}, state)); } catch (e) { console.error(e); }
    });
  }

  function expect(id) {
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  }

  function send(message) {
    const id = ++seq;
    const answer = expect(id);
    worker.postMessage(Object.assign({ id }, message));
    return answer;
  }

  // The worker started by the page's first inline script (overrides/main.html), if any: its init
  // (id 0) is already sent, and what it said so far is queued. Else a new worker.
  function start() {
    const early = SC.early;
    SC.early = null;
    worker = early ? early.worker : new Worker(root + "assets/javascripts/py-worker.js", { type: "module" });
    worker.onmessage = (event) => {
      const data = event.data;
      if (data.type === "progress") {
        if (state.stage !== "ready" || data.stage === "ready") state.stage = data.stage;
        state.text = data.text;
        notify();
        return;
      }
      const entry = pending.get(data.id);
      if (!entry) return;
      pending.delete(data.id);
      if (data.ok) entry.resolve(data.superseded ? SUPERSEDED : data.result);
      else {
        const err = new Error(data.error);
        err.kind = data.kind;
        err.detail = data.detail;
        entry.reject(err);
      }
    };
    worker.onerror = (event) => {
      const err = new Error("Python 后台程序出错：" + (event.message || "无法启动"));
      err.kind = "load";
      pending.forEach((p) => p.reject(err));
      pending.clear();
    };
    const answer = early ? expect(0) : send({ type: "init", root });
    if (early) early.queue.forEach((event) => (event.type === "error" ? worker.onerror : worker.onmessage)(event));
    return answer;
  }

  function fail(message) {
    state.stage = "error";
    state.error = message;
    notify();
    const err = new Error(message);
    err.kind = "load";
    readyPromise = Promise.reject(err);
    readyPromise.catch(() => {});
    return readyPromise;
  }

  function ready(onProgress, options) {
    if (onProgress) {
      listeners.add(onProgress);
      const signal = options && options.signal;
      if (signal) signal.addEventListener("abort", () => listeners.delete(onProgress), { once: true });
      onProgress(Object.assign({}, state));
    }
    if (!readyPromise) {
      if (location.protocol === "file:") {
        return fail("本页需要通过网站地址（http:// 或 https://）打开，不能直接双击本地文件打开。请按 README 的说明启动网站。");
      }
      if (typeof Worker === "undefined") {
        return fail("这个浏览器太旧，不能运行评分程序。请换用新版的 Chrome、Edge、Firefox 或 Safari 打开本页。");
      }
      state.stage = "loading";
      readyPromise = start().then(
        (info) => { state.stage = "ready"; state.info = info; notify(); return info; },
        (err) => { state.stage = "error"; state.error = err.message; notify(); throw err; },
      );
      // For whatever should wait meanwhile (sw-register.js holds the offline copy's downloads).
      window.dispatchEvent(new CustomEvent("sc:python-start", { detail: { ready: readyPromise } }));
    }
    return readyPromise;
  }

  // `name` is an entry of selfcheck.bridge.TABLE; the worker refuses anything else. Sent at once,
  // even while Python is still starting: the worker holds it until start-up is done, so the answer
  // needs no second trip through this (possibly busy) thread. If the worker cannot be started at
  // all, the start-up error is the answer.
  function callIn(slot, name, args) {
    const message = { type: "call", name, args, slot };
    const started = ready();
    if (!worker) return started.then(() => send(message));
    return send(message);
  }
  const call = (name, ...args) => callIn(null, name, args);
  // Only the newest call of a slot is answered: an older one still waiting in the worker resolves
  // to null (a newer one is on its way).
  const latestOf = (slot, name, ...args) => callIn(slot, name, args).then((v) => (v === SUPERSEDED ? null : v));

  // Once drawn, not only parsed: after the next frame. A worker that holds nothing ignores it.
  function formDrawn() {
    const w = worker;
    if (w) requestAnimationFrame(() => setTimeout(() => w.postMessage({ type: "drawn" }), 0));
  }

  SC.py = { ready, call, formDrawn, root, state, listenerCount: () => listeners.size };

  const now = () => new Date().toISOString();
  const text = (doc) => (typeof doc === "string" ? doc : JSON.stringify(doc));
  const parsed = (p) => p.then((json) => (json === null ? null : JSON.parse(json)));
  SC.engine = {
    // What the 自评 page draws of a score (selfcheck/page_view.py), not the full result; null when
    // a newer score was asked for before this one ran (only the newest runs).
    score: (doc, at) => parsed(latestOf("score", "score_page", text(doc), at || now())),
    exportJson: (doc) => call("export_json", text(doc), now()),
    exportCsv: (doc) => call("export_csv", text(doc), now()),
    exportXlsx: (doc) => call("export_xlsx", text(doc), now()),
    reportHtml: (doc) => call("report_html", text(doc), now()),
    importDetails: (fileText, fileName) => parsed(call("import_details", fileText, fileName)),
    compare: (oldText, doc) => parsed(call("compare", oldText, text(doc), now())),
    aggregate: (texts, names) => parsed(call("aggregate", texts, names, now())),
    aggregateXlsx: (texts, names) => call("aggregate_xlsx", texts, names, now()),
    parseRecords: (bytes, fileName) => parsed(call("parse_records", bytes, fileName)),
    blankTemplate: () => parsed(call("blank_template")),
    riskmap: {
      parse: (fileText) => call("riskmap_parse", fileText),
      xlsx: (doc) => call("riskmap_xlsx", text(doc)),
    },
  };

  // One way to show an engine error, for every page.
  SC.showError = function showError(box, err, prefix) {
    const h = SC.h;
    box.hidden = false;
    if (!err || err.kind !== "bug") {
      box.replaceChildren((prefix || "") + (err && err.message ? err.message : String(err)));
      return;
    }
    const detail = `${err.detail || err.message}\n页面：${location.href}\n浏览器：${navigator.userAgent}`;
    const status = h("span", { class: "sc-copy-state", "aria-live": "polite" });
    const copy = h("button", { type: "button", class: "md-button sc-small-button" }, "复制错误详情");
    copy.addEventListener("click", () => {
      const done = () => { status.textContent = "已复制，可粘贴给网站管理员。"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(detail).then(done, () => { status.textContent = "无法复制：浏览器不允许。"; });
      } else {
        status.textContent = "无法复制：浏览器不允许。";
      }
    });
    box.replaceChildren(
      (prefix || "") + "抱歉，本站程序出了错，这不是您填写的问题。您填写的内容已保存。请刷新页面后重试；仍不行请把错误详情发给网站管理员。",
      " ", copy, " ", status,
    );
    box.dataset.errorDetail = "bug";
  };
})();
