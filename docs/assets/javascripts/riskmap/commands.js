// 风险一张图, the edits a user can make, as commands: each changes the document through the
// session (so it is one undo step, autosaved and redrawn) and says what happened. The events
// that trigger them (pointer, keys, buttons) are in editor.js.
import * as M from "./model.js";

export function select(app, id, { focusMap, vertex } = {}) {
  app.state.selected = id;
  app.state.vertex = vertex === undefined ? null : vertex;
  app.session.stopTyping();
  app.render(focusMap && id ? { id, vertex } : null);
}

export function setTool(app, id) {
  app.state.tool = id;
  app.state.draft = [];
  app.render();
}

export function addElement(app, type, points) {
  let added = null;
  app.session.change(`添加${app.byId[type].label}`, (doc) => {
    added = M.addElement(doc, type, points);
    app.state.selected = added.id;
    app.state.vertex = null;
  }, { focus: () => ({ id: added.id }) });
  app.say(`已添加${app.byId[type].label}。可以在“选中的要素”里填写名称和备注。`);
  return added;
}

export function removeElement(app, id, focus) {
  const e = M.findElement(app.state.doc, id);
  if (!e) return;
  const what = `${app.byId[e.type].label}“${e.name || "未命名"}”`;
  app.session.change(`删除${app.byId[e.type].label}`, (doc) => {
    M.removeElement(doc, id);
    if (app.state.selected === id) { app.state.selected = null; app.state.vertex = null; }
  }, { focus });
  app.say(`已删除${what}。可以按“撤销”（Ctrl+Z）找回。`);
}

export function finishDraft(app) {
  const t = app.byId[app.state.tool];
  if (!t || app.state.draft.length < M.MIN_POINTS[t.geometry]) return;
  const points = app.state.draft;
  app.state.draft = [];
  addElement(app, app.state.tool, points);
}

export function addAtCentre(app) {
  const t = app.byId[app.state.tool];
  if (!t) return;
  const { width, height } = M.mapSize(app.state.doc);
  // Several centre placements in a row fan out instead of stacking on one spot.
  const k = app.state.doc.elements.length % 6;
  const cx = width / 2 + (k - 2.5) * width * 0.03, cy = height / 2 + (k % 3 - 1) * height * 0.03;
  const a = Math.min(width, height) * 0.08;
  const points = t.geometry === "point" ? [[cx, cy]]
    : t.geometry === "polygon" ? [[cx - a, cy - a], [cx + a, cy - a], [cx + a, cy + a], [cx - a, cy + a]]
    : [[cx - 2 * a, cy], [cx, cy], [cx + 2 * a, cy]];
  app.state.draft = [];
  addElement(app, app.state.tool, points);
}

export function moveBy(app, id, vertex, dx, dy) {
  app.session.change(vertex === null ? "移动要素" : "移动顶点", (doc) => { M.moveElement(doc, id, vertex, dx, dy); }, { focus: { id, vertex } });
}

export function removeVertex(app, id, index) {
  let refusal = null;
  const done = app.session.change("删除顶点", (doc) => {
    refusal = M.removeVertex(doc, id, index, app.byId);
    if (refusal) return false;
    app.state.vertex = Math.min(index, M.findElement(doc, id).points.length - 1);
    return true;
  }, { focus: { id, vertex: Math.max(0, index - 1) } });
  if (!done) { app.warn(refusal); app.render({ id, vertex: index }); return; }
  app.warn("");
  app.say(`已删除第 ${index + 1} 个顶点。`);
}

// The edge a "+" stands on: [from, to] vertex indexes.
export function edgeOf(app, id, edge) {
  const e = M.findElement(app.state.doc, id);
  return M.edges(app.byId[e.type].geometry, e.points.length).find(([a]) => a === edge);
}

export function insertVertex(app, id, edge) {
  const [from, to] = edgeOf(app, id, edge);
  let index = null;
  app.session.change("添加顶点", (doc) => { index = M.insertVertex(doc, id, from, to); app.state.vertex = index; }, { focus: () => ({ id, vertex: index }) });
  app.say(`已在第 ${from + 1} 和第 ${to + 1} 个顶点之间加了一个，可以拖动它或用方向键移动。`);
  return index;
}

export function moveLabel(app, id, dx, dy) {
  const placed = app.labels().get(id);
  if (!placed) return;
  const offset = [placed.x - placed.anchor[0] + dx, placed.y - placed.anchor[1] + dy];
  app.session.change("移动标签", (doc) => { M.setLabelOffset(doc, id, offset); }, { focus: { id, label: true } });
}

export function autoLabel(app, id) {
  app.session.change("标签恢复自动位置", (doc) => { M.setLabelOffset(doc, id, null); }, { focus: { id, label: true } });
  app.say("标签已恢复自动位置。");
}

export function undo(app) {
  const label = app.session.undo();
  if (label) app.say(`已撤销：${label}。`);
  return label;
}
export function redo(app) {
  const label = app.session.redo();
  if (label) app.say(`已重做：${label}。`);
  return label;
}
