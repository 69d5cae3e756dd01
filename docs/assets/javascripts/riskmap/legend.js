// 风险一张图, the band under the map: the title block (community, date, author, source) and the
// legend of every element type, drawn into the same SVG so the exports carry them.
import { el, text, r1 } from "./svg.js";
import { mapSize, unitOf } from "./model.js";
import { shape } from "./symbols.js";

export function drawLegend(parent, top, view) {
  const { doc, types, config } = view;
  const { width } = mapSize(doc);
  const u = unitOf(doc);
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
    shape(t, sample, item, { r: 10 * u, u });
    text(item, r1(x + 46 * u), r1(cy + 6 * u), t.label, { "font-size": r1(16 * u), fill: "#000" });
  });
  return height;
}
