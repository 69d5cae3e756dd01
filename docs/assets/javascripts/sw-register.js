// Offline use: registers the site's service worker (sw.js at the site root, written by the build).
// After one visit every page and the self-assessment (Pyodide and wheels included) work without
// network. A new build gives a new sw.js; the browser installs it in the background and this
// script then offers a reload, so nobody keeps an old copy. Nothing happens where service workers
// are unavailable: over file://, or plain http:// other than localhost (see README: hosting).
"use strict";
(function () {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const root = new URL("../../", document.currentScript.src).href;
  const CHECK_EVERY_MS = 15 * 60 * 1000;
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
})();
