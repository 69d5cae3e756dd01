// 风险一张图, the base picture: loading a PNG or JPEG (large ones scaled down so saving and
// exporting stay quick) and removing it. Both are undoable steps; the elements keep their place
// on the picture's grid when the sheet changes size.
import { readAs, loadImage } from "./files.js";
import { BLANK, mapSize, rescale } from "./model.js";

const MAX_SIDE = 4000;
const BIG_FILE = 6 * 1024 * 1024;

async function readPicture(file) {
  let href = await readAs(file, "readAsDataURL");
  let img = await loadImage(href);
  let note = "";
  const side = Math.max(img.naturalWidth, img.naturalHeight);
  if (side > MAX_SIDE || file.size > BIG_FILE) {
    const f = Math.min(1, 3000 / side);
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(img.naturalWidth * f);
    canvas.height = Math.round(img.naturalHeight * f);
    const g = canvas.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img, 0, 0, canvas.width, canvas.height);
    href = canvas.toDataURL("image/jpeg", 0.85);
    img = await loadImage(href);
    note = `图片较大（${(file.size / 1048576).toFixed(1)} MB），已缩小以便保存和导出。`;
  }
  return { href, width: img.naturalWidth, height: img.naturalHeight, note };
}

export function attachPicture(app) {
  const { $ } = app;
  $("sc-rm-image").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    app.warn("");
    if (!/^image\/(png|jpeg)$/.test(file.type)) {
      app.warn(`“${file.name}”不是 PNG 或 JPEG 图片。请用手机拍照或截图得到的图片。`);
      return;
    }
    app.say("正在读取底图…");
    let picture;
    try {
      picture = await readPicture(file);
    } catch (e) {
      app.warn(`这张图片打不开（${e.message}）。请换一张 PNG 或 JPEG 图片。`);
      app.say("");
      return;
    }
    const { href, width, height, note } = picture;
    const stored = await app.storeImage(href);
    app.session.change("加载底图", (doc) => {
      rescale(doc, mapSize(doc), { width, height });
      doc.image = { href, width, height };
    });
    app.say(`底图已加载${stored ? "并保存" : ""}（${width}×${height}）。${note}`);
  });

  $("sc-rm-image-clear").addEventListener("click", async () => {
    if (!app.state.doc.image) { app.say("现在没有底图。"); return; }
    if (!window.confirm("移除底图？图上的标注会保留。")) return;
    await app.storeImage(null);
    app.session.change("移除底图", (doc) => {
      rescale(doc, mapSize(doc), BLANK);
      doc.image = null;
    });
    app.say("已移除底图。可以按“撤销”放回。");
  });
}
