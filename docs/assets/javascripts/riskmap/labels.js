// 风险一张图, where each name label goes. Pure and deterministic, so the screen, the SVG and the
// PNG export (made from the same SVG) show the same placement, and Node can test it.
//
// A label's box is estimated from its text (a CJK character is one em wide, others 0.62 em), not
// measured, so the result never depends on the fonts of the machine. Labels dragged by hand
// (`label_offset`) are placed first, where the user put them. Each other label tries positions
// around its anchor (right of a point, above an area or route first; then the other sides and
// corners, then further out) and takes the first whose box overlaps no label placed before it,
// no point symbol and stays on the sheet; if none is free, the one that overlaps least.

export const BASELINE = 0.36; // text baseline below the box's centre, in em
const LINE = 1.3; // box height in em (the glyphs' ascent and descent)
const WIDE = /[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

export function textWidth(text, fontSize) {
  let em = 0;
  for (const ch of String(text)) em += WIDE.test(ch) ? 1 : 0.62;
  return em * fontSize;
}

// Label size and the stroke around the letters (a white halo that keeps them readable).
export function labelStyle(geometry, u) {
  const fontSize = geometry === "point" ? 18.9 * u : 17 * u;
  return { fontSize, halo: geometry === "point" ? 5.4 * u : 5 * u };
}

export function anchorOf(geometry, pts) {
  if (geometry === "polygon") {
    return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
  }
  if (geometry === "line") return pts[Math.floor((pts.length - 1) / 2)];
  return pts[0];
}

const POINT_ORDER = ["right", "left", "above", "below", "upperRight", "lowerRight", "upperLeft", "lowerLeft"];
const AREA_ORDER = ["above", "below", "right", "left", "upperRight", "lowerRight", "upperLeft", "lowerLeft"];

function candidates([ax, ay], w, h, gap, order) {
  const out = [];
  for (let ring = 0; ring < 5; ring++) {
    const g = gap + ring * h;
    const dx = g + w / 2, dy = g + h / 2;
    const at = { right: [dx, 0], left: [-dx, 0], above: [0, -dy], below: [0, dy],
      upperRight: [dx, -dy], lowerRight: [dx, dy], upperLeft: [-dx, -dy], lowerLeft: [-dx, dy] };
    for (const side of order) out.push([ax + at[side][0], ay + at[side][1]]);
  }
  return out;
}

const boxAt = ([cx, cy], w, h) => ({ x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 });
const overlap = (a, b) => Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));

// Placed boxes in a coarse grid, so a map of a thousand labels stays quick to redraw while dragging.
function grid(cell) {
  const cells = new Map();
  const keys = (b) => {
    const out = [];
    for (let i = Math.floor(b.x0 / cell); i <= Math.floor(b.x1 / cell); i++) {
      for (let j = Math.floor(b.y0 / cell); j <= Math.floor(b.y1 / cell); j++) out.push(i + "," + j);
    }
    return out;
  };
  return {
    add(b) { for (const k of keys(b)) { if (!cells.has(k)) cells.set(k, []); cells.get(k).push(b); } },
    cost(b) {
      const seen = new Set();
      let sum = 0;
      for (const k of keys(b)) for (const other of cells.get(k) || []) if (!seen.has(other)) { seen.add(other); sum += overlap(b, other); }
      return sum;
    },
  };
}

// Every named element's label: Map id → {x, y (the box's centre), w, h, fontSize, halo, anchor,
// manual}. `r` is a point symbol's radius.
export function placeLabels(elements, byId, { width, height, u, r }) {
  const placed = grid(Math.max(width, height) / 20 || 1);
  const sheet = { x0: 0, y0: 0, x1: width, y1: height };
  const outside = (b) => (b.x1 - b.x0) * (b.y1 - b.y0) - overlap(b, sheet);
  for (const e of elements) {
    if (byId[e.type] && byId[e.type].geometry === "point") {
      const [x, y] = e.points[0];
      placed.add({ x0: x - 1.2 * r, y0: y - 1.2 * r, x1: x + 1.2 * r, y1: y + 1.2 * r });
    }
  }
  const out = new Map();
  const named = elements.filter((e) => e.name && byId[e.type]);
  const info = (e) => {
    const geometry = byId[e.type].geometry;
    const { fontSize, halo } = labelStyle(geometry, u);
    return { geometry, fontSize, halo, w: textWidth(e.name, fontSize) + 2 * halo, h: LINE * fontSize + 2 * halo, anchor: anchorOf(geometry, e.points) };
  };
  for (const e of named.filter((x) => x.label_offset)) {
    const { fontSize, halo, w, h, anchor } = info(e);
    const centre = [anchor[0] + e.label_offset[0], anchor[1] + e.label_offset[1]];
    placed.add(boxAt(centre, w, h));
    out.set(e.id, { x: centre[0], y: centre[1], w, h, fontSize, halo, anchor, manual: true });
  }
  for (const e of named.filter((x) => !x.label_offset)) {
    const { geometry, fontSize, halo, w, h, anchor } = info(e);
    const gap = geometry === "point" ? 1.3 * r : 8 * u;
    let best = null, bestCost = Infinity;
    for (const c of candidates(anchor, w, h, gap, geometry === "point" ? POINT_ORDER : AREA_ORDER)) {
      const b = boxAt(c, w, h);
      const cost = placed.cost(b) + outside(b);
      if (cost < bestCost) { best = c; bestCost = cost; }
      if (cost === 0) break;
    }
    placed.add(boxAt(best, w, h));
    out.set(e.id, { x: best[0], y: best[1], w, h, fontSize, halo, anchor, manual: false });
  }
  return out;
}
