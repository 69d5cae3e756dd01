// Offline use: registers the site's service worker (sw.js at the site root, written by the build).
// After one visit every page and the self-assessment (Pyodide and wheels included) work without
// network. A new build gives a new sw.js; the browser installs it in the background and this
// script then offers a reload, so nobody keeps an old copy. Nothing happens where service workers
// are unavailable: over file://, or plain http:// other than localhost (see README: hosting).
//
// Kept out of Python's way: installing sw.js downloads the whole site (about 20 MB, 4 files at a
// time) and checks every file's hash. Begun at once on a first visit to the 自评 page, it took the
// cores and the link from Python's start (benchmarks/bench_selfcheck_page.py's page with the
// service worker allowed, desktop cold, first score 1.48 s -> 2.11 s). So it is registered only
// after the window's load event, when the browser is idle, and not while a Python start is under
// way on this page. And whenever a page starts Python (at load, or later: a page reached by instant
// navigation, or a button), an install already downloading (the first one, or a new build's) is
// asked to hold its downloads until two seconds after Python is ready or has failed (sw.js: "hold",
// "resume"; the worker ends a hold by itself after a minute).
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

  // Registered once the window has loaded, when no Python start is under way on this page
  // (`starting`: those not yet settled, plus AFTER_PYTHON_MS), and the browser is idle.
  let loaded = false;
  let starting = 0;
  let registered = false;
  function registerWhenDue() {
    if (registered || !loaded || starting) return;
    registered = true;
    whenIdle(register);
  }

  // Tells an install under way (the registration's `installing` worker) to hold or resume.
  const HOLD = { type: "hold", ms: PYTHON_WAIT_MS };
  const RESUME = { type: "resume" };
  function tellInstall(registration, message) {
    if (registration && registration.installing) registration.installing.postMessage(message);
  }

  // Holds an install under way, and one that begins while Python is still starting (the browser
  // looks for a new sw.js when a page loads) as soon as it begins.
  let watched = null;
  function holdInstall() {
    navigator.serviceWorker
      .getRegistration(root)
      .then((registration) => {
        tellInstall(registration, HOLD);
        if (!registration || watched === registration) return;
        watched = registration;
        registration.addEventListener("updatefound", () => {
          if (starting) tellInstall(registration, HOLD);
        });
      })
      .catch(() => {});
  }

  function resumeInstall() {
    navigator.serviceWorker
      .getRegistration(root)
      .then((registration) => tellInstall(registration, RESUME))
      .catch(() => {});
  }

  // `ready`: settles when that Python is ready or has failed.
  function pythonStarting(ready) {
    starting += 1;
    holdInstall();
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      // Not at once: the page's first use of Python (the 自评 page's first score and its drawing,
      // 50-200 ms) comes right after; the offline copy, minutes of background work, can wait.
      setTimeout(() => {
        starting -= 1;
        if (starting) return;
        resumeInstall();
        registerWhenDue();
      }, AFTER_PYTHON_MS);
    };
    Promise.resolve(ready).then(settle, settle);
    setTimeout(settle, PYTHON_WAIT_MS); // a start that never ends must not cost the offline copy
  }

  // py-client.js and the dossier's worker (dossier/py.js) say when this page starts a Python, with
  // the promise of its start. One started before this script ran (the 自评 page starts it from
  // <head>) is under way already, or done.
  window.addEventListener("sc:python-start", (event) => pythonStarting(event.detail && event.detail.ready));
  const py = window.SC && window.SC.py;
  if (py && py.state.stage !== "idle") pythonStarting(py.ready());

  const onLoad = () => {
    loaded = true;
    registerWhenDue();
  };
  if (document.readyState === "complete") onLoad();
  else window.addEventListener("load", onLoad, { once: true });
})();
