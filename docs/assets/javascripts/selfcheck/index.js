// The 自评 page: form ⇄ answers document (mapping.js), named drafts (drafts.js), live scoring
// through SC.engine (the Python worker), the chart (chart.js), the 整改清单 (gaps.js), exports,
// import and comparison (exports.js). Scoring rules live in the selfcheck package only: this
// module never judges an answer itself.
//
// Markers for tests and benchmarks/bench_selfcheck_page.py on #sc-selfcheck:
//   data-sc-mounted="1"    the form is wired (autosaving); its fields take typing from first paint
//   data-py-ready="1"      Python is up
//   data-score-state       "pending" while a score is on its way, "done" once shown
//   performance marks      "sc:score-start" (the latest score was asked for) and "sc:score-back"
//                          (its answer arrived), one of each kept: the benchmark's re-score time
//
// Speed (issue 14): the form never waits for Python. What is typed before this module mounts is
// kept (the saved draft is restored around it). The first score is asked for at mount and waits
// in the worker until Python is up, so it needs no round trip through this thread; an edit made
// meanwhile replaces it there (only the newest score runs, see rescore). A new result touches
// only the parts of the page that changed (statuses, texts, the gap list), so a re-score after one
// edit costs the Python call and a few text nodes.
import { readForm, writeForm } from "./mapping.js";
import { loadStore, saveStore, newDraftId, ensureDraft } from "./drafts.js";
import { categoryChart } from "./chart.js";
import { renderGaps, requirementGapCount, focusField } from "./gaps.js";
import { wireExports, renderCompare } from "./exports.js";

const SC = window.SC;
const STATUS_MARK = { met: "✔", partial: "◐", not_met: "✘", not_applicable: "—", not_answered: "？" };
const RESCORE_DELAY_MS = 250;

export function mount(root, ctx) {
  const h = SC.h;
  const fmt = (n) => SC.fmt.number(n);
  const form = root.querySelector("#sc-form");
  const version = root.dataset.standardVersion;
  const $ = (sel) => root.querySelector(sel);
  const on = ctx.on;
  const status = $("#sc-py-text");
  const progressBar = $("#sc-py-progress");
  const ioMessage = $("#sc-io-message");
  let store = loadStore();
  let records = [];
  let lastResult = null;
  let lastCompare = null;
  let scoreSeq = 0;
  let changeSeq = 0; // bumped by every edit, so a score of older answers never reads as "done"
  let timer = null; // set while a burst of edits has not paused yet (see changed)
  let held = null; // the newest score's answer, not drawn yet: {result, failure, answersSeen}
  let lastEdit = -Infinity; // when the user last changed the form (performance.now())
  const shown = new Map(); // element → the text last written there, so unchanged parts stay untouched

  function showMessage(text, kind) {
    ioMessage.hidden = !text;
    ioMessage.removeAttribute("data-error-detail");
    ioMessage.replaceChildren(text || "");
    ioMessage.className = "sc-message" + (kind ? " sc-message--" + kind : "");
  }
  function showError(e) {
    showMessage(" ", "error");
    SC.showError(ioMessage, e, "操作没有完成：");
  }

  // Write a text (and class) only when it differs from what is shown: untouched nodes cost no layout.
  function show(el, text, className) {
    if (!el) return;
    const key = className === undefined ? text : text + "\u0000" + className;
    if (shown.get(el) === key) return;
    shown.set(el, key);
    el.textContent = text;
    if (className !== undefined) el.className = className;
  }

  function renderDraftSelect() {
    const select = $("#sc-draft-select");
    select.replaceChildren(...Object.entries(store.drafts).map(([id, d]) => h("option", { value: id }, d.name)));
    select.value = store.current;
  }

  function loadDraft() {
    if (ensureDraft(store)) saveStore(store);
    const draft = store.drafts[store.current];
    docSeq = -1;
    form.reset();
    if (draft.doc) writeForm(form.elements, draft.doc);
    records = (draft.doc && draft.doc.records) || [];
    renderRecordsSummary();
    renderDraftSelect();
    $("#sc-save-state").textContent = draft.doc ? `已载入“${draft.name}”（上次保存：${SC.fmt.dateTime(draft.updated)}）` : "";
    lastCompare = null;
    $("#sc-compare").replaceChildren(h("p", { class: "sc-hint" }, "在上方“与以前导出的 JSON 比较”中选择文件后显示。"));
  }

  // The answers document, read from the form once per edit (autosave and the score share it).
  let docCache = null;
  let docSeq = -1;
  function currentDoc() {
    if (docSeq !== changeSeq) {
      docCache = readForm(form.elements, version, records);
      docSeq = changeSeq;
    }
    return docCache;
  }

  function save() {
    const draft = store.drafts[store.current];
    const previous = { doc: draft.doc, updated: draft.updated };
    draft.doc = currentDoc();
    draft.updated = new Date().toISOString();
    if (saveStore(store)) {
      $("#sc-save-state").textContent = `已自动保存（${SC.fmt.time(new Date())}）`;
    } else {
      // What is stored stays the last copy that fitted; the page keeps what is typed.
      Object.assign(draft, previous);
      $("#sc-save-state").textContent = "自动保存失败：浏览器存储空间已满或被禁止，上次保存的内容仍在。请先导出 JSON 文件保存。";
    }
  }

  function siteName(doc) {
    return (doc.profile && doc.profile.site_name || "").trim() || store.drafts[store.current].name;
  }
  const fileStem = (doc) => `自评-${SC.safeFileName(siteName(doc), "草稿")}-${SC.fmt.isoDay()}`;

  // The page's parts by category and item, looked up once: every later update is a walk over arrays.
  const categories = [...root.querySelectorAll(".sc-category")].map((section) => ({
    labels: [...root.querySelectorAll(`[data-progress-for="${section.dataset.category}"]`)],
    items: [...section.querySelectorAll(".sc-item")].map((item) => ({
      id: item.dataset.item,
      criteria: [...item.querySelectorAll(".sc-criterion")].map((c) => [...c.querySelectorAll("input")]),
    })),
  }));
  const badges = new Map([...root.querySelectorAll("[data-item-status]")].map((el) => [el.dataset.itemStatus, el]));
  const criterionLines = new Map([...root.querySelectorAll("[data-criterion-result]")].map((el) => [el.dataset.criterionResult, el]));

  // Progress per category: from the last result where there is one, else from what is typed.
  function renderProgress() {
    for (const category of categories) {
      let filled = 0;
      for (const item of category.items) {
        const r = lastResult && lastResult.items[item.id];
        if (r) filled += r.status !== "not_answered" ? 1 : 0;
        else {
          filled += item.criteria.every((inputs) => inputs.some((i) =>
            i.type === "radio" ? i.checked : i.value !== "")) ? 1 : 0;
        }
      }
      for (const label of category.labels) show(label, `已填 ${filled}/${category.items.length} 条`);
    }
  }

  function renderSticky(result) {
    const bar = $("#sc-stickybar");
    const o = result.overall;
    const gaps = requirementGapCount(result);
    show($("#sc-sticky-score"), fmt(o.score));
    show($("#sc-sticky-verdict"), o.verdict);
    show($("#sc-sticky-gaps"), gaps ? `${gaps} 处未达到要求 ›` : "整改清单 ›");
    if (bar.hidden) bar.hidden = false;
  }

  let summaryKey = null;
  let gapsKey = null;

  function renderSummary(result) {
    const o = result.overall;
    const first = (result.needs_first || [])[0];
    // Rebuilt only when something it shows changed (most single edits change no total).
    const key = JSON.stringify([o, result.categories, first, result.warnings, result.window.label]);
    if (key === summaryKey && !lastCompare) return;
    summaryKey = lastCompare ? null : key;
    $("#sc-summary").replaceChildren(...[
      h("p", { class: "sc-score" }, h("span", { class: "sc-score-label" }, "总分"), " ",
        h("strong", { id: "sc-overall-score" }, fmt(o.score)), " / 100"),
      h("p", { class: "sc-verdict sc-verdict--" + o.level, id: "sc-verdict" }, h("strong", {}, "结论：" + o.verdict), "。",
        first && first.message === o.text ? null : o.text),
      first ? h("p", { class: "sc-needs-first", id: "sc-needs-first" },
        h("a", { href: "#sc-fact-kind", "data-focus-field": "sc-fact-kind" }, first.message)) : null,
      o.unmet && o.unmet.length ? h("ul", { class: "sc-unmet" }, o.unmet.map((u) => h("li", {}, u))) : null,
      h("p", { class: "sc-hint" }, `达标 ${o.counts.met} 条，部分达标 ${o.counts.partial} 条，未达标 ${o.counts.not_met} 条，不适用 ${o.counts.not_applicable} 条，未填写 ${o.counts.not_answered} 条。${result.window.label}。`),
      categoryChart(lastCompare
        ? [{ label: "以前", pattern: "hatch", categories: lastCompare.old.categories || [] }, { label: "现在", pattern: "solid", categories: result.categories }]
        : [{ label: "得分", pattern: "solid", categories: result.categories }]),
      h("table", { class: "sc-cat-table" },
        h("caption", {}, "各类得分（本站口径）"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "考评项目"), h("th", { scope: "col" }, "得分"), h("th", { scope: "col" }, "权重"))),
        h("tbody", {}, result.categories.map((c) => h("tr", { "data-category-score": c.id },
          h("th", { scope: "row" }, `${c.id}. ${c.name}`), h("td", {}, fmt(c.score)), h("td", {}, String(c.weight)))))),
      result.warnings && result.warnings.length ? h("ul", { class: "sc-warnings" }, result.warnings.map((w) => h("li", {}, "提示：" + w))) : null,
    ].filter(Boolean));
  }

  function renderResult(result) {
    lastResult = result;
    renderSummary(result);
    for (const [iid, item] of Object.entries(result.items)) {
      show(badges.get(iid), `${STATUS_MARK[item.status] || ""} ${item.status_label}`, "sc-badge sc-badge--" + item.status);
    }
    for (const [cid, crit] of Object.entries(result.criteria)) {
      // “未填写：…” only repeats the question; other messages (e.g. population 0) explain something.
      const silent = crit.status === "not_answered" && /^未填写/.test(crit.message || "");
      show(criterionLines.get(cid), silent ? "" : `${STATUS_MARK[crit.status] || ""} ${crit.message}`,
        "sc-criterion-result sc-criterion-result--" + crit.status);
    }
    const gaps = JSON.stringify(result.gaps || []);
    if (gaps !== gapsKey) {
      gapsKey = gaps;
      renderGaps($("#sc-gaps"), result);
    }
    renderSticky(result);
    renderProgress();
  }

  // The items far below the view are skipped while the page loads (selfcheck.css): render them all
  // once the browser is idle after the first score (so that this layout does not compete with
  // Python's start for the CPU), or after 5 s at the latest, so that they join the accessibility
  // tree.
  const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 200));
  const cancelIdle = window.cancelIdleCallback || clearTimeout;
  let renderAll = null;
  function renderAllSoon() {
    if (renderAll === null) renderAll = idle(() => root.classList.remove("sc-render-later"), { timeout: 1000 });
  }
  const renderAllLate = setTimeout(renderAllSoon, 5000);

  function mark(name) {
    if (!window.performance || !performance.mark) return;
    performance.clearMarks(name);
    performance.mark(name);
  }

  // Scores the form as it is now. Before Python is up the request waits in the worker, and a newer
  // one replaces it there (the worker answers the older null): the edits typed while Python starts
  // cost one score. Once Python is up, a score runs in a few ms, so every edit's is asked for at
  // once; only the newest one's answer counts. During a burst of edits that answer is kept, not
  // drawn (`held`), until the burst pauses (showHeld): the score does not flicker while someone
  // types "120", and when they stop it is already there, drawn in the same task as the timer.
  // If Python cannot start, the status line says why and nothing is marked as scored.
  async function rescore() {
    if (ctx.signal.aborted || SC.py.state.stage === "error") return;
    root.dataset.scoreState = "pending";
    const mine = ++scoreSeq;
    const answersSeen = changeSeq;
    let result = null;
    let failure = null;
    held = null;
    mark("sc:score-start");
    try {
      result = await SC.engine.score(currentDoc());
    } catch (e) {
      failure = e;
    }
    if (ctx.signal.aborted || mine !== scoreSeq) return; // a newer score is on its way
    if (result === null && !failure) {
      // Replaced in the worker by a score someone else asked for (the slot is the tab's): ask again.
      rescore();
      return;
    }
    mark("sc:score-back");
    held = { result, failure, answersSeen };
    if (timer === null) showHeld();
  }

  // Draws the newest answer (from rescore), unless it is still on its way: then rescore draws it.
  function showHeld() {
    timer = null;
    if (held === null) return;
    const { result, failure, answersSeen } = held;
    held = null;
    renderAllSoon();
    if (failure) {
      if (failure.kind === "load") {
        delete root.dataset.scoreState;
        return;
      }
      root.dataset.scoreState = "done";
      const box = h("div", {});
      summaryKey = null;
      $("#sc-summary").replaceChildren(box);
      SC.showError(box, failure, "暂时无法评分：");
      return;
    }
    renderResult(result);
    // An edit made while this score was on its way has its own score coming.
    if (answersSeen === changeSeq) root.dataset.scoreState = "done";
  }

  // Every edit is scored at once, and asked for before the autosave and the redraw of the edit, so
  // that Python works meanwhile. The first edit after a pause in editing is drawn as soon as its
  // answer is back; the next edits of a burst (typing a number, a name) are drawn once it pauses
  // for RESCORE_DELAY_MS. The pause is the user's: a score the page asked for itself (at mount,
  // for a draft) is drawn at once.
  function changed() {
    changeSeq += 1;
    clearTimeout(timer);
    timer = null;
    const now = performance.now();
    const afterPause = now - lastEdit >= RESCORE_DELAY_MS;
    lastEdit = now;
    if (SC.py.state.stage !== "error") {
      if (!afterPause) timer = setTimeout(showHeld, RESCORE_DELAY_MS);
      rescore();
    }
    save();
    renderProgress();
  }
  const rescoreIfReady = rescore;

  on(form, "input", changed);
  on(form, "change", changed);
  on(form, "submit", (e) => e.preventDefault());
  // Links to a field (整改清单, “先选择类型”): move focus there, not only the view.
  on(root, "click", (e) => {
    const link = e.target.closest && e.target.closest("a[data-focus-field]");
    if (!link) return;
    // Material's instant navigation would also handle the in-page link and then move focus
    // away to the page; the link is ours alone.
    e.preventDefault();
    e.stopPropagation();
    focusField(root, link.dataset.focusField);
  });

  on($("#sc-draft-select"), "change", (e) => {
    store.current = e.target.value;
    saveStore(store);
    loadDraft();
    rescoreIfReady();
  });
  on($("#sc-draft-new"), "click", () => {
    const name = prompt("新草稿的名称（例如社区名称）：", `草稿 ${Object.keys(store.drafts).length + 1}`);
    if (name === null) return;
    const id = newDraftId();
    store.drafts[id] = { name: name.trim() || "未命名草稿", updated: new Date().toISOString(), doc: null };
    store.current = id;
    saveStore(store);
    loadDraft();
    rescoreIfReady();
  });
  on($("#sc-draft-rename"), "click", () => {
    const draft = store.drafts[store.current];
    const name = prompt("草稿的新名称：", draft.name);
    if (name === null || !name.trim()) return;
    draft.name = name.trim();
    saveStore(store);
    renderDraftSelect();
  });
  on($("#sc-draft-delete"), "click", () => {
    const draft = store.drafts[store.current];
    if (!confirm(`确定删除草稿“${draft.name}”吗？删除后无法恢复。`)) return;
    delete store.drafts[store.current];
    store.current = null;
    saveStore(store);
    loadDraft();
    rescoreIfReady();
  });
  on($("#sc-clear-all"), "click", () => {
    if (!confirm("确定清空全部草稿吗？所有填写的内容都将删除，无法恢复。建议先导出 JSON 保存。")) return;
    store = { current: null, drafts: {} };
    saveStore(store);
    loadDraft();
    rescoreIfReady();
  });

  wireExports({
    $, on, currentDoc, showMessage, showError, fileStem, loadDraft, rescore,
    store: () => store,
    setCompare(result, fileName) { lastCompare = result; renderCompare($("#sc-compare"), result, fileName); },
  });

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
  on($("#sc-records-file"), "change", async (e) => {
    const input = e.currentTarget;
    const file = input.files[0];
    input.value = "";
    if (!file) return;
    input.disabled = true;
    try {
      records = await SC.engine.parseRecords(new Uint8Array(await file.arrayBuffer()), file.name);
      renderRecordsSummary();
      changed();
    } catch (err) {
      const box = $("#sc-records-summary");
      if (err.kind === "bug") SC.showError(box, err, "台账没有导入（原有记录保持不变）：");
      else box.textContent = "台账没有导入（原有记录保持不变）：" + err.message;
    } finally {
      input.disabled = false;
    }
  });
  on($("#sc-records-clear"), "click", () => {
    if (records.length && !confirm(`确定清除已导入的 ${records.length} 条台账记录吗？`)) return;
    records = [];
    renderRecordsSummary();
    changed();
  });

  // Python: loads in the background (started from <head> on a full load); the form works meanwhile.
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

  // Anything typed before this module mounted (the fields take typing from first paint) differs
  // from the field's HTML default: kept, and laid over the restored draft.
  const typed = [...form.elements].filter((el) => el.name && (el.type === "radio" || el.type === "checkbox"
    ? el.checked !== el.defaultChecked : "defaultValue" in el && el.value !== el.defaultValue))
    .map((el) => [el, el.type === "radio" || el.type === "checkbox" ? el.checked : el.value]);
  loadDraft();
  if (typed.length) {
    for (const [el, value] of typed) {
      if (typeof value === "boolean") el.checked = value;
      else el.value = value;
    }
    changeSeq += 1;
    save();
  }
  renderProgress();
  SC.py.ready(onProgress, { signal: ctx.signal }).then(() => {
    if (ctx.signal.aborted) return;
    root.querySelectorAll("button[disabled], input[type=file][disabled]").forEach((b) => { b.disabled = false; });
    root.dataset.pyReady = "1";
  }, () => {});
  rescore(); // waits in the worker until Python is up

  return () => {
    clearTimeout(timer);
    cancelIdle(renderAll);
    clearTimeout(renderAllLate);
  };
}
