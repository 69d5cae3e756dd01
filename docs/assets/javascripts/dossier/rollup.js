// 报送材料包核验: packages (zip) and JSON exports in; each package checked file by file against its
// manifest (selfcheck.package.verify, in dossier/worker.js), all ranked with selfcheck.aggregate —
// the same code and verdicts as `selfcheck package verify` / `selfcheck aggregate`. Per community
// and item: the evidence attached, each file can be opened, and a 考评表 prefilled for the expert.
// Files stay in the browser. A refused file changes nothing already loaded.

import * as py from "./py.js";
import { h, download } from "./dom.js";

const mb = (n) => (n >= 1024 * 1024 ? (n / 1024 / 1024).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB");

export async function mount(root, ctx) {
  const standard = await py.loadJson(ctx.root, "standard");
  const loaded = new Map(); // file name → {file, checked (package verify result) | null}
  const status = h("p", { class: "sc-dossier-status", role: "status", "aria-live": "polite" });
  const input = h("input", { type: "file", id: "sc-rollup-files", multiple: true, accept: ".zip,.json,application/zip,application/json" });
  const zone = h("div", { class: "sc-dropzone", id: "sc-rollup-drop" },
    h("p", {}, "把材料包（.zip）或自评导出（.json）拖到这里，或 ", h("label", { for: "sc-rollup-files" }, "选择文件："), input));
  const clear = h("button", { type: "button", class: "md-button", id: "sc-rollup-clear" }, "清空");
  const out = h("div", { id: "sc-rollup-result" });
  root.replaceChildren(zone, h("p", {}, clear), status, out);
  let lastRefused = [];

  const on = (t, type, fn) => t.addEventListener(type, fn, { signal: ctx.signal });
  on(input, "change", () => { add([...input.files]); input.value = ""; });
  on(zone, "dragover", (e) => { e.preventDefault(); zone.classList.add("sc-over"); });
  on(zone, "dragleave", () => zone.classList.remove("sc-over"));
  on(zone, "drop", (e) => { e.preventDefault(); zone.classList.remove("sc-over"); add([...e.dataTransfer.files]); });
  on(clear, "click", () => { loaded.clear(); lastRefused = []; out.replaceChildren(); status.textContent = "已清空。"; });

  async function add(files) {
    if (!files.length) return;
    status.textContent = `正在核对 ${files.length} 个文件（第一次需要加载 Python，约几秒）…`;
    const refused = [];
    for (const file of files) {
      if (/\.zip$/i.test(file.name) || file.type === "application/zip") {
        let checked;
        try {
          checked = await py.call(ctx.root, "verify", { file, name: file.name });
        } catch (e) {
          checked = { ok: false, file: file.name, reason: e.message };
        }
        if (!checked.ok) { refused.push({ file: file.name, reason: checked.reason }); continue; }
        loaded.set(file.name, { file, checked });
      } else {
        loaded.set(file.name, { file, checked: null });
      }
    }
    try {
      const summary = await py.call(ctx.root, "aggregate", { files: [...loaded].map(([name, x]) => ({ name, file: x.file })), now: new Date().toISOString() });
      // Files the ranking refused (a bad JSON, a duplicate site) are not kept for the next drop.
      for (const r of summary.refused) {
        const x = loaded.get(r.file);
        if (x && !summary.communities.some((c) => c.file === r.file)) loaded.delete(r.file);
      }
      lastRefused = refused.concat(summary.refused);
      await render(summary);
      status.textContent = `已采用 ${summary.communities.length} 个点位；未采用 ${lastRefused.length} 个文件。`;
    } catch (e) {
      status.textContent = e.message;
    }
  }

  async function render(summary) {
    const cats = summary.categories;
    const itemCount = Object.keys(Object.fromEntries(standard.categories.flatMap((c) => c.items.map((i) => [i.id, 1])))).length;
    const table = h("table", { id: "sc-rollup-table", class: "sc-rollup-table" },
      h("thead", {}, h("tr", {}, ["名次", "属地镇街", "点位名称", "总分", "结论", ...cats.map((c) => c.name), "有证明材料的条目", "文件"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, summary.communities.map((r) => h("tr", { "data-file": r.file },
        h("td", {}, String(r.rank)), h("td", {}, r.town), h("th", { scope: "row" }, r.site_name), h("td", {}, fmt(r.score)), h("td", {}, r.verdict),
        cats.map((c) => h("td", {}, r.category_scores[c.id] === null ? "—" : fmt(r.category_scores[c.id]))),
        h("td", {}, r.evidence ? `${Object.values(r.evidence).filter((x) => x.length).length} / ${itemCount}` : "（JSON 导出，无附件）"),
        h("td", {}, r.file)))));
    const parts = [h("h2", {}, "排名"), h("div", { class: "sc-table-wrap", tabindex: "0", role: "region", "aria-label": "排名表（可左右滚动）" }, table),
      h("p", { class: "sc-hint" }, `评分口径：${summary.scoring.label}（${summary.scoring.source}，版本 ${summary.scoring.version}）；按当前口径重新评分。`)];
    if (lastRefused.length) {
      parts.push(h("h2", {}, "未采用的文件"), h("ul", { id: "sc-rollup-refused" },
        lastRefused.map((x) => h("li", { class: "sc-refused", "data-file": x.file }, x.reason))));
    }
    parts.push(h("h2", {}, "各社区的证明材料与考评表"));
    for (const r of summary.communities) parts.push(await communitySection(r));
    out.replaceChildren(...parts);
  }

  async function communitySection(r) {
    const x = loaded.get(r.file);
    const body = h("div", {});
    const section = h("details", { class: "sc-rollup-community", "data-file": r.file },
      h("summary", {}, `${r.town} ${r.site_name}（${r.file}）`), body);
    if (!r.evidence) {
      body.append(h("p", {}, "这是 JSON 导出，没有附带证明材料；请社区报送材料包。"));
      return section;
    }
    const items = await py.call(ctx.root, "items", { exportText: x.checked.export_text, name: r.file });
    const rows = [];
    for (const cat of standard.categories) {
      for (const item of cat.items) {
        const files = r.evidence[item.id] || [];
        rows.push(h("tr", { "data-item": item.id },
          h("td", {}, item.id), h("td", {}, item.title), h("td", {}, items[item.id] ? items[item.id].label : ""),
          h("td", {}, files.length ? h("ul", {}, files.map((f) => h("li", {},
            h("button", { type: "button", class: "sc-link", "data-path": f.path, onclick: () => openFile(x, f) }, f.name), `（${mb(f.size)}）`))) : "无"),
          h("td", { class: "sc-blank" }, ""), h("td", { class: "sc-blank" }, "")));
      }
    }
    const others = x.checked.others.map((p) => h("li", {}, h("button", { type: "button", class: "sc-link", "data-path": p, onclick: () => openFile(x, { path: p, name: p.split("/").pop() }) }, p)));
    body.append(
      h("h3", {}, `考评表（预填）：${r.town} ${r.site_name}`),
      h("p", { class: "sc-hint" }, "自评结论按当前口径重新计算；“证明材料”列出材料包中该条目的文件，点文件名打开。专家意见和得分由考评人员填写。"),
      h("div", { class: "sc-table-wrap", tabindex: "0", role: "region", "aria-label": `${r.site_name} 考评表（可左右滚动）` }, h("table", { class: "sc-eval-form" },
        h("thead", {}, h("tr", {}, ["条目", "考评项目", "自评结论", "证明材料", "专家意见", "得分"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, rows))),
      others.length ? h("p", {}, "其他材料：") : null, others.length ? h("ul", {}, others) : null);
    return section;
  }

  async function openFile(x, f) {
    try {
      status.textContent = `正在取出“${f.name}”…`;
      const bytes = await py.call(ctx.root, "extract", { file: x.file, name: x.file.name, path: f.path });
      download(new Blob([bytes]), f.name);
      status.textContent = `已打开“${f.name}”。`;
    } catch (e) {
      status.textContent = e.message;
    }
  }
}

function fmt(n) {
  return n === null || n === undefined ? "—" : String(Math.round(Number(n) * 10) / 10);
}
