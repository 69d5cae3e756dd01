// 风险一张图, drawing: the map as one SVG in image coordinates, in layers: the base picture (or a
// blank sheet), the elements (areas, then routes, then points; symbols.js), their name labels
// (placed by labels.js), the editing aids (handles, the ring around a selected point, the shape
// being added), and a band with the title block and legend (legend.js). Everything uses
// presentation attributes (not page CSS) so the exported SVG and PNG look like the screen;
// editing aids carry class "sc-rm-ui" and are left out of exports.
import { el, text, r1 } from "./svg.js";
import { mapSize, unitOf, findElement, edges, VERTEX_WORD } from "./model.js";
import { placeLabels, BASELINE } from "./labels.js";
import { defs, pathOf, shape } from "./symbols.js";
import { drawLegend } from "./legend.js";

export const FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',sans-serif";
const LAYER_ORDER = { polygon: 0, line: 1, point: 2 };
export const pointRadius = (doc) => 18 * unitOf(doc);

function drawBase(svg, doc) {
  const { width, height } = mapSize(doc);
  const u = unitOf(doc);
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
}

// Name labels above every shape; a thin leader joins a label moved away from its element.
function drawLabels(svg, doc, placed) {
  const u = unitOf(doc);
  const layer = el("g", { class: "sc-rm-labels", "aria-hidden": "true" }, svg);
  for (const e of doc.elements) {
    const p = placed.get(e.id);
    if (!p) continue;
    const nx = Math.min(Math.max(p.anchor[0], p.x - p.w / 2), p.x + p.w / 2);
    const ny = Math.min(Math.max(p.anchor[1], p.y - p.h / 2), p.y + p.h / 2);
    if (Math.hypot(nx - p.anchor[0], ny - p.anchor[1]) > 40 * u) {
      el("line", { x1: r1(p.anchor[0]), y1: r1(p.anchor[1]), x2: r1(nx), y2: r1(ny), stroke: "#333", "stroke-width": r1(1.5 * u),
        "stroke-dasharray": `${r1(4 * u)} ${r1(3 * u)}` }, layer);
    }
    text(layer, r1(p.x), r1(p.y + BASELINE * p.fontSize), e.name, {
      "font-size": r1(p.fontSize), fill: "#111", stroke: "#fff", "stroke-width": r1(p.halo), "paint-order": "stroke",
      "stroke-linejoin": "round", "text-anchor": "middle", class: "sc-rm-label", "data-label-for": e.id,
    });
  }
}

// Handles of the selected element, right after it in the DOM so Tab goes from an area to its
// vertices: each vertex, between two vertices a "+" that adds one, and the name label.
function drawHandles(overlay, ui, view, placed) {
  const { doc, byId, selected, pxPerUnit } = view;
  const current = findElement(doc, selected);
  if (!current) return;
  const u = unitOf(doc);
  // On a phone the sheet is shrunk a lot: handles keep a size a finger can hit (in screen px).
  const atLeast = (mapUnits, px) => Math.max(mapUnits, pxPerUnit ? px / pxPerUnit : 0);
  const t = byId[current.type];
  const name = current.name || "未命名";
  const handles = el("g", { class: "sc-rm-ui sc-rm-handles" });
  overlay.insertBefore(handles, overlay.querySelector(`.sc-rm-el[data-id="${current.id}"]`).nextSibling);
  if (t.geometry === "point") {
    const [x, y] = current.points[0];
    el("circle", { cx: x, cy: y, r: r1(pointRadius(doc) * 1.9), fill: "none", stroke: "#000", "stroke-width": r1(2 * u),
      "stroke-dasharray": `${r1(6 * u)} ${r1(4 * u)}`, class: "sc-rm-ring" }, ui);
  } else {
    const word = VERTEX_WORD[t.geometry];
    const pts = current.points;
    const mids = new Map(edges(t.geometry, pts.length).map(([a, b]) => [a, b]));
    pts.forEach(([x, y], i) => {
      el("circle", { cx: x, cy: y, r: r1(atLeast(9 * u, 11)), fill: "#fff", stroke: "#000", "stroke-width": r1(2.5 * u),
        class: "sc-rm-handle", tabindex: 0, role: "button", "data-id": current.id, "data-vertex": i,
        "aria-label": `${t.label}“${name}”的第 ${i + 1} 个${word}（共 ${pts.length} 个）` }, handles);
      if (!mids.has(i)) return;
      const j = mids.get(i);
      const mx = (x + pts[j][0]) / 2, my = (y + pts[j][1]) / 2, radius = atLeast(7.5 * u, 10), s = radius * 0.55;
      const add = el("g", { class: "sc-rm-mid", tabindex: 0, role: "button", "data-id": current.id, "data-edge": i,
        "aria-label": `在第 ${i + 1} 和第 ${j + 1} 个${word}之间加一个${word}` }, handles);
      el("circle", { cx: r1(mx), cy: r1(my), r: r1(radius), fill: "#fff", "fill-opacity": 0.9, stroke: "#000", "stroke-width": r1(1.5 * u),
        "stroke-dasharray": `${r1(3 * u)} ${r1(2 * u)}` }, add);
      el("path", { d: `M${r1(mx - s)},${r1(my)} H${r1(mx + s)} M${r1(mx)},${r1(my - s)} V${r1(my + s)}`, stroke: "#000", "stroke-width": r1(1.8 * u) }, add);
    });
  }
  const label = placed.get(current.id);
  if (label) {
    el("rect", { x: r1(label.x - label.w / 2), y: r1(label.y - label.h / 2), width: r1(label.w), height: r1(label.h),
      fill: "transparent", stroke: "#000", "stroke-width": r1(1.5 * u), "stroke-dasharray": `${r1(5 * u)} ${r1(3 * u)}`,
      class: "sc-rm-label-handle", tabindex: 0, role: "button", "data-id": current.id, "data-label": "1",
      "aria-label": `${t.label}“${name}”的名称标签（${label.manual ? "已手动摆放" : "自动摆放"}）` }, handles);
  }
}

// The whole map for `view` = {doc, types, byId, config, selected, tool, draft, pxPerUnit (screen
// pixels per map pixel, 0 when unknown)}; returns the labels' placement (editing needs it).
export function drawMap(svg, view) {
  const { doc, types, byId, selected, tool, draft } = view;
  const { width, height } = mapSize(doc);
  const u = unitOf(doc);
  const r = pointRadius(doc);
  svg.textContent = "";
  svg.setAttribute("font-family", FONT);
  svg.appendChild(defs(types, u));
  drawBase(svg, doc);
  const overlay = el("g", { class: "sc-rm-overlay" }, svg);
  const sorted = doc.elements.slice().sort((a, b) => LAYER_ORDER[byId[a.type].geometry] - LAYER_ORDER[byId[b.type].geometry]);
  for (const e of sorted) {
    const t = byId[e.type];
    const g = shape(t, e.points, overlay, { r, u, hit: true });
    g.setAttribute("class", "sc-rm-el" + (e.id === selected ? " is-selected" : ""));
    g.setAttribute("data-id", e.id);
    g.setAttribute("data-type", e.type);
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", `${t.label}：${e.name || "未命名"}`);
  }
  const placed = placeLabels(doc.elements, byId, { width, height, u, r });
  drawLabels(svg, doc, placed);
  const ui = el("g", { class: "sc-rm-ui" }, svg);
  drawHandles(overlay, ui, view, placed);
  if (tool && draft.length) {
    const t = byId[tool];
    el("path", { d: pathOf(draft, false), fill: "none", stroke: t.color, "stroke-width": r1(3 * u), "stroke-dasharray": `${r1(8 * u)} ${r1(5 * u)}` }, ui);
    draft.forEach(([x, y]) => el("circle", { cx: x, cy: y, r: r1(6 * u), fill: t.color, stroke: "#fff", "stroke-width": r1(2 * u) }, ui));
  }
  const band = drawLegend(svg, height, view);
  svg.setAttribute("viewBox", `0 0 ${width} ${r1(height + band)}`);
  return placed;
}

// Keyboard focus after a redraw: {id} an element, {id, vertex}, {id, edge} a "+", {id, label}, {svg}.
export function focusOnMap(svg, focus) {
  if (!focus) return;
  const { id, vertex, edge, label } = focus;
  const node = focus.svg ? svg
    : label ? svg.querySelector(`.sc-rm-label-handle[data-id="${id}"]`)
    : edge !== undefined && edge !== null ? svg.querySelector(`.sc-rm-mid[data-id="${id}"][data-edge="${edge}"]`)
    : vertex !== undefined && vertex !== null ? svg.querySelector(`.sc-rm-handle[data-id="${id}"][data-vertex="${vertex}"]`)
    : svg.querySelector(`.sc-rm-el[data-id="${id}"]`);
  if (node) node.focus({ preventScroll: false });
}
