// 风险一张图, how each element type looks: its shape on the map and in the legend, the fill
// patterns and arrow markers it uses (<defs>), and the small icons on buttons and in the list.
import { el, text, r1, pointPath } from "./svg.js";

export function defs(types, u) {
  const d = el("defs");
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

export const pathOf = (pts, closed) => pts.map(([x, y], i) => `${i ? "L" : "M"}${r1(x)},${r1(y)}`).join(" ") + (closed ? " Z" : "");

// One element's shape; `pts` in map coordinates. Used on the map and in the legend.
export function shape(t, pts, parent, { r, u, hit } = {}) {
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
    return g;
  }
  const d = pathOf(pts, t.geometry === "polygon");
  if (t.geometry === "polygon") {
    el("path", { d, fill: `url(#sc-rm-fill-${t.id})`, stroke: t.color, "stroke-width": r1(3 * u),
      "stroke-dasharray": t.symbol === "dots" ? `${r1(10 * u)} ${r1(6 * u)}` : null, "stroke-linejoin": "round" }, g);
  } else {
    if (hit) el("path", { d, fill: "none", stroke: "transparent", "stroke-width": r1(22 * u), class: "sc-rm-hit" }, g);
    el("path", { d, fill: "none", stroke: "#fff", "stroke-width": r1(8 * u), "stroke-linejoin": "round", "stroke-linecap": "round" }, g);
    el("path", { d, fill: "none", stroke: t.color, "stroke-width": r1(4.5 * u), "stroke-linejoin": "round", "stroke-linecap": "round",
      "marker-mid": `url(#sc-rm-arrow-${t.id})`, "marker-end": `url(#sc-rm-arrow-${t.id})` }, g);
  }
  return g;
}

// A small icon of a type for buttons and the list; it carries its own fills (no map <defs>).
export function drawIcon(span, t) {
  span.textContent = "";
  if (!t) return;
  const icon = el("svg", { viewBox: "0 0 40 28", width: 40, height: 28, "aria-hidden": "true", focusable: "false" });
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
