// 家庭应急物资自查表: ticks, household size, expiry dates. Everything stays in localStorage.
// The quantity rules come in the page's data-sc-data attribute (from data/household_supplies.yaml),
// the same data the build used to print the default numbers.
const SC = window.SC;
var KEY = "sc-residents-checklist";
var DAY = 24 * 3600 * 1000;

function quantity(rule, people, days) {
  var factor = { household: 1, person: people, person_day: people * days }[rule.basis];
  // Same tolerance as macros/resident_pages.quantity: 0.1 × 3 is 1, not 2.
  return Math.ceil(rule.amount * factor - 1e-9);
}

function clamp(value, range) {
  var n = parseInt(value, 10);
  if (isNaN(n)) return range["default"];
  return Math.min(range.max, Math.max(range.min, n));
}

function load() { return SC.store.get(KEY, null) || {}; }

function save(state) { SC.store.set(KEY, state); }

function today() {
  var d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

function parseDate(s) {
  var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
  return m ? new Date(+m[1], +m[2] - 1, +m[3]) : null;
}

function init(root, data) {
  var rules = data.rules;
  var state = load();
  state.items = state.items || {};
  var people = root.querySelector("#rs-people");
  var days = root.querySelector("#rs-days");
  if (state.people) people.value = state.people;
  if (state.days) days.value = state.days;
  var level = state.level === "all" ? "all" : "basic";
  root.querySelector('input[name="level"][value="' + level + '"]').checked = true;

  data.items.forEach(function (item) {
    var s = state.items[item.id] || {};
    root.querySelector("#rs-have-" + item.id).checked = !!s.have;
    var exp = root.querySelector("#rs-exp-" + item.id);
    if (exp && s.expires) exp.value = s.expires;
  });

  function update() {
    var p = clamp(people.value, rules.people);
    var d = clamp(days.value, rules.days);
    var lvl = root.querySelector('input[name="level"]:checked').value;
    state.people = p; state.days = d; state.level = lvl;
    var shown = 0, have = 0, expired = [], soon = [];
    var now = today();
    data.items.forEach(function (item) {
      var row = root.querySelector('tr[data-item="' + item.id + '"]');
      var visible = lvl === "all" || item.level === "basic";
      row.hidden = !visible;
      row.querySelector(".rs-qty-n").textContent = String(quantity(item.quantity, p, d));
      var box = root.querySelector("#rs-have-" + item.id);
      var exp = root.querySelector("#rs-exp-" + item.id);
      state.items[item.id] = { have: box.checked, expires: exp ? exp.value : "" };
      var status = row.querySelector(".rs-status");
      status.textContent = "";
      row.classList.remove("rs-expired", "rs-soon");
      if (exp) exp.classList.toggle("rs-empty", !exp.value);  // print: no “年/月/日” on blank dates
      var date = exp ? parseDate(exp.value) : null;
      if (date && visible) {
        var left = Math.round((date - now) / DAY);
        if (left < 0) {
          status.textContent = "⚠ 已过期";
          row.classList.add("rs-expired");
          expired.push(item.name + "（" + exp.value + "）");
        } else if (left <= rules.expiry_warning_days) {
          status.textContent = left === 0 ? "今天到期" : "还有 " + left + " 天到期";
          row.classList.add("rs-soon");
          soon.push(item.name + "（" + exp.value + "）");
        }
      }
      if (visible) { shown += 1; if (box.checked) have += 1; }
    });
    // A category heading shows only while one of its items does.
    root.querySelectorAll("tr.rs-cat").forEach(function (head) {
      var row = head.nextElementSibling, any = false;
      while (row && !row.classList.contains("rs-cat")) { if (!row.hidden) any = true; row = row.nextElementSibling; }
      head.hidden = !any;
    });
    save(state);
    root.querySelector("#rs-progress").textContent =
      (lvl === "all" ? "基础版＋扩充版" : "基础版") + "共 " + shown + " 项，已备 " + have + " 项，还差 " + (shown - have) + " 项。";
    var box = root.querySelector("#rs-expiry");
    box.textContent = "";
    if (expired.length) box.appendChild(note("rs-alert", "⚠ 有 " + expired.length + " 件已过期，请尽快更换：" + expired.join("、")));
    if (soon.length) box.appendChild(note("rs-warn", "有 " + soon.length + " 件在 " + rules.expiry_warning_days + " 天内到期：" + soon.join("、")));
    root.querySelector("#rs-print-household").textContent = "家里 " + p + " 人，准备 " + d + " 天";
  }

  function note(cls, text) {
    var el = document.createElement("p");
    el.className = cls;
    el.textContent = text;
    return el;
  }

  root.addEventListener("input", update);
  root.addEventListener("change", update);
  root.querySelector("#rs-checklist-print").addEventListener("click", function () { window.print(); });
  root.querySelector("#rs-checklist-clear").addEventListener("click", function () {
    if (!window.confirm("清空本页的勾选、人数和有效期？")) return;
    SC.store.remove(KEY);
    root.querySelectorAll('input[type="checkbox"]').forEach(function (b) { b.checked = false; });
    root.querySelectorAll('input[type="date"]').forEach(function (b) { b.value = ""; });
    people.value = rules.people["default"];
    days.value = rules.days["default"];
    state = { items: {} };
    update();
  });
  update();
}

export function mount(root, ctx) {
  init(root, ctx.data);
}
