// 风险一张图, the controls around the map: the tool buttons and their hint, undo/redo, the
// selected element's form (with its vertex and label controls), the title block fields and the
// element list (the 台账 of item 4.1).
import { drawIcon } from "./symbols.js";
import { findElement, GEOMETRY_WORD, MIN_POINTS, VERTEX_WORD } from "./model.js";
import { select, removeElement } from "./commands.js";

export function where(t, pts) {
  if (t.geometry === "point") return `点（${Math.round(pts[0][0])}, ${Math.round(pts[0][1])}）`;
  return `${GEOMETRY_WORD[t.geometry]}，${pts.length} 个${VERTEX_WORD[t.geometry]}`;
}

function button(label, aria, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "sc-rm-btn sc-rm-btn--small";
  b.textContent = label;
  b.setAttribute("aria-label", aria);
  b.addEventListener("click", onClick);
  return b;
}

function renderList(app) {
  const { $, byId, state } = app;
  const { doc } = state;
  const body = $("sc-rm-list");
  body.textContent = "";
  const m = doc.meta;
  $("sc-rm-ledger-meta").textContent = `社区（村）：${m.community || "未填写"}　绘制日期：${m.date || "未填写"}　绘制人：${m.author || "未填写"}　共 ${doc.elements.length} 个要素`;
  if (!doc.elements.length) {
    const td = body.insertRow().insertCell();
    td.colSpan = 6;
    td.textContent = "图上还没有要素。";
    return;
  }
  doc.elements.forEach((e, i) => {
    const t = byId[e.type];
    const tr = body.insertRow();
    tr.dataset.id = e.id;
    if (e.id === state.selected) tr.className = "is-selected";
    tr.insertCell().textContent = String(i + 1);
    const typeCell = tr.insertCell();
    const icon = document.createElement("span");
    icon.className = "sc-rm-icon";
    drawIcon(icon, t);
    typeCell.append(icon, t.label);
    tr.insertCell().textContent = e.name || "（未命名）";
    tr.insertCell().textContent = e.note;
    tr.insertCell().textContent = where(t, e.points);
    const actions = tr.insertCell();
    actions.className = "sc-rm-noprint";
    const pick = button("选中", `选中${t.label}“${e.name || "未命名"}”`, () => select(app, e.id, { focusMap: true }));
    const del = button("删除", `删除${t.label}“${e.name || "未命名"}”`, () => {
      const next = doc.elements[i + 1] || doc.elements[i - 1];
      removeElement(app, e.id);
      const target = next && document.querySelector(`#sc-rm-list tr[data-id="${next.id}"] button`);
      (target || $("sc-rm-h5")).focus();
    });
    del.classList.add("sc-rm-btn--danger");
    actions.append(pick, del);
  });
}

function renderEditor(app) {
  const { $, byId, state } = app;
  const e = findElement(state.doc, state.selected);
  $("sc-rm-editor-empty").hidden = !!e;
  $("sc-rm-editor-form").hidden = !e;
  if (!e) return;
  const t = byId[e.type];
  drawIcon($("sc-rm-editor-icon"), t);
  $("sc-rm-editor-type").textContent = t.label;
  $("sc-rm-editor-where").textContent = where(t, e.points);
  if ($("sc-rm-name").value !== e.name) $("sc-rm-name").value = e.name;
  if ($("sc-rm-note").value !== e.note) $("sc-rm-note").value = e.note;
  const multi = t.geometry !== "point";
  $("sc-rm-vertex-tools").hidden = !multi;
  if (multi) {
    const word = VERTEX_WORD[t.geometry];
    const chosen = state.vertex !== null && state.vertex < e.points.length;
    $("sc-rm-vertex-info").textContent = (chosen ? `已选中第 ${state.vertex + 1} 个${word}。` : `先在图上点选一个${word}（或用 Tab 键选到它）。`) +
      `${GEOMETRY_WORD[t.geometry]}至少要有 ${MIN_POINTS[t.geometry]} 个${word}；两个${word}之间的“+”可以加一个。`;
    $("sc-rm-delete-vertex").textContent = `删除选中的${word}`;
    $("sc-rm-delete-vertex").disabled = !chosen;
  }
  $("sc-rm-label-auto").disabled = !e.label_offset;
  $("sc-rm-label-info").textContent = !e.name ? "填写名称后，图上会显示名称标签。"
    : e.label_offset ? "名称标签已手动摆放。" : "名称标签自动摆放，避开其他标签；可以拖动它，或用 Tab 键选到它后按方向键移动。";
}

function renderTools(app) {
  const { $, root, byId, state, svg } = app;
  root.querySelectorAll(".sc-rm-tool").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tool === state.tool)));
  const t = byId[state.tool];
  const multi = t && t.geometry !== "point";
  $("sc-rm-add-centre").disabled = !t;
  $("sc-rm-finish").hidden = !multi;
  $("sc-rm-undo-point").hidden = !multi;
  $("sc-rm-cancel").hidden = !t;
  $("sc-rm-finish").disabled = !(multi && state.draft.length >= MIN_POINTS[t.geometry]);
  $("sc-rm-undo-point").disabled = !state.draft.length;
  svg.classList.toggle("is-adding", !!t);
  let message = "先选一种要素，再点图上的位置。区域和路线要依次点多个位置，最后按“完成”。";
  if (t && !multi) message = `正在添加：${t.label}。点图上的位置放一个；也可以按“在图中央添加”，再用方向键移动。`;
  if (multi) {
    message = `正在添加：${t.label}。已点 ${state.draft.length} 个位置（至少 ${MIN_POINTS[t.geometry]} 个），点完按“完成”或 Enter 键；` +
      `也可以按“在图中央添加”放一个现成的${GEOMETRY_WORD[t.geometry]}再调整。`;
  }
  $("sc-rm-mode").textContent = message;
}

// Disabled when there is nothing to undo or redo; the title says what the next step is.
function renderHistory(app) {
  const { $, session } = app;
  for (const [id, can, label, word] of [["sc-rm-undo", session.canUndo(), session.undoLabel(), "撤销"], ["sc-rm-redo", session.canRedo(), session.redoLabel(), "重做"]]) {
    $(id).disabled = !can;
    $(id).title = can ? `${word}：${label}` : `没有可以${word}的操作`;
  }
}

export function renderPanels(app) {
  const { $, state } = app;
  renderList(app);
  renderEditor(app);
  renderTools(app);
  renderHistory(app);
  for (const key of ["community", "date", "author"]) {
    if ($(`sc-rm-${key}`).value !== state.doc.meta[key]) $(`sc-rm-${key}`).value = state.doc.meta[key];
  }
}

// The tool buttons' icons and those in the page's table of element types (outside the tool).
export function drawToolIcons(app) {
  document.querySelectorAll(".sc-rm-icon[data-type]").forEach((span) => drawIcon(span, app.byId[span.dataset.type]));
}
