// The 整改清单, from the engine's gap list (result.gaps, each with a `kind`): requirement gaps
// first, grouped by category; unanswered criteria as one line per category; missing 台账 in a
// part that can be collapsed. Every gap links to its field and moves focus there.
const SC = window.SC;
const h = (...a) => SC.h(...a);
const GROUPS = ["一、要求上的差距（不符合、未填写的指标和建议项）", "二、缺少的台账资料"];

const fieldId = (g) => g.criterion_id ? `sc-crit-${g.criterion_id.replace(/\./g, "-")}`
  : g.kind === "evidence" ? `sc-ev-${g.item_id.replace(/\./g, "-")}` : `sc-item-${g.item_id.replace(/\./g, "-")}`;

// Focus the first field of the target (scrolling to it); a link still works without script.
export function focusField(root, id) {
  const target = root.querySelector("#" + id) || document.getElementById(id);
  if (!target) return false;
  const field = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
  (field || target).focus({ preventScroll: true });
  target.scrollIntoView({ block: "center" });
  return true;
}

function linkTo(id, text) {
  return h("a", { href: "#" + id, "data-focus-field": id }, text);
}

function byCategory(gaps) {
  const groups = new Map();
  for (const g of gaps) {
    if (!groups.has(g.category_id)) groups.set(g.category_id, { name: g.category, gaps: [] });
    groups.get(g.category_id).gaps.push(g);
  }
  return groups;
}

// Each part of the list is built from its own gaps only and kept while they are unchanged (by a
// signature, per box): a re-score after one edit rebuilds the one category section it changed,
// not ~170 lines (measured: the whole list rebuilt was 4.4 ms of a 17 ms desktop re-score), and the
// 台账 part stays open once the user has opened it.
const kept = new WeakMap(); // box → Map(key → {sig, node})

function keep(cache, next, key, sig, build) {
  const old = cache.get(key);
  const node = old && old.sig === sig ? old.node : build();
  next.set(key, { sig, node });
  return node;
}

// Make `parent`'s children exactly `nodes`, moving or inserting only what is not already in place.
function place(parent, nodes) {
  nodes.forEach((node, i) => {
    if (parent.childNodes[i] !== node) parent.insertBefore(node, parent.childNodes[i] || null);
  });
  while (parent.childNodes.length > nodes.length) parent.lastChild.remove();
}

const gapLine = (g) => h("li", { "data-gap-item": g.item_id, "data-gap-kind": g.kind },
  linkTo(fieldId(g), `${g.item_id} ${g.item_title}`), "：", g.text);

export function renderGaps(box, result) {
  const gaps = result.gaps || [];
  const cache = kept.get(box) || new Map();
  const next = new Map();
  kept.set(box, next);
  const part = (key, sig, build) => keep(cache, next, key, sig, build);
  if (!gaps.length) {
    place(box, [part("none", "", () => h("p", {}, "没有需要整改的地方。"))]);
    return;
  }
  const unanswered = gaps.filter((g) => g.kind === "not_answered");
  const evidence = gaps.filter((g) => g.kind === "evidence");
  const requirements = gaps.filter((g) => g.kind !== "not_answered" && g.kind !== "evidence");
  const parts = [];
  const total = `未达到要求 ${requirements.length} 处` + (unanswered.length ? `，未填写 ${unanswered.length} 处` : "") +
    (evidence.length ? `，缺少台账资料 ${evidence.length} 项` : "") + "。";
  parts.push(part("total", total, () => h("p", { class: "sc-gap-total" }, total)));
  // The two groups every export uses (selfcheck.report.GAP_GROUPS; a test keeps them equal).
  if (requirements.length || unanswered.length) {
    parts.push(part("groups-0", "", () => h("h3", {}, GROUPS[0])));
    for (const [cid, group] of byCategory(requirements)) {
      parts.push(part("req-" + cid, JSON.stringify(group), () => h("section", { class: "sc-gap-group" },
        h("h4", {}, `${cid}. ${group.name}（${group.gaps.length} 处）`),
        h("ol", { class: "sc-gap-list" }, group.gaps.map(gapLine)))));
    }
    if (unanswered.length) {
      const groups = [...byCategory(unanswered)].map(([cid, group]) => [cid, group.name, group.gaps.length, group.gaps[0]]);
      parts.push(part("unanswered-title", "", () => h("h4", {}, "还没有填写")));
      parts.push(part("unanswered", JSON.stringify(groups), () => h("ul", { class: "sc-gap-unanswered" },
        groups.map(([cid, name, count, first]) => h("li", { "data-gap-unanswered": cid }, `${cid}. ${name}：还有 ${count} 条未填写，`,
          linkTo(fieldId(first), `从 ${first.item_id} 开始填`), "。")))));
    }
  }
  if (evidence.length) {
    // One <details> for as long as there is missing evidence: its open state is the user's.
    const details = part("evidence", "", () => h("details", { class: "sc-gap-evidence" }, h("summary", {}, h("h3", {}))));
    const title = `${GROUPS[1]}（${evidence.length} 项，点击展开）`;
    const heading = details.querySelector("summary h3");
    if (heading.textContent !== title) heading.textContent = title;
    place(details, [details.firstChild, ...[...byCategory(evidence)].map(([cid, group]) =>
      part("ev-" + cid, JSON.stringify(group), () => h("section", { class: "sc-gap-group" },
        h("h4", {}, `${cid}. ${group.name}（${group.gaps.length} 项）`),
        h("ul", { class: "sc-gap-list" }, group.gaps.map(gapLine)))))]);
    parts.push(details);
  }
  place(box, parts);
}

// Counted the way the phone bar shows it: what is wrong, not what is merely not yet filled in.
export function requirementGapCount(result) {
  return (result.gaps || []).filter((g) => g.kind !== "not_answered" && g.kind !== "evidence").length;
}
