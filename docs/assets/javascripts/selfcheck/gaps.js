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

export function renderGaps(box, result) {
  const gaps = result.gaps || [];
  const unanswered = gaps.filter((g) => g.kind === "not_answered");
  const evidence = gaps.filter((g) => g.kind === "evidence");
  const requirements = gaps.filter((g) => g.kind !== "not_answered" && g.kind !== "evidence");
  const parts = [];
  if (!gaps.length) {
    box.replaceChildren(h("p", {}, "没有需要整改的地方。"));
    return;
  }
  parts.push(h("p", { class: "sc-gap-total" },
    `未达到要求 ${requirements.length} 处` + (unanswered.length ? `，未填写 ${unanswered.length} 处` : "") +
    (evidence.length ? `，缺少台账资料 ${evidence.length} 项` : "") + "。"));
  // The two groups every export uses (selfcheck.report.GAP_GROUPS; a test keeps them equal).
  if (requirements.length || unanswered.length) {
    parts.push(h("h3", {}, GROUPS[0]));
    for (const [cid, group] of byCategory(requirements)) {
      parts.push(h("section", { class: "sc-gap-group" },
        h("h4", {}, `${cid}. ${group.name}（${group.gaps.length} 处）`),
        h("ol", { class: "sc-gap-list" }, group.gaps.map((g) => h("li", { "data-gap-item": g.item_id, "data-gap-kind": g.kind },
          linkTo(fieldId(g), `${g.item_id} ${g.item_title}`), "：", g.text)))));
    }
    if (unanswered.length) {
      parts.push(h("h4", {}, "还没有填写"));
      parts.push(h("ul", { class: "sc-gap-unanswered" }, [...byCategory(unanswered)].map(([cid, group]) =>
        h("li", { "data-gap-unanswered": cid }, `${cid}. ${group.name}：还有 ${group.gaps.length} 条未填写，`,
          linkTo(fieldId(group.gaps[0]), `从 ${group.gaps[0].item_id} 开始填`), "。"))));
    }
  }
  if (evidence.length) {
    parts.push(h("details", { class: "sc-gap-evidence" },
      h("summary", {}, h("h3", {}, `${GROUPS[1]}（${evidence.length} 项，点击展开）`)),
      [...byCategory(evidence)].map(([cid, group]) => h("section", { class: "sc-gap-group" },
        h("h4", {}, `${cid}. ${group.name}（${group.gaps.length} 项）`),
        h("ul", { class: "sc-gap-list" }, group.gaps.map((g) => h("li", { "data-gap-item": g.item_id, "data-gap-kind": g.kind },
          linkTo(fieldId(g), `${g.item_id} ${g.item_title}`), "：", g.text)))))));
  }
  box.replaceChildren(...parts);
}

// Counted the way the phone bar shows it: what is wrong, not what is merely not yet filled in.
export function requirementGapCount(result) {
  return (result.gaps || []).filter((g) => g.kind !== "not_answered" && g.kind !== "evidence").length;
}
