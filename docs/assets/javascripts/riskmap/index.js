// 风险一张图 (item 4.1): staff draw their community's risk map on a base picture, in the browser.
//
// The map is one SVG in image coordinates: base picture, overlay elements, and a band with the
// title block and legend. Everything is drawn with presentation attributes (not page CSS) so the
// exported SVG and PNG look the same as the screen. Element types come from data/risk_map.yaml,
// embedded in the page (data-types on the root). State is saved on every change: the document in localStorage, the base
// picture in IndexedDB (it is usually too big for localStorage). Checking an imported file and
// writing the XLSX 台账 are done by Python (the riskmap package, through SC.engine) in the worker.
// Modules: persistence.js (saving), svg.js (drawing primitives), files.js (reading files); the
// stateful part (drawing the map, editing, import/export) is still one closure below.
import { saveDoc, storeImage as keepImage, loadSaved } from "./persistence.js";
import { SVG_NS, XLINK_NS, el, text, r1, pointPath } from "./svg.js";
import { readAs, loadImage } from "./files.js";

const SC = window.SC;
const BLANK = { width: 1414, height: 1000 }; // an empty A-paper sheet, landscape
const PAPER = { A4: [1754, 1240], A3: [2480, 1754] }; // landscape at 150 dpi
const MAX_SIDE = 4000; // larger pictures are scaled down so saving and exporting stay quick
const BIG_FILE = 6 * 1024 * 1024;
const FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',sans-serif";
const GEOMETRY_WORD = { point: "点", polygon: "区域", line: "路线" };
const MIN_POINTS = { point: 1, polygon: 3, line: 2 };

const today = () => SC.fmt.isoDay();
const fileSafe = (s) => SC.safeFileName(s, "未命名").slice(0, 40);
function download(blob, name) {
  SC.download(blob, name);
}

export function mount(root, ctx) {
  const config = JSON.parse(root.dataset.types);
  const types = config.types;
  const byId = Object.fromEntries(types.map((t) => [t.id, t]));
  const $ = (id) => document.getElementById(id);
  const svg = $("sc-rm-svg");
  const statusEl = $("sc-rm-status");
  const alertEl = $("sc-rm-alert");

  let doc = emptyDoc();
  let selected = null; // element id
  let tool = ""; // type id being added, "" = select and move
  let draft = []; // points of a polygon or route being added
  let drag = null;
  let suppressClick = false;
  let seq = 0;

  function emptyDoc() {
    return { format: "sc-riskmap", version: 1, meta: { community: "", date: today(), author: "" }, image: null, elements: [] };
  }
  const size = () => (doc.image ? { width: doc.image.width, height: doc.image.height } : BLANK);
  const unit = () => Math.max(size().width, size().height) / 1000;
  const find = (id) => doc.elements.find((e) => e.id === id);
  const nextId = () => {
    for (const e of doc.elements) { const m = /^e(\d+)$/.exec(e.id); if (m) seq = Math.max(seq, +m[1]); }
    return "e" + ++seq;
  };

  function say(message) { statusEl.textContent = message; }
  function warn(message) {
    alertEl.textContent = message || "";
    alertEl.hidden = !message;
  }

  // ---- saving ------------------------------------------------------------------------------
  function save() {
    if (saveDoc(doc)) {
      const t = new Date();
      $("sc-rm-saved").textContent = `已自动保存在本浏览器（${t.toLocaleTimeString("zh-CN", { hour12: false })}）。换电脑或交给别人时，请导出 JSON。`;
      return true;
    }
    warn("自动保存失败：浏览器存储空间已满或被禁止，上次保存的图仍在。请马上“导出 JSON”保存一份，以免丢失。");
    return false;
  }

  async function storeImage(href) {
    const kept = await keepImage(href);
    if (!kept) warn("底图太大，浏览器没能保存它：关闭或刷新页面后需要重新加载底图（标注会保留）。请“导出 JSON”保存完整的一份。");
    return kept;
  }

  async function restore() {
    // A damaged copy is set aside by SC.store (under "<key>-broken") and the page starts empty.
    const { stored, href } = await loadSaved();
    if (!stored) return false;
    const elements = stored.elements.filter((e) => e && byId[e.type] && Array.isArray(e.points));
    doc = { ...emptyDoc(), meta: { ...emptyDoc().meta, ...(stored.meta || {}) }, elements };
    if (stored.image) {
      if (href) doc.image = { href, width: stored.image.width, height: stored.image.height };
      else {
        // Keep the elements where they were on the picture's grid.
        doc.image = null;
        rescale(stored.image, BLANK);
        warn("上次的底图没有保存下来，请重新加载底图（标注都还在）。");
      }
    }
    return true;
  }

  function rescale(from, to) {
    if (from.width === to.width && from.height === to.height) return;
    const fx = to.width / from.width, fy = to.height / from.height;
    doc.elements.forEach((e) => { e.points = e.points.map(([x, y]) => [r1(x * fx), r1(y * fy)]); });
  }

  // ---- drawing -----------------------------------------------------------------------------
  function defs() {
    const d = el("defs");
    const u = unit();
    for (const t of types) {
      if (t.geometry === "polygon") {
        const step = r1(12 * u);
        const p = el("pattern", { id: `sc-rm-fill-${t.id}`, patternUnits: "userSpaceOnUse", width: step, height: step,
          patternTransform: t.symbol === "hatch" ? "rotate(45)" : null }, d);
        el("rect", { width: step, height: step, fill: t.color, "fill-opacity": 0.12 }, p);
        if (t.symbol === "hatch") el("line", { x1: 0, y1: 0, x2: 0, y2: step, stroke: t.color, "stroke-width": r1(2.5 * u) }, p);
        else el("circle", { cx: step / 2, cy: step / 2, r: r1(2.2 * u), fill: t.color }, p);
      } else if (t.geometry === "line") {
        const m = el("marker", { id: `sc-rm-arrow-${t.id}`, viewBox: "0 0 10 10", refX: 5, refY: 5,
          markerWidth: 3.2, markerHeight: 3.2, orient: "auto" }, d);
        el("path", { d: "M0,0 L10,5 L0,10 Z", fill: t.color, stroke: "#fff", "stroke-width": 0.8 }, m);
      }
    }
    return d;
  }

  // One element's drawing; `pts` in map coordinates. Used on the map and in the legend.
  function shape(t, pts, parent, { r, label, hit } = {}) {
    const u = unit();
    const g = el("g", {}, parent);
    if (t.geometry === "point") {
      const [x, y] = pts[0];
      const inner = el("g", { transform: `translate(${r1(x)},${r1(y)})` }, g);
      if (hit) el("circle", { r: r1(r * 1.8), fill: "transparent", class: "sc-rm-hit" }, inner);
      el("path", { d: pointPath(t.symbol, r), fill: t.color, stroke: "#000", "stroke-width": r1(r * 0.12), "stroke-linejoin": "round" }, inner);
      if (t.symbol !== "cross") {
        text(inner, 0, t.symbol === "triangle" ? r1(r * 0.5) : r1(r * 0.36), t.mark[0], {
          "font-size": r1(r * 0.95), "font-weight": "bold", fill: "#fff", "text-anchor": "middle",
        });
      }
      if (label) {
        text(g, r1(x + r * 1.4), r1(y + r * 0.35), label, {
          "font-size": r1(r * 1.05), fill: "#111", stroke: "#fff", "stroke-width": r1(r * 0.3),
          "paint-order": "stroke", "stroke-linejoin": "round",
        });
      }
      return g;
    }
    const d = pts.map(([x, y], i) => `${i ? "L" : "M"}${r1(x)},${r1(y)}`).join(" ") + (t.geometry === "polygon" ? " Z" : "");
    if (t.geometry === "polygon") {
      el("path", { d, fill: `url(#sc-rm-fill-${t.id})`, stroke: t.color, "stroke-width": r1(3 * u),
        "stroke-dasharray": t.symbol === "dots" ? `${r1(10 * u)} ${r1(6 * u)}` : null, "stroke-linejoin": "round" }, g);
    } else {
      if (hit) el("path", { d, fill: "none", stroke: "transparent", "stroke-width": r1(22 * u), class: "sc-rm-hit" }, g);
      el("path", { d, fill: "none", stroke: "#fff", "stroke-width": r1(8 * u), "stroke-linejoin": "round", "stroke-linecap": "round" }, g);
      el("path", { d, fill: "none", stroke: t.color, "stroke-width": r1(4.5 * u), "stroke-linejoin": "round", "stroke-linecap": "round",
        "marker-mid": `url(#sc-rm-arrow-${t.id})`, "marker-end": `url(#sc-rm-arrow-${t.id})` }, g);
    }
    if (label) {
      const [x, y] = t.geometry === "polygon"
        ? [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length]
        : pts[Math.floor((pts.length - 1) / 2)];
      text(g, r1(x), r1(y - 8 * u), label, {
        "font-size": r1(17 * u), fill: "#111", stroke: "#fff", "stroke-width": r1(5 * u), "paint-order": "stroke",
        "stroke-linejoin": "round", "text-anchor": "middle",
      });
    }
    return g;
  }

  function drawLegend(parent, top) {
    const { width } = size();
    const u = unit();
    const pad = 16 * u;
    const colW = 270 * u;
    const rowH = 34 * u;
    const cols = Math.max(1, Math.floor((width - 2 * pad) / colW));
    const rows = Math.ceil(types.length / cols);
    const g = el("g", { class: "sc-rm-legend" }, parent);
    const height = pad * 2 + 36 * u + 26 * u + 28 * u + rows * rowH;
    el("rect", { x: 0, y: top, width, height, fill: "#fff", stroke: "#000", "stroke-width": r1(2 * u) }, g);
    const m = doc.meta;
    text(g, pad, r1(top + pad + 28 * u), `${m.community || "（社区名称未填写）"}${config.title}`, {
      "font-size": r1(28 * u), "font-weight": "bold", fill: "#000", class: "sc-rm-title",
    });
    text(g, pad, r1(top + pad + 58 * u), `绘制日期：${m.date || "未填写"}　绘制人：${m.author || "未填写"}　依据：${config.source}`, {
      "font-size": r1(14 * u), fill: "#000", class: "sc-rm-titleblock",
    });
    text(g, pad, r1(top + pad + 88 * u), "图例", { "font-size": r1(16 * u), "font-weight": "bold", fill: "#000" });
    types.forEach((t, i) => {
      const x = pad + (i % cols) * colW;
      const y = top + pad + 96 * u + Math.floor(i / cols) * rowH;
      const item = el("g", { class: "sc-rm-legend-item", "data-type": t.id }, g);
      const cy = y + rowH / 2;
      const sample = t.geometry === "point" ? [[x + 16 * u, cy]]
        : t.geometry === "polygon" ? [[x + 2 * u, y + 6 * u], [x + 34 * u, y + 6 * u], [x + 34 * u, y + rowH - 6 * u], [x + 2 * u, y + rowH - 6 * u]]
        : [[x + 2 * u, cy], [x + 20 * u, cy], [x + 38 * u, cy]];
      shape(t, sample, item, { r: 10 * u });
      text(item, r1(x + 46 * u), r1(cy + 6 * u), t.label, { "font-size": r1(16 * u), fill: "#000" });
    });
    return height;
  }

  function drawMap() {
    const { width, height } = size();
    const u = unit();
    const r = 18 * u;
    svg.textContent = "";
    svg.setAttribute("font-family", FONT);
    svg.appendChild(defs());
    const base = el("g", { class: "sc-rm-base" }, svg);
    if (doc.image) {
      const img = el("image", { x: 0, y: 0, width, height, preserveAspectRatio: "none" }, base);
      img.setAttribute("href", doc.image.href);
    } else {
      el("rect", { x: 0, y: 0, width, height, fill: "#fafafa" }, base);
      const grid = el("g", { stroke: "#ddd", "stroke-width": r1(u) }, base);
      for (let x = 100 * u; x < width; x += 100 * u) el("line", { x1: r1(x), y1: 0, x2: r1(x), y2: height }, grid);
      for (let y = 100 * u; y < height; y += 100 * u) el("line", { x1: 0, y1: r1(y), x2: width, y2: r1(y) }, grid);
      if (!doc.elements.length) {
        text(base, width / 2, height / 2, "请先加载底图（也可以直接在空白图上标注）", {
          "font-size": r1(30 * u), fill: "#777", "text-anchor": "middle", class: "sc-rm-ui",
        });
      }
    }
    el("rect", { x: 0, y: 0, width, height, fill: "none", stroke: "#000", "stroke-width": r1(2 * u) }, base);
    const overlay = el("g", { class: "sc-rm-overlay" }, svg);
    const order = { polygon: 0, line: 1, point: 2 };
    const sorted = doc.elements.slice().sort((a, b) => order[byId[a.type].geometry] - order[byId[b.type].geometry]);
    for (const e of sorted) {
      const t = byId[e.type];
      const g = shape(t, e.points, overlay, { r, label: e.name, hit: true });
      g.setAttribute("class", "sc-rm-el" + (e.id === selected ? " is-selected" : ""));
      g.setAttribute("data-id", e.id);
      g.setAttribute("data-type", e.type);
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", `${t.label}：${e.name || "未命名"}`);
    }
    const ui = el("g", { class: "sc-rm-ui" }, svg);
    const current = find(selected);
    if (current) {
      const t = byId[current.type];
      // Vertex handles follow their element in the DOM, so Tab goes from an area to its vertices.
      const handles = el("g", { class: "sc-rm-ui" });
      overlay.insertBefore(handles, overlay.querySelector(`.sc-rm-el[data-id="${current.id}"]`).nextSibling);
      if (t.geometry === "point") {
        const [x, y] = current.points[0];
        el("circle", { cx: x, cy: y, r: r1(r * 1.9), fill: "none", stroke: "#000", "stroke-width": r1(2 * u),
          "stroke-dasharray": `${r1(6 * u)} ${r1(4 * u)}`, class: "sc-rm-ring" }, ui);
      } else {
        current.points.forEach(([x, y], i) => {
          el("circle", { cx: x, cy: y, r: r1(9 * u), fill: "#fff", stroke: "#000", "stroke-width": r1(2.5 * u),
            class: "sc-rm-handle", tabindex: 0, role: "button", "data-id": current.id, "data-vertex": i,
            "aria-label": `${t.label}“${current.name || "未命名"}”的第 ${i + 1} 个${t.geometry === "line" ? "点" : "顶点"}` }, handles);
        });
      }
    }
    if (tool && draft.length) {
      const t = byId[tool];
      const d = draft.map(([x, y], i) => `${i ? "L" : "M"}${r1(x)},${r1(y)}`).join(" ");
      el("path", { d, fill: "none", stroke: t.color, "stroke-width": r1(3 * u), "stroke-dasharray": `${r1(8 * u)} ${r1(5 * u)}` }, ui);
      draft.forEach(([x, y]) => el("circle", { cx: x, cy: y, r: r1(6 * u), fill: t.color, stroke: "#fff", "stroke-width": r1(2 * u) }, ui));
    }
    const band = drawLegend(svg, height);
    svg.setAttribute("viewBox", `0 0 ${width} ${r1(height + band)}`);
  }

  function drawIcons() {
    document.querySelectorAll(".sc-rm-icon[data-type]").forEach((span) => drawIcon(span, span.dataset.type));
  }
  function drawIcon(span, typeId) {
    const t = byId[typeId];
    span.textContent = "";
    if (!t) return;
    const icon = el("svg", { viewBox: "0 0 40 28", width: 40, height: 28, "aria-hidden": "true", focusable: "false" });
    // Icons carry their own fills so they never depend on the map's <defs>.
    if (t.geometry === "point") {
      const g = el("g", { transform: "translate(20,14)" }, icon);
      el("path", { d: pointPath(t.symbol, 10), fill: t.color, stroke: "#000", "stroke-width": 1.2 }, g);
    } else if (t.geometry === "polygon") {
      el("rect", { x: 3, y: 4, width: 34, height: 20, fill: t.color, "fill-opacity": 0.15, stroke: t.color, "stroke-width": 2.5,
        "stroke-dasharray": t.symbol === "dots" ? "5 3" : null }, icon);
      if (t.symbol === "hatch") {
        for (let x = -14; x < 40; x += 7) el("line", { x1: x, y1: 24, x2: x + 20, y2: 4, stroke: t.color, "stroke-width": 1.5 }, icon);
      } else {
        for (let x = 9; x < 36; x += 7) for (let y = 10; y < 24; y += 7) el("circle", { cx: x, cy: y, r: 1.5, fill: t.color }, icon);
      }
    } else {
      el("path", { d: "M3,14 H30", stroke: t.color, "stroke-width": 4, fill: "none" }, icon);
      el("path", { d: "M26,6 L38,14 L26,22 Z", fill: t.color }, icon);
    }
    span.appendChild(icon);
  }

  function renderList() {
    const body = $("sc-rm-list");
    body.textContent = "";
    const m = doc.meta;
    $("sc-rm-ledger-meta").textContent = `社区（村）：${m.community || "未填写"}　绘制日期：${m.date || "未填写"}　绘制人：${m.author || "未填写"}　共 ${doc.elements.length} 个要素`;
    if (!doc.elements.length) {
      const tr = body.insertRow();
      const td = tr.insertCell();
      td.colSpan = 6;
      td.textContent = "图上还没有要素。";
      return;
    }
    doc.elements.forEach((e, i) => {
      const t = byId[e.type];
      const tr = body.insertRow();
      tr.dataset.id = e.id;
      if (e.id === selected) tr.className = "is-selected";
      tr.insertCell().textContent = String(i + 1);
      const typeCell = tr.insertCell();
      const icon = document.createElement("span");
      icon.className = "sc-rm-icon";
      drawIcon(icon, e.type);
      typeCell.append(icon, t.label);
      tr.insertCell().textContent = e.name || "（未命名）";
      tr.insertCell().textContent = e.note;
      tr.insertCell().textContent = where(t, e.points);
      const actions = tr.insertCell();
      actions.className = "sc-rm-noprint";
      const pick = button("选中", `选中${t.label}“${e.name || "未命名"}”`, () => { select(e.id, { focusMap: true }); });
      const del = button("删除", `删除${t.label}“${e.name || "未命名"}”`, () => {
        const next = doc.elements[i + 1] || doc.elements[i - 1];
        remove(e.id);
        const target = next && document.querySelector(`#sc-rm-list tr[data-id="${next.id}"] button`);
        (target || $("sc-rm-h5")).focus();
      });
      del.classList.add("sc-rm-btn--danger");
      actions.append(pick, del);
    });
  }
  function button(label, aria, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "sc-rm-btn sc-rm-btn--small";
    b.textContent = label;
    b.setAttribute("aria-label", aria);
    b.addEventListener("click", onClick);
    return b;
  }
  function where(t, pts) {
    if (t.geometry === "point") return `点（${Math.round(pts[0][0])}, ${Math.round(pts[0][1])}）`;
    return `${GEOMETRY_WORD[t.geometry]}，${pts.length} 个${t.geometry === "line" ? "点" : "顶点"}`;
  }

  function renderEditor() {
    const e = find(selected);
    $("sc-rm-editor-empty").hidden = !!e;
    $("sc-rm-editor-form").hidden = !e;
    if (!e) return;
    const t = byId[e.type];
    drawIcon($("sc-rm-editor-icon"), e.type);
    $("sc-rm-editor-type").textContent = t.label;
    $("sc-rm-editor-where").textContent = where(t, e.points);
    if ($("sc-rm-name").value !== e.name) $("sc-rm-name").value = e.name;
    if ($("sc-rm-note").value !== e.note) $("sc-rm-note").value = e.note;
  }

  function renderTools() {
    root.querySelectorAll(".sc-rm-tool").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tool === tool)));
    const t = byId[tool];
    const multi = t && t.geometry !== "point";
    $("sc-rm-add-centre").disabled = !t;
    $("sc-rm-finish").hidden = !multi;
    $("sc-rm-undo-point").hidden = !multi;
    $("sc-rm-cancel").hidden = !t;
    $("sc-rm-finish").disabled = !(multi && draft.length >= MIN_POINTS[t.geometry]);
    $("sc-rm-undo-point").disabled = !draft.length;
    svg.classList.toggle("is-adding", !!t);
    let message = "先选一种要素，再点图上的位置。区域和路线要依次点多个位置，最后按“完成”。";
    if (t && !multi) message = `正在添加：${t.label}。点图上的位置放一个；也可以按“在图中央添加”，再用方向键移动。`;
    if (multi) {
      message = `正在添加：${t.label}。已点 ${draft.length} 个位置（至少 ${MIN_POINTS[t.geometry]} 个），点完按“完成”或 Enter 键；` +
        `也可以按“在图中央添加”放一个现成的${GEOMETRY_WORD[t.geometry]}再调整。`;
    }
    $("sc-rm-mode").textContent = message;
  }

  function render(focus) {
    drawMap();
    renderList();
    renderEditor();
    renderTools();
    $("sc-rm-community").value = doc.meta.community;
    $("sc-rm-date").value = doc.meta.date;
    $("sc-rm-author").value = doc.meta.author;
    if (focus) focusOnMap(focus.id, focus.vertex);
  }
  function focusOnMap(id, vertex) {
    const node = vertex === undefined || vertex === null
      ? svg.querySelector(`.sc-rm-el[data-id="${id}"]`)
      : svg.querySelector(`.sc-rm-handle[data-id="${id}"][data-vertex="${vertex}"]`);
    if (node) node.focus({ preventScroll: false });
  }

  // ---- editing -----------------------------------------------------------------------------
  function changed(focus) { save(); render(focus); }

  function select(id, { focusMap } = {}) {
    selected = id;
    render(focusMap && id ? { id } : null);
  }

  function clamp([x, y]) {
    const { width, height } = size();
    return [r1(Math.min(width, Math.max(0, x))), r1(Math.min(height, Math.max(0, y)))];
  }

  function add(type, points) {
    const e = { id: nextId(), type, name: "", note: "", points: points.map(clamp) };
    doc.elements.push(e);
    selected = e.id;
    say(`已添加${byId[type].label}。可以在“选中的要素”里填写名称和备注。`);
    return e;
  }

  function remove(id) {
    const e = find(id);
    if (!e) return;
    doc.elements = doc.elements.filter((x) => x.id !== id);
    if (selected === id) selected = null;
    say(`已删除${byId[e.type].label}“${e.name || "未命名"}”。`);
    changed();
  }

  function moveBy(id, vertex, dx, dy) {
    const e = find(id);
    if (!e) return;
    e.points = e.points.map((p, i) => (vertex === null || vertex === i ? clamp([p[0] + dx, p[1] + dy]) : p));
  }

  function setTool(id) {
    tool = id;
    draft = [];
    renderTools();
    drawMap();
  }

  function finishDraft() {
    const t = byId[tool];
    if (!t || draft.length < MIN_POINTS[t.geometry]) return;
    const e = add(tool, draft);
    draft = [];
    changed({ id: e.id });
  }

  function addAtCentre() {
    const t = byId[tool];
    if (!t) return;
    const { width, height } = size();
    // Several centre placements in a row fan out instead of stacking on one spot.
    const k = doc.elements.length % 6;
    const cx = width / 2 + (k - 2.5) * width * 0.03, cy = height / 2 + (k % 3 - 1) * height * 0.03;
    const a = Math.min(width, height) * 0.08;
    const points = t.geometry === "point" ? [[cx, cy]]
      : t.geometry === "polygon" ? [[cx - a, cy - a], [cx + a, cy - a], [cx + a, cy + a], [cx - a, cy + a]]
      : [[cx - 2 * a, cy], [cx, cy], [cx + 2 * a, cy]];
    draft = [];
    const e = add(tool, points);
    changed({ id: e.id });
  }

  function toMap(event) {
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
    return [point.x, point.y];
  }
  const onMap = ([x, y]) => x >= 0 && y >= 0 && x <= size().width && y <= size().height;

  svg.addEventListener("click", (event) => {
    if (suppressClick) { suppressClick = false; return; }
    if (!tool) return;
    const p = toMap(event);
    if (!onMap(p)) return;
    if (byId[tool].geometry === "point") {
      const e = add(tool, [p]);
      changed();
      focusOnMap(e.id);
    } else {
      draft.push(clamp(p));
      renderTools();
      drawMap();
    }
  });

  svg.addEventListener("pointerdown", (event) => {
    // While adding, a press on an existing element must neither focus nor select it: it places.
    if (tool) { event.preventDefault(); return; }
    if (event.pointerType === "mouse" && event.button !== 0) return;
    const target = event.target.closest("[data-id]");
    if (!target) {
      if (selected) { selected = null; render(); }
      return;
    }
    event.preventDefault();
    const id = target.dataset.id;
    const vertex = target.dataset.vertex === undefined ? null : +target.dataset.vertex;
    drag = { id, vertex, start: toMap(event), client: [event.clientX, event.clientY], points: find(id).points.map((p) => p.slice()), moved: false };
    svg.setPointerCapture(event.pointerId);
    if (selected !== id) selected = id;
    render({ id, vertex });
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    if (!drag.moved && Math.hypot(event.clientX - drag.client[0], event.clientY - drag.client[1]) < 4) return;
    drag.moved = true;
    const [x, y] = toMap(event);
    const dx = x - drag.start[0], dy = y - drag.start[1];
    const e = find(drag.id);
    e.points = drag.points.map((p, i) => (drag.vertex === null || drag.vertex === i ? clamp([p[0] + dx, p[1] + dy]) : p));
    drawMap();
  });
  function endDrag() {
    if (!drag) return;
    const { id, vertex, moved } = drag;
    drag = null;
    if (moved) { suppressClick = true; setTimeout(() => { suppressClick = false; }, 0); changed({ id, vertex }); }
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  svg.addEventListener("focusin", (event) => {
    const target = event.target.closest && event.target.closest("[data-id]");
    if (target && target.dataset.id !== selected) {
      selected = target.dataset.id;
      const vertex = target.dataset.vertex === undefined ? undefined : +target.dataset.vertex;
      render({ id: selected, vertex });
    }
  });

  svg.addEventListener("keydown", (event) => {
    const target = event.target.closest && event.target.closest("[data-id]");
    if (!target) {
      if (event.key === "Enter" && tool) { event.preventDefault(); byId[tool].geometry === "point" ? addAtCentre() : (draft.length ? finishDraft() : addAtCentre()); }
      return;
    }
    const id = target.dataset.id;
    const vertex = target.dataset.vertex === undefined ? null : +target.dataset.vertex;
    const step = unit() * (event.shiftKey ? 50 : 10);
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) {
      event.preventDefault();
      moveBy(id, vertex, ...moves[event.key]);
      changed({ id, vertex });
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      const index = doc.elements.findIndex((e) => e.id === id);
      remove(id);
      const next = doc.elements[index] || doc.elements[index - 1];
      if (next) focusOnMap(next.id); else svg.focus();
    } else if (event.key === "Escape") {
      selected = null;
      render();
      svg.focus();
    }
  });

  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && tool) { setTool(""); say("已退出添加。"); }
    else if (event.key === "Enter" && tool && draft.length && event.target === svg) finishDraft();
  });

  root.querySelectorAll(".sc-rm-tool").forEach((b) => b.addEventListener("click", () => setTool(b.dataset.tool)));
  $("sc-rm-add-centre").addEventListener("click", addAtCentre);
  $("sc-rm-finish").addEventListener("click", finishDraft);
  $("sc-rm-undo-point").addEventListener("click", () => { draft.pop(); renderTools(); drawMap(); });
  $("sc-rm-cancel").addEventListener("click", () => { setTool(""); say("已取消添加。"); });

  $("sc-rm-name").addEventListener("input", (event) => {
    const e = find(selected);
    if (!e) return;
    e.name = event.target.value;
    save(); drawMap(); renderList();
  });
  $("sc-rm-note").addEventListener("input", (event) => {
    const e = find(selected);
    if (!e) return;
    e.note = event.target.value;
    save(); renderList();
  });
  $("sc-rm-delete").addEventListener("click", () => { remove(selected); $("sc-rm-h3").focus(); });
  [["sc-rm-community", "community"], ["sc-rm-date", "date"], ["sc-rm-author", "author"]].forEach(([id, key]) => {
    $(id).addEventListener("input", (event) => {
      doc.meta[key] = event.target.value;
      save(); drawMap(); renderList();
    });
  });

  // ---- the base picture --------------------------------------------------------------------
  $("sc-rm-image").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    warn("");
    if (!/^image\/(png|jpeg)$/.test(file.type)) {
      warn(`“${file.name}”不是 PNG 或 JPEG 图片。请用手机拍照或截图得到的图片。`);
      return;
    }
    say("正在读取底图…");
    try {
      let href = await readAs(file, "readAsDataURL");
      let img = await loadImage(href);
      let note = "";
      const side = Math.max(img.naturalWidth, img.naturalHeight);
      if (side > MAX_SIDE || file.size > BIG_FILE) {
        const f = Math.min(1, 3000 / side);
        const canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * f);
        canvas.height = Math.round(img.naturalHeight * f);
        const ctx = canvas.getContext("2d");
        ctx.fillStyle = "#fff";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        href = canvas.toDataURL("image/jpeg", 0.85);
        img = await loadImage(href);
        note = `图片较大（${(file.size / 1048576).toFixed(1)} MB），已缩小以便保存和导出。`;
      }
      const next = { width: img.naturalWidth, height: img.naturalHeight };
      rescale(size(), next);
      doc.image = { href, width: next.width, height: next.height };
      const stored = await storeImage(href);
      save();
      render();
      say(`底图已加载${stored ? "并保存" : ""}（${next.width}×${next.height}）。${note}`);
    } catch (e) {
      warn(`这张图片打不开（${e.message}）。请换一张 PNG 或 JPEG 图片。`);
      say("");
    }
  });
  $("sc-rm-image-clear").addEventListener("click", async () => {
    if (!doc.image) { say("现在没有底图。"); return; }
    if (!window.confirm("移除底图？图上的标注会保留。")) return;
    rescale(size(), BLANK);
    doc.image = null;
    await storeImage(null);
    changed();
    say("已移除底图。");
  });

  // ---- export and import -------------------------------------------------------------------
  const baseName = () => `风险一张图-${fileSafe(doc.meta.community) || "未命名"}-${doc.meta.date || today()}`;
  function exportDoc() {
    return { format: doc.format, version: doc.version, meta: { ...doc.meta }, image: doc.image ? { ...doc.image } : null, elements: doc.elements };
  }

  function svgText() {
    const clone = svg.cloneNode(true);
    clone.querySelectorAll(".sc-rm-ui").forEach((n) => n.remove());
    [clone, ...clone.querySelectorAll("[tabindex],[role],[aria-label],[aria-describedby]")].forEach((n) => {
      ["tabindex", "role", "aria-label", "aria-describedby"].forEach((a) => n.removeAttribute(a));
    });
    clone.querySelectorAll(".is-selected").forEach((n) => n.classList.remove("is-selected"));
    clone.removeAttribute("id");
    clone.removeAttribute("class");
    const [, , w, h] = clone.getAttribute("viewBox").split(" ");
    clone.setAttribute("width", w);
    clone.setAttribute("height", h);
    clone.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:xlink", XLINK_NS);
    // Older editors read only xlink:href.
    clone.querySelectorAll("image").forEach((n) => n.setAttributeNS(XLINK_NS, "xlink:href", n.getAttribute("href")));
    const title = document.createElementNS(SVG_NS, "title");
    title.textContent = `${doc.meta.community || ""}${config.title}`;
    clone.insertBefore(title, clone.firstChild);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
  }

  async function exportPng(paper) {
    const [pw, ph] = PAPER[paper];
    const url = URL.createObjectURL(new Blob([svgText()], { type: "image/svg+xml" }));
    try {
      const img = await loadImage(url);
      const [, , w, h] = svg.getAttribute("viewBox").split(" ").map(Number);
      const canvas = document.createElement("canvas");
      canvas.width = pw;
      canvas.height = ph;
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, pw, ph);
      const margin = Math.round(pw * 0.03);
      const f = Math.min((pw - 2 * margin) / w, (ph - 2 * margin) / h);
      ctx.drawImage(img, (pw - w * f) / 2, (ph - h * f) / 2, w * f, h * f);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      if (!blob) throw new Error("浏览器没能生成图片");
      download(blob, `${baseName()}-${paper}横向.png`);
      say(`已导出 PNG（${paper} 横向，${pw}×${ph} 像素，约 150 dpi）。`);
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  function failed(what) {
    return (e) => {
      if (e && e.kind === "bug") { warn(" "); SC.showError(alertEl, e, `${what}失败：`); } else warn(`${what}失败：${e && e.message ? e.message : e}`);
      say("");
    };
  }

  $("sc-rm-export-json").addEventListener("click", () => {
    download(new Blob([JSON.stringify(exportDoc())], { type: "application/json" }), `${baseName()}.json`);
    say("已导出 JSON。以后用“导入 JSON”可以接着画。");
  });
  $("sc-rm-export-svg").addEventListener("click", () => {
    download(new Blob([svgText()], { type: "image/svg+xml" }), `${baseName()}.svg`);
    say("已导出 SVG 图。");
  });
  root.querySelectorAll("[data-paper]").forEach((b) => b.addEventListener("click", () => {
    warn("");
    exportPng(b.dataset.paper).catch(failed("导出 PNG"));
  }));
  $("sc-rm-export-xlsx").addEventListener("click", async () => {
    warn("");
    say("正在生成 Excel 台账（第一次需要几秒钟准备表格程序）…");
    try {
      const bytes = await SC.engine.riskmap.xlsx({ ...exportDoc(), image: null });
      download(new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), `${baseName()}-台账.xlsx`);
      say(`已导出 Excel 台账（${doc.elements.length} 个要素）。`);
    } catch (e) { failed("导出 Excel 台账")(e); }
  });
  $("sc-rm-print").addEventListener("click", () => {
    document.documentElement.classList.add("sc-rm-print-ledger");
    const done = () => document.documentElement.classList.remove("sc-rm-print-ledger");
    window.addEventListener("afterprint", done, { once: true, signal: ctx.signal });
    window.print();
    setTimeout(done, 1000);
  });
  $("sc-rm-clear").addEventListener("click", async () => {
    if (!doc.elements.length && !doc.image) { say("图上是空的。"); return; }
    if (!window.confirm(`清空整张图？底图和 ${doc.elements.length} 个要素都会删除，不能恢复。建议先导出 JSON。`)) return;
    doc = emptyDoc();
    selected = null;
    await storeImage(null);
    changed();
    say("已清空。");
  });

  $("sc-rm-import-json").addEventListener("click", () => $("sc-rm-import-file").click());
  $("sc-rm-import-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    warn("");
    say("正在检查文件（第一次需要几秒钟准备检查程序）…");
    let incoming;
    try {
      if (file.size > 60 * 1024 * 1024) throw new Error(`这个文件不能导入：文件太大（${(file.size / 1048576).toFixed(0)} MB）。`);
      const content = await SC.fileBytes(file);
      incoming = await SC.engine.riskmap.parse(content);
    } catch (e) {
      warn(`${e.message} 当前的图没有改动。`);
      say("导入没有完成，当前的图没有改动。");
      return;
    }
    if ((doc.elements.length || doc.image) &&
        !window.confirm(`导入“${file.name}”会替换当前的图（${doc.elements.length} 个要素${doc.image ? "和底图" : ""}）。确定替换吗？`)) {
      say("已取消导入，当前的图没有改动。");
      return;
    }
    doc = incoming;
    selected = null;
    const stored = await storeImage(doc.image ? doc.image.href : null);
    save();
    render();
    say(`已导入“${file.name}”：${doc.elements.length} 个要素${doc.image ? "，含底图" : ""}${stored ? "" : "（底图未能自动保存）"}。`);
  });

  // ---- start -------------------------------------------------------------------------------
  drawIcons();
  render();
  restore().then((restored) => {
    render();
    say(restored ? `已恢复上次的图（${doc.elements.length} 个要素）。` : "可以开始画了：先加载底图，再添加要素。");
    root.dataset.state = "ready";
  });
}
