// The 自评 page: form ⇄ answers document, autosave and named drafts in localStorage, live scoring
// through the shared Python worker (SC.py), exports, import and comparison. Scoring rules live in
// the selfcheck package only; this file never judges an answer itself.
"use strict";
(function () {
  const STORE_KEY = "sc-selfcheck-v1";
  const API = "selfcheck.api.";
  const DATA = { standard: { $data: "standard" }, scoring: { $data: "scoring" }, plan: { $data: "plan" } };
  const STATUS_MARK = { met: "✔", partial: "◐", not_met: "✘", not_applicable: "—", not_answered: "？" };
  const RESCORE_DELAY_MS = 250;

  // ---- storage: named drafts, each a complete answers document ---------------------------------

  function loadStore() {
    try {
      const store = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (store && store.drafts && typeof store.drafts === "object") return store;
    } catch (e) {
      console.error("自评草稿无法读取，已保留原始数据于 " + STORE_KEY + "-broken", e);
      localStorage.setItem(STORE_KEY + "-broken", localStorage.getItem(STORE_KEY) || "");
    }
    return { current: null, drafts: {} };
  }

  function saveStore(store) {
    localStorage.setItem(STORE_KEY, JSON.stringify(store));
  }

  function newDraftId() {
    return "d" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  }

  // ---- form ⇄ document --------------------------------------------------------------------------

  function numberOrNull(input) {
    if (input.value.trim() === "") return null;
    const n = Number(input.value);
    return Number.isFinite(n) ? n : null;
  }

  function readForm(form, version, records) {
    const doc = {
      format: "selfcheck-answers",
      format_version: 1,
      standard_version: version,
      profile: { town: "", site_name: "", address: "", kind: null, population: null, facts: {} },
      answers: {},
      records: records || [],
      evidence: {},
      notes: {},
    };
    const windowDates = {};
    for (const el of form.elements) {
      const name = el.name;
      if (!name) continue;
      if (el.type === "radio" && !el.checked) {
        // An unticked group still has to appear as unanswered.
        if (name.startsWith("fact:") && !(name.slice(5) in doc.profile.facts)) doc.profile.facts[name.slice(5)] = null;
        if (name.startsWith("ans:") && !(name.slice(4) in doc.answers)) doc.answers[name.slice(4)] = { value: null };
        continue;
      }
      if (name.startsWith("profile.")) {
        const key = name.slice(8);
        doc.profile[key] = el.type === "number" ? numberOrNull(el) : el.value;
      } else if (name.startsWith("fact:")) {
        doc.profile.facts[name.slice(5)] = el.value === "true";
      } else if (name.startsWith("window.")) {
        windowDates[name.slice(7)] = el.value || null;
      } else if (name.startsWith("ans:")) {
        const parts = name.split(":");
        const id = parts[1];
        if (parts.length === 2) {
          doc.answers[id] = { value: el.value };
        } else {
          doc.answers[id] = doc.answers[id] || {};
          doc.answers[id][parts[2]] = numberOrNull(el);
        }
      } else if (name.startsWith("ev:")) {
        const item = name.slice(3);
        doc.evidence[item] = doc.evidence[item] || [];
        if (el.checked) doc.evidence[item].push(Number(el.value));
      } else if (name.startsWith("note:")) {
        if (el.value !== "") doc.notes[name.slice(5)] = el.value;
      }
    }
    if (windowDates.start && windowDates.end) doc.window = { start: windowDates.start, end: windowDates.end };
    return doc;
  }

  function writeForm(form, doc) {
    const profile = doc.profile || {};
    const facts = profile.facts || {};
    const answers = doc.answers || {};
    const evidence = doc.evidence || {};
    const notes = doc.notes || {};
    const win = doc.window || {};
    for (const el of form.elements) {
      const name = el.name;
      if (!name) continue;
      let value = null;
      if (name.startsWith("profile.")) value = profile[name.slice(8)];
      else if (name.startsWith("fact:")) {
        const v = facts[name.slice(5)];
        value = v === true ? "true" : v === false ? "false" : null;
      } else if (name.startsWith("window.")) value = win[name.slice(7)];
      else if (name.startsWith("ans:")) {
        const parts = name.split(":");
        const answer = answers[parts[1]] || {};
        value = parts.length === 2 ? answer.value : answer[parts[2]];
      } else if (name.startsWith("ev:")) {
        el.checked = (evidence[name.slice(3)] || []).includes(Number(el.value));
        continue;
      } else if (name.startsWith("note:")) value = notes[name.slice(5)];
      if (el.type === "radio") el.checked = value !== null && value !== undefined && String(value) === el.value;
      else el.value = value === null || value === undefined ? "" : String(value);
    }
  }

  function hasContent(doc) {
    const p = doc.profile || {};
    if (p.town || p.site_name || p.address || p.population !== null && p.population !== undefined) return true;
    if ((doc.records || []).length) return true;
    if (Object.values(doc.notes || {}).some(Boolean)) return true;
    if (Object.values(doc.evidence || {}).some((list) => list.length)) return true;
    return Object.values(doc.answers || {}).some((a) => Object.values(a).some((v) => v !== null && v !== ""));
  }

  // ---- small DOM helpers ------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function fmt(n) {
    return n === null || n === undefined ? "—" : (Math.round(n * 10) / 10).toString();
  }

  // ---- the chart: SVG bars, numbers printed beside each bar, patterns not colours ---------------

  const SVG_NS = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function categoryChart(series) {
    // series: [{label, pattern: "solid"|"hatch", categories: [{id, name, score}]}]
    const cats = series[series.length - 1].categories;
    // Drawn about as wide as a phone screen, so the labels stay readable when scaled to fit it.
    const barH = 16;
    const rowH = series.length * (barH + 4) + 12;
    const left = 92;
    const width = 380;
    const plotW = width - left - 64;
    const height = cats.length * rowH + 34;
    const root = svg("svg", {
      viewBox: `0 0 ${width} ${height}`, class: "sc-chart", role: "img",
      "aria-labelledby": "sc-chart-title sc-chart-desc",
    });
    const desc = cats.map((c) => `${c.name} ${series.map((s) => `${s.label}${fmt((s.categories.find((x) => x.id === c.id) || {}).score)}分`).join("，")}`).join("；");
    root.append(svg("title", { id: "sc-chart-title" }, "六类得分"), svg("desc", { id: "sc-chart-desc" }, desc));
    const defs = svg("defs", {});
    const pattern = svg("pattern", { id: "sc-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
    pattern.append(svg("rect", { width: 6, height: 6, fill: "#fff" }), svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#333", "stroke-width": 3 }));
    defs.append(pattern);
    root.append(defs);
    for (const tick of [0, 60, 80, 100]) {
      const x = left + (plotW * tick) / 100;
      root.append(svg("line", { x1: x, y1: 4, x2: x, y2: height - 24, class: "sc-chart-grid" }));
      root.append(svg("text", { x, y: height - 8, "text-anchor": "middle", class: "sc-chart-tick" }, String(tick)));
    }
    cats.forEach((c, i) => {
      const y0 = 8 + i * rowH;
      root.append(svg("text", { x: left - 8, y: y0 + barH, "text-anchor": "end", class: "sc-chart-label" }, `${c.id}. ${c.name}`));
      series.forEach((s, j) => {
        const found = s.categories.find((x) => x.id === c.id) || {};
        const value = found.score === null || found.score === undefined ? 0 : found.score;
        const y = y0 + j * (barH + 4);
        root.append(svg("rect", {
          x: left, y, width: Math.max(1, (plotW * value) / 100), height: barH,
          class: s.pattern === "hatch" ? "sc-bar sc-bar--old" : "sc-bar",
          fill: s.pattern === "hatch" ? "url(#sc-hatch)" : "currentColor",
        }));
        root.append(svg("text", { x: left + (plotW * value) / 100 + 4, y: y + barH - 2, class: "sc-chart-value" },
          series.length > 1 ? `${s.label} ${fmt(found.score)}` : fmt(found.score)));
      });
    });
    return root;
  }

  // ---- the page ---------------------------------------------------------------------------------

  function init(root) {
    const form = root.querySelector("#sc-form");
    const version = root.dataset.standardVersion;
    const $ = (sel) => root.querySelector(sel);
    const status = $("#sc-py-text");
    const progressBar = $("#sc-py-progress");
    const ioMessage = $("#sc-io-message");
    let store = loadStore();
    let records = [];
    let lastResult = null;
    let lastCompare = null;
    let scoreSeq = 0;
    let timer = null;

    function showMessage(text, kind) {
      ioMessage.hidden = !text;
      ioMessage.textContent = text || "";
      ioMessage.className = "sc-message" + (kind ? " sc-message--" + kind : "");
    }

    // Drafts
    function ensureDraft() {
      if (!store.current || !store.drafts[store.current]) {
        const ids = Object.keys(store.drafts);
        if (ids.length) store.current = ids[0];
        else {
          const id = newDraftId();
          store.drafts[id] = { name: "草稿 1", updated: new Date().toISOString(), doc: null };
          store.current = id;
        }
        saveStore(store);
      }
    }

    function renderDraftSelect() {
      const select = $("#sc-draft-select");
      select.replaceChildren(...Object.entries(store.drafts).map(([id, d]) =>
        el("option", { value: id }, d.name)));
      select.value = store.current;
    }

    function loadDraft() {
      ensureDraft();
      const draft = store.drafts[store.current];
      form.reset();
      if (draft.doc) writeForm(form, draft.doc);
      records = (draft.doc && draft.doc.records) || [];
      renderRecordsSummary();
      renderDraftSelect();
      $("#sc-save-state").textContent = draft.doc ? `已载入“${draft.name}”（上次保存：${new Date(draft.updated).toLocaleString("zh-CN")}）` : "";
      lastCompare = null;
      $("#sc-compare").replaceChildren(el("p", { class: "sc-hint" }, "在上方“与以前导出的 JSON 比较”中选择文件后显示。"));
    }

    function currentDoc() {
      return readForm(form, version, records);
    }

    function save() {
      const draft = store.drafts[store.current];
      draft.doc = currentDoc();
      draft.updated = new Date().toISOString();
      try {
        saveStore(store);
        $("#sc-save-state").textContent = `已自动保存（${new Date().toLocaleTimeString("zh-CN")}）`;
      } catch (e) {
        $("#sc-save-state").textContent = "自动保存失败：浏览器存储空间已满。请先导出 JSON 文件保存。";
      }
    }

    function siteName(doc) {
      return (doc.profile && doc.profile.site_name || "").trim() || store.drafts[store.current].name;
    }

    function fileStem(doc) {
      const day = new Date().toISOString().slice(0, 10);
      return `自评-${siteName(doc).replace(/[\\/:*?"<>|\s]+/g, "_")}-${day}`;
    }

    // Progress per category: from the last result where there is one, else from what is typed.
    function renderProgress() {
      for (const section of root.querySelectorAll(".sc-category")) {
        const cid = section.dataset.category;
        const items = [...section.querySelectorAll(".sc-item")];
        let filled = 0;
        for (const item of items) {
          const r = lastResult && lastResult.items[item.dataset.item];
          if (r) filled += r.status !== "not_answered" ? 1 : 0;
          else {
            const crits = [...item.querySelectorAll(".sc-criterion")];
            filled += crits.every((c) => [...c.querySelectorAll("input")].some((i) =>
              i.type === "radio" ? i.checked : i.value !== "")) ? 1 : 0;
          }
        }
        root.querySelectorAll(`[data-progress-for="${cid}"]`).forEach((p) => {
          p.textContent = `已填 ${filled}/${items.length} 条`;
        });
      }
    }

    function renderResult(result) {
      lastResult = result;
      const o = result.overall;
      const summary = $("#sc-summary");
      const verdictClass = "sc-verdict sc-verdict--" + o.level;
      summary.replaceChildren(...[
        el("p", { class: "sc-score" }, el("span", { class: "sc-score-label" }, "总分"), " ",
          el("strong", { id: "sc-overall-score" }, fmt(o.score)), " / 100"),
        el("p", { class: verdictClass, id: "sc-verdict" }, el("strong", {}, "结论：" + o.verdict), "。", o.text),
        o.unmet && o.unmet.length ? el("ul", { class: "sc-unmet" }, o.unmet.map((u) => el("li", {}, u))) : null,
        el("p", { class: "sc-hint" }, `达标 ${o.counts.met} 条，部分达标 ${o.counts.partial} 条，未达标 ${o.counts.not_met} 条，不适用 ${o.counts.not_applicable} 条，未填写 ${o.counts.not_answered} 条。${result.window.label}。`),
        categoryChart(lastCompare
          ? [{ label: "以前", pattern: "hatch", categories: lastCompare.old.categories || [] }, { label: "现在", pattern: "solid", categories: result.categories }]
          : [{ label: "得分", pattern: "solid", categories: result.categories }]),
        el("table", { class: "sc-cat-table" },
          el("caption", {}, "各类得分（本站口径）"),
          el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "考评项目"), el("th", { scope: "col" }, "得分"), el("th", { scope: "col" }, "权重"))),
          el("tbody", {}, result.categories.map((c) => el("tr", { "data-category-score": c.id },
            el("th", { scope: "row" }, `${c.id}. ${c.name}`), el("td", {}, fmt(c.score)), el("td", {}, String(c.weight)))))),
        result.warnings && result.warnings.length ? el("ul", { class: "sc-warnings" }, result.warnings.map((w) => el("li", {}, "提示：" + w))) : null,
      ].filter(Boolean));
      for (const [iid, item] of Object.entries(result.items)) {
        const badge = root.querySelector(`[data-item-status="${iid}"]`);
        if (badge) {
          badge.textContent = `${STATUS_MARK[item.status] || ""} ${item.status_label}`;
          badge.className = "sc-badge sc-badge--" + item.status;
        }
      }
      for (const [cid, crit] of Object.entries(result.criteria)) {
        const p = root.querySelector(`[data-criterion-result="${cid}"]`);
        if (p) {
          // “未填写：…” only repeats the question; other messages (e.g. population 0) explain something.
          const silent = crit.status === "not_answered" && /^未填写/.test(crit.message || "");
          p.textContent = silent ? "" : `${STATUS_MARK[crit.status] || ""} ${crit.message}`;
          p.className = "sc-criterion-result sc-criterion-result--" + crit.status;
        }
      }
      renderGaps(result);
      renderProgress();
    }

    function renderGaps(result) {
      const box = $("#sc-gaps");
      if (!result.gaps.length) {
        box.replaceChildren(el("p", {}, "没有需要整改的地方。"));
        return;
      }
      // The same two groups as every export (selfcheck.report.GAP_GROUPS): requirements, then evidence.
      const groups = [
        ["一、要求上的差距（不符合、未填写的指标和建议项）", result.gaps.filter((g) => g.kind !== "evidence")],
        ["二、缺少的台账资料", result.gaps.filter((g) => g.kind === "evidence")],
      ].filter(([, gaps]) => gaps.length);
      const byCategory = (gaps) => {
        const map = new Map();
        for (const g of gaps) {
          if (!map.has(g.category_id)) map.set(g.category_id, { name: g.category, gaps: [] });
          map.get(g.category_id).gaps.push(g);
        }
        return [...map.entries()];
      };
      box.replaceChildren(
        el("p", {}, `共 ${result.gaps.length} 处差距，分两组、按考评项目排列：`),
        ...groups.map(([title, gaps]) => el("section", { class: "sc-gap-kind" },
          el("h3", {}, `${title}（${gaps.length} 处）`),
          ...byCategory(gaps).map(([cid, group]) => el("section", { class: "sc-gap-group" },
            el("h4", {}, `${cid}. ${group.name}（${group.gaps.length} 处）`),
            el("ol", { class: "sc-gap-list" }, group.gaps.map((g) => el("li", { "data-gap-item": g.item_id },
              el("a", { href: `#sc-item-${g.item_id.replace(".", "-")}` }, `${g.item_id} ${g.item_title}`), "：", g.text))))))),
      );
    }

    async function rescore() {
      const mine = ++scoreSeq;
      root.dataset.scoreState = "pending";
      let json;
      try {
        json = await SC.py.call(API + "score", DATA.standard, DATA.scoring, JSON.stringify(currentDoc()), new Date().toISOString());
      } catch (e) {
        if (mine === scoreSeq) {
          root.dataset.scoreState = "done";
          $("#sc-summary").replaceChildren(el("p", { class: "sc-message sc-message--error", role: "alert" }, "暂时无法评分：" + e.message));
        }
        return;
      }
      if (mine !== scoreSeq) return; // a newer change is already being scored
      renderResult(JSON.parse(json));
      root.dataset.scoreState = "done";
    }

    function changed() {
      save();
      renderProgress();
      clearTimeout(timer);
      if (SC.py.state.stage === "ready") {
        root.dataset.scoreState = "pending";
        timer = setTimeout(rescore, RESCORE_DELAY_MS);
      }
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", (e) => e.preventDefault());

    // Draft controls
    $("#sc-draft-select").addEventListener("change", (e) => {
      store.current = e.target.value;
      saveStore(store);
      loadDraft();
      if (SC.py.state.stage === "ready") rescore();
    });
    $("#sc-draft-new").addEventListener("click", () => {
      const id = newDraftId();
      const name = prompt("新草稿的名称（例如社区名称）：", `草稿 ${Object.keys(store.drafts).length + 1}`);
      if (name === null) return;
      store.drafts[id] = { name: name.trim() || "未命名草稿", updated: new Date().toISOString(), doc: null };
      store.current = id;
      saveStore(store);
      loadDraft();
      if (SC.py.state.stage === "ready") rescore();
    });
    $("#sc-draft-rename").addEventListener("click", () => {
      const draft = store.drafts[store.current];
      const name = prompt("草稿的新名称：", draft.name);
      if (name === null || !name.trim()) return;
      draft.name = name.trim();
      saveStore(store);
      renderDraftSelect();
    });
    $("#sc-draft-delete").addEventListener("click", () => {
      const draft = store.drafts[store.current];
      if (!confirm(`确定删除草稿“${draft.name}”吗？删除后无法恢复。`)) return;
      delete store.drafts[store.current];
      store.current = null;
      saveStore(store);
      loadDraft();
      if (SC.py.state.stage === "ready") rescore();
    });
    $("#sc-clear-all").addEventListener("click", () => {
      if (!confirm("确定清空全部草稿吗？所有填写的内容都将删除，无法恢复。建议先导出 JSON 保存。")) return;
      store = { current: null, drafts: {} };
      saveStore(store);
      loadDraft();
      if (SC.py.state.stage === "ready") rescore();
    });

    // Exports
    async function withButton(button, work) {
      button.disabled = true;
      showMessage("");
      try {
        await work();
      } catch (e) {
        showMessage("操作没有完成：" + e.message, "error");
      } finally {
        button.disabled = false;
      }
    }
    $("#sc-export-json").addEventListener("click", (e) => withButton(e.currentTarget, async () => {
      const doc = currentDoc();
      const text = await SC.py.call(API + "export_json", DATA.standard, DATA.scoring, JSON.stringify(doc), new Date().toISOString());
      SC.download(text, fileStem(doc) + ".json", "application/json");
      showMessage("已导出 JSON 文件。报送时请把这个文件交给镇街；以后也可以用它继续填写。", "ok");
    }));
    $("#sc-export-xlsx").addEventListener("click", (e) => withButton(e.currentTarget, async () => {
      const doc = currentDoc();
      const bytes = await SC.py.call(API + "export_xlsx", DATA.standard, DATA.scoring, DATA.plan, JSON.stringify(doc), new Date().toISOString());
      SC.download(bytes, fileStem(doc) + ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      showMessage("已导出 Excel 文件（含附件1逐条结果、汇总和附件2点位信息）。", "ok");
    }));
    $("#sc-export-report").addEventListener("click", (e) => withButton(e.currentTarget, async () => {
      const doc = currentDoc();
      const html = await SC.py.call(API + "report_html", DATA.standard, DATA.scoring, JSON.stringify(doc), new Date().toISOString());
      const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
      const win = window.open(url, "_blank");
      if (!win) SC.download(html, fileStem(doc) + "-报告.html", "text/html");
      showMessage(win ? "报告已在新标签页打开，可在那里打印（Ctrl+P）。" : "浏览器阻止了新标签页，报告已下载为 HTML 文件，打开后即可打印。", "ok");
    }));

    // Import: never overwrite what is typed; a non-empty draft gets a new draft beside it.
    $("#sc-import-file").addEventListener("change", (e) => withButton(e.currentTarget, async () => {
      const file = e.target.files[0];
      e.target.value = "";
      if (!file) return;
      const text = await file.text();
      const details = JSON.parse(await SC.py.call(API + "import_details", DATA.standard, text, file.name));
      const current = currentDoc();
      let target = store.current;
      if (hasContent(current)) {
        target = newDraftId();
        store.drafts[target] = { name: `导入：${file.name}`, updated: new Date().toISOString(), doc: null };
      }
      store.drafts[target].doc = details.answers;
      store.drafts[target].updated = new Date().toISOString();
      store.current = target;
      saveStore(store);
      loadDraft();
      await rescore();
      const notes = (details.notes || []).join("；");
      const where = hasContent(current) ? `，放在新草稿“${store.drafts[target].name}”中，原来的草稿没有改动` : "";
      showMessage(`已导入“${file.name}”${where}。${notes}`, "ok");
    }));

    $("#sc-compare-file").addEventListener("change", (e) => withButton(e.currentTarget, async () => {
      const file = e.target.files[0];
      e.target.value = "";
      if (!file) return;
      const text = await file.text();
      lastCompare = JSON.parse(await SC.py.call(API + "compare", DATA.standard, DATA.scoring, text, JSON.stringify(currentDoc()), new Date().toISOString()));
      renderCompare(file.name);
      await rescore();
    }));

    function renderCompare(fileName) {
      const c = lastCompare;
      const changedItems = c.items.filter((i) => i.change !== "same");
      const word = { improved: "▲ 进步", regressed: "▼ 退步" };
      $("#sc-compare").replaceChildren(
        el("p", {}, `与“${fileName}”（${c.old.scored_at ? c.old.scored_at.slice(0, 10) : "以前"}）相比：总分 ${fmt(c.old.score)} → ${fmt(c.new.score)}；进步 ${c.improved} 条，退步 ${c.regressed} 条。`),
        changedItems.length
          ? el("table", { class: "sc-compare-table" },
            el("thead", {}, el("tr", {}, ["条目", "以前", "现在", "变化"].map((h) => el("th", { scope: "col" }, h)))),
            el("tbody", {}, changedItems.map((i) => el("tr", { "data-compare-item": i.id, class: "sc-change--" + i.change },
              el("th", { scope: "row" }, `${i.id} ${i.title}`), el("td", {}, i.old_label), el("td", {}, i.new_label), el("td", {}, word[i.change])))))
          : el("p", {}, "各条目的结果没有变化。"),
      );
    }

    // 台账 records
    function renderRecordsSummary() {
      const box = $("#sc-records-summary");
      if (!records.length) {
        box.textContent = "尚未导入台账记录。";
        return;
      }
      const counts = {};
      for (const r of records) counts[r.type] = (counts[r.type] || 0) + 1;
      box.textContent = `已导入 ${records.length} 条记录：` + Object.entries(counts).map(([t, n]) => `${t} ${n} 条`).join("，") + "。";
    }
    $("#sc-records-file").addEventListener("change", (e) => withButton(e.currentTarget, async () => {
      const file = e.target.files[0];
      e.target.value = "";
      if (!file) return;
      const bytes = new Uint8Array(await file.arrayBuffer());
      try {
        records = JSON.parse(await SC.py.call(API + "parse_records", bytes, file.name, DATA.standard));
      } catch (err) {
        $("#sc-records-summary").textContent = "台账没有导入（原有记录保持不变）：" + err.message;
        throw err;
      }
      renderRecordsSummary();
      changed();
    }));
    $("#sc-records-clear").addEventListener("click", () => {
      if (records.length && !confirm(`确定清除已导入的 ${records.length} 条台账记录吗？`)) return;
      records = [];
      renderRecordsSummary();
      changed();
    });

    // Python: load in the background; the form works meanwhile.
    function onProgress(state) {
      if (state.stage === "error") {
        progressBar.hidden = true;
        status.textContent = "评分程序没有加载成功：" + state.error + " 表单仍可填写并自动保存。";
        status.parentElement.classList.add("sc-py-status--error");
        return;
      }
      status.textContent = state.stage === "ready" ? "评分程序已就绪：每次修改都会重新评分。" : (state.text || status.textContent);
      if (state.stage === "ready") progressBar.hidden = true;
    }

    loadDraft();
    renderProgress();
    SC.py.ready(onProgress).then(() => {
      root.querySelectorAll("button[disabled], input[type=file][disabled]").forEach((b) => { b.disabled = false; });
      root.dataset.pyReady = "1";
      return rescore();
    }, () => {});
  }

  function boot() {
    const root = document.getElementById("sc-selfcheck");
    if (root && !root.dataset.init) {
      root.dataset.init = "1";
      init(root);
    }
  }

  // Material's instant navigation swaps pages without a new load: `document$` fires every time.
  // The first load is also caught directly: opened from file://, Material's `document$` stays
  // silent, and the page must still say why scoring cannot start. boot() runs once per page.
  if (typeof document$ !== "undefined") document$.subscribe(boot);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
