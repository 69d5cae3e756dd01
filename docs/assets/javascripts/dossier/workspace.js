// 社区档案: pick or create a community workspace, edit its profile, attach evidence files per
// item, and build the 报送材料包. Feature "dossier/workspace" (mounted by core.js, or by boot.js).

import * as store from "./store.js";
import * as evidence from "./evidence.js";
import * as build from "./build.js";
import * as py from "./py.js";
import { h, isoDay, download } from "./dom.js";

export async function mount(root, ctx) {
  const standard = await py.loadJson(ctx.root, "standard");
  const facts = standard.profile_facts;
  const status = h("p", { class: "sc-dossier-status", role: "status", "aria-live": "polite" });
  const error = h("p", { class: "sc-dossier-error", role: "alert" });
  const body = h("div", { class: "sc-dossier-body" });
  root.replaceChildren(status, error, body);
  // One action at a time, in the order they were asked for: a switch chosen while the page is still
  // redrawing after the last action waits for it instead of being dropped.
  let queue = Promise.resolve();
  let busy = 0;

  const say = (text) => { status.textContent = text; error.textContent = ""; };
  const fail = (e) => {
    if (e && e.detail) console.error(e.detail); // the traceback, for a bug report; never shown on the page
    error.textContent = e && e.message ? e.message : String(e);
  };

  // Every change redraws the tool. A keyboard user keeps their place: the focused control (the
  // community picker after an arrow key, a file input after adding, an item's summary) has its
  // counterpart focused again, and the items the reader opened stay open.
  function focusKey(el) {
    if (!el || !body.contains(el)) return null;
    if (el.id) return `#${CSS.escape(el.id)}`;
    const details = el.closest("details[data-item]");
    if (details && el.tagName === "SUMMARY") return `details[data-item="${CSS.escape(details.dataset.item)}"] > summary`;
    return null;
  }

  async function render() {
    const all = store.list();
    const cur = store.current();
    const parts = [pickerSection(all, cur)];
    if (cur) {
      parts.push(profileSection(cur));
      parts.push(await evidenceSection(cur));
      parts.push(packageSection(cur));
    }
    const focused = focusKey(document.activeElement);
    const opened = [...body.querySelectorAll("details[data-item][open]")].map((d) => d.dataset.item);
    body.replaceChildren(...parts);
    for (const item of opened) {
      const details = body.querySelector(`details[data-item="${CSS.escape(item)}"]`);
      if (details) details.open = true;
    }
    const again = focused && body.querySelector(focused);
    if (again) again.focus({ preventScroll: true });
    root.dataset.scWorkspace = cur ? cur.id : "";
  }

  function pickerSection(all, cur) {
    const select = h("select", { id: "sc-ws-select", "aria-describedby": "sc-ws-help" },
      all.map((ws) => h("option", { value: ws.id, selected: ws.current }, ws.label)));
    select.addEventListener("change", () => guard(() => { store.switchTo(select.value); say(`已切换到“${store.current().label}”：自评、风险一张图、预案编制、物资储备、工作日历和明白卡都将显示这个社区的内容。`); }));
    const name = h("input", { id: "sc-ws-new-name", required: true, autocomplete: "off" });
    const town = h("input", { id: "sc-ws-new-town", autocomplete: "off" });
    const kindFact = facts.find((f) => f.id === "kind");
    const kind = h("select", { id: "sc-ws-new-kind" }, kindFact.options.map((o) => h("option", { value: o }, o)));
    const form = h("form", { class: "sc-ws-new" },
      h("p", {}, h("label", { for: "sc-ws-new-town" }, "镇街"), town),
      h("p", {}, h("label", { for: "sc-ws-new-name" }, "社区（村）名称"), name),
      h("p", {}, h("label", { for: "sc-ws-new-kind" }, "类型"), kind),
      h("button", { type: "submit", class: "md-button" }, "新建社区档案"));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!name.value.trim()) { fail(new Error("请填写社区（村）名称。")); name.focus(); return; }
      guard(() => {
        store.create({ site_name: name.value.trim(), town: town.value.trim(), kind: kind.value }, standard.version);
        say(`已新建并打开“${store.current().label}”。`);
      });
    });
    const out = h("section", { class: "sc-ws-picker", "aria-labelledby": "sc-ws-h" },
      h("h2", { id: "sc-ws-h" }, "当前社区"));
    if (all.length) {
      const del = h("button", { type: "button", class: "md-button", id: "sc-ws-delete" }, "删除这个社区档案");
      del.addEventListener("click", () => {
        if (!confirm(`删除“${cur.label}”的档案？它的自评、地图、预案草稿和全部台账文件都会从这台设备上删除。`)) return;
        guard(async () => { await evidence.removeWorkspace(cur.id); store.remove(cur.id); say("已删除。"); });
      });
      out.append(h("p", {}, h("label", { for: "sc-ws-select" }, "正在编辑的社区 "), select, " ", del),
        h("p", { id: "sc-ws-help", class: "sc-hint" }, "切换后，自评、风险一张图、预案编制、物资储备、工作日历和明白卡打开的都是这个社区的内容。每个社区一份档案，只保存在这台设备的浏览器里。"));
    } else {
      out.append(h("p", {}, "还没有社区档案。填写下面两项新建一个；以前在自评页保存的草稿会自动成为社区档案。"));
    }
    out.append(form);
    return out;
  }

  function profileSection(cur) {
    const p = cur.profile;
    const field = (id, label, value, attrs) => h("p", {}, h("label", { for: "sc-ws-" + id }, label),
      h("input", { id: "sc-ws-" + id, name: id, value: value === null || value === undefined ? "" : String(value), ...(attrs || {}) }));
    const form = h("form", { class: "sc-ws-profile", id: "sc-ws-profile" },
      field("town", "属地镇街", p.town), field("site_name", "社区（村）名称", p.site_name), field("address", "详细地址", p.address),
      field("population", "常住人口（人）", p.population, { type: "number", min: "0", step: "1", inputmode: "numeric" }));
    for (const f of facts) {
      const current = f.id === "kind" ? p.kind : p.facts[f.id];
      const options = f.type === "choice" ? f.options.map((o) => [o, o]) : [["true", "是"], ["false", "否"], ["", "未填"]];
      const group = h("fieldset", { class: "sc-ws-fact" }, h("legend", {}, f.label),
        options.map(([value, text]) => h("label", {}, h("input", {
          type: "radio", name: "fact:" + f.id, value,
          checked: f.type === "choice" ? current === value : String(current === undefined || current === null ? "" : current) === value,
        }), " " + text)));
      form.append(group);
    }
    form.append(h("button", { type: "submit", class: "md-button" }, "保存社区情况"));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const pop = String(data.get("population") || "").trim();
      if (pop && !(Number.isInteger(Number(pop)) && Number(pop) >= 0)) { fail(new Error("常住人口应为不小于 0 的整数（人）。")); return; }
      const profile = { town: data.get("town").trim(), site_name: data.get("site_name").trim(), address: data.get("address").trim(), population: pop ? Number(pop) : null, facts: { ...p.facts } };
      for (const f of facts) {
        const v = data.get("fact:" + f.id);
        if (f.id === "kind") profile.kind = v || null;
        else profile.facts[f.id] = v === "true" ? true : v === "false" ? false : null;
      }
      guard(() => { store.updateProfile(cur.id, profile, standard.version); say("社区情况已保存：自评页的点位信息和适用条件同时更新。"); });
    });
    return h("section", { "aria-labelledby": "sc-ws-p" }, h("h2", { id: "sc-ws-p" }, "社区情况"),
      h("p", { class: "sc-hint" }, "名称、镇街、类型、常住人口和下面各项决定哪些条目适用；自评页使用同一份信息。"), form);
  }

  async function evidenceSection(cur) {
    let files = [];
    let problem = null;
    try { files = await evidence.list(cur.id); } catch (e) { problem = e; }
    const total = files.reduce((n, f) => n + f.size, 0);
    const est = await evidence.estimate();
    const out = h("section", { "aria-labelledby": "sc-ws-e", class: "sc-ws-evidence" }, h("h2", { id: "sc-ws-e" }, "台账资料（证明材料）"),
      h("p", { class: "sc-hint" }, `为每个条目添加会议记录、名册、照片、扫描件或 PDF。文件只保存在这台设备的浏览器里，不会上传。上限：${evidence.LIMITS_TEXT}。`),
      h("p", { id: "sc-ws-usage" }, `本社区已保存 ${files.length} 个文件，共 ${evidence.mb(total)}` +
        (est && est.quota ? `；浏览器可用空间约 ${evidence.mb(Math.max(0, est.quota - est.usage))}。` : "。")));
    if (problem) { out.append(h("p", { class: "sc-dossier-error", role: "alert" }, problem.message)); return out; }
    for (const cat of standard.categories) {
      out.append(h("h3", {}, `${cat.id} ${cat.name}`));
      for (const item of cat.items) {
        const mine = files.filter((f) => f.item === item.id);
        const size = mine.reduce((n, f) => n + f.size, 0);
        const entry = h("select", { "aria-label": `${item.id} 文件对应的资料` },
          h("option", { value: "" }, "（本条目的其他资料）"), item.evidence.map((text, i) => h("option", { value: String(i) }, text)));
        const input = h("input", { type: "file", multiple: true, id: `sc-ev-${item.id.replace(/\./g, "-")}`, "data-item": item.id });
        input.addEventListener("change", () => guard(async () => {
          const chosen = [...input.files];
          if (!chosen.length) return;
          await evidence.add(cur.id, item.id, entry.value, chosen);
          await syncTicks(cur.id, item);
          say(`已为 ${item.id} 添加 ${chosen.length} 个文件。`);
        }));
        const rows = mine.map((f) => h("li", { "data-file": f.name },
          `${f.name}（${evidence.mb(f.size)}${f.entry === null ? "" : "，" + item.evidence[f.entry]}）`, " ",
          h("button", { type: "button", class: "sc-link", onclick: () => guard(async () => { const rec = await evidence.get(f.id); download(rec.blob, f.name); }) }, "打开"), " ",
          h("button", { type: "button", class: "sc-link", "aria-label": `删除 ${f.name}`, onclick: () => guard(async () => { await evidence.remove(f.id); await syncTicks(cur.id, item); say(`已删除“${f.name}”。`); }) }, "删除")));
        out.append(h("details", { class: "sc-ws-item", "data-item": item.id, open: mine.length > 0 },
          h("summary", {}, `${item.id} ${item.title}`, h("span", { class: "sc-ws-count" }, mine.length ? `：${mine.length} 个文件，${evidence.mb(size)}` : "：尚无文件")),
          rows.length ? h("ul", {}, rows) : null,
          h("p", {}, entry, " ", h("label", { for: `sc-ev-${item.id.replace(/\./g, "-")}` }, "添加文件 "), input)));
      }
    }
    return out;
  }

  async function syncTicks(id, item) {
    const attached = (await evidence.list(id)).filter((f) => f.item === item.id && f.entry !== null).map((f) => f.entry);
    store.setFileTicks(id, item.id, [...new Set(attached)], standard.version);
  }

  function packageSection(cur) {
    const button = h("button", { type: "button", class: "md-button md-button--primary", id: "sc-ws-package" }, "生成报送材料包");
    button.addEventListener("click", () => guard(async () => {
      if (button.disabled) return; // a second press while the first package is being built
      button.disabled = true;
      say("正在生成自评导出（第一次需要加载 Python，约几秒）…");
      const got = await build.buildForWorkspace(ctx.root, store.current(), standard, isoDay(),
        (done, total) => say(`正在打包：${evidence.mb(done)} / ${evidence.mb(total)}…`));
      download(got.blob, got.name);
      say(`已生成“${got.name}”（${evidence.mb(got.blob.size)}，${got.files} 个文件）。` + got.warnings.join(""));
    }));
    return h("section", { "aria-labelledby": "sc-ws-z" }, h("h2", { id: "sc-ws-z" }, "报送材料包"),
      h("p", {}, "一个 zip 文件：清单（每个文件的路径、大小和 SHA-256，工具版本、标准版本、评分口径）、自评导出（JSON、Excel 含附件2点位信息、可打印报告）、风险一张图和预案草稿、物资储备和工作日历的本社区记录（如已填写）、按条目分文件夹的台账资料。镇街和区安委办在“自评结果汇总”页或用 selfcheck package verify 逐个文件核对。"),
      button);
  }

  function guard(work) {
    busy += 1;
    queue = queue.then(async () => {
      try {
        await work();
        await render();
      } catch (e) {
        fail(e);
        try { await render(); } catch (e2) { /* the message above is what matters */ }
      } finally {
        busy -= 1;
      }
    });
    return queue;
  }

  const off = store.onChange(() => { if (!busy) render().catch(fail); });
  await render();
  return off;
}
