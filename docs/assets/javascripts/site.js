// Site-wide behaviour. Material's instant navigation runs this file once per full load, so every
// page feature subscribes to `document$`, which fires on every page, however it was reached.

// Large-text mode (大字模式): a class on <html>, kept in localStorage. overrides/main.html sets the
// class in <head> before the first paint; this adds the header button and keeps it in step.
(function () {
  "use strict";
  var KEY = "sc-large-text";
  var root = document.documentElement;

  function isOn() { return root.classList.contains("sc-large"); }

  function set(on) {
    root.classList.toggle("sc-large", on);
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
    sync();
  }

  function sync() {
    var button = document.getElementById("sc-large-toggle");
    if (!button) return;
    button.setAttribute("aria-pressed", isOn() ? "true" : "false");
    button.querySelector(".sc-large-state").textContent = isOn() ? "开" : "关";
    button.title = isOn() ? "大字模式已打开，点一下恢复正常字号" : "点一下把全站的字放大";
  }

  function ensureButton() {
    if (document.getElementById("sc-large-toggle")) return sync();
    var header = document.querySelector(".md-header__inner");
    if (!header) return;
    var button = document.createElement("button");
    button.type = "button";
    button.id = "sc-large-toggle";
    button.className = "sc-large-toggle";
    button.innerHTML = '<span aria-hidden="true">A+</span> 大字<span class="sc-large-sep">：</span><span class="sc-large-state"></span>';
    button.addEventListener("click", function () { set(!isOn()); });
    // Before the search box, so Tab reaches it early; the header survives instant navigation.
    var search = header.querySelector(".md-search") || header.querySelector("[for='__search']");
    header.insertBefore(button, search || null);
    sync();
  }

  // Another tab changed the setting.
  window.addEventListener("storage", function (e) {
    if (e.key === KEY) { root.classList.toggle("sc-large", e.newValue === "1"); sync(); }
  });

  if (window.document$) window.document$.subscribe(ensureButton);
  else document.addEventListener("DOMContentLoaded", ensureButton);
})();

// Print buttons on any page: `data-rs-print` prints the page; `data-rs-print="<id>"` prints only
// that element (a 科普 article), by marking <html> and the target for the print stylesheet.
// One delegated listener for the whole tab, so nothing is added per page.
(function () {
  "use strict";
  function clear() {
    document.documentElement.classList.remove("rs-print-one");
    document.querySelectorAll(".rs-print-target").forEach(function (el) { el.classList.remove("rs-print-target"); });
  }
  window.addEventListener("afterprint", clear);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-rs-print]");
    if (!button) return;
    clear();
    var id = button.getAttribute("data-rs-print");
    var target = id && document.getElementById(id);
    if (target) {
      document.documentElement.classList.add("rs-print-one");
      target.classList.add("rs-print-target");
    }
    window.print();
  });
})();

// Accessibility fixes to Material's own markup, page by page (document$ fires after every swap):
// - a section's expand control (<label>, with navigation.indexes) holds only an icon, so the
//   section's <nav>, labelled by it, had no name and every such nav was the same landmark:
//   the control gets the section's title as its name;
// - a wide table scrolls sideways inside Material's wrapper; keyboard users must be able to
//   reach it to scroll it, so a table that overflows gets into the Tab order.
(function () {
  "use strict";
  function nameSections() {
    document.querySelectorAll(".md-nav__container > label[id]").forEach(function (label) {
      if (label.textContent.trim() || label.hasAttribute("aria-label")) return;
      var link = label.parentElement.querySelector("a");
      var title = link ? link.textContent.trim() : "";
      if (title) label.setAttribute("aria-label", title);
    });
  }
  function reachableTables() {
    document.querySelectorAll(".md-typeset__table > table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) table.setAttribute("tabindex", "0");
      else table.removeAttribute("tabindex");
    });
  }
  function run() { nameSections(); reachableTables(); }
  var pending = 0;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(reachableTables, 200);
  });
  run();
  if (window.document$) window.document$.subscribe(run);
  else document.addEventListener("DOMContentLoaded", run);
})();
