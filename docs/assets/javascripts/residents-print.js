// Print buttons: `data-rs-print` prints the page; `data-rs-print="<id>"` prints only that element
// (a 科普 article), by marking <html> and the target for the print stylesheet.
(function () {
  "use strict";
  function clear() {
    document.documentElement.classList.remove("rs-print-one");
    document.querySelectorAll(".rs-print-target").forEach(function (el) { el.classList.remove("rs-print-target"); });
  }
  window.addEventListener("afterprint", clear);

  function start() {
    document.querySelectorAll("[data-rs-print]").forEach(function (button) {
      if (button.dataset.rsReady) return;
      button.dataset.rsReady = "1";
      button.addEventListener("click", function () {
        clear();
        var id = button.getAttribute("data-rs-print");
        var target = id && document.getElementById(id);
        if (target) {
          document.documentElement.classList.add("rs-print-one");
          target.classList.add("rs-print-target");
        }
        window.print();
      });
    });
  }

  if (window.document$) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
