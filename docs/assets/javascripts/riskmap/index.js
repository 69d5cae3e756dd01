// 风险一张图 (item 4.1): staff draw their community's risk map on a base picture, in the browser.
// This file only wires the parts together and mounts them with the core (core.js):
//   model.js        the map document and the edits made to it (pure)
//   history.js      undo/redo steps as snapshots (pure)
//   labels.js       where each name label goes, avoiding the others (pure)
//   session.js      the document, selection and tool in hand, and the history around them
//   drawing.js      the SVG map in layers: base, elements, labels, editing handles
//   symbols.js      how each element type looks (shapes, patterns, arrows, icons)
//   legend.js       the title block and legend under the map
//   svg.js          SVG primitives and point symbol outlines
//   panel.js        the controls around the map and the element list
//   commands.js     the edits (add, move, delete, vertices, labels, undo/redo), one step each
//   editor.js       the events that call them: pointer, keys, tool and undo/redo buttons, fields
//   picture.js      loading and removing the base picture
//   exchange.js     JSON/SVG/PNG/XLSX export, JSON import, print, clear
//   persistence.js  autosave (document in localStorage, picture in IndexedDB) and restore
//   files.js        reading chosen files
// Element types come from data/risk_map.yaml, embedded in the page (data-types on the root).
import { createSession } from "./session.js";
import { mapSize } from "./model.js";
import { drawMap, focusOnMap } from "./drawing.js";
import { renderPanels, drawToolIcons } from "./panel.js";
import { attachEditor } from "./editor.js";
import { attachPicture } from "./picture.js";
import { attachExchange } from "./exchange.js";
import { saveDoc, storeImage, restoreDoc } from "./persistence.js";

const SC = window.SC;

export function mount(root, ctx) {
  const config = JSON.parse(root.dataset.types);
  const $ = (id) => document.getElementById(id);
  const svg = $("sc-rm-svg");
  const statusEl = $("sc-rm-status");
  const alertEl = $("sc-rm-alert");
  const byId = {}; // not Object.fromEntries: ES2019, missing on the iOS 12 phones core.js names
  for (const t of config.types) byId[t.id] = t;
  let placed = new Map();

  const say = (message) => { statusEl.textContent = message; };
  const warn = (message) => { alertEl.textContent = message || ""; alertEl.hidden = !message; };

  function save() {
    if (saveDoc(session.state.doc)) {
      const time = new Date().toLocaleTimeString("zh-CN", { hour12: false });
      $("sc-rm-saved").textContent = `已自动保存在本浏览器（${time}）。换电脑或交给别人时，请导出 JSON。撤销记录只保留到刷新或关闭页面。`;
      return true;
    }
    warn("自动保存失败：浏览器存储空间已满或被禁止，上次保存的图仍在。请马上“导出 JSON”保存一份，以免丢失。");
    return false;
  }

  const view = () => ({ ...session.state, types: config.types, byId, config,
    pxPerUnit: svg.clientWidth / mapSize(session.state.doc).width || 0 });
  const drawOnly = () => { placed = drawMap(svg, view()); };
  function render(focus) {
    drawOnly();
    renderPanels(app);
    focusOnMap(svg, focus);
  }

  const session = createSession({
    day: SC.fmt.isoDay(),
    redraw: render,
    save,
    storeImage: (href) => app.storeImage(href),
  });

  const app = {
    root, svg, $, config, types: config.types, byId, alertEl, session, state: session.state,
    say, warn, render, drawOnly, save,
    renderPanels: () => renderPanels(app),
    labels: () => placed,
    async storeImage(href) {
      const kept = await storeImage(href);
      if (!kept) warn("底图太大，浏览器没能保存它：关闭或刷新页面后需要重新加载底图（标注会保留）。请“导出 JSON”保存完整的一份。");
      return kept;
    },
  };

  attachEditor(app, ctx);
  attachPicture(app);
  attachExchange(app, ctx);
  drawToolIcons(app);
  render();
  restoreDoc(byId, SC.fmt.isoDay()).then(({ doc, warning }) => {
    if (doc) session.reset(doc);
    if (warning) warn(warning);
    render();
    say(doc ? `已恢复上次的图（${doc.elements.length} 个要素）。` : "可以开始画了：先加载底图，再添加要素。");
    root.dataset.state = "ready";
  });
}
