// 自评结果汇总 (docs/district/rollup.md): many JSON exports in, one ranked table out, computed by
// selfcheck.api.aggregate in the shared Python worker (SC.engine): the same code as `selfcheck aggregate`.
const SC = window.SC;
function el(tag, content, cls) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (content !== undefined && content !== null) node.textContent = content;
  return node;
}

const fmt = (value) => SC.fmt.number(value, 2);

function renderTable(root, summary) {
  const box = root.querySelector(".sc-rollup-result");
  box.innerHTML = "";
  if (!summary.communities.length) return;
  box.appendChild(el("h2", `排名（${summary.communities.length} 个点位）`));
  box.appendChild(el("p", `评分口径：${summary.scoring.label}（${summary.scoring.source}，版本 ${summary.scoring.version}）；标准版本 ${summary.standard_version}。同分并列同一名次。`, "sc-source"));
  const table = el("table", null, "sc-rank-table");
  const head = table.createTHead().insertRow();
  ["名次", "属地镇街", "点位名称", "总分", "结论"].concat(summary.categories.map((c) => c.id + " " + c.name)).concat(["文件", "说明"])
    .forEach((h) => { const th = el("th", h); th.scope = "col"; head.appendChild(th); });
  const body = table.createTBody();
  summary.communities.forEach((row) => {
    const tr = body.insertRow();
    tr.dataset.rank = row.rank;
    tr.dataset.site = row.site_name;
    tr.dataset.score = row.score;
    const cells = [row.rank, row.town, row.site_name, fmt(row.score), row.verdict]
      .concat(summary.categories.map((c) => fmt(row.category_scores[c.id])))
      .concat([row.file, (row.notes || []).join(" ")]);
    cells.forEach((v, i) => {
      const cell = i === 2 ? el("th", String(v)) : el("td", String(v));
      if (i === 2) cell.scope = "row";
      if (i >= 5 && i < 5 + summary.categories.length) cell.dataset.category = summary.categories[i - 5].id;
      tr.appendChild(cell);
    });
  });
  const wrap = el("div", null, "sc-table-scroll");
  wrap.appendChild(table);
  box.appendChild(wrap);
}

function renderRefused(root, refused) {
  const box = root.querySelector(".sc-rollup-refused");
  box.innerHTML = "";
  if (!refused.length) return;
  box.appendChild(el("h2", `未采用的文件（${refused.length} 个）`));
  const ul = el("ul", null, "sc-refused-list");
  refused.forEach((r) => {
    const li = el("li", null, "sc-refused");
    li.dataset.file = r.file;
    li.appendChild(el("strong", "✘ 未采用：" + r.file));
    li.appendChild(el("br"));
    li.appendChild(document.createTextNode(r.reason));
    ul.appendChild(li);
  });
  box.appendChild(ul);
}

export function mount(root, ctx) {
  const files = [];  // {name, text}, in the order they were added
  const status = root.querySelector(".sc-rollup-status");
  const actions = root.querySelector(".sc-rollup-actions");
  const zone = root.querySelector(".sc-dropzone");
  const input = root.querySelector("#sc-rollup-files");
  let lastSummary = null;

  const args = () => [files.map((f) => f.text), files.map((f) => f.name)];

  async function recompute() {
    if (!files.length) return;
    status.textContent = `正在检查和汇总 ${files.length} 个文件…（第一次使用需要先加载计算程序，约 6 MB）`;
    try {
      await SC.py.ready((p) => { if (p.stage !== "ready" && p.text) status.textContent = p.text; }, { signal: ctx.signal });
      lastSummary = await SC.engine.aggregate(...args());
      renderTable(root, lastSummary);
      renderRefused(root, lastSummary.refused);
      status.textContent = `已汇总：${lastSummary.communities.length} 个点位参加排名，${lastSummary.refused.length} 个文件未采用。`;
      actions.hidden = false;
      root.dataset.done = String(files.length);
    } catch (e) {
      SC.showError(status, e, "汇总失败：");
    }
  }

  async function add(fileList) {
    const list = Array.from(fileList || []);
    if (!list.length) return;
    for (const file of list) {
      let text;
      try {
        text = await SC.fileBytes(file);
      } catch (e) {
        text = new Uint8Array(0);
      }
      files.push({ name: file.name, text });
    }
    await recompute();
  }

  input.addEventListener("change", () => { add(input.files).then(() => { input.value = ""; }); });
  zone.addEventListener("dragover", (ev) => { ev.preventDefault(); zone.classList.add("sc-dragging"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("sc-dragging"));
  zone.addEventListener("drop", (ev) => {
    ev.preventDefault();
    zone.classList.remove("sc-dragging");
    add(ev.dataTransfer && ev.dataTransfer.files);
  });
  actions.addEventListener("click", async (ev) => {
    const button = ev.target.closest("button[data-action]");
    if (!button) return;
    if (button.dataset.action === "clear") {
      files.length = 0;
      lastSummary = null;
      root.querySelector(".sc-rollup-result").innerHTML = "";
      root.querySelector(".sc-rollup-refused").innerHTML = "";
      actions.hidden = true;
      delete root.dataset.done;
      status.textContent = "已清空。";
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      const bytes = await SC.engine.aggregateXlsx(...args());
      SC.download(bytes, "安全发展社区自评汇总排名.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      status.textContent = "已导出排名表（Excel）。";
    } catch (e) {
      SC.showError(status, e, "导出失败：");
    } finally {
      button.disabled = false;
    }
  });
}
