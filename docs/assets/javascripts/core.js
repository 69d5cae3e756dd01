// SC core: the one script every page loads. It mounts page features and holds the few helpers
// they share. Loaded in <head> (overrides/main.html), before Material's bundle.
//
// HOW A FEATURE REGISTERS
//   1. The page declares it on an element:   <div data-sc-feature="selfcheck"> … </div>
//      Optional page data, as JSON in an attribute (never a <script type="application/json">
//      block: Material's instant navigation re-runs every <script> in the new page as JS):
//                                             <div data-sc-feature="checklist" data-sc-data='{"a":1}'>
//   2. The core imports the feature's ES module, once per tab:
//        "selfcheck"         → assets/javascripts/selfcheck/index.js
//        "dossier/workspace" → assets/javascripts/dossier/workspace.js
//   3. The module exports   mount(element, ctx)   and may return a cleanup function.
//      ctx.signal  an AbortSignal, aborted on unmount: pass it to every addEventListener on
//                  window/document (`{signal: ctx.signal}`) or use ctx.on(target, type, fn).
//      ctx.data    the parsed data-sc-data attribute (or null).
//      ctx.root    the site root URL ("http://host/base/").
//   4. On every page change (Material's `document$`, fired however the page was reached) the core
//      unmounts features whose element left the page and mounts the new ones. The element gets
//      data-sc-mounted="1" once mount() has returned (tests and the benchmark wait for it). A file
//      input of the feature that already holds a file (chosen before the module arrived) then
//      gets its `change` event, as if the file had just been chosen.
//
// SHARED HELPERS (window.SC): SC.h (DOM), SC.store (storage, one failure policy), SC.fmt
// (numbers, dates), SC.download, SC.safeFileName, SC.notice (a message bar), SC.py / SC.engine
// (the Python worker, see py-client.js).
//
// DIALECT: ES2018 everywhere (async/await, object spread, classes, ES modules through import()).
// No optional chaining or `??`: iOS 12 Safari and Chrome 64-era Android WebViews, still in
// residents' hands, run ES2018 and modules but not ES2020 syntax. The Python tools need module
// workers (Pyodide), which such phones lack; they say so instead of failing silently.
"use strict";
(function () {
  const SC = (window.SC = window.SC || {});
  const script = document.currentScript;
  SC.root = SC.root || new URL("../../", script ? script.src : location.href).href;
  // Same version string as the build's asset URLs, so a new build never runs an old module.
  SC.assetVersion = (script && new URL(script.src).search) || "";

  // ---- DOM ----------------------------------------------------------------------------------
  // SC.h("p", {class: "x", "aria-live": "polite", onclick: fn}, "text", child, [more]) → element
  SC.h = function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else if (k in node && typeof v !== "string") node[k] = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  };

  // ---- messages -----------------------------------------------------------------------------
  // One bar at the bottom of the page for problems that are not one field's (storage full).
  SC.notice = function notice(text) {
    let bar = document.getElementById("sc-notice");
    if (!bar) {
      bar = SC.h("div", { id: "sc-notice", class: "sc-notice", role: "alert" });
      const close = SC.h("button", { type: "button", class: "sc-notice-close", "aria-label": "关闭提示" }, "×");
      close.addEventListener("click", () => bar.remove());
      bar.append(SC.h("p", { class: "sc-notice-text" }), close);
      document.body.append(bar);
    }
    bar.querySelector(".sc-notice-text").textContent = text;
    return bar;
  };

  // ---- storage ------------------------------------------------------------------------------
  // One policy: reading never throws (a broken value is kept aside under "<key>-broken" and the
  // fallback is returned); a failed write (storage full, or blocked by private mode or policy)
  // returns false and shows one clear Chinese message. localStorage.setItem either stores the
  // new value or throws and leaves the old one, so what was saved before is never lost.
  const STORAGE_FULL = "浏览器的本地存储已满或被禁止，刚才的修改没有保存（以前保存的内容仍在）。" +
    "请先用本页的“导出”按钮把内容存成文件，再清理浏览器数据或关闭“无痕/隐私”模式后重试。";
  SC.store = {
    get(key, fallback) {
      let raw;
      try { raw = localStorage.getItem(key); } catch (e) { return fallback; }
      if (raw === null) return fallback;
      try { return JSON.parse(raw); } catch (e) {
        try { localStorage.setItem(key + "-broken", raw); } catch (e2) { /* kept in place anyway */ }
        return fallback;
      }
    },
    set(key, value) {
      try {
        localStorage.setItem(key, JSON.stringify(value));
        return true;
      } catch (e) {
        SC.notice(STORAGE_FULL);
        return false;
      }
    },
    remove(key) {
      try { localStorage.removeItem(key); } catch (e) { /* nothing stored, nothing to lose */ }
    },
    FULL_MESSAGE: STORAGE_FULL,
  };

  // ---- formatting ---------------------------------------------------------------------------
  SC.fmt = {
    // 1 decimal at most, "—" for no value (the engine's own rounding is already applied).
    number(n, digits) {
      if (n === null || n === undefined || !Number.isFinite(Number(n))) return "—";
      const f = Math.pow(10, digits === undefined ? 1 : digits);
      return String(Math.round(Number(n) * f) / f);
    },
    date(d) { return new Date(d).toLocaleDateString("zh-CN"); },
    dateTime(d) { return new Date(d).toLocaleString("zh-CN"); },
    time(d) { return new Date(d).toLocaleTimeString("zh-CN"); },
    // YYYY-MM-DD in the reader's own time zone (toISOString would give UTC's day).
    isoDay(d) {
      const x = d ? new Date(d) : new Date();
      const pad = (n) => String(n).padStart(2, "0");
      return `${x.getFullYear()}-${pad(x.getMonth() + 1)}-${pad(x.getDate())}`;
    },
  };

  // ---- files --------------------------------------------------------------------------------
  // Characters Windows, macOS and phones refuse or mangle in a file name, and runs of spaces.
  SC.safeFileName = function safeFileName(name, fallback) {
    const clean = String(name || "").replace(/[\\/:*?"<>|\s\p{Cc}]+/gu, "_")
      .replace(/^[._]+|[._]+$/g, "").slice(0, 80);
    return clean || fallback || "文件";
  };

  // A chosen file's bytes, undecoded: Python names a GBK, UTF-16 or cut-off file as the CLI does.
  SC.fileBytes = async function fileBytes(file) {
    return new Uint8Array(await file.arrayBuffer());
  };

  SC.download = function download(data, name, type) {
    const blob = data instanceof Blob ? data : new Blob([data], { type: type || "application/octet-stream" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    // Revoked later: some browsers read the object URL after click() has returned.
    setTimeout(() => URL.revokeObjectURL(a.href), 30000);
  };

  // ---- the search index, fetched when the reader first goes to search -----------------------
  // Material fetches search/search_index.json (about 64 KB compressed, a third of a resident
  // page's transfer) on every full page load, whether or not anyone searches. Its bundle has no
  // hook for that, so its request for that one URL is held until the first sign of searching (the
  // search box focused or its button or shortcut pressed); then it goes out as usual. Nothing
  // else is touched, and without a search form on the page nothing is held.
  (function deferSearchIndex() {
    const XHR = window.XMLHttpRequest;
    if (!XHR) return;
    let release = null;
    const wanted = new Promise((resolve) => { release = resolve; });
    const go = () => { if (release) { release(); release = null; } };
    const isIndex = (url) => /\/search\/search_index\.json$/.test(String(url).split("?")[0]);
    const open = XHR.prototype.open;
    const send = XHR.prototype.send;
    // Material requests it with XMLHttpRequest (its `request` helper).
    XHR.prototype.open = function (method, url) {
      this.scHeld = isIndex(url);
      return open.apply(this, arguments);
    };
    XHR.prototype.send = function (body) {
      if (!this.scHeld) return send.call(this, body);
      wanted.then(() => send.call(this, body));
    };
    document.addEventListener("focusin", (e) => {
      if (e.target.closest && e.target.closest("[data-md-component=search], .md-search")) go();
    });
    document.addEventListener("click", (e) => {
      if (e.target.closest && e.target.closest("[for=__search], .md-search")) go();
    });
    document.addEventListener("change", (e) => { if (e.target.id === "__search") go(); });
    document.addEventListener("keydown", (e) => {
      // Material's own shortcuts for search: f, s and /.
      if (["f", "s", "/"].includes(e.key) && !(e.target.closest && e.target.closest("input, textarea, select, [contenteditable]"))) go();
    });
    // A page opened from a search result (?h=…) or with the search box already open needs it now.
    if (/[?&]h=/.test(location.search) || location.hash === "#__search") go();
    SC.loadSearchIndex = go;
  })();

  // ---- features -----------------------------------------------------------------------------
  const NAME = /^[a-z0-9-]+(\/[a-z0-9-]+)?$/;
  const modules = new Map(); // name → Promise<module>
  const mounted = new Map(); // element → {name, controller, cleanup}

  function moduleUrl(name) {
    const path = name.includes("/") ? name + ".js" : name + "/index.js";
    return SC.root + "assets/javascripts/" + path + SC.assetVersion;
  }

  // A feature's module; the mark "sc:feature-loaded:<name>" says when it had run (tests).
  function load(name) {
    if (!modules.has(name)) {
      modules.set(name, import(moduleUrl(name)).then((mod) => {
        if (window.performance && performance.mark) performance.mark("sc:feature-loaded:" + name);
        return mod;
      }));
    }
    return modules.get(name);
  }

  function failed(el, name, error) {
    console.error(`功能 ${name} 没有启动`, error);
    const text = location.protocol === "file:"
      ? "本页的工具需要通过网站地址（http:// 或 https://）打开，不能直接双击本地文件打开。请按 README 的说明启动网站。"
      : "本页的工具没有启动：浏览器版本可能过旧，或网站文件不完整。请用新版浏览器打开，或刷新页面重试。";
    el.dataset.scMounted = "error";
    // A feature may name where its status goes (data-sc-status); otherwise the message leads.
    const slot = el.querySelector("[data-sc-status]");
    if (slot) slot.textContent = text;
    else el.prepend(SC.h("p", { class: "sc-message sc-message--error sc-feature-error", role: "alert" }, text));
  }

  async function mountOne(el) {
    const name = el.dataset.scFeature;
    const controller = new AbortController();
    const entry = { name, controller, cleanup: null };
    mounted.set(el, entry);
    if (!NAME.test(name)) return failed(el, name, new Error("bad feature name"));
    let data = null;
    try {
      if (el.dataset.scData) data = JSON.parse(el.dataset.scData);
      const mod = await load(name);
      if (controller.signal.aborted) return;
      const ctx = {
        signal: controller.signal,
        data,
        root: SC.root,
        on(target, type, fn, options) {
          target.addEventListener(type, fn, Object.assign({}, options, { signal: controller.signal }));
        },
      };
      entry.cleanup = await mod.mount(el, ctx);
      // A file chosen while the module was still loading (a slow network or phone): its change
      // event went by before the feature listened, but the input holds it. Tell the feature now.
      el.querySelectorAll("input[type=file]").forEach((input) => {
        if (input.files && input.files.length) input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      el.dataset.scMounted = "1";
    } catch (error) {
      failed(el, name, error);
    }
  }

  function unmountOne(el) {
    const entry = mounted.get(el);
    mounted.delete(el);
    entry.controller.abort();
    if (typeof entry.cleanup === "function") {
      try { entry.cleanup(); } catch (e) { console.error(e); }
    }
  }

  // Unmount what left the page, mount what is new. Safe to call any number of times.
  SC.scan = function scan() {
    for (const el of [...mounted.keys()]) if (!el.isConnected) unmountOne(el);
    document.querySelectorAll("[data-sc-feature]").forEach((el) => {
      if (!mounted.has(el)) mountOne(el);
    });
  };
  SC.mountedCount = () => mounted.size;

  // A page's own feature module, started while the page is still being parsed (overrides/main.html
  // does so for the feature its front matter names), so that it has run by the time the page's
  // content is parsed: overrides/main.html calls scan() right there, and the feature mounts before
  // the footer and Material's bundle are parsed (at DOMContentLoaded if the module comes later).
  // Left to scan() at DOMContentLoaded, the import settled only after the browser had drawn several
  // frames: phone profile, return visit, the form mounted at about 1.3-1.5 s, after
  // DOMContentLoaded at about 1.0 s. A failure is reported by the mount, which awaits the same import.
  SC.preloadFeature = (name) => {
    if (NAME.test(name)) load(name).catch(() => {});
  };

  // Material's `document$` fires on the first load and after every instant navigation. It is
  // defined by Material's bundle at the end of <body>; over file:// it may never fire, so the
  // first load is also caught by DOMContentLoaded (scan() is idempotent).
  document.addEventListener("DOMContentLoaded", () => {
    SC.scan();
    if (window.document$) window.document$.subscribe(() => SC.scan());
  });
})();
