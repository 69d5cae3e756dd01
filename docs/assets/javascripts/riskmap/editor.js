// 风险一张图, editing: the tools (add a point, an area or a route), selection, moving elements by
// pointer or arrow keys, vertex editing (drag a vertex, "+" between two vertices adds one, Delete
// removes one but never below an area's 3 or a route's 2), dragging name labels, the fields of
// the selected element and the title block, and undo/redo by buttons and Ctrl+Z / Ctrl+Y.
import * as M from "./model.js";
import {
  addElement, removeElement, finishDraft, addAtCentre, moveBy, edgeOf, insertVertex, removeVertex,
  moveLabel, autoLabel, setTool, undo, redo,
} from "./commands.js";

const STEP = { small: 10, large: 50 }; // arrow-key steps, in thousandths of the sheet's longer side

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
