"""What the answers mean: each criterion judged, items and categories scored, a verdict, a gap list.

The judgement of a criterion (met or not) follows the standard alone. Everything about points,
the credit for “部分做到”, the weight of each category and the readiness verdict comes from
`data/scoring.yaml` (the tool's own 口径; the official document assigns no points).

`score_community` returns plain JSON-ready dicts so that CPython and Pyodide produce the very
same result, and exports can store it as is. Shape::

    {"format": "selfcheck-result", "format_version": 1, "standard_version", "tool_version",
     "scoring": {"version", "label", "source", "note"}, "scored_at",
     "profile": {...}, "window": {"start", "end", "source", "label", "note"}, "warnings": [...],
     "criteria": {cid: {"id", "item_id", "name", "kind", "requirement", "status", "status_label",
                        "credit", "value", "threshold", "unit", "op", "message", "source",
                        "periods": [...], "shortfalls": [...]}},
     "items": {iid: {"id", "category_id", "title", "status", "status_label", "score", "message",
                     "criteria": [cid...], "evidence": [{"text", "at_hand"}], "note"}},
     "categories": [{"id", "name", "score", "weight", "counts": {status: n}}],
     "overall": {"score", "level", "verdict", "text", "unmet": [...], "counts": {status: n}},
     "gaps": [{"category_id", "category", "item_id", "item_title", "criterion_id", "kind", "text"}]}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import __version__
from .answers import BOOLEAN_VALUES, AnswerError, normalize_answers
from .errors import DataError
from .model import OP_WORDS, PERIOD_NAMES, Condition, Criterion, Item, Standard, format_number
from .records import date_label, default_window, periods_in, window_label, Period

CRITERION_STATUS = {"met": "符合", "not_met": "不符合", "not_answered": "未填写", "not_applicable": "不适用"}
ITEM_STATUS = {"met": "达标", "partial": "部分达标", "not_met": "未达标", "not_applicable": "不适用", "not_answered": "未填写"}
RESULT_FORMAT = "selfcheck-result"


@dataclass(frozen=True)
class ReadinessLevel:
    level: str
    label: str
    text: str
    min_overall: float | None = None
    min_category: float | None = None
    max_unanswered_items: int | None = None
    max_failed_items: int | None = None


@dataclass(frozen=True)
class ScoringRule:
    version: str
    label: str
    source: str
    note: str
    credit: dict[str, float]
    evidence_weight: float
    weights: dict[str, float]
    readiness: tuple[ReadinessLevel, ...]

    @classmethod
    def from_dict(cls, data: Any, standard: Standard, *, file: str = "scoring.yaml") -> "ScoringRule":
        """Build the rule and check it fits `standard` (the browser has no JSON Schema validator).

        Raises:
            DataError: naming the field that is wrong.
        """
        if not isinstance(data, dict):
            raise DataError(file, "整个文件", "（顶层）", "应为键值表。")
        for key in ("version", "label", "source", "note"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise DataError(file, "顶层", key, "缺少或不是文字。")
        credit = data.get("credit")
        if not isinstance(credit, dict) or set(credit) != {"met", "partly", "not_met", "not_answered"}:
            raise DataError(file, "顶层", "credit", "应含 met、partly、not_met、not_answered 四项。")
        for key, value in credit.items():
            if not _is_number(value) or not 0 <= value <= 1:
                raise DataError(file, "credit", key, "应为 0 到 1 之间的数。")
        ew = data.get("evidence_weight")
        if not _is_number(ew) or not 0 <= ew <= 1:
            raise DataError(file, "顶层", "evidence_weight", "应为 0 到 1 之间的数。")
        weights: dict[str, float] = {}
        for n, row in enumerate(data.get("category_weights") or []):
            if not isinstance(row, dict) or not _is_number(row.get("weight")) or row["weight"] < 0:
                raise DataError(file, f"category_weights[{n}]", "weight", "应为不小于 0 的数。")
            weights[str(row.get("category"))] = row["weight"]
        cats = [c.id for c in standard.categories]
        if sorted(weights) != sorted(cats):
            raise DataError(file, "顶层", "category_weights", f"应为标准的每个类别（{'、'.join(cats)}）各给一个权重。")
        if sum(weights.values()) <= 0:
            raise DataError(file, "顶层", "category_weights", "权重之和应大于 0。")
        levels = []
        for n, row in enumerate(data.get("readiness") or []):
            if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("level", "label", "text")):
                raise DataError(file, f"readiness[{n}]", "level/label/text", "缺少或不是文字。")
            extra = set(row) - {"level", "label", "text", "min_overall", "min_category", "max_unanswered_items", "max_failed_items"}
            if extra:
                raise DataError(file, f"readiness[{n}]", "、".join(sorted(extra)), "未知字段。")
            for key in ("min_overall", "min_category", "max_unanswered_items", "max_failed_items"):
                if key in row and not _is_number(row[key]):
                    raise DataError(file, f"readiness[{n}]", key, "应为数字。")
            levels.append(ReadinessLevel(**row))
        if not levels:
            raise DataError(file, "顶层", "readiness", "至少要有一档结论。")
        last = levels[-1]
        if any(v is not None for v in (last.min_overall, last.min_category, last.max_unanswered_items, last.max_failed_items)):
            raise DataError(file, f"readiness[{len(levels) - 1}]", "（条件）", "最后一档不能设条件，保证总能得出结论。")
        return cls(data["version"], data["label"], data["source"], data["note"], dict(credit), ew, weights, tuple(levels))

    def describe(self) -> dict[str, str]:
        return {"version": self.version, "label": self.label, "source": self.source, "note": self.note}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


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
    raise AnswerError("评分时间", f"“{str(now)[:40]}”不是有效的日期时间，应形如 2024-09-01T10:00:00+08:00。")


def score_community(standard: Standard, rule: ScoringRule, answers: Any, *, now: str | datetime | None = None) -> dict[str, Any]:
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

    warnings = []
    if not profile["population"]:
        warnings.append("未填写常住人口（或为 0），无法计算应急避难场所人均避难面积，请在基本情况中填写常住人口。")
    unknown_facts = [standard.facts[f].label for f, v in profile["facts"].items() if v is None]
    if unknown_facts:
        warnings.append(f"以下社区情况未说明，相关条目按适用计：{'、'.join(unknown_facts)}。")

    criteria: dict[str, Any] = {}
    items: dict[str, Any] = {}
    categories = []
    gaps = []
    all_counts = {k: 0 for k in ITEM_STATUS}
    for cat in standard.categories:
        counts = {k: 0 for k in ITEM_STATUS}
        item_scores = []
        for item in cat.items:
            judged = [
                _judge(standard, crit, item, doc, profile, records_by_type, start, end, rule) for crit in item.criteria
            ]
            for j in judged:
                criteria[j["id"]] = j
            entry = _item_result(standard, item, judged, doc, rule)
            items[item.id] = entry
            counts[entry["status"]] += 1
            if entry["score"] is not None:
                item_scores.append(entry["score"])
            gaps.extend(_gaps(cat, item, judged, entry))
        score = round(100 * sum(item_scores) / len(item_scores), 1) if item_scores else None
        categories.append({"id": cat.id, "name": cat.name, "score": score, "weight": rule.weights[cat.id], "counts": counts})
        for k, v in counts.items():
            all_counts[k] += v
    overall = _overall(categories, all_counts, rule)
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
        "gaps": gaps,
    }


def _window(doc: dict[str, Any], today: date) -> dict[str, str]:
    note = "只评判完整落在评估期内的周期；评估期首尾不完整的月份、季度、半年、年份不评判。"
    if "window" in doc:
        w = doc["window"]
        return {"start": w["start"], "end": w["end"], "source": "answers", "label": window_label(date.fromisoformat(w["start"]), date.fromisoformat(w["end"])), "note": note}
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


def _judge(standard, crit: Criterion, item: Item, doc, profile, records_by_type, start, end, rule) -> dict[str, Any]:
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
        "periods": [],
        "shortfalls": [],
    }
    cond = item.applies_if if not _applies(item.applies_if, profile) else crit.applies_if
    if not _applies(cond, profile):
        out.update(status="not_applicable", credit=None, message=f"不适用：仅适用于{cond.describe(standard.facts)}的社区（村）。")
        return _finish(out)
    answer = doc["answers"].get(crit.id, {})
    if crit.kind == "boolean":
        _judge_boolean(out, answer, rule)
    elif crit.kind == "quantity":
        _judge_number(out, crit, answer.get("value"), f"{crit.subject} {{v}} {crit.unit}", "answer")
    elif crit.kind == "ratio":
        _judge_ratio(out, crit, answer, profile)
    elif crit.kind == "periodic":
        records = records_by_type.get(crit.log_type, [])
        if records:
            _judge_periods(out, crit, records, start, end, answer.get("count"))
        else:
            _judge_number(out, crit, answer.get("count"), f"{crit.subject}：评估期内最少的一个周期 {{v}} {crit.unit}", "answer")
    elif crit.kind == "per_event":
        records = records_by_type.get(crit.log_type, [])
        if records:
            _judge_events(out, crit, records, answer.get("min"))
        else:
            _judge_number(out, crit, answer.get("min"), f"{crit.subject}：最少的一次 {{v}} {crit.unit}", "answer")
    if "credit" not in out:
        out["credit"] = rule.credit[out["status"]]
    return _finish(out)


def _finish(out: dict[str, Any]) -> dict[str, Any]:
    out["status_label"] = CRITERION_STATUS[out["status"]]
    return out


def _judge_boolean(out, answer, rule) -> None:
    value = answer.get("value")
    out["value"] = value
    if value is None:
        out.update(status="not_answered", message=f"未填写：{out['name']}。")
        return
    out["source"] = "answer"
    if value == "yes":
        out.update(status="met", message=f"{out['name']}：已做到。")
    elif value == "partly":
        out.update(status="not_met", credit=rule.credit["partly"], message=f"{out['name']}：{BOOLEAN_VALUES['partly']}，需补齐。")
    else:
        out.update(status="not_met", message=f"{out['name']}：未做到。")


def _meets(value: float, crit: Criterion) -> bool:
    # Rounded to 9 places: 1.5 stays 1.5 even if it arrived as 150/100 computed in floating point.
    value = round(value, 9)
    return value >= crit.threshold if crit.op == ">=" else value <= crit.threshold


def _op_word(crit: Criterion) -> str:
    if crit.unit == "%":
        return "不低于" if crit.op == ">=" else "不高于"
    return OP_WORDS[crit.op]


def _gap_words(value: float, crit: Criterion) -> str:
    """“差 2 人”, “差 0.1 个百分点”, or for an upper limit “超出 3 次”."""
    diff = abs(crit.threshold - value)
    unit = "个百分点" if crit.unit == "%" else crit.unit
    word = "差" if crit.op == ">=" else "超出"
    if crit.kind in ("periodic", "per_event"):
        word = "少" if crit.op == ">=" else "多"
    return f"{word} {show_number(diff)} {unit}"


def show_number(value: float | int | None, *, against: float | None = None) -> str:
    """Like `format_number`, with more decimals when two places would hide a real difference."""
    if value is None:
        return "—"
    shown = format_number(value)
    if float(shown) != round(float(value), 9) and (round(float(value), 2) == 0 or (against is not None and float(shown) == against)):
        shown = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return shown


def _value_text(value: float, crit: Criterion) -> str:
    shown = show_number(value, against=crit.threshold)
    return f"{shown}%" if crit.unit == "%" else f"{shown} {crit.unit}"


def _threshold_text(crit: Criterion) -> str:
    t = format_number(crit.threshold)
    if crit.kind == "periodic":
        return f"标准{crit.requirement}"
    if crit.kind == "per_event":
        return f"标准每次{_op_word(crit)} {t} {crit.unit}"
    return f"标准{_op_word(crit)} {t}%" if crit.unit == "%" else f"标准{_op_word(crit)} {t} {crit.unit}"


def _judge_number(out, crit: Criterion, value, pattern: str, source: str, extra: str = "") -> None:
    if value is None:
        out.update(status="not_answered", message=f"未填写：{crit.subject}（{crit.requirement}）。")
        return
    out["value"] = value
    out["source"] = source
    shown = pattern.replace("{v}", show_number(value, against=crit.threshold))
    if _meets(value, crit):
        out.update(status="met", message=f"{shown}，{_threshold_text(crit)}，已达标。{extra}")
    else:
        out.update(status="not_met", message=f"{shown}，{_threshold_text(crit)}，{_gap_words(value, crit)}。{extra}")


def _judge_ratio(out, crit: Criterion, answer, profile) -> None:
    num = answer.get("numerator")
    by_population = bool(crit.denominator and crit.denominator.profile == "population")
    den = profile["population"] if by_population else answer.get("denominator")
    if by_population and not den:
        what = "未填写" if den is None else "为 0"
        out.update(status="not_answered", message=f"常住人口{what}，无法计算{crit.subject}。请在基本情况中填写常住人口。")
        if num is not None:
            out["source"] = "answer"
        return
    missing = [p.label for p, v in ((crit.numerator, num), (crit.denominator, den)) if v is None]
    if missing:
        out.update(status="not_answered", message=f"未填写：{crit.subject}需要“{'”和“'.join(missing)}”。")
        return
    out["source"] = "answer"
    parts = f"{crit.numerator.label} {format_number(num)} {crit.numerator.unit} ÷ {crit.denominator.label} {format_number(den)} {crit.denominator.unit}"
    if den == 0:
        if num == 0:
            out.update(
                status="met",
                value=None,
                message=f"{crit.subject}：{crit.denominator.label}为 0，无需计算比率，按符合计。如实际不为 0，请改正。",
            )
        else:
            out.update(status="not_answered", message=f"{crit.subject}：{crit.denominator.label}为 0 而{crit.numerator.label}不为 0，请核对。")
        return
    value = num * 100 / den if crit.unit == "%" else num / den
    value = round(value, 9)
    out["value"] = value
    words = f"{crit.subject} {_value_text(value, crit)}，{_threshold_text(crit)}"
    if _meets(value, crit):
        out.update(status="met", message=f"{words}，已达标（{parts}）。")
    else:
        out.update(status="not_met", message=f"{words}，{_gap_words(value, crit)}（{parts}）。")


def _judge_periods(out, crit: Criterion, records, start: date, end: date, typed) -> None:
    periods = periods_in(start, end, crit.period)
    note = ""
    if not periods:
        periods = [Period(window_label(start, end), start, end)]
        note = f"评估期内没有完整的{PERIOD_NAMES[crit.period]}，按整个评估期计。"
    judged = []
    for p in periods:
        lo, hi = p.start.isoformat(), p.end.isoformat()
        count = sum(1 for r in records if lo <= r["date"] <= hi)
        met = _meets(count, crit)
        judged.append({"label": p.label, "start": lo, "end": hi, "value": count, "met": met})
        if not met:
            out["shortfalls"].append(f"{p.label}：{crit.subject} {count} {crit.unit}，{_gap_words(count, crit)}")
    out["periods"] = judged
    out["source"] = "records"
    low = min(j["value"] for j in judged)
    out["value"] = low
    precedence = f"（按台账记录判定，台账优先于填写的次数 {format_number(typed)}。）" if typed is not None else "（按台账记录判定。）"
    name = PERIOD_NAMES[crit.period]
    if out["shortfalls"]:
        out.update(
            status="not_met",
            message=f"{crit.subject}：{_threshold_text(crit)}，{len(judged)} 个{name}中 {len(out['shortfalls'])} 个不足：{'；'.join(out['shortfalls'])}。{note}{precedence}",
        )
    else:
        out.update(
            status="met",
            message=f"{crit.subject}：{len(judged)} 个{name}都达到{crit.requirement}，最少的一个 {low} {crit.unit}，已达标。{note}{precedence}",
        )


def _judge_events(out, crit: Criterion, records, typed) -> None:
    known = [r["people"] for r in records if r["people"] is not None]
    for r in records:
        label = f"{date_label(date.fromisoformat(r['date']))} {crit.log_type}"
        if r["people"] is None:
            out["shortfalls"].append(f"{label} 未记录人数")
        elif not _meets(r["people"], crit):
            word = "少于" if crit.op == ">=" else "多于"
            out["shortfalls"].append(f"{label} {r['people']} {crit.unit}，{word} {format_number(crit.threshold)} {crit.unit}")
    out["source"] = "records"
    out["value"] = min(known) if known else None
    out["periods"] = [{"label": r["date"], "start": r["date"], "end": r["date"], "value": r["people"], "met": r["people"] is not None and _meets(r["people"], crit)} for r in records]
    precedence = f"（按台账记录判定，台账优先于填写的人数 {format_number(typed)}。）" if typed is not None else "（按台账记录判定。）"
    if out["shortfalls"]:
        out.update(
            status="not_met",
            message=f"{crit.subject}：{_threshold_text(crit)}，{len(records)} 次中 {len(out['shortfalls'])} 次不足：{'；'.join(out['shortfalls'])}。{precedence}",
        )
    else:
        out.update(
            status="met",
            message=f"{crit.subject}：{len(records)} 次都达到每次{_op_word(crit)} {format_number(crit.threshold)} {crit.unit}，最少的一次 {min(known)} {crit.unit}，已达标。{precedence}",
        )


# ---- items, categories, verdict ------------------------------------------------------------

def _item_result(standard, item: Item, judged, doc, rule: ScoringRule) -> dict[str, Any]:
    at_hand = set(doc["evidence"].get(item.id, []))
    evidence = [{"text": text, "at_hand": i in at_hand} for i, text in enumerate(item.evidence)]
    entry = {
        "id": item.id,
        "category_id": item.category_id,
        "title": item.title,
        "criteria": [j["id"] for j in judged],
        "evidence": evidence,
        "note": doc["notes"].get(item.id, ""),
    }
    applicable = [j for j in judged if j["status"] != "not_applicable"]
    if not applicable:
        reason = next((j["message"] for j in judged), "不适用。")
        entry.update(status="not_applicable", score=None, message=reason)
    else:
        credit = sum(j["credit"] for j in applicable) / len(applicable)
        evidence_share = len(at_hand) / len(item.evidence)
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
        parts.append(f"台账资料已备 {len(at_hand)}/{len(item.evidence)} 项")
        entry.update(status=status, message="，".join(parts) + "。")
    entry["status_label"] = ITEM_STATUS[entry["status"]]
    return entry


def _gaps(cat, item: Item, judged, entry) -> list[dict[str, Any]]:
    if entry["status"] == "not_applicable":
        return []
    base = {"category_id": cat.id, "category": cat.name, "item_id": item.id, "item_title": item.title}
    out = []
    for j in judged:
        if j["status"] == "not_met":
            out.append({**base, "criterion_id": j["id"], "kind": "not_met", "text": j["message"]})
        elif j["status"] == "not_answered":
            out.append({**base, "criterion_id": j["id"], "kind": "not_answered", "text": j["message"] + "请补填；如未做到，请落实。"})
    for e in entry["evidence"]:
        if not e["at_hand"]:
            out.append({**base, "criterion_id": None, "kind": "evidence", "text": f"缺少台账资料：{e['text']}"})
    return out


def _overall(categories, counts, rule: ScoringRule) -> dict[str, Any]:
    scored = [c for c in categories if c["score"] is not None and c["weight"] > 0]
    total_weight = sum(c["weight"] for c in scored)
    score = round(sum(c["score"] * c["weight"] for c in scored) / total_weight, 1) if total_weight else 0.0
    lowest = min((c["score"] for c in scored), default=0.0)
    failed = counts["not_met"]
    unanswered = counts["not_answered"]
    chosen = rule.readiness[-1]
    unmet_best: list[str] = []
    for n, level in enumerate(rule.readiness):
        unmet = []
        if level.min_overall is not None and score < level.min_overall:
            unmet.append(f"总分 {format_number(score)}，需不低于 {format_number(level.min_overall)}")
        if level.min_category is not None and lowest < level.min_category:
            low_names = "、".join(c["name"] for c in scored if c["score"] < level.min_category)
            unmet.append(f"{low_names}得分低于 {format_number(level.min_category)}")
        if level.max_unanswered_items is not None and unanswered > level.max_unanswered_items:
            unmet.append(f"未填写的条目 {unanswered} 条，最多 {level.max_unanswered_items} 条")
        if level.max_failed_items is not None and failed > level.max_failed_items:
            unmet.append(f"未达标的条目 {failed} 条，最多 {level.max_failed_items} 条")
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
    }
