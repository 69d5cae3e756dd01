// 物资储备, 本社区的储备: the community's quantity on hand and a note per reserve line, saved on
// every change in the open workspace (key sc-reserve-v1, swapped by store.js). Feature
// "dossier/reserve" on docs/staff/reserve.md; the rows come from data/reserve.yaml at build time.
import * as data from "./tool-data.js";

export const KEY = "sc-reserve-v1";
export const FORMAT = "sc-reserve";

export function mount(root, ctx) {
  const status = root.querySelector("[data-sc-status]");
  const rows = [...root.querySelectorAll("tr[data-line]")];

  function show() {
    const doc = data.read(KEY, FORMAT) || { lines: {} };
    for (const tr of rows) {
      const saved = doc.lines[tr.dataset.line] || {};
      for (const input of tr.querySelectorAll("input[data-field]")) {
        const v = saved[input.dataset.field];
        input.value = v === null || v === undefined ? "" : String(v);
        input.disabled = false;
      }
    }
  }

  function save(tr) {
    const doc = data.read(KEY, FORMAT) || { format: FORMAT, version: 1, lines: {} };
    const qty = tr.querySelector('[data-field="qty"]');
    const note = tr.querySelector('[data-field="note"]').value.trim();
    const n = qty.value.trim();
    if (n && !(Number.isInteger(Number(n)) && Number(n) >= 0)) {
      status.textContent = `“${tr.dataset.name}”的现有数量应为不小于 0 的整数，这一项没有保存。`;
      return;
    }
    if (!n && !note) delete doc.lines[tr.dataset.line];
    else doc.lines[tr.dataset.line] = { hazard: tr.dataset.hazard, name: tr.dataset.name, qty: n ? Number(n) : null, note };
    data.saveAndSay(KEY, doc, status, `已保存“${tr.dataset.name}”（${tr.dataset.hazard}）。`);
  }

  // Saved as typed, like the 自评: nothing waits for a blur that a closed tab never sends.
  root.addEventListener("input", (e) => {
    const tr = e.target.closest("tr[data-line]");
    if (tr) save(tr);
  }, { signal: ctx.signal });
  return data.followWorkspace(root, show);
}

// The package's table (物资储备/本社区储备.csv), or null when nothing is recorded.
export function packageCsv(value) {
  let doc;
  try { doc = JSON.parse(value); } catch (e) { return null; }
  const lines = doc && doc.format === FORMAT ? Object.values(doc.lines || {}) : [];
  if (!lines.length) return null;
  return data.csv([["灾种", "物资", "现有数量", "备注"], ...lines.map((l) => [l.hazard, l.name, l.qty, l.note])]);
}
