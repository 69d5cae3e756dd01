"""What the answers mean: each criterion judged, items and categories scored, a verdict, a gap list.

The judgement of a criterion (met or not) follows the standard alone (the judges are in
`selfcheck.judging`, named by the kind registry `selfcheck.model.KINDS`). Everything about points,
the credit for “部分做到”, the weight of each category and the readiness tiers comes from the
scoring rule (`selfcheck.rule`, read from `data/scoring.yaml`: the tool's own 口径; the official
document assigns no points). The score ranks; the verdict decides, and its first tier is given only
when every applicable required item is 达标 and none is unanswered.

`score_community` returns plain JSON-ready dicts so that CPython and Pyodide produce the very
same result, and exports can store it as is. Shape::

    {"format": "selfcheck-result", "format_version": 1, "standard_version", "tool_version",
     "scoring": {"version", "label", "source", "note"}, "scored_at",
     "profile": {...}, "window": {"start", "end", "source", "label", "note"}, "warnings": [...],
     "criteria": {cid: {"id", "item_id", "name", "kind", "requirement", "status", "status_label",
                        "credit", "value", "threshold", "unit", "op", "message", "source",
                        "info_only", "periods": [...], "shortfalls": [...]}},
     "items": {iid: {"id", "category_id", "title", "status", "status_label", "score", "message",
                     "advisory", "criteria": [cid...], "evidence": [{"text", "at_hand", "applies"}],
                     "note"}},
     "categories": [{"id", "name", "score", "weight", "counts": {status: n}}],
     "overall": {"score", "level", "verdict", "text", "unmet": [...], "counts": {status: n},
                 "not_met_items": [iid...], "unanswered_items": [iid...]},
     "gaps": [{"category_id", "category", "item_id", "item_title", "criterion_id", "kind", "text"}]}

Criteria marked `info_only` (shown for information, e.g. 2.2's installation rate) get the status
`info` and never change an item's status or score. Items marked `advisory` (建议项, e.g. 3.3) are
judged and shown but left out of category scores and the verdict. Evidence documents demanded
only by criteria that do not apply are neither asked for nor counted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from . import __version__
from .answers import AnswerError, normalize_answers
from .judging import JudgeContext, show_number
from .model import Condition, Criterion, Item, Standard, format_number
from .records import default_window, window_label
from .rule import ReadinessLevel, ScoringRule

__all__ = [
    "CRITERION_STATUS",
    "ITEM_STATUS",
    "RESULT_FORMAT",
    "ReadinessLevel",
    "ScoringRule",
    "parse_now",
    "score_community",
    "show_number",
]

CRITERION_STATUS = {
    "met": "符合",
    "not_met": "不符合",
    "not_answered": "未填写",
    "not_applicable": "不适用",
    "info": "仅供参考",
}
ITEM_STATUS = {
    "met": "达标",
    "partial": "部分达标",
    "not_met": "未达标",
    "not_applicable": "不适用",
    "not_answered": "未填写",
}
RESULT_FORMAT = "selfcheck-result"
GAP_KINDS = {
    "not_met": "不符合",
    "not_answered": "未填写",
    "advice": "建议项",
    "evidence": "缺少台账资料",
}


def parse_now(now: str | datetime | None) -> datetime:
    """The scoring time: an ISO date-time (as the browser sends it), a datetime, or the clock."""
    if now is None:
        return datetime.now().astimezone().replace(microsecond=0)
    if isinstance(now, datetime):
        return now.replace(microsecond=0)
    if isinstance(now, str):
        try:
            return datetime.fromisoformat(now.replace("Z", "+00:00")).replace(microsecond=0)
        except ValueError:
            pass
    raise AnswerError(
        "评分时间", f"“{str(now)[:40]}”不是有效的日期时间，应形如 2024-09-01T10:00:00+08:00。"
    )


def score_community(
    standard: Standard, rule: ScoringRule, answers: Any, *, now: str | datetime | None = None
) -> dict[str, Any]:
    """Judge one community's answers against the standard and score them under `rule`.

    Args:
        standard: the standard.
        rule: the scoring 口径.
        answers: an answers document (dict), checked with `normalize_answers`.
        now: the scoring time; it also fixes the default assessment window.
    Returns:
        The result dict described in this module's docstring.
    Raises:
        AnswerError: if the answers document breaks the contract.
    """
    doc = normalize_answers(answers, standard)
    moment = parse_now(now)
    window = _window(doc, moment.date())
    start, end = date.fromisoformat(window["start"]), date.fromisoformat(window["end"])
    profile = doc["profile"]
    records_by_type: dict[str, list[dict[str, Any]]] = {}
    for rec in doc["records"]:
        if start.isoformat() <= rec["date"] <= end.isoformat():
            records_by_type.setdefault(rec["type"], []).append(rec)
    for recs in records_by_type.values():
        recs.sort(key=lambda r: r["date"])
    context = JudgeContext(profile, records_by_type, start, end, rule.credit)

    warnings = []
    needs_population = [
        c
        for c in standard.criteria.values()
        if c.denominator
        and c.denominator.profile == "population"
        and doc["answers"].get(c.id, {}).get("denominator") is None
    ]
    if not profile["population"] and needs_population:
        names = "、".join(f"{c.subject}（{c.denominator.label}）" for c in needs_population)
        warnings.append(f"未填写常住人口（或为 0），也未填写{names}，无法计算，请填写其一。")
    unknown_facts = [standard.facts[f].label for f, v in profile["facts"].items() if v is None]
    if unknown_facts:
        warnings.append(f"以下社区情况未说明，相关条目按适用计：{'、'.join(unknown_facts)}。")

    criteria: dict[str, Any] = {}
    items: dict[str, Any] = {}
    categories = []
    gaps: list[dict[str, Any]] = []
    evidence_gaps: list[dict[str, Any]] = []
    all_counts = {k: 0 for k in ITEM_STATUS}
    for cat in standard.categories:
        counts = {k: 0 for k in ITEM_STATUS}
        item_scores = []
        for item in cat.items:
            judged = [_judge(standard, crit, item, doc, profile, context) for crit in item.criteria]
            for j in judged:
                criteria[j["id"]] = j
            entry = _item_result(standard, item, judged, doc, rule)
            items[item.id] = entry
            counts[entry["status"]] += 1
            if entry["score"] is not None and not item.advisory:
                item_scores.append(entry["score"])
            requirement_gaps, missing_evidence = _gaps(cat, item, judged, entry)
            gaps.extend(requirement_gaps)
            evidence_gaps.extend(missing_evidence)
        score = round(100 * sum(item_scores) / len(item_scores), 1) if item_scores else None
        categories.append(
            {
                "id": cat.id,
                "name": cat.name,
                "score": score,
                "weight": rule.weights[cat.id],
                "counts": counts,
            }
        )
        for k, v in counts.items():
            all_counts[k] += v
    overall = _overall(standard, items, categories, all_counts, rule)
    return {
        "format": RESULT_FORMAT,
        "format_version": 1,
        "standard_version": standard.version,
        "tool_version": __version__,
        "scoring": rule.describe(),
        "scored_at": moment.isoformat(),
        "profile": profile,
        "window": window,
        "warnings": warnings,
        "criteria": criteria,
        "items": items,
        "categories": categories,
        "overall": overall,
        # Requirement gaps first, then missing evidence: every format shows them as two groups.
        "gaps": gaps + evidence_gaps,
    }


def _window(doc: dict[str, Any], today: date) -> dict[str, str]:
    note = "只评判完整落在评估期内的周期；评估期首尾不完整的月份、季度、半年、年份不评判。"
    if "window" in doc:
        w = doc["window"]
        return {
            "start": w["start"],
            "end": w["end"],
            "source": "answers",
            "label": window_label(date.fromisoformat(w["start"]), date.fromisoformat(w["end"])),
            "note": note,
        }
    start, end = default_window(today)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "source": "default",
        "label": window_label(start, end),
        "note": "未指定评估期，按评分当月之前的 12 个完整月份计。" + note,
    }


# ---- one criterion -------------------------------------------------------------------------


def _applies(cond: Condition | None, profile: dict[str, Any]) -> bool:
    if cond is None:
        return True
    value = profile["kind"] if cond.fact == "kind" else profile["facts"].get(cond.fact)
    return value is None or value == cond.equals  # unknown facts: judge the requirement anyway


def _judge(
    standard: Standard, crit: Criterion, item: Item, doc, profile, context: JudgeContext
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": crit.id,
        "item_id": item.id,
        "name": crit.name,
        "kind": crit.kind,
        "requirement": crit.requirement,
        "threshold": crit.threshold,
        "unit": crit.unit,
        "op": crit.op,
        "value": None,
        "source": None,
        "info_only": crit.info_only,
        "periods": [],
        "shortfalls": [],
    }
    cond = item.applies_if if not _applies(item.applies_if, profile) else crit.applies_if
    if not _applies(cond, profile):
        out.update(
            status="not_applicable",
            credit=None,
            message=f"仅适用于{cond.describe(standard.facts)}的社区（村），本社区（村）不计。",
        )
        return _finish(out)
    out.update(crit.kind_spec.judge(crit, doc["answers"].get(crit.id, {}), context))
    if crit.info_only:
        out["message"] += "（只作参考，不计入结论和得分。）"
        out.update(status="info", credit=None)
    elif "credit" not in out:
        out["credit"] = context.credit[out["status"]]
    return _finish(out)


def _finish(out: dict[str, Any]) -> dict[str, Any]:
    out["status_label"] = CRITERION_STATUS[out["status"]]
    return out


# ---- items, categories, verdict ------------------------------------------------------------


def _item_result(standard, item: Item, judged, doc, rule: ScoringRule) -> dict[str, Any]:
    applicable = [j for j in judged if j["status"] not in ("not_applicable", "info")]
    applicable_ids = {j["id"] for j in judged if j["status"] != "not_applicable"}
    ticked = set(doc["evidence"].get(item.id, []))
    evidence = [
        {"text": text, "at_hand": i in ticked, "applies": item.evidence_applies(i, applicable_ids)}
        for i, text in enumerate(item.evidence)
    ]
    demanded = [e for e in evidence if e["applies"]]
    at_hand = sum(1 for e in demanded if e["at_hand"])
    entry = {
        "id": item.id,
        "category_id": item.category_id,
        "title": item.title,
        "advisory": bool(item.advisory),
        "criteria": [j["id"] for j in judged],
        "evidence": evidence,
        "note": doc["notes"].get(item.id, ""),
    }
    if not applicable:
        reason = next(
            (j["message"] for j in judged if j["status"] == "not_applicable"), "本社区（村）不计。"
        )
        entry.update(status="not_applicable", score=None, message=reason)
    else:
        credit = sum(j["credit"] for j in applicable) / len(applicable)
        evidence_share = at_hand / len(demanded) if demanded else 1.0
        score = (1 - rule.evidence_weight) * credit + rule.evidence_weight * evidence_share
        entry["score"] = round(score, 4)
        met = sum(1 for j in applicable if j["status"] == "met")
        unanswered = sum(1 for j in applicable if j["status"] == "not_answered")
        if unanswered == len(applicable):
            status = "not_answered"
        elif met == len(applicable):
            status = "met"
        elif credit == 0 and met == 0:
            status = "not_met"
        else:
            status = "partial"
        parts = [f"{len(applicable)} 项指标中符合 {met} 项"]
        if unanswered:
            parts.append(f"未填写 {unanswered} 项")
        parts.append(f"台账资料已备 {at_hand}/{len(demanded)} 项")
        message = "，".join(parts) + "。"
        if item.advisory:
            message += f"本条为建议项，不计入得分和结论：{item.advisory}。"
        entry.update(status=status, message=message)
    entry["status_label"] = ITEM_STATUS[entry["status"]] + (
        "（建议项）" if item.advisory and entry["status"] != "not_applicable" else ""
    )
    return entry


def _gaps(cat, item: Item, judged, entry) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The item's requirement gaps and its missing evidence, apart."""
    if entry["status"] == "not_applicable":
        return [], []
    base = {
        "category_id": cat.id,
        "category": cat.name,
        "item_id": item.id,
        "item_title": item.title,
    }
    advice = "建议项：" if item.advisory else ""
    requirements = []
    for j in judged:
        if j["status"] == "not_met":
            requirements.append(
                {
                    **base,
                    "criterion_id": j["id"],
                    "kind": "advice" if advice else "not_met",
                    "text": advice + j["message"],
                }
            )
        elif j["status"] == "not_answered":
            text = j["message"] if j["message"].startswith("未填写") else "未填写：" + j["message"]
            requirements.append(
                {
                    **base,
                    "criterion_id": j["id"],
                    "kind": "advice" if advice else "not_answered",
                    "text": f"{advice}{text}请补填；如未做到，请落实。",
                }
            )
    evidence = [
        {
            **base,
            "criterion_id": None,
            "kind": "evidence",
            "text": f"{advice}缺少台账资料：{e['text']}",
        }
        for e in entry["evidence"]
        if e["applies"] and not e["at_hand"]
    ]
    return requirements, evidence


def _overall(standard: Standard, items, categories, counts, rule: ScoringRule) -> dict[str, Any]:
    scored = [c for c in categories if c["score"] is not None and c["weight"] > 0]
    total_weight = sum(c["weight"] for c in scored)
    score = (
        round(sum(c["score"] * c["weight"] for c in scored) / total_weight, 1)
        if total_weight
        else 0.0
    )
    lowest = min((c["score"] for c in scored), default=0.0)
    required = [e for iid, e in items.items() if not standard.items[iid].advisory]
    # Every applicable required item that is not 达标 counts against the verdict: a missed
    # threshold is a miss, whether the item shows as 部分达标 or 未达标.
    failed = [e for e in required if e["status"] in ("partial", "not_met")]
    unanswered = [e["id"] for e in required if e["status"] == "not_answered"]
    chosen = rule.readiness[-1]
    unmet_best: list[str] = []
    for n, level in enumerate(rule.readiness):
        unmet = _unmet(level, score, lowest, scored, failed, unanswered)
        if not unmet:
            chosen = level
            break
        if n == 0:
            unmet_best = unmet
    best = rule.readiness[0]
    return {
        "score": score,
        "level": chosen.level,
        "verdict": chosen.label,
        "text": chosen.text,
        "unmet": [] if chosen is best else [f"距“{best.label}”：{u}" for u in unmet_best],
        "counts": counts,
        "not_met_items": [e["id"] for e in failed],
        "unanswered_items": unanswered,
    }


def _ids(ids: list[str]) -> str:
    shown = "、".join(ids[:12])
    return shown + (" 等" if len(ids) > 12 else "")


def _unmet(level: ReadinessLevel, score, lowest, scored, failed, unanswered) -> list[str]:
    unmet = []
    if level.min_overall is not None and score < level.min_overall:
        unmet.append(f"总分 {format_number(score)}，需不低于 {format_number(level.min_overall)}")
    if level.min_category is not None and lowest < level.min_category:
        low_names = "、".join(c["name"] for c in scored if c["score"] < level.min_category)
        unmet.append(f"{low_names}得分低于 {format_number(level.min_category)}")
    if level.max_unanswered_items is not None and len(unanswered) > level.max_unanswered_items:
        unmet.append(
            f"未填写的条目 {len(unanswered)} 条（{_ids(unanswered)}），最多 {level.max_unanswered_items} 条"
        )
    if level.max_failed_items is not None and len(failed) > level.max_failed_items:
        partial = sum(1 for e in failed if e["status"] == "partial")
        breakdown = "、".join(
            p
            for p in (
                f"部分达标 {partial} 条" if partial else "",
                f"未达标 {len(failed) - partial} 条" if len(failed) > partial else "",
            )
            if p
        )
        unmet.append(
            f"尚未达标的条目 {len(failed)} 条（{breakdown}：{_ids([e['id'] for e in failed])}），"
            f"最多 {level.max_failed_items} 条"
        )
    return unmet
