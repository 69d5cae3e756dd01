// The category chart: SVG bars, numbers printed beside each bar, patterns not colours.
const fmt = (n) => window.SC.fmt.number(n);

const SVG_NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function categoryChart(series) {
  // series: [{label, pattern: "solid"|"hatch", categories: [{id, name, score}]}]
  const cats = series[series.length - 1].categories;
  // Drawn about as wide as a phone screen, so the labels stay readable when scaled to fit it.
  const barH = 16;
  const rowH = series.length * (barH + 4) + 12;
  const left = 92;
  const width = 380;
  const plotW = width - left - 64;
  const height = cats.length * rowH + 34;
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, class: "sc-chart", role: "img",
    "aria-labelledby": "sc-chart-title sc-chart-desc",
  });
  const desc = cats.map((c) => `${c.name} ${series.map((s) => `${s.label}${fmt((s.categories.find((x) => x.id === c.id) || {}).score)}分`).join("，")}`).join("；");
  root.append(svg("title", { id: "sc-chart-title" }, "六类得分"), svg("desc", { id: "sc-chart-desc" }, desc));
  const defs = svg("defs", {});
  const pattern = svg("pattern", { id: "sc-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
  pattern.append(svg("rect", { width: 6, height: 6, fill: "#fff" }), svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#333", "stroke-width": 3 }));
  defs.append(pattern);
  root.append(defs);
  for (const tick of [0, 60, 80, 100]) {
    const x = left + (plotW * tick) / 100;
    root.append(svg("line", { x1: x, y1: 4, x2: x, y2: height - 24, class: "sc-chart-grid" }));
    root.append(svg("text", { x, y: height - 8, "text-anchor": "middle", class: "sc-chart-tick" }, String(tick)));
  }
  cats.forEach((c, i) => {
    const y0 = 8 + i * rowH;
    root.append(svg("text", { x: left - 8, y: y0 + barH, "text-anchor": "end", class: "sc-chart-label" }, `${c.id}. ${c.name}`));
    series.forEach((s, j) => {
      const found = s.categories.find((x) => x.id === c.id) || {};
      const value = found.score === null || found.score === undefined ? 0 : found.score;
      const y = y0 + j * (barH + 4);
      root.append(svg("rect", {
        x: left, y, width: Math.max(1, (plotW * value) / 100), height: barH,
        class: s.pattern === "hatch" ? "sc-bar sc-bar--old" : "sc-bar",
        fill: s.pattern === "hatch" ? "url(#sc-hatch)" : "currentColor",
      }));
      root.append(svg("text", { x: left + (plotW * value) / 100 + 4, y: y + barH - 2, class: "sc-chart-value" },
        series.length > 1 ? `${s.label} ${fmt(found.score)}` : fmt(found.score)));
    });
  });
  return root;
}
