// 风险一张图, editing: the tools (add a point, an area or a route), selection, moving elements by
// pointer or arrow keys, vertex editing (drag a vertex, "+" between two vertices adds one, Delete
// removes one but never below an area's 3 or a route's 2), dragging name labels, the fields of
// the selected element and the title block, and undo/redo by buttons and Ctrl+Z / Ctrl+Y.
import * as M from "./model.js";

const STEP = { small: 10, large: 50 }; // arrow-key steps, in thousandths of the sheet's longer side

// ---- commands -----------------------------------------------------------------------------------
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

function addElement(app, type, points) {
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

function finishDraft(app) {
  const t = app.byId[app.state.tool];
  if (!t || app.state.draft.length < M.MIN_POINTS[t.geometry]) return;
  const points = app.state.draft;
  app.state.draft = [];
  addElement(app, app.state.tool, points);
}

function addAtCentre(app) {
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

function moveBy(app, id, vertex, dx, dy) {
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
function edgeOf(app, id, edge) {
  const e = M.findElement(app.state.doc, id);
  return M.edges(app.byId[e.type].geometry, e.points.length).find(([a]) => a === edge);
}

function insertVertex(app, id, edge) {
  const [from, to] = edgeOf(app, id, edge);
  let index = null;
  app.session.change("添加顶点", (doc) => { index = M.insertVertex(doc, id, from, to); app.state.vertex = index; }, { focus: () => ({ id, vertex: index }) });
  app.say(`已在第 ${from + 1} 和第 ${to + 1} 个顶点之间加了一个，可以拖动它或用方向键移动。`);
  return index;
}

function moveLabel(app, id, dx, dy) {
  const placed = app.labels().get(id);
  if (!placed) return;
  const offset = [placed.x - placed.anchor[0] + dx, placed.y - placed.anchor[1] + dy];
  app.session.change("移动标签", (doc) => { M.setLabelOffset(doc, id, offset); }, { focus: { id, label: true } });
}

function autoLabel(app, id) {
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

// ---- events -------------------------------------------------------------------------------------
const targetOf = (event) => (event.target.closest ? event.target.closest("[data-id], [data-label-for]") : null);
const isTextField = (node) => !!(node && node.closest && node.closest("input, textarea, select, [contenteditable]"));

export function attachEditor(app, ctx) {
  const { svg, $, root, state } = app;
  let drag = null;
  let suppressClick = false;

  const toMap = (event) => {
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
    return [point.x, point.y];
  };
  const onMap = ([x, y]) => { const s = M.mapSize(state.doc); return x >= 0 && y >= 0 && x <= s.width && y <= s.height; };

  svg.addEventListener("click", (event) => {
    if (suppressClick) { suppressClick = false; return; }
    if (!state.tool) return;
    const p = toMap(event);
    if (!onMap(p)) return;
    if (app.byId[state.tool].geometry === "point") addElement(app, state.tool, [p]);
    else {
      state.draft.push(M.clampPoint(state.doc, p));
      app.render();
    }
  });

  svg.addEventListener("pointerdown", (event) => {
    // While adding, a press on an existing element must neither focus nor select it: it places.
    if (state.tool) { event.preventDefault(); return; }
    if (event.pointerType === "mouse" && event.button !== 0) return;
    const target = targetOf(event);
    if (!target) {
      if (state.selected) { state.selected = null; state.vertex = null; app.render(); }
      return;
    }
    event.preventDefault();
    const before = app.session.snapshot();
    const id = target.dataset.id || target.dataset.labelFor;
    let vertex = target.dataset.vertex === undefined ? null : +target.dataset.vertex;
    let kind = "element";
    if (target.dataset.labelFor || target.dataset.label) kind = "label";
    else if (target.dataset.edge !== undefined) {
      // A "+" pressed: the new vertex is made now and follows the pointer; adding and moving it
      // is one step to undo (recorded when the press ends).
      kind = "insert";
      vertex = M.insertVertex(state.doc, id, ...edgeOf(app, id, +target.dataset.edge));
    }
    const e = M.findElement(state.doc, id);
    const placed = app.labels().get(id);
    drag = {
      id, vertex, kind, before, start: toMap(event), client: [event.clientX, event.clientY], moved: false,
      points: e.points.map((p) => p.slice()),
      offset: placed ? [placed.x - placed.anchor[0], placed.y - placed.anchor[1]] : null,
    };
    svg.setPointerCapture(event.pointerId);
    state.selected = id;
    state.vertex = vertex;
    app.render(kind === "label" ? { id, label: true } : { id, vertex });
  });

  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    if (!drag.moved && Math.hypot(event.clientX - drag.client[0], event.clientY - drag.client[1]) < 4) return;
    drag.moved = true;
    const [x, y] = toMap(event);
    const dx = x - drag.start[0], dy = y - drag.start[1];
    if (drag.kind === "label") M.setLabelOffset(state.doc, drag.id, [drag.offset[0] + dx, drag.offset[1] + dy]);
    else M.moveElement(state.doc, drag.id, drag.vertex, dx, dy, drag.points);
    app.drawOnly();
  });

  const DRAG_STEP = { label: "移动标签", insert: "添加顶点", element: "移动要素", vertex: "移动顶点" };
  function endDrag() {
    if (!drag) return;
    const { id, vertex, moved, kind, before } = drag;
    drag = null;
    if (!moved && kind !== "insert") return;
    if (moved) {
      suppressClick = true;
      setTimeout(() => { suppressClick = false; }, 0);
    }
    app.session.remember(before, DRAG_STEP[kind === "element" && vertex !== null ? "vertex" : kind]);
    if (kind === "insert") app.say("已加了一个顶点，可以拖动它或用方向键移动。");
    app.render(kind === "label" ? { id, label: true } : { id, vertex });
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  svg.addEventListener("focusin", (event) => {
    const target = targetOf(event);
    if (!target || !target.dataset.id) return;
    const vertex = target.dataset.vertex === undefined ? null : +target.dataset.vertex;
    if (target.dataset.id === state.selected && vertex === state.vertex) return;
    const selectedBefore = state.selected;
    state.selected = target.dataset.id;
    // Tabbing onto a "+" or the label keeps the vertex choice; onto the element clears it.
    if (target.dataset.vertex !== undefined || target.classList.contains("sc-rm-el")) state.vertex = vertex;
    if (selectedBefore !== state.selected) {
      app.render({ id: state.selected, vertex: target.dataset.vertex === undefined ? undefined : vertex,
        edge: target.dataset.edge === undefined ? undefined : +target.dataset.edge, label: !!target.dataset.label });
    } else app.renderPanels();
  });

  svg.addEventListener("keydown", (event) => {
    const target = targetOf(event);
    if (!target || !target.dataset.id) {
      if (event.key === "Enter" && state.tool) {
        event.preventDefault();
        if (app.byId[state.tool].geometry !== "point" && state.draft.length) finishDraft(app); else addAtCentre(app);
      }
      return;
    }
    const id = target.dataset.id;
    const vertex = target.dataset.vertex === undefined ? null : +target.dataset.vertex;
    const step = M.unitOf(state.doc) * (event.shiftKey ? STEP.large : STEP.small);
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (target.dataset.edge !== undefined) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        insertVertex(app, id, +target.dataset.edge);
      }
      return;
    }
    if (moves[event.key]) {
      event.preventDefault();
      if (target.dataset.label) moveLabel(app, id, ...moves[event.key]);
      else moveBy(app, id, vertex, ...moves[event.key]);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      if (target.dataset.label) { autoLabel(app, id); return; }
      if (vertex !== null) { removeVertex(app, id, vertex); return; }
      const index = state.doc.elements.findIndex((e) => e.id === id);
      const next = state.doc.elements[index + 1] || state.doc.elements[index - 1];
      removeElement(app, id, next ? { id: next.id } : { svg: true });
    } else if (event.key === "Escape") {
      state.selected = null;
      state.vertex = null;
      app.render();
      svg.focus();
    }
  });

  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.tool) { setTool(app, ""); app.say("已退出添加。"); }
    else if (event.key === "Enter" && state.tool && state.draft.length && event.target === svg) finishDraft(app);
  });

  // Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z anywhere on the page; in a text field they stay the browser's
  // own undo of that field's typing.
  ctx.on(document, "keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || isTextField(event.target)) return;
    const key = event.key.toLowerCase();
    const wantsRedo = key === "y" || (key === "z" && event.shiftKey);
    if (key !== "z" && !wantsRedo) return;
    event.preventDefault();
    const onMapBefore = svg.contains(document.activeElement);
    const done = wantsRedo ? redo(app) : undo(app);
    if (!done) { app.say(wantsRedo ? "没有可以重做的操作。" : "没有可以撤销的操作。"); return; }
    app.render(onMapBefore ? (state.selected ? { id: state.selected } : { svg: true }) : null);
  });
  const historyButton = (id, other, run) => $(id).addEventListener("click", () => {
    if (!run(app)) return;
    app.render();
    // A button that has just become disabled would drop the keyboard focus to the page's top.
    if ($(id).disabled && !$(other).disabled) $(other).focus();
  });
  historyButton("sc-rm-undo", "sc-rm-redo", undo);
  historyButton("sc-rm-redo", "sc-rm-undo", redo);

  root.querySelectorAll(".sc-rm-tool").forEach((b) => b.addEventListener("click", () => setTool(app, b.dataset.tool)));
  $("sc-rm-add-centre").addEventListener("click", () => addAtCentre(app));
  $("sc-rm-finish").addEventListener("click", () => finishDraft(app));
  $("sc-rm-undo-point").addEventListener("click", () => { state.draft.pop(); app.render(); });
  $("sc-rm-cancel").addEventListener("click", () => { setTool(app, ""); app.say("已取消添加。"); });

  for (const [id, key, label] of [["sc-rm-name", "name", "修改名称"], ["sc-rm-note", "note", "修改备注"]]) {
    $(id).addEventListener("input", (event) => {
      const sel = state.selected;
      if (!M.findElement(state.doc, sel)) return;
      app.session.change(label, (doc) => { M.findElement(doc, sel)[key] = event.target.value; }, { typingKey: `${key}:${sel}` });
    });
    $(id).addEventListener("change", () => app.session.stopTyping());
  }
  $("sc-rm-delete").addEventListener("click", () => { removeElement(app, state.selected); $("sc-rm-h3").focus(); });
  $("sc-rm-delete-vertex").addEventListener("click", () => {
    if (state.selected && state.vertex !== null) removeVertex(app, state.selected, state.vertex);
  });
  $("sc-rm-label-auto").addEventListener("click", () => { if (state.selected) autoLabel(app, state.selected); });
  for (const [id, key, label] of [["sc-rm-community", "community", "修改社区名称"], ["sc-rm-date", "date", "修改绘制日期"], ["sc-rm-author", "author", "修改绘制人"]]) {
    $(id).addEventListener("input", (event) => {
      app.session.change(label, (doc) => { doc.meta[key] = event.target.value; }, { typingKey: `meta:${key}` });
    });
    $(id).addEventListener("change", () => app.session.stopTyping());
  }
}
