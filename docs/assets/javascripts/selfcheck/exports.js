// Exports, import and comparison: each a button or file input, each through SC.engine.
import { hasContent } from "./mapping.js";
import { newDraftId, saveStore } from "./drafts.js";

const SC = window.SC;

// The print hint names what fits the device: a keyboard shortcut on a computer, the browser's
// menu on a phone or tablet (no keyboard, no Ctrl).
export function printHint() {
  const touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  if (touch) return "报告已在新标签页打开：用浏览器菜单里的“打印”或“分享 → 打印”，也可以选“存为 PDF”。";
  const mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
  return `报告已在新标签页打开，可在那里打印（${mac ? "⌘+P" : "Ctrl+P"}）。`;
}

export function wireExports(page) {
  const { $, on, currentDoc, showMessage, showError, fileStem } = page;

  async function withButton(button, work) {
    button.disabled = true;
    showMessage("");
    try {
      await work();
    } catch (e) {
      showError(e);
    } finally {
      button.disabled = false;
    }
  }

  on($("#sc-export-json"), "click", (e) => withButton(e.currentTarget, async () => {
    const doc = currentDoc();
    SC.download(await SC.engine.exportJson(doc), fileStem(doc) + ".json", "application/json");
    showMessage("已导出 JSON 文件。报送时请把这个文件交给镇街；以后也可以用它继续填写。", "ok");
  }));
  on($("#sc-export-xlsx"), "click", (e) => withButton(e.currentTarget, async () => {
    const doc = currentDoc();
    SC.download(await SC.engine.exportXlsx(doc), fileStem(doc) + ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    showMessage("已导出 Excel 文件（含附件1逐条结果、汇总和附件2点位信息）。", "ok");
  }));
  on($("#sc-export-report"), "click", (e) => withButton(e.currentTarget, async () => {
    const doc = currentDoc();
    const html = await SC.engine.reportHtml(doc);
    const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
    const win = window.open(url, "_blank");
    if (!win) SC.download(html, fileStem(doc) + "-报告.html", "text/html");
    showMessage(win ? printHint() : "浏览器阻止了新标签页，报告已下载为 HTML 文件，打开后即可打印或存为 PDF。", "ok");
  }));

  // Import: never overwrite what is typed; a non-empty draft gets a new draft beside it.
  on($("#sc-import-file"), "change", (e) => withButton(e.currentTarget, async () => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    const details = await SC.engine.importDetails(await SC.fileBytes(file), file.name);
    const current = currentDoc();
    const store = page.store();
    let target = store.current;
    if (hasContent(current)) {
      target = newDraftId();
      store.drafts[target] = { name: `导入：${file.name}`, updated: new Date().toISOString(), doc: null };
    }
    store.drafts[target].doc = details.answers;
    store.drafts[target].updated = new Date().toISOString();
    store.current = target;
    saveStore(store);
    page.loadDraft();
    await page.rescore();
    const notes = (details.notes || []).join("；");
    const where = hasContent(current) ? `，放在新草稿“${store.drafts[target].name}”中，原来的草稿没有改动` : "";
    showMessage(`已导入“${file.name}”${where}。${notes}`, "ok");
  }));

  on($("#sc-compare-file"), "change", (e) => withButton(e.currentTarget, async () => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    page.setCompare(await SC.engine.compare(await SC.fileBytes(file), currentDoc()), file.name);
    await page.rescore();
  }));
}

export function renderCompare(box, c, fileName) {
  const h = SC.h;
  const fmt = (n) => SC.fmt.number(n);
  const changedItems = c.items.filter((i) => i.change !== "same");
  const word = { improved: "▲ 进步", regressed: "▼ 退步" };
  box.replaceChildren(
    h("p", {}, `与“${fileName}”（${c.old.scored_at ? c.old.scored_at.slice(0, 10) : "以前"}）相比：总分 ${fmt(c.old.score)} → ${fmt(c.new.score)}；进步 ${c.improved} 条，退步 ${c.regressed} 条。`),
    changedItems.length
      ? h("table", { class: "sc-compare-table" },
        h("thead", {}, h("tr", {}, ["条目", "以前", "现在", "变化"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, changedItems.map((i) => h("tr", { "data-compare-item": i.id, class: "sc-change--" + i.change },
          h("th", { scope: "row" }, `${i.id} ${i.title}`), h("td", {}, i.old_label), h("td", {}, i.new_label), h("td", {}, word[i.change])))))
      : h("p", {}, "各条目的结果没有变化。"),
  );
}
