// 风险一张图, import and export: JSON (to go on drawing elsewhere), SVG and PNG (A4/A3 landscape,
// made from the same SVG as the screen, so labels sit where they sit on screen), the Excel 台账
// (written by Python, the riskmap package, through SC.engine), printing the 台账, importing a JSON
// file (checked by Python first; nothing changes unless it is whole) and clearing the map.
import { SVG_NS, XLINK_NS } from "./svg.js";
import { loadImage } from "./files.js";
import { emptyDoc, exportable } from "./model.js";

const SC = window.SC;
const PAPER = { A4: [1754, 1240], A3: [2480, 1754] }; // landscape at 150 dpi
const today = () => SC.fmt.isoDay();
const fileSafe = (s) => SC.safeFileName(s, "未命名").slice(0, 40);

// The map as a standalone SVG file: no editing aids, no page-only attributes.
export function svgText(svg, doc, title) {
  const clone = svg.cloneNode(true);
  clone.querySelectorAll(".sc-rm-ui").forEach((n) => n.remove());
  const pageOnly = ["tabindex", "role", "aria-label", "aria-describedby", "aria-hidden"];
  [clone, ...clone.querySelectorAll(pageOnly.map((a) => `[${a}]`).join(","))].forEach((n) => pageOnly.forEach((a) => n.removeAttribute(a)));
  clone.querySelectorAll(".is-selected").forEach((n) => n.classList.remove("is-selected"));
  clone.removeAttribute("id");
  clone.removeAttribute("class");
  const [, , w, h] = clone.getAttribute("viewBox").split(" ");
  clone.setAttribute("width", w);
  clone.setAttribute("height", h);
  clone.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:xlink", XLINK_NS);
  // Older editors read only xlink:href.
  clone.querySelectorAll("image").forEach((n) => n.setAttributeNS(XLINK_NS, "xlink:href", n.getAttribute("href")));
  const titleNode = document.createElementNS(SVG_NS, "title");
  titleNode.textContent = `${doc.meta.community || ""}${title}`;
  clone.insertBefore(titleNode, clone.firstChild);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
}

async function pngBlob(svg, doc, title, paper) {
  const [pw, ph] = PAPER[paper];
  const url = URL.createObjectURL(new Blob([svgText(svg, doc, title)], { type: "image/svg+xml" }));
  try {
    const img = await loadImage(url);
    const [, , w, h] = svg.getAttribute("viewBox").split(" ").map(Number);
    const canvas = document.createElement("canvas");
    canvas.width = pw;
    canvas.height = ph;
    const g = canvas.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, pw, ph);
    const margin = Math.round(pw * 0.03);
    const f = Math.min((pw - 2 * margin) / w, (ph - 2 * margin) / h);
    g.drawImage(img, (pw - w * f) / 2, (ph - h * f) / 2, w * f, h * f);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    if (!blob) throw new Error("浏览器没能生成图片");
    return blob;
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function attachExchange(app, ctx) {
  const { $, root, svg, config } = app;
  const doc = () => app.state.doc;
  const baseName = () => `风险一张图-${fileSafe(doc().meta.community) || "未命名"}-${doc().meta.date || today()}`;
  const failed = (what) => (e) => {
    if (e && e.kind === "bug") { app.warn(" "); SC.showError(app.alertEl, e, `${what}失败：`); } else app.warn(`${what}失败：${e && e.message ? e.message : e}`);
    app.say("");
  };

  $("sc-rm-export-json").addEventListener("click", () => {
    SC.download(new Blob([JSON.stringify(exportable(doc()))], { type: "application/json" }), `${baseName()}.json`);
    app.say("已导出 JSON。以后用“导入 JSON”可以接着画。");
  });
  $("sc-rm-export-svg").addEventListener("click", () => {
    SC.download(new Blob([svgText(svg, doc(), config.title)], { type: "image/svg+xml" }), `${baseName()}.svg`);
    app.say("已导出 SVG 图。");
  });
  root.querySelectorAll("[data-paper]").forEach((b) => b.addEventListener("click", () => {
    const paper = b.dataset.paper;
    app.warn("");
    pngBlob(svg, doc(), config.title, paper).then((blob) => {
      SC.download(blob, `${baseName()}-${paper}横向.png`);
      const [pw, ph] = PAPER[paper];
      app.say(`已导出 PNG（${paper} 横向，${pw}×${ph} 像素，约 150 dpi）。`);
    }).catch(failed("导出 PNG"));
  }));
  $("sc-rm-export-xlsx").addEventListener("click", async () => {
    app.warn("");
    app.say("正在生成 Excel 台账（第一次需要几秒钟准备表格程序）…");
    try {
      const bytes = await SC.engine.riskmap.xlsx({ ...exportable(doc()), image: null });
      SC.download(new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), `${baseName()}-台账.xlsx`);
      app.say(`已导出 Excel 台账（${doc().elements.length} 个要素）。`);
    } catch (e) { failed("导出 Excel 台账")(e); }
  });
  $("sc-rm-print").addEventListener("click", () => {
    document.documentElement.classList.add("sc-rm-print-ledger");
    const done = () => document.documentElement.classList.remove("sc-rm-print-ledger");
    window.addEventListener("afterprint", done, { once: true, signal: ctx.signal });
    window.print();
    setTimeout(done, 1000);
  });
  $("sc-rm-clear").addEventListener("click", async () => {
    const { elements, image } = doc();
    if (!elements.length && !image) { app.say("图上是空的。"); return; }
    if (!window.confirm(`清空整张图？底图和 ${elements.length} 个要素都会删除。刷新页面之前可以按“撤销”恢复；建议先导出 JSON。`)) return;
    await app.storeImage(null);
    app.session.change("清空整张图", (d) => { Object.assign(d, emptyDoc(today())); app.state.selected = null; app.state.vertex = null; });
    app.say("已清空。刷新页面之前可以按“撤销”恢复。");
  });

  $("sc-rm-import-json").addEventListener("click", () => $("sc-rm-import-file").click());
  $("sc-rm-import-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    app.warn("");
    app.say("正在检查文件（第一次需要几秒钟准备检查程序）…");
    let incoming;
    try {
      if (file.size > 60 * 1024 * 1024) throw new Error(`这个文件不能导入：文件太大（${(file.size / 1048576).toFixed(0)} MB）。`);
      incoming = await SC.engine.riskmap.parse(await SC.fileBytes(file));
    } catch (e) {
      app.warn(`${e.message} 当前的图没有改动。`);
      app.say("导入没有完成，当前的图没有改动。");
      return;
    }
    const current = doc();
    if ((current.elements.length || current.image) &&
        !window.confirm(`导入“${file.name}”会替换当前的图（${current.elements.length} 个要素${current.image ? "和底图" : ""}）。确定替换吗？`)) {
      app.say("已取消导入，当前的图没有改动。");
      return;
    }
    const stored = await app.storeImage(incoming.image ? incoming.image.href : null);
    app.session.change(`导入“${file.name}”`, (d) => { Object.assign(d, incoming); app.state.selected = null; app.state.vertex = null; });
    app.say(`已导入“${file.name}”：${incoming.elements.length} 个要素${incoming.image ? "，含底图" : ""}${stored ? "" : "（底图未能自动保存）"}。`);
  });
}
