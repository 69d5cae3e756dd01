// 风险一张图, drawing primitives: SVG elements with presentation attributes (not page CSS), so the
// exported SVG and PNG look the same as the screen, and the point symbols.
import { r1 } from "./model.js";

export { r1 };
export const SVG_NS = "http://www.w3.org/2000/svg";
export const XLINK_NS = "http://www.w3.org/1999/xlink";

export function el(name, attrs, parent) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}
export function text(parent, x, y, content, attrs) {
  const node = el("text", { x, y, ...attrs }, parent);
  node.textContent = content;
  return node;
}

// Point symbols centred on 0,0 with radius r. Each differs in outline, so black-and-white works.
export function pointPath(symbol, r) {
  const poly = (n, start) => Array.from({ length: n }, (_, i) => {
    const a = start + (i * 2 * Math.PI) / n;
    return `${r1(r * Math.cos(a))},${r1(r * Math.sin(a))}`;
  });
  switch (symbol) {
    case "triangle": return `M0,${r1(-r * 1.1)} L${r1(r)},${r1(r * 0.75)} L${r1(-r)},${r1(r * 0.75)} Z`;
    case "diamond": return `M0,${r1(-r * 1.15)} L${r1(r * 1.15)},0 L0,${r1(r * 1.15)} L${r1(-r * 1.15)},0 Z`;
    case "hexagon": return "M" + poly(6, 0).join(" L") + " Z";
    case "pentagon": return "M" + poly(5, -Math.PI / 2).join(" L") + " Z";
    case "square": { const s = r1(r * 0.85); return `M${-s},${-s} H${s} V${s} H${-s} Z`; }
    case "cross": {
      // an X: a plus sign turned by 45°
      const a = r * 0.3, b = r * 1.05, c = Math.SQRT1_2;
      const pts = [[a, -b], [a, -a], [b, -a], [b, a], [a, a], [a, b], [-a, b], [-a, a], [-b, a], [-b, -a], [-a, -a], [-a, -b]];
      return "M" + pts.map(([x, y]) => `${r1((x - y) * c)},${r1((x + y) * c)}`).join(" L") + " Z";
    }
    default: return `M${-r},0 A${r},${r} 0 1,0 ${r},0 A${r},${r} 0 1,0 ${-r},0 Z`;
  }
}

