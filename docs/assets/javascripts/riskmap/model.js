// 风险一张图, the map document and the edits made to it. Pure: no DOM, no storage, so the rules
// (a vertex is never removed below an area's 3 or a route's 2, points stay on the sheet) are
// unit-tested in Node (tests/test_riskmap.py) and the same functions run in the page.
//
// A document: {format, version, meta: {community, date, author}, image: null | {href, width,
// height}, elements: [{id, type, name, note, points: [[x, y], …], label_offset?: [dx, dy]}]}.
// Coordinates are in the base picture's pixels (or the blank sheet's). `label_offset` is where a
// dragged name label sits (its centre, from the element's anchor); without it the label is placed
// automatically (labels.js).

export const BLANK = { width: 1414, height: 1000 }; // an empty A-paper sheet, landscape
export const MIN_POINTS = { point: 1, polygon: 3, line: 2 };
export const GEOMETRY_WORD = { point: "点", polygon: "区域", line: "路线" };
export const VERTEX_WORD = { polygon: "顶点", line: "点" };

export const r1 = (v) => Math.round(v * 10) / 10;

export function emptyDoc(day) {
  return { format: "sc-riskmap", version: 1, meta: { community: "", date: day, author: "" }, image: null, elements: [] };
}

export const mapSize = (doc) => (doc.image ? { width: doc.image.width, height: doc.image.height } : BLANK);
// One thousandth of the sheet's longer side: symbols, strokes and keyboard steps scale with it.
export const unitOf = (doc) => Math.max(mapSize(doc).width, mapSize(doc).height) / 1000;
export const findElement = (doc, id) => doc.elements.find((e) => e.id === id) || null;

export function nextId(doc) {
  let seq = 0;
  for (const e of doc.elements) { const m = /^e(\d+)$/.exec(e.id); if (m) seq = Math.max(seq, +m[1]); }
  return "e" + (seq + 1);
}

export function clampPoint(doc, [x, y]) {
  const { width, height } = mapSize(doc);
  return [r1(Math.min(width, Math.max(0, x))), r1(Math.min(height, Math.max(0, y)))];
}

// Keep the elements where they were on the picture's grid when the sheet changes size.
export function rescale(doc, from, to) {
  if (from.width === to.width && from.height === to.height) return;
  const fx = to.width / from.width, fy = to.height / from.height;
  doc.elements.forEach((e) => {
    e.points = e.points.map(([x, y]) => [r1(x * fx), r1(y * fy)]);
    if (e.label_offset) e.label_offset = [r1(e.label_offset[0] * fx), r1(e.label_offset[1] * fy)];
  });
}

// A saved copy read back: elements of unknown types or without points are left out.
export function restoredDoc(stored, byId, day) {
  const blank = emptyDoc(day);
  const elements = stored.elements.filter((e) => e && byId[e.type] && Array.isArray(e.points));
  return { ...blank, meta: { ...blank.meta, ...(stored.meta || {}) }, elements };
}

// What "导出 JSON" writes: the document with the picture, and no label_offset where there is none.
export function exportable(doc) {
  return {
    format: doc.format, version: doc.version, meta: { ...doc.meta }, image: doc.image ? { ...doc.image } : null,
    elements: doc.elements.map((e) => {
      const out = { id: e.id, type: e.type, name: e.name, note: e.note, points: e.points };
      if (e.label_offset) out.label_offset = e.label_offset;
      return out;
    }),
  };
}

// ---- edits: each changes `doc` in place and returns the element (or an error sentence) ------

export function addElement(doc, type, points) {
  const e = { id: nextId(doc), type, name: "", note: "", points: points.map((p) => clampPoint(doc, p)) };
  doc.elements.push(e);
  return e;
}

export function removeElement(doc, id) {
  const e = findElement(doc, id);
  doc.elements = doc.elements.filter((x) => x.id !== id);
  return e;
}

// Moves the whole element (vertex null) or one vertex by (dx, dy), from `points` (the positions
// when a drag began) or from where it is now.
export function moveElement(doc, id, vertex, dx, dy, points) {
  const e = findElement(doc, id);
  if (!e) return null;
  e.points = (points || e.points).map((p, i) => (vertex === null || vertex === i ? clampPoint(doc, [p[0] + dx, p[1] + dy]) : p));
  return e;
}

// The edges of an area (closed) or a route (open) as [from, to] vertex indexes.
export function edges(geometry, count) {
  const out = [];
  for (let i = 0; i < count - 1; i++) out.push([i, i + 1]);
  if (geometry === "polygon" && count >= 3) out.push([count - 1, 0]);
  return out;
}

// A new vertex in the middle of edge [from, to]; returns its index.
export function insertVertex(doc, id, from, to) {
  const e = findElement(doc, id);
  const a = e.points[from], b = e.points[to];
  const at = to === 0 ? e.points.length : to;
  e.points.splice(at, 0, clampPoint(doc, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]));
  return at;
}

// Removes vertex `index`; refuses (returns the reason, a sentence) below the geometry's minimum.
export function removeVertex(doc, id, index, byId) {
  const e = findElement(doc, id);
  const t = byId[e.type];
  const min = MIN_POINTS[t.geometry];
  if (e.points.length <= min) {
    return `${t.label}是${GEOMETRY_WORD[t.geometry]}，至少要有 ${min} 个${VERTEX_WORD[t.geometry]}，不能再删除。` +
      `要去掉整个${GEOMETRY_WORD[t.geometry]}，请按“删除这个要素”。`;
  }
  e.points.splice(index, 1);
  return null;
}

// A label dragged by (dx, dy) from `offset` (where it was when the drag began); null = automatic.
export function setLabelOffset(doc, id, offset) {
  const e = findElement(doc, id);
  if (offset) e.label_offset = [r1(offset[0]), r1(offset[1])];
  else delete e.label_offset;
  return e;
}
