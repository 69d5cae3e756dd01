// 自评结果汇总 (docs/district/rollup.md): 报送材料包 (zip) and JSON exports in, mixed in one drop.
// Each file is read once by dossier/worker.js ("submit": a package is verified file by file against
// its manifest), then all kept files are ranked with selfcheck.aggregate ("rank") — the same code
// and verdicts as `selfcheck package verify` / `selfcheck aggregate`. Per community and item: the
// evidence attached, and any file opens. A refused file changes nothing already loaded.
// Files stay in the browser.

import * as py from "./py.js";
import { h, download } from "./dom.js";

const mb = (n) => (n >= 1024 * 1024 ? (n / 1024 / 1024).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB");
const fmt = (n) => self.SC.fmt.number(n, 2);
const isPackage = (file) => /\.zip$/i.test(file.name) || file.type === "application/zip";

export async function mount(root, ctx) {
  const standard = await py.loadJson(ctx.root, "standard");
  const items = standard.categories.flatMap((c) => c.items);
  const input = root.querySelector("#sc-rollup-files");
  const zone = root.querySelector(".sc-dropzone");
  const status = root.querySelector(".sc-rollup-status");
  const actions = root.querySelector(".sc-rollup-actions");
  const out = root.querySelector(".sc-rollup-result");
  const loaded = new Map(); // file name → {package: {evidence, others, files} | null} (accepted when read)
  let extra = []; // this drop's refusals that did not replace an accepted file of the same name
  let summary = null;
  let busy = Promise.resolve();
  status.textContent = "";
  py.release(); // files another page had the worker keep

  const on = (t, type, fn) => t.addEventListener(type, fn, { signal: ctx.signal });
  const queue = (work) => { busy = busy.then(work, work); return busy; };
  on(input, "change", () => { const files = [...input.files]; input.value = ""; queue(() => add(files)); });
  on(zone, "dragover", (e) => { e.preventDefault(); zone.classList.add("sc-over"); });
  on(zone, "dragleave", () => zone.classList.remove("sc-over"));
  on(zone, "drop", (e) => {
    e.preventDefault();
    zone.classList.remove("sc-over");
    const files = [...((e.dataTransfer && e.dataTransfer.files) || [])];
    queue(() => add(files));
  });
  on(actions, "click", (e) => {
    const button = e.target.closest("button[data-action]");
    if (button) queue(() => (button.dataset.action === "clear" ? clear() : xlsx(button)));
  });
  ctx.signal.addEventListener("abort", () => py.release());

  async function add(files) {
    if (!files.length) return;
    const packages = files.filter(isPackage).length;
    status.textContent = `正在核对 ${files.length} 个文件（${packages} 个材料包逐个文件核对清单）…第一次需要加载计算程序（约 6 MB），约几秒。`;
    extra = [];
    try {
      for (const file of files) {
        // A file of the same name again replaces the one loaded only if it is accepted.
        const got = await py.call(ctx.root, "submit", { file, name: file.name });
        if (got.kept_old) extra.push({ file: file.name, reason: got.reason });
        else loaded.set(file.name, { ok: got.ok, package: got.package });
      }
      await rank();
    } catch (e) {
      showError(e);
    }
  }

  async function rank() {
    summary = await py.call(ctx.root, "rank", { names: [...loaded.keys()], now: new Date().toISOString() });
    render();
    const refused = summary.refused.length + extra.length;
    status.textContent = `已汇总：${summary.communities.length} 个点位参加排名，${refused} 个文件未采用。`;
    actions.hidden = loaded.size === 0;
    root.dataset.done = String(loaded.size + extra.length);
  }

  function clear() {
    loaded.clear();
    extra = [];
    summary = null;
    out.replaceChildren();
    actions.hidden = true;
    delete root.dataset.done;
    status.textContent = "已清空。";
    input.focus();
    return py.call(ctx.root, "forget", { names: null }).catch(() => { /* the page no longer shows them */ });
  }

  async function xlsx(button) {
    button.disabled = true;
    try {
      status.textContent = "正在生成排名表（Excel）…";
      const bytes = await py.call(ctx.root, "xlsx", { names: [...loaded.keys()], now: summary ? summary.generated_at : new Date().toISOString() });
      download(new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), "安全发展社区自评汇总排名.xlsx");
      status.textContent = "已导出排名表（Excel）。";
    } catch (e) {
      showError(e);
    } finally {
      button.disabled = false;
    }
  }

  function showError(e) {
    if (e && e.detail) console.error(e.detail); // the traceback, for a bug report; never shown
    status.textContent = e && e.message ? e.message : String(e);
  }

  function render() {
    const cats = summary.categories;
    const parts = [];
    if (summary.communities.length) {
      const table = h("table", { id: "sc-rollup-table", class: "sc-rank-table sc-rollup-table" },
        h("thead", {}, h("tr", {}, ["名次", "属地镇街", "点位名称", "总分", "结论", ...cats.map((c) => c.id + " " + c.name), "有证明材料的条目", "文件", "说明"]
          .map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, summary.communities.map((r) => h("tr", { "data-file": r.file, "data-rank": String(r.rank), "data-site": r.site_name, "data-score": String(r.score) },
          h("td", {}, String(r.rank)), h("td", {}, r.town), h("th", { scope: "row" }, r.site_name), h("td", {}, fmt(r.score)), h("td", {}, r.verdict),
          cats.map((c) => h("td", { "data-category": c.id }, fmt(r.category_scores[c.id]))),
          h("td", {}, r.evidence ? `${Object.values(r.evidence).filter((x) => x.length).length} / ${items.length}` : "JSON 导出，无附件"),
          h("td", {}, r.file), h("td", {}, (r.notes || []).join(" "))))));
      parts.push(h("h2", {}, `排名（${summary.communities.length} 个点位）`),
        h("p", { class: "sc-hint" }, `评分口径：${summary.scoring.label}（${summary.scoring.source}，版本 ${summary.scoring.version}）；标准版本 ${summary.standard_version}。按当前口径重新评分，同分并列同一名次。`),
        h("div", { class: "sc-table-wrap", tabindex: "0", role: "region", "aria-label": "排名表（可左右滚动）" }, table));
    }
    const refused = summary.refused.concat(extra);
    if (refused.length) {
      parts.push(h("h2", {}, `未采用的文件（${refused.length} 个）`), h("ul", { id: "sc-rollup-refused", class: "sc-refused-list" },
        refused.map((x) => h("li", { class: "sc-refused", "data-file": x.file },
          h("strong", {}, "✘ 未采用：" + x.file), h("br", {}), h("span", { class: "sc-refused-reason" }, x.reason)))));
    }
    if (summary.communities.length) {
      parts.push(h("h2", {}, "各社区的证明材料"),
        h("p", { class: "sc-hint" }, "点社区名称展开：每个条目的自评结论（按当前口径）和材料包中该条目的文件，点文件名打开。"));
      for (const r of summary.communities) parts.push(communitySection(r));
    }
    out.replaceChildren(...parts);
  }

  function communitySection(r) {
    const kept = loaded.get(r.file);
    const body = h("div", {});
    const section = h("details", { class: "sc-rollup-community", "data-file": r.file },
      h("summary", {}, `${r.town} ${r.site_name}（${r.file}）`), body);
    if (!r.evidence) {
      body.append(h("p", {}, "这是 JSON 导出，没有附带证明材料；请社区报送材料包（社区档案页的“生成报送材料包”）。"));
      return section;
    }
    // The item table is built when the section is first opened: one re-scoring per community read.
    let built = false;
    section.addEventListener("toggle", () => {
      if (!section.open || built) return;
      built = true;
      itemTable(r, kept.package).then((parts) => body.replaceChildren(...parts), (e) => { built = false; body.replaceChildren(h("p", { class: "sc-dossier-error", role: "alert" }, e.message)); });
    }, { signal: ctx.signal });
    body.append(h("p", {}, "正在读取…"));
    return section;
  }

  async function itemTable(r, pkg) {
    const scored = await py.call(ctx.root, "items", { name: r.file, now: summary.generated_at });
    const rows = items.map((item) => {
      const files = r.evidence[item.id] || [];
      const result = scored.items[item.id];
      return h("tr", { "data-item": item.id },
        h("td", {}, item.id), h("td", {}, item.title), h("td", {}, result ? result.label : ""),
        h("td", {}, files.length ? h("ul", {}, files.map((f) => h("li", {},
          h("button", { type: "button", class: "sc-link", "data-path": f.path, onclick: () => openFile(r.file, f) }, f.name), `（${mb(f.size)}）`))) : "无"));
    });
    const others = pkg.others.map((p) => h("li", {}, h("button", { type: "button", class: "sc-link", "data-path": p, onclick: () => openFile(r.file, { path: p, name: p.split("/").pop() }) }, p)));
    return [
      h("div", { class: "sc-table-wrap", tabindex: "0", role: "region", "aria-label": `${r.site_name} 各条目的证明材料（可左右滚动）` }, h("table", { class: "sc-rollup-table sc-rollup-items" },
        h("thead", {}, h("tr", {}, ["条目", "名称", "自评结论", "证明材料"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, rows))),
      others.length ? h("p", {}, "其他材料：") : null, others.length ? h("ul", {}, others) : null,
    ].filter(Boolean);
  }

  async function openFile(name, f) {
    try {
      status.textContent = `正在取出“${f.name}”…`;
      const bytes = await py.call(ctx.root, "extract", { name, path: f.path });
      download(new Blob([bytes]), f.name);
      status.textContent = `已打开“${f.name}”。`;
    } catch (e) {
      showError(e);
    }
  }
}
