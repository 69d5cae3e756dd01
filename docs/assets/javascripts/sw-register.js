// Offline use: registers the site's service worker (sw.js at the site root, written by the build).
// After one visit every page and the self-assessment (Pyodide and wheels included) work without
// network. A new build gives a new sw.js; the browser installs it in the background and this
// script then offers a reload, so nobody keeps an old copy. Nothing happens where service workers
// are unavailable: over file://, or plain http:// other than localhost (see README: hosting).
//
// Registered only once the page has what it came for: after the window's load event, two seconds
// after Python if the page is starting it (ready or failed), and when the browser is idle. Installing
// sw.js downloads the whole site (about 20 MB, 4 files at a time) and checks every file's hash:
// begun at once on a first visit to the 自评 page, it took the cores and the link from Python's
// start (benchmarks/bench_selfcheck_page.py's page with the service worker allowed, desktop cold,
// first score 1.48 s -> 2.11 s). A page that starts Python later, after its load event, does not
// hold the offline copy back.
"use strict";
(function () {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const root = new URL("../../", document.currentScript.src).href;
  const CHECK_EVERY_MS = 15 * 60 * 1000;
  const PYTHON_WAIT_MS = 60 * 1000;
  const AFTER_PYTHON_MS = 2000;
  let lastCheck = Date.now();
  const hadController = Boolean(navigator.serviceWorker.controller);

  function offerReload() {
    if (document.querySelector(".sc-update")) return;
    const bar = document.createElement("div");
    bar.className = "sc-update";
    bar.setAttribute("role", "status");
    bar.textContent = "本站内容已更新。";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "刷新查看新版本";
    button.addEventListener("click", () => location.reload());
    bar.appendChild(button);
    document.body.appendChild(bar);
  }

  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // The first install takes control silently; only a replaced version is news to the reader.
    if (hadController) offerReload();
  });

  function register() {
    navigator.serviceWorker
      .register(root + "sw.js", { scope: root, updateViaCache: "none" })
      .then((registration) => {
        // Material's instant navigation loads pages without a full reload, which is when browsers
        // look for a new sw.js: look now and then as the reader moves between pages.
        if (window.document$) {
          window.document$.subscribe(() => {
            if (Date.now() - lastCheck < CHECK_EVERY_MS) return;
            lastCheck = Date.now();
            registration.update().catch(() => {});
          });
        }
      })
      .catch((e) => console.warn("离线功能未启用：", e && e.message ? e.message : e));
  }

  const whenIdle = (fn) =>
    window.requestIdleCallback ? requestIdleCallback(fn, { timeout: 3000 }) : setTimeout(fn, 500);

  let registered = false;
  const registerOnce = () => {
    if (!registered) {
      registered = true;
      whenIdle(register);
    }
  };

  function afterPython() {
    const py = window.SC && window.SC.py;
    // "idle": this page has not started Python (ready() would start it: not called then).
    if (!py || py.state.stage === "idle") {
      registerOnce();
      return;
    }
    // Not at once: the page's first use of Python (the 自评 page's first score and its drawing,
    // 50-200 ms) comes right after; the offline copy, minutes of background work, can wait.
    const soon = () => setTimeout(registerOnce, AFTER_PYTHON_MS);
    py.ready().then(soon, soon);
    setTimeout(registerOnce, PYTHON_WAIT_MS); // a start that never ends must not cost the offline copy
  }

  if (document.readyState === "complete") afterPython();
  else window.addEventListener("load", afterPython, { once: true });
})();
