// 工作日历, 本社区完成记录: the dates the community did each periodic task, saved in the open
// workspace (key sc-calendar-v1, swapped by store.js). Feature "dossier/calendar" on
// docs/staff/calendar.md; the tasks are the page's rows, built from the standard.
import * as data from "./tool-data.js";
import { h, isoDay } from "./dom.js";

export const KEY = "sc-calendar-v1";
export const FORMAT = "sc-calendar";

export function mount(root, ctx) {
  const status = root.querySelector("[data-sc-status]");
  const rows = [...root.querySelectorAll("tr[data-criterion]")];

  function show() {
    const doc = data.read(KEY, FORMAT) || { tasks: {} };
    for (const tr of rows) cell(tr, (doc.tasks[tr.dataset.criterion] || {}).dates || []);
  }

  function cell(tr, dates) {
    const id = tr.dataset.criterion;
    const td = tr.querySelector("[data-done]");
    const input = h("input", { type: "date", max: isoDay(), "aria-label": `${tr.dataset.task}（${id}）完成日期` });
    const add = h("button", { type: "button", class: "md-button sc-small-button", "aria-label": `记下${tr.dataset.task}（${id}）的完成日期` }, "记下");
    add.addEventListener("click", () => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.value)) { status.textContent = `请先选择“${tr.dataset.task}”的完成日期。`; input.focus(); return; }
      change(tr, (list) => (list.includes(input.value) ? list : [...list, input.value].sort()), `已记下“${tr.dataset.task}”于 ${input.value} 完成。`);
    });
    // The cell is redrawn on each change: a keyboard user who pressed 记下 stays on the new 记下
    // button, and one who deleted a date lands on the row's date field, not at the page's top.
    const focused = td.contains(document.activeElement) ? document.activeElement : null;
    td.replaceChildren(
      dates.length ? h("ul", { class: "sc-done-dates" }, dates.map((d) => h("li", {}, h("time", { datetime: d }, d), " ",
        h("button", { type: "button", class: "sc-link", "aria-label": `删除 ${d} 的记录（${tr.dataset.task}）`,
          onclick: () => change(tr, (list) => list.filter((x) => x !== d), `已删除“${tr.dataset.task}”${d} 的记录。`) }, "删除")))) : null,
      input, " ", add);
    if (focused) (focused.textContent === "记下" ? add : input).focus({ preventScroll: true });
  }

  function change(tr, edit, said) {
    const doc = data.read(KEY, FORMAT) || { format: FORMAT, version: 1, tasks: {} };
    const id = tr.dataset.criterion;
    const dates = edit(((doc.tasks[id] || {}).dates || []).slice());
    if (dates.length) doc.tasks[id] = { item: tr.dataset.item, task: tr.dataset.task, period: tr.cells[0].textContent.trim(), dates };
    else delete doc.tasks[id];
    if (data.saveAndSay(KEY, doc, status, said)) cell(tr, dates);
  }

  return data.followWorkspace(root, show);
}

// The package's table (工作日历/完成记录.csv), or null when nothing is recorded.
export function packageCsv(value) {
  let doc;
  try { doc = JSON.parse(value); } catch (e) { return null; }
  const tasks = doc && doc.format === FORMAT ? Object.entries(doc.tasks || {}) : [];
  if (!tasks.length) return null;
  const rows = [["条目", "指标", "任务", "周期", "完成日期"]];
  for (const [id, t] of tasks) for (const d of t.dates) rows.push([t.item, id, t.task, t.period, d]);
  return data.csv(rows);
}
