// Loaded on every page (extra_javascript). Shows the open community's name on every page, and —
// until core.js (window.SC.scan) mounts `data-sc-feature` elements — mounts the dossier features.
"use strict";
(function () {
  const script = document.currentScript;
  const root = new URL("../../../", script ? script.src : location.href).href;
  const version = (script && new URL(script.src).search) || "";
  const mounted = new WeakSet();

  function badge() {
    import(root + "assets/javascripts/dossier/badge.js" + version).then((m) => m.show(root)).catch(() => { /* the name is a convenience */ });
  }

  function evidenceOnSelfcheck() {
    if (!document.getElementById("sc-selfcheck")) return;
    import(root + "assets/javascripts/dossier/selfcheck-evidence.js" + version).then((m) => m.annotate(root)).catch(() => { /* ticks by hand still work */ });
  }

  function scan() {
    badge();
    evidenceOnSelfcheck();
    if (window.SC && window.SC.scan) return; // core.js mounts the features
    document.querySelectorAll('[data-sc-feature^="dossier/"]').forEach((el) => {
      if (mounted.has(el)) return;
      mounted.add(el);
      const name = el.dataset.scFeature;
      if (!/^dossier\/[a-z0-9-]+$/.test(name)) return;
      const controller = new AbortController();
      let data = null;
      try { if (el.dataset.scData) data = JSON.parse(el.dataset.scData); } catch (e) { /* none */ }
      import(root + "assets/javascripts/" + name + ".js" + version)
        .then((m) => m.mount(el, { root, data, signal: controller.signal }))
        .then(() => { el.dataset.scMounted = "1"; })
        .catch((e) => {
          console.error(e);
          el.dataset.scMounted = "error";
          el.prepend(Object.assign(document.createElement("p"), { className: "sc-dossier-error", role: "alert", textContent: "本页的工具没有启动：浏览器版本可能过旧，或网站文件不完整。请用新版浏览器打开，或刷新页面重试。" }));
        });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    scan();
    if (window.document$) window.document$.subscribe(() => scan());
  });
})();
