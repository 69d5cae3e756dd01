// 考评表 (docs/district/evaluation-form.md): blank from the build; optionally prefilled in the
// browser from a community's 报送材料包 (zip) or JSON export, dropped or chosen on this page. The
// file is read once by the dossier worker (a package is verified file by file against its
// manifest, as on the roll-up and by `selfcheck package verify`), re-scored with the current 口径,
// and for a package each item's row lists its evidence files, each of which opens.
import * as py from "../dossier/py.js";

const SC = window.SC;
const mb = (n) => (n >= 1024 * 1024 ? (n / 1024 / 1024).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB");

function clear(root) {
  root.querySelectorAll("[data-fill], [data-self], [data-evidence]").forEach((cell) => { cell.textContent = ""; delete cell.dataset.status; });
  delete root.dataset.filled;
}

async function prefill(root, file, ctx) {
  const status = root.querySelector(".sc-eval-status");
  status.textContent = `正在读取“${file.name}”…（第一次使用需要先加载计算程序，约 6 MB）`;
  try {
    py.release();
    const got = await py.call(ctx.root, "submit", { file, name: file.name });
    if (!got.ok) {
      // Refused: the form is blank again, so no other community's results are printed under it.
      clear(root);
      status.textContent = got.reason;
      root.dataset.refused = file.name;
      return;
    }
    const scored = await py.call(ctx.root, "items", { name: file.name, now: new Date().toISOString() });
    clear(root);
    delete root.dataset.refused;
    const p = scored.profile;
    const set = (key, value) => { const cell = root.querySelector(`[data-fill="${key}"]`); if (cell) cell.textContent = value; };
    set("site_name", p.site_name || "（未填写）");
    set("town", p.town || "（未填写）");
    set("total", `${scored.overall.score} 分，${scored.overall.verdict}`);
    set("file", file.name + (got.package ? `（材料包：${got.package.files.length} 个文件与清单一致）` : scored.verified ? "（校验码核对无误）" : "（未导出的自评数据，没有校验码）"));
    for (const [id, item] of Object.entries(scored.items)) {
      const cell = root.querySelector(`[data-self="${id}"]`);
      if (!cell) continue;
      cell.textContent = item.label + (item.score === null || item.score === undefined ? "" : `（${item.score}）`);
      cell.dataset.status = item.status;
    }
    for (const cell of root.querySelectorAll("[data-evidence]")) {
      const files = got.package ? got.package.evidence[cell.dataset.evidence] || [] : null;
      if (!files) { cell.textContent = "—"; continue; }
      if (!files.length) { cell.textContent = "无"; continue; }
      cell.append(SC.h("ul", { class: "sc-eval-files" }, files.map((f) => SC.h("li", {},
        SC.h("button", { type: "button", class: "sc-link", "data-path": f.path, onclick: () => openFile(root, file.name, f, ctx) }, f.name), `（${mb(f.size)}）`))));
    }
    root.dataset.filled = file.name;
    const withFiles = got.package ? Object.values(got.package.evidence).filter((x) => x.length).length : 0;
    status.textContent = `已按“${file.name}”填入 ${p.site_name || "该点位"} 的自评结果` +
      (got.package ? `，并列出 ${withFiles} 个条目的证明材料。` : "（JSON 导出没有附带证明材料）。") +
      (scored.notes && scored.notes.length ? " " + scored.notes.join(" ") : "");
  } catch (e) {
    if (e && e.detail) console.error(e.detail);
    clear(root);
    status.textContent = `无法使用文件“${file.name}”：${e && e.message ? e.message : e}`;
  }
}

async function openFile(root, name, f, ctx) {
  const status = root.querySelector(".sc-eval-status");
  try {
    const bytes = await py.call(ctx.root, "extract", { name, path: f.path });
    SC.download(new Blob([bytes]), f.name);
    status.textContent = `已打开“${f.name}”。`;
  } catch (e) {
    status.textContent = e && e.message ? e.message : String(e);
  }
}

export function mount(root, ctx) {
  const input = root.querySelector("#sc-eval-file");
  const zone = root.querySelector("#sc-eval-drop");
  ctx.on(input, "change", () => { if (input.files[0]) prefill(root, input.files[0], ctx); });
  ctx.on(zone, "dragover", (e) => { e.preventDefault(); zone.classList.add("sc-over"); });
  ctx.on(zone, "dragleave", () => zone.classList.remove("sc-over"));
  ctx.on(zone, "drop", (e) => {
    e.preventDefault();
    zone.classList.remove("sc-over");
    const file = e.dataTransfer && e.dataTransfer.files[0];
    if (file) prefill(root, file, ctx);
  });
  ctx.on(root.querySelector(".sc-evaluation-tools"), "click", (ev) => {
    const button = ev.target.closest("button[data-action]");
    if (!button) return;
    if (button.dataset.action === "print") window.print();
    if (button.dataset.action === "blank") {
      clear(root);
      input.value = "";
      root.querySelector(".sc-eval-status").textContent = "已恢复为空白表。";
    }
  });
  return () => py.release();
}
