// 应急预案编制: the form on docs/staff/plan-drafting.md. Autosaves to localStorage, checks the
// required elements, writes a DOCX with the pinned `docx` bundle (loaded from this site only when
// asked for) and a printable HTML version. Nothing typed leaves the browser.
const SC = window.SC;
const STORE = "sc-plan-draft-v1";
let docxPromise = null;

function text(tag, content, cls) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (content !== undefined) el.textContent = content;
  return el;
}

function columnsOf(field) { return JSON.parse(field.dataset.columns); }

function addRow(field, values) {
  const tbody = field.querySelector("tbody");
  const cols = columnsOf(field);
  const tr = document.createElement("tr");
  const rowNo = tbody.rows.length + 1;
  cols.forEach((col, i) => {
    const td = document.createElement("td");
    td.dataset.label = col;
    const input = document.createElement("input");
    input.type = "text";
    input.value = (values && values[i]) || "";
    input.setAttribute("aria-label", `${field.dataset.label} 第${rowNo}行 ${col}`);
    td.appendChild(input);
    tr.appendChild(td);
  });
  const td = document.createElement("td");
  const del = text("button", "删除本行", "md-button sc-small-button");
  del.type = "button";
  del.setAttribute("aria-label", `删除${field.dataset.label}第${rowNo}行`);
  del.addEventListener("click", () => {
    tr.remove();
    if (!tbody.rows.length) addRow(field);
    save(field.closest(".sc-draft"));
  });
  td.appendChild(del);
  tr.appendChild(td);
  tbody.appendChild(tr);
  return tr;
}

function buildTable(field) {
  const table = document.createElement("table");
  table.className = "sc-draft-table";
  table.setAttribute("aria-labelledby", field.querySelector(".sc-field-label").id);
  const head = table.createTHead().insertRow();
  columnsOf(field).forEach((c) => head.appendChild(text("th", c)));
  head.appendChild(text("th", "操作"));
  table.appendChild(document.createElement("tbody"));
  const wrap = text("div", undefined, "sc-table-scroll");
  wrap.appendChild(table);
  field.appendChild(wrap);
  const add = text("button", "添加一行", "md-button sc-small-button");
  add.type = "button";
  add.addEventListener("click", () => {
    const tr = addRow(field);
    tr.querySelector("input").focus();
  });
  field.appendChild(add);
}

// The whole draft as {key: string | string[][]}, rows without any text dropped.
function collect(root) {
  const data = {};
  root.querySelectorAll(".sc-draft-form [name]").forEach((el) => { data[el.name] = el.value; });
  root.querySelectorAll(".sc-table-field").forEach((field) => {
    data[field.dataset.key] = Array.from(field.querySelectorAll("tbody tr"))
      .map((tr) => Array.from(tr.querySelectorAll("input")).map((i) => i.value))
      .filter((row) => row.some((v) => v.trim()));
  });
  return data;
}

function restore(root, data) {
  root.querySelectorAll(".sc-draft-form [name]").forEach((el) => {
    if (typeof data[el.name] === "string") el.value = data[el.name];
  });
  root.querySelectorAll(".sc-table-field").forEach((field) => {
    field.querySelector("tbody").innerHTML = "";
    const rows = Array.isArray(data[field.dataset.key]) ? data[field.dataset.key] : [];
    rows.forEach((r) => addRow(field, r));
    if (!rows.length) addRow(field);
  });
}

function save(root) {
  if (SC.store.set(STORE, { saved: new Date().toISOString(), data: collect(root) })) {
    root.querySelector(".sc-draft-saved").textContent =
      "已自动保存在本机浏览器（" + new Date().toLocaleTimeString("zh-CN", { hour12: false }) + "）。";
  } else {
    root.querySelector(".sc-draft-saved").textContent =
      "无法自动保存（浏览器禁止了本地存储或空间已满），上次保存的内容仍在。请尽快下载 Word 文档保存内容。";
  }
}

// Required elements still empty, as “部分 › 项目” labels in form order.
function missing(root) {
  const data = collect(root);
  const out = [];
  root.querySelectorAll(".sc-draft-form [data-required='true'], .sc-table-field[data-required='true']").forEach((el) => {
    const key = el.name || el.dataset.key;
    const value = data[key];
    const empty = Array.isArray(value) ? value.length === 0 : !String(value || "").trim();
    if (empty) out.push({ label: el.dataset.label, target: el.id || (el.querySelector("input") || {}).id, el });
  });
  return out;
}

function showCheck(root) {
  const box = root.querySelector(".sc-draft-check");
  const gaps = missing(root);
  box.innerHTML = "";
  box.className = "sc-draft-check " + (gaps.length ? "sc-check-missing" : "sc-check-ok");
  if (!gaps.length) {
    box.appendChild(text("p", "✔ 要素齐全：所有必填项都已填写。请再检查内容是否符合本社区（村）实际、是否便于操作。"));
  } else {
    box.appendChild(text("p", `✘ 要素不齐全：还有 ${gaps.length} 项必填内容没有填写：`));
    const ul = text("ul", undefined, "sc-missing-list");
    gaps.forEach((g) => {
      const li = document.createElement("li");
      const target = g.el.matches("input, textarea") ? g.el : g.el.querySelector("input, textarea");
      if (target && !target.id) target.id = "sc-plan-field-" + (g.el.dataset.key || g.el.name || "x").replace(/\W+/g, "-");
      const a = text("a", g.label);
      // A real in-page address (never "#", the top of the page); the click moves focus there.
      a.href = "#" + (target && target.id ? target.id : g.el.id);
      a.dataset.focusField = a.getAttribute("href").slice(1);
      a.addEventListener("click", (ev) => {
        ev.preventDefault();
        ev.stopPropagation();
        if (!target) return;
        target.focus({ preventScroll: true });
        target.scrollIntoView({ block: "center" });
      });
      li.appendChild(a);
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }
  box.focus();
  return gaps;
}

function elementsUrl(root) { return SC.py.root + "assets/data/plan_elements.json"; }

async function loadElements(root) {
  const response = await fetch(elementsUrl(root));
  if (!response.ok) throw new Error("无法读取预案要素数据（assets/data/plan_elements.json）。");
  return response.json();
}

function loadDocx() {
  if (window.docx) return Promise.resolve(window.docx);
  if (!docxPromise) {
    docxPromise = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = SC.py.root + "assets/vendor/docx/docx.iife.js";
      s.onload = () => resolve(window.docx);
      s.onerror = () => { docxPromise = null; reject(new Error("无法加载生成 Word 文档的程序（assets/vendor/docx/docx.iife.js）。")); };
      document.head.appendChild(s);
    });
  }
  return docxPromise;
}

// One plan model for both outputs: [{heading, blocks: [{label, text} | {label, columns, rows}]}].
function planModel(el, data) {
  const FILL = "【待填写】";
  const parts = el.sections.map((s) => ({
    heading: s.heading,
    blocks: s.fields.map((f) => {
      const value = data[s.id + "." + f.id];
      if (f.type === "table") return { label: f.label, columns: f.columns, rows: value && value.length ? value : [f.columns.map(() => "")] };
      return { label: f.label, text: String(value || "").trim() || FILL };
    }),
  }));
  el.appendices.forEach((a) => {
    const rows = data["appendix." + a.id];
    parts.push({ heading: a.heading, blocks: [{ label: "", columns: a.columns, rows: rows && rows.length ? rows : [a.columns.map(() => "")] }] });
  });
  const name = String(data["general.community"] || "").trim() || "××社区（村）";
  const sourceNote = "本预案框架依据：" + el.sources.map((s) => s.name).join("；") + "。" + el.official_reference.availability;
  return { title: name + "突发事件应急预案", parts, sourceNote };
}

async function makeDocx(el, data) {
  const d = await loadDocx();
  const model = planModel(el, data);
  const children = [
    new d.Paragraph({ heading: d.HeadingLevel.TITLE, alignment: d.AlignmentType.CENTER, children: [new d.TextRun(model.title)] }),
    new d.Paragraph({ alignment: d.AlignmentType.CENTER, children: [new d.TextRun({ text: "（草稿，生成于 " + new Date().toLocaleDateString("zh-CN") + "，请结合实际修改完善后按程序审议发布）", italics: true })] }),
  ];
  const cell = (t, bold) => new d.TableCell({ children: [new d.Paragraph({ children: [new d.TextRun({ text: t || "", bold: !!bold })] })] });
  model.parts.forEach((part) => {
    children.push(new d.Paragraph({ heading: d.HeadingLevel.HEADING_1, children: [new d.TextRun(part.heading)] }));
    part.blocks.forEach((b) => {
      if (b.label) children.push(new d.Paragraph({ heading: d.HeadingLevel.HEADING_2, children: [new d.TextRun(b.label)] }));
      if (b.columns) {
        children.push(new d.Table({
          width: { size: 100, type: d.WidthType.PERCENTAGE },
          rows: [new d.TableRow({ tableHeader: true, children: b.columns.map((c) => cell(c, true)) })]
            .concat(b.rows.map((r) => new d.TableRow({ children: b.columns.map((_, i) => cell(r[i])) }))),
        }));
      } else {
        b.text.split(/\r?\n/).forEach((line) => children.push(new d.Paragraph({ children: [new d.TextRun(line)] })));
      }
    });
  });
  children.push(new d.Paragraph({ children: [new d.TextRun({ text: model.sourceNote, size: 18 })] }));
  const doc = new d.Document({
    creator: "安全发展社区（村）知识库",
    title: model.title,
    styles: { default: { document: { run: { font: { ascii: "SimSun", hAnsi: "SimSun", eastAsia: "宋体" }, size: 24 } } } },
    sections: [{ children }],
  });
  return { blob: await d.Packer.toBlob(doc), title: model.title };
}

function renderPreview(root, el, data) {
  const model = planModel(el, data);
  const box = root.querySelector(".sc-draft-preview");
  box.innerHTML = "";
  box.appendChild(text("h2", model.title, "sc-preview-title"));
  model.parts.forEach((part) => {
    box.appendChild(text("h3", part.heading));
    part.blocks.forEach((b) => {
      if (b.label) box.appendChild(text("h4", b.label));
      if (b.columns) {
        const table = document.createElement("table");
        const head = table.createTHead().insertRow();
        b.columns.forEach((c) => head.appendChild(text("th", c)));
        const body = table.createTBody();
        b.rows.forEach((r) => { const tr = body.insertRow(); b.columns.forEach((_, i) => tr.appendChild(text("td", r[i] || ""))); });
        box.appendChild(table);
      } else {
        b.text.split(/\r?\n/).forEach((line) => box.appendChild(text("p", line)));
      }
    });
  });
  box.appendChild(text("p", model.sourceNote, "sc-source"));
  const print = text("button", "打印", "md-button md-button--primary sc-no-print");
  print.type = "button";
  print.addEventListener("click", () => window.print());
  box.prepend(print);
  box.hidden = false;
  print.focus();
}

function download(blob, name) {
  SC.download(blob, name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
}

export function mount(root) {
  root.querySelectorAll(".sc-table-field").forEach(buildTable);
  const stored = (SC.store.get(STORE, null) || {}).data || {};
  restore(root, stored);
  root.querySelector(".sc-draft-form").addEventListener("input", () => save(root));
  const status = root.querySelector(".sc-draft-saved");
  if (Object.keys(stored).length) status.textContent = "已恢复上次在本机浏览器中填写的内容。";
  root.querySelector(".sc-actions").addEventListener("click", async (ev) => {
    const button = ev.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "check") { showCheck(root); return; }
    if (action === "clear") {
      if (!window.confirm("确定清空全部填写内容吗？清空后无法恢复。")) return;
      SC.store.remove(STORE);
      root.querySelector(".sc-draft-form").reset();
      restore(root, {});
      status.textContent = "已清空。";
      return;
    }
    button.disabled = true;
    const label = button.textContent;
    button.textContent = "正在生成…";
    try {
      const el = await loadElements(root);
      const data = collect(root);
      if (action === "preview") renderPreview(root, el, data);
      if (action === "docx") {
        const gaps = showCheck(root);
        const { blob, title } = await makeDocx(el, data);
        download(blob, title + ".docx");
        status.textContent = gaps.length
          ? `已生成 Word 文档；还有 ${gaps.length} 项必填内容未填，文档中标为“【待填写】”。`
          : "已生成 Word 文档。";
      }
    } catch (e) {
      status.textContent = "生成失败：" + (e && e.message ? e.message : e);
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
}
