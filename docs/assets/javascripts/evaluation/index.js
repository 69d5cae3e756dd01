// 考评表 (docs/district/evaluation-form.md): blank from the build; optionally pre-filled in the
// browser from a community's JSON export, read and scored by SC.engine in the Python worker.
const SC = window.SC;
function clear(root) {
  root.querySelectorAll("[data-fill], [data-self]").forEach((cell) => { cell.textContent = ""; });
  delete root.dataset.filled;
}

async function prefill(root, file, ctx) {
  const status = root.querySelector(".sc-eval-status");
  clear(root);
  status.textContent = `正在读取“${file.name}”…（第一次使用需要先加载计算程序，约 6 MB）`;
  try {
    const text = await SC.fileBytes(file);
    await SC.py.ready((p) => { if (p.stage !== "ready" && p.text) status.textContent = p.text; }, { signal: ctx.signal });
    const details = await SC.engine.importDetails(text, file.name);
    const result = await SC.engine.score(details.answers, details.exported_at || new Date().toISOString());
    const p = result.profile;
    const set = (key, value) => { const cell = root.querySelector(`[data-fill="${key}"]`); if (cell) cell.textContent = value; };
    set("site_name", p.site_name || "（未填写）");
    set("town", p.town || "（未填写）");
    set("total", `${result.overall.score} 分，${result.overall.verdict}`);
    set("file", file.name + (details.verified ? "（校验码核对无误）" : "（未导出的自评数据，没有校验码）"));
    Object.values(result.items).forEach((item) => {
      const cell = root.querySelector(`[data-self="${item.id}"]`);
      if (!cell) return;
      cell.textContent = item.status_label + (item.score === null || item.score === undefined ? "" : `（${item.score}）`);
      cell.dataset.status = item.status;
    });
    root.dataset.filled = file.name;
    status.textContent = `已按“${file.name}”填入 ${p.site_name || "该点位"} 的自评结果。` + (details.notes && details.notes.length ? " " + details.notes.join(" ") : "");
  } catch (e) {
    SC.showError(status, e, `无法使用文件“${file.name}”：`);
  }
}

export function mount(root, ctx) {
  const input = root.querySelector("#sc-eval-file");
  input.addEventListener("change", () => { if (input.files[0]) prefill(root, input.files[0], ctx); });
  root.querySelector(".sc-evaluation-tools").addEventListener("click", (ev) => {
    const button = ev.target.closest("button[data-action]");
    if (!button) return;
    if (button.dataset.action === "print") window.print();
    if (button.dataset.action === "blank") {
      clear(root);
      input.value = "";
      root.querySelector(".sc-eval-status").textContent = "已恢复为空白表。";
    }
  });
}
