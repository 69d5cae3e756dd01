// The risk map's SVG/PNG and the plan's DOCX, made by those tools themselves: their page is opened
// in an off-screen frame of this site (it reads the open workspace's data, as it would in a tab),
// its own export button is pressed, and the file it would have downloaded is taken instead.
// So the package holds exactly what the tools export, with no second renderer to drift apart.
// Seam: when the tools export render functions, call them here instead of the frame.

const WAIT_MS = 30000;

function frame(url) {
  const f = document.createElement("iframe");
  f.setAttribute("aria-hidden", "true");
  f.tabIndex = -1;
  f.title = "生成导出文件";
  // Laid out (the map measures itself) but off screen and out of the reading order.
  Object.assign(f.style, { position: "fixed", left: "-20000px", top: "0", width: "1280px", height: "900px", border: "0" });
  f.src = url;
  document.body.append(f);
  return f;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(test, what) {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const got = test();
    if (got) return got;
    if (Date.now() > end) throw new Error(`${what}超时`);
    await sleep(100);
  }
}

// Press `buttons` in order on the page at `path` once `ready` matches; returns [{name, blob}].
export async function capture(root, path, ready, buttons) {
  const f = frame(root + path);
  try {
    const doc = await until(() => {
      const d = f.contentDocument;
      return d && d.readyState === "complete" && d.querySelector(ready) ? d : null;
    }, "打开工具页面");
    const taken = [];
    // Any download the page starts (an <a download> clicked) is kept here instead of saved.
    doc.addEventListener("click", (e) => {
      const a = e.target && e.target.closest ? e.target.closest("a[download]") : null;
      if (!a) return;
      e.preventDefault();
      taken.push({ name: a.download, url: a.href });
    }, true);
    const out = [];
    for (const selector of buttons) {
      const before = taken.length;
      let pressed = 0;
      // Pressed again only if nothing came within 2 s (the page may still be starting its tool).
      await until(() => {
        if (taken.length > before) return true;
        const b = doc.querySelector(selector);
        if (b && !b.disabled && Date.now() - pressed > 2000) { pressed = Date.now(); b.click(); }
        return false;
      }, "生成导出文件");
      const { name, url } = taken[before];
      out.push({ name, blob: await (await fetch(url)).blob() });
    }
    return out;
  } finally {
    f.remove();
  }
}

export async function riskMap(root) {
  const files = await capture(root, "staff/risk-map/", "#sc-riskmap[data-state=ready]", ["#sc-rm-export-svg", "#sc-rm-export-png-a4"]);
  return files.map((f) => ({ path: "风险一张图/风险一张图" + (f.name.match(/\.[a-z]+$/i) || [""])[0].toLowerCase(), data: f.blob }));
}

export async function plan(root) {
  // Ready once the page's feature has mounted: its button exists before that, and a press then
  // did nothing until the 2 s re-press.
  const ready = '[data-sc-feature="plan"][data-sc-mounted="1"] button[data-action=docx]';
  const [doc] = await capture(root, "staff/plan-drafting/", ready, ["button[data-action=docx]"]);
  return [{ path: "预案/预案.docx", data: doc.blob }];
}
