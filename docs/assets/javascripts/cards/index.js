// 防灾减灾明白卡: community details (localStorage), one household (localStorage), a CSV batch
// (in memory only), blank cards. Nothing is sent anywhere; CSV text is decoded in the browser.
// The card fields come in the page's data-sc-data attribute (from data/cards.yaml).
const SC = window.SC;
var COMMUNITY_KEY = "sc-residents-cards-community";
var HOUSEHOLD_KEY = "sc-residents-cards-household";

// UTF-8 first and strictly, so a GBK file (Excel's default for Chinese) fails and is re-read.
function decode(buffer) {
  var bytes = new Uint8Array(buffer);
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, ""), encoding: "UTF-8" };
  } catch (e) {
    return { text: new TextDecoder("gbk").decode(bytes), encoding: "GBK" };
  }
}

// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. Returns records.
function parseCsv(text) {
  var rows = [], row = [], field = "", quoted = false, i = 0, c;
  for (; i < text.length; i++) {
    c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else { quoted = false; }
      } else { field += c; }
    } else if (c === '"' && field === "") { quoted = true; }
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field); rows.push(row); row = []; field = "";
    } else { field += c; }
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return { rows: rows, unclosedQuote: quoted };
}

// Pure: CSV text → {households, messages}. Row numbers are the spreadsheet's (header = 1).
function readHouseholds(text, fields) {
  var messages = [], households = [];
  var parsed = parseCsv(text);
  var rows = parsed.rows;
  if (!rows.length || rows[0].every(function (h) { return h.trim() === ""; })) {
    return { households: [], messages: [{ level: "error", text: "文件是空的：第 1 行应是列名。" }] };
  }
  var header = rows[0].map(function (h) { return h.trim(); });
  var byColumn = {};
  fields.forEach(function (f) { f.columns.forEach(function (c) { byColumn[c] = f; }); });
  var index = {};
  header.forEach(function (h, i) {
    if (!h) return;
    var f = byColumn[h];
    if (!f) { messages.push({ level: "warn", text: "第 1 行：不认识的列“" + h + "”，已忽略。" }); return; }
    if (index[f.key] !== undefined) { messages.push({ level: "warn", text: "第 1 行：“" + h + "”和前面的列重复，只用第一列。" }); return; }
    index[f.key] = i;
  });
  var missing = fields.filter(function (f) { return f.required && index[f.key] === undefined; });
  if (missing.length) {
    messages.push({ level: "error", text: "第 1 行（列名）缺少必需的列：" + missing.map(function (f) { return "“" + f.columns[0] + "”"; }).join("、") + "。请在第 1 行加上这一列后重新选择文件。" });
    return { households: [], messages: messages };
  }
  if (parsed.unclosedQuote) messages.push({ level: "warn", text: "文件末尾有一个没有配对的英文引号，最后一行可能不完整。" });
  var width = header.length;
  for (var r = 1; r < rows.length; r++) {
    var cells = rows[r];
    var line = r + 1;
    if (cells.every(function (v) { return v.trim() === ""; })) continue;
    if (cells.length < width) {
      var lost = header.slice(cells.length).filter(Boolean);
      messages.push({ level: "error", text: "第 " + line + " 行：只有 " + cells.length + " 列，比列名少（缺“" + lost.join("”“") + "”），这一行没有生成卡片。" });
      continue;
    }
    var extra = cells.slice(width).filter(function (v) { return v.trim() !== ""; });
    if (extra.length) {
      messages.push({ level: "error", text: "第 " + line + " 行：比列名多出 " + extra.length + " 列（可能是地址里有英文逗号），这一行没有生成卡片。" });
      continue;
    }
    var h = {};
    fields.forEach(function (f) { h[f.key] = index[f.key] === undefined ? "" : cells[index[f.key]].trim(); });
    var empty = fields.filter(function (f) { return f.required && !h[f.key]; });
    if (empty.length) {
      var who = h.head ? "（户主：" + h.head + "）" : "";
      messages.push({ level: "error", text: "第 " + line + " 行" + who + "：必填的“" + empty.map(function (f) { return f.label; }).join("”“") + "”是空的，这一行没有生成卡片。" });
      continue;
    }
    h._line = line;
    households.push(h);
  }
  return { households: households, messages: messages };
}

function loadJson(key) { return SC.store.get(key, null) || {}; }

function saveJson(key, value) { SC.store.set(key, value); }

function init(app, data) {
  var template = document.getElementById("rs-card-template");
  var out = document.getElementById("rs-cards-out");
  var messages = app.querySelector("#rs-messages");
  var count = app.querySelector("#rs-cards-count");
  var communityInputs = app.querySelectorAll("#rs-community-form [data-key]");
  var householdInputs = app.querySelectorAll("#rs-household-form [data-key]");
  var current = { kind: "blank", households: [{}] };

  var savedCommunity = loadJson(COMMUNITY_KEY);
  communityInputs.forEach(function (el) { if (savedCommunity[el.dataset.key] !== undefined) el.value = savedCommunity[el.dataset.key]; });
  var savedHousehold = loadJson(HOUSEHOLD_KEY);
  householdInputs.forEach(function (el) { if (savedHousehold[el.dataset.key]) el.value = savedHousehold[el.dataset.key]; });

  function community() {
    var c = {};
    communityInputs.forEach(function (el) { c[el.dataset.key] = el.value.trim(); });
    return c;
  }

  function fill(slot, value) {
    slot.textContent = value || "";
    slot.classList.toggle("rs-blank", !value);
  }

  function card(h, n, comm) {
    var node = template.content.firstElementChild.cloneNode(true);
    var number = h.number || String(n).padStart(4, "0");
    node.setAttribute("data-card", number);
    node.querySelectorAll("[data-slot]").forEach(function (slot) {
      var key = slot.getAttribute("data-slot");
      if (key === "number") { fill(slot, number); return; }
      if (key.indexOf("c:") === 0) { fill(slot, comm[key.slice(2)]); return; }
      var f = data.fields.filter(function (x) { return x.key === key; })[0];
      var value = h[key];
      if (!value && f && f.default_from) value = comm[f.default_from];
      fill(slot, value);
    });
    return node;
  }

  function render() {
    var comm = community();
    out.textContent = "";
    // One sheet per A4 page: a forced break after each, so the page count never drifts.
    var sheet;
    current.households.forEach(function (h, i) {
      if (i % data.per_page === 0) {
        sheet = document.createElement("div");
        sheet.className = "rs-sheet";
        out.appendChild(sheet);
      }
      sheet.appendChild(card(h, i + 1, comm));
    });
    var n = current.households.length;
    var pages = Math.ceil(n / data.per_page);
    var what = { blank: "空白卡", one: "这一户的卡片", batch: "从 CSV 生成的卡片" }[current.kind];
    count.textContent = "共 " + n + " 张" + what + "，打印在 A4 纸上约 " + pages + " 页。";
  }

  function show(list) {
    messages.textContent = "";
    list.forEach(function (m) {
      var p = document.createElement("p");
      p.className = m.level === "error" ? "rs-alert" : m.level === "warn" ? "rs-warn" : "rs-ok";
      p.textContent = (m.level === "error" ? "✗ " : m.level === "warn" ? "! " : "✓ ") + m.text;
      messages.appendChild(p);
    });
  }

  app.querySelector("#rs-community-form").addEventListener("input", function () {
    saveJson(COMMUNITY_KEY, community());
    render();
  });
  app.querySelector("#rs-household-form").addEventListener("input", function () {
    var h = {};
    householdInputs.forEach(function (el) { h[el.dataset.key] = el.value.trim(); });
    saveJson(HOUSEHOLD_KEY, h);
  });
  app.querySelector("#rs-one-card").addEventListener("click", function () {
    var h = {};
    householdInputs.forEach(function (el) { h[el.dataset.key] = el.value.trim(); });
    var empty = data.fields.filter(function (f) { return f.required && !h[f.key]; });
    current = { kind: "one", households: [h] };
    show(empty.length
      ? [{ level: "warn", text: "“" + empty.map(function (f) { return f.label; }).join("”“") + "”还没有填，卡片上留了空，可以打印后用笔填。" }]
      : [{ level: "ok", text: "已生成这一户的卡片。" }]);
    render();
  });
  app.querySelector("#rs-clear-household").addEventListener("click", function () {
    householdInputs.forEach(function (el) { el.value = ""; });
    SC.store.remove(HOUSEHOLD_KEY);
  });
  app.querySelector("#rs-blank-cards").addEventListener("click", function () {
    var n = Math.min(200, Math.max(1, parseInt(app.querySelector("#rs-blank-count").value, 10) || 1));
    current = { kind: "blank", households: Array.from({ length: n }, function () { return {}; }) };
    show([{ level: "ok", text: "已生成 " + n + " 张空白卡。" }]);
    render();
  });
  app.querySelector("#rs-csv").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) return;
    file.arrayBuffer().then(function (buffer) {
      var decoded = decode(buffer);
      var result = readHouseholds(decoded.text, data.fields);
      var list = [];
      if (result.households.length) {
        list.push({ level: "ok", text: "已读取“" + file.name + "”（" + decoded.encoding + " 编码），生成 " + result.households.length + " 张卡片。" });
        current = { kind: "batch", households: result.households };
        render();
      } else {
        // Never leave an earlier file's cards on screen under this file's name.
        list.push({ level: "error", text: "“" + file.name + "”（" + decoded.encoding + " 编码）中没有可以生成卡片的行。" });
        current = { kind: "batch", households: [] };
        render();
      }
      show(list.concat(result.messages));
    });
  });
  app.querySelector("#rs-csv-template").addEventListener("click", function () {
    var header = data.fields.map(function (f) { return f.columns[0]; }).join(",");
    // A BOM so that Excel opens the UTF-8 file with the right encoding.
    SC.download("\uFEFF" + header + "\r\n", "明白卡-住户名单模板.csv", "text/csv;charset=utf-8");
  });
  app.querySelector("#rs-cards-print").addEventListener("click", function () { window.print(); });
  render();
}

export { decode, parseCsv, readHouseholds };

export function mount(app, ctx) {
  init(app, ctx.data);
}
