// Form ⇄ answers document, pure: it reads and writes plain field objects ({name, type, value,
// checked}), so it runs the same on the page's form.elements and in Node's unit test
// (tests/test_js_units.py). Field names carry the path: "profile.site_name", "fact:<id>",
// "window.start", "ans:<criterion>" or "ans:<criterion>:<key>", "ev:<item>", "note:<item>".

function numberOrNull(text) {
  if (String(text).trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

export function readForm(fields, version, records) {
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
  for (const el of fields) {
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
      doc.profile[key] = el.type === "number" ? numberOrNull(el.value) : el.value;
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
        doc.answers[id][parts[2]] = numberOrNull(el.value);
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

export function writeForm(fields, doc) {
  const profile = doc.profile || {};
  const facts = profile.facts || {};
  const answers = doc.answers || {};
  const evidence = doc.evidence || {};
  const notes = doc.notes || {};
  const win = doc.window || {};
  for (const el of fields) {
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

export function hasContent(doc) {
  const p = doc.profile || {};
  if (p.town || p.site_name || p.address || (p.population !== null && p.population !== undefined)) return true;
  if ((doc.records || []).length) return true;
  if (Object.values(doc.notes || {}).some(Boolean)) return true;
  if (Object.values(doc.evidence || {}).some((list) => list.length)) return true;
  return Object.values(doc.answers || {}).some((a) => Object.values(a).some((v) => v !== null && v !== ""));
}
