"""How one criterion is judged against the standard, one judge per criterion kind.

The registry of kinds (`selfcheck.model.KINDS`) names the judge of each kind; this module holds
the judges and the wording of their messages. A judge reads the criterion, the community's answer
and a `JudgeContext`, and fills in `status` (met / not_met / not_answered), `value`, `source`,
`message` and, for periodic and per-event criteria, `periods` and `shortfalls`. Messages name the
whole shortfall in words staff can act on (“还差约 86 平方米避难面积”, “2024年2月 0 次…”). They
never start with the status word: exports put “符合”/“不符合” in front themselves.

Only the standard library and `selfcheck.records` are imported, so that `selfcheck.model` can
import the judges for its registry without an import cycle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .records import Period, date_label, periods_in, window_label

if TYPE_CHECKING:
    from .model import Criterion

PERIOD_LABELS = {"month": "每月", "quarter": "每季度", "half": "每半年", "year": "每年"}
PERIOD_NAMES = {"month": "月", "quarter": "季度", "half": "半年", "year": "年"}
# The smallest unit of each period, for “最少的一个月/季度/半年/年份”.
PERIOD_ONE = {"month": "一个月", "quarter": "一个季度", "half": "一个半年", "year": "一年"}
BOOLEAN_WORDS = {"yes": "做到", "partly": "部分做到", "no": "未做到"}


@dataclass(frozen=True)
class JudgeContext:
    """What a judge needs besides the criterion and its answer."""

    profile: dict[str, Any]
    records_by_type: dict[str, list[dict[str, Any]]]
    start: date
    end: date
    credit: dict[str, float]  # the rule's credit per status, “partly” included


def format_number(value: float | int | None) -> str:
    """1.5 → “1.5”, 10.0 → “10”, 1.2066 → “1.21”: the way numbers are shown to users."""
    if value is None:
        return "—"
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


def show_number(value: float | int | None, *, against: float | None = None) -> str:
    """Like `format_number`, with more decimals when two places would hide a real difference."""
    if value is None:
        return "—"
    shown = format_number(value)
    if float(shown) != round(float(value), 9) and (
        round(float(value), 2) == 0 or (against is not None and float(shown) == against)
    ):
        shown = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return shown


def count_text(value: int | float) -> str:
    """A count of people or things: 8600 → “8,600” (as staff write large numbers)."""
    if float(value).is_integer() and abs(value) >= 1000:
        return f"{int(value):,}"
    return format_number(value)


def meets(value: float, crit: Criterion) -> bool:
    # Rounded to 9 places: 1.5 stays 1.5 even if it arrived as 150/100 computed in floating point.
    value = round(value, 9)
    return value >= crit.threshold if crit.op == ">=" else value <= crit.threshold


def _value_text(value: float, crit: Criterion) -> str:
    shown = show_number(value, against=crit.threshold)
    return f"{shown}%" if crit.unit == "%" else f"{shown} {crit.unit}"


def _standard_words(crit: Criterion) -> str:
    # “标准不少于 10 人”, but “标准要求 100%” where the seed gives a bare rate (4.3, 4.4).
    requirement = crit.requirement
    return f"标准要求 {requirement}" if requirement[:1].isdigit() else f"标准{requirement}"


def _difference(value: float, crit: Criterion) -> str:
    """“少 2 人”, “差 0.1 个百分点”, or for an upper limit “超出 3 次”."""
    diff = abs(crit.threshold - value)
    unit = "个百分点" if crit.unit == "%" else crit.unit
    if crit.kind in ("periodic", "per_event"):
        word = "少" if crit.op == ">=" else "多"
    else:
        word = "差" if crit.op == ">=" else "超出"
    return f"{word} {show_number(diff)} {unit}"


# ---- the judges, one per kind ---------------------------------------------------------------


def judge_boolean(crit: Criterion, answer: dict[str, Any], ctx: JudgeContext) -> dict[str, Any]:
    value = answer.get("value")
    if value is None:
        return {"status": "not_answered", "message": f"未填写：{crit.name}。"}
    out: dict[str, Any] = {"value": value, "source": "answer"}
    if value == "yes":
        out.update(status="met", message=f"{crit.name}：已做到。")
    elif value == "partly":
        out.update(
            status="not_met",
            credit=ctx.credit["partly"],
            message=f"{crit.name}：{BOOLEAN_WORDS['partly']}，需补齐。",
        )
    else:
        out.update(status="not_met", message=f"{crit.name}：未做到。")
    return out


def _judge_number(crit: Criterion, value: Any, shown: str) -> dict[str, Any]:
    if value is None:
        return {
            "status": "not_answered",
            "message": f"未填写：{crit.subject}（{crit.requirement}）。",
        }
    out: dict[str, Any] = {"value": value, "source": "answer"}
    text = shown.replace("{v}", show_number(value, against=crit.threshold))
    if meets(value, crit):
        out.update(status="met", message=f"{text}，{_standard_words(crit)}，已达标。")
    else:
        out.update(
            status="not_met",
            message=f"{text}，{_standard_words(crit)}，{_difference(value, crit)}。",
        )
    return out


def judge_quantity(crit: Criterion, answer: dict[str, Any], ctx: JudgeContext) -> dict[str, Any]:
    return _judge_number(crit, answer.get("value"), f"{crit.subject} {{v}} {crit.unit}")


def judge_ratio(crit: Criterion, answer: dict[str, Any], ctx: JudgeContext) -> dict[str, Any]:
    num = answer.get("numerator")
    den, den_label = answer.get("denominator"), crit.denominator.label
    from_profile = crit.denominator.profile == "population" and den is None
    if from_profile:
        den, den_label = ctx.profile.get("population"), "常住人口"
        if not den:
            what = "未填写" if den is None else "为 0"
            out: dict[str, Any] = {
                "status": "not_answered",
                "message": f"未填写{crit.denominator.label}，常住人口也{what}，无法计算{crit.subject}。"
                f"请填写{crit.denominator.label}，或在基本情况中填写常住人口。",
            }
            if num is not None:
                out["source"] = "answer"
            return out
    missing = [p.label for p, v in ((crit.numerator, num), (crit.denominator, den)) if v is None]
    if missing:
        return {
            "status": "not_answered",
            "message": f"未填写：{crit.subject}需要“{'”和“'.join(missing)}”。",
        }
    basis = (
        f"{crit.numerator.label} {count_text(num)} {crit.numerator.unit} ÷ {den_label}"
        f" {count_text(den)} {crit.denominator.unit}"
    )
    if from_profile:
        basis += f"；未填写{crit.denominator.label}，取常住人口"
    if den == 0:
        if num == 0:
            return {
                "status": "met",
                "source": "answer",
                "value": None,
                "message": f"{crit.subject}：{den_label}为 0，无需计算比率，按符合计。如实际不为 0，请改正。",
            }
        return {
            "status": "not_answered",
            "source": "answer",
            "message": f"{crit.subject}：{den_label}为 0 而{crit.numerator.label}不为 0，请核对。",
        }
    value = round(num * 100 / den if crit.unit == "%" else num / den, 9)
    out = {"value": value, "source": "answer"}
    words = f"{crit.subject} {_value_text(value, crit)}，{_standard_words(crit)}"
    if meets(value, crit):
        out.update(status="met", message=f"{words}，已达标。计算：{basis}。")
    else:
        out.update(
            status="not_met",
            message=f"{words}，{_ratio_shortfall(crit, num, den, den_label)}。计算：{basis}。",
        )
    return out


def _ratio_shortfall(crit: Criterion, num: float, den: float, den_label: str) -> str:
    """The whole shortfall in the numerator's own unit: what to add, not only the per-unit gap."""
    scale = 100 if crit.unit == "%" else 1
    needed = crit.threshold * den / scale - num
    short = crit.numerator.short or crit.numerator.label
    if crit.op != ">=":
        return _difference(num * scale / den, crit)
    if crit.unit == "%":
        more = max(1, math.ceil(round(needed, 9)))
        return f"{_difference(num * scale / den, crit)}，再有 {count_text(more)} {crit.numerator.unit}{short}即达标"
    more = math.ceil(round(needed, 9)) if needed >= 1 else round(needed, 2)
    return (
        f"还差约 {count_text(more)} {crit.numerator.unit}{short}（按{den_label}"
        f" {count_text(den)} {crit.denominator.unit}）"
    )


def judge_periodic(crit: Criterion, answer: dict[str, Any], ctx: JudgeContext) -> dict[str, Any]:
    records = ctx.records_by_type.get(crit.log_type, [])
    typed = answer.get("count")
    if not records:
        return _judge_number(
            crit,
            typed,
            f"{crit.subject}：评估期内最少的{PERIOD_ONE[crit.period]} {{v}} {crit.unit}",
        )
    periods = periods_in(ctx.start, ctx.end, crit.period)
    note = ""
    if not periods:
        periods = [Period(window_label(ctx.start, ctx.end), ctx.start, ctx.end)]
        note = f"评估期内没有完整的{PERIOD_NAMES[crit.period]}，按整个评估期计。"
    judged, shortfalls = [], []
    for p in periods:
        lo, hi = p.start.isoformat(), p.end.isoformat()
        count = sum(1 for r in records if lo <= r["date"] <= hi)
        ok = meets(count, crit)
        judged.append({"label": p.label, "start": lo, "end": hi, "value": count, "met": ok})
        if not ok:
            shortfalls.append(f"{p.label} {count} {crit.unit}{crit.subject}")
    low = min(j["value"] for j in judged)
    precedence = (
        f"（按台账记录判定，台账优先于填写的次数 {format_number(typed)}。）"
        if typed is not None
        else "（按台账记录判定。）"
    )
    out: dict[str, Any] = {
        "periods": judged,
        "shortfalls": shortfalls,
        "source": "records",
        "value": low,
    }
    if shortfalls:
        out.update(
            status="not_met",
            message=f"{crit.subject}：{_standard_words(crit)}，未达到的：{'；'.join(shortfalls)}。{note}{precedence}",
        )
    else:
        out.update(
            status="met",
            message=(
                f"{crit.subject}：评估期内都达到{crit.requirement}，最少"
                f"的{PERIOD_ONE[crit.period]} {low} {crit.unit}，已达标。{note}{precedence}"
            ),
        )
    return out


def judge_per_event(crit: Criterion, answer: dict[str, Any], ctx: JudgeContext) -> dict[str, Any]:
    records = ctx.records_by_type.get(crit.log_type, [])
    typed = answer.get("min")
    if not records:
        return _judge_number(crit, typed, f"{crit.subject}：最少的一次 {{v}} {crit.unit}")
    known = [r["people"] for r in records if r["people"] is not None]
    shortfalls = []
    for r in records:
        label = f"{date_label(date.fromisoformat(r['date']))} {crit.log_type}"
        if r["people"] is None:
            shortfalls.append(f"{label} 未记录人数")
        elif not meets(r["people"], crit):
            word = "少于" if crit.op == ">=" else "多于"
            shortfalls.append(
                f"{label} {r['people']} {crit.unit}，{word} {format_number(crit.threshold)} {crit.unit}"
            )
    periods = [
        {
            "label": r["date"],
            "start": r["date"],
            "end": r["date"],
            "value": r["people"],
            "met": r["people"] is not None and meets(r["people"], crit),
        }
        for r in records
    ]
    precedence = (
        f"（按台账记录判定，台账优先于填写的人数 {format_number(typed)}。）"
        if typed is not None
        else "（按台账记录判定。）"
    )
    out: dict[str, Any] = {
        "periods": periods,
        "shortfalls": shortfalls,
        "source": "records",
        "value": min(known) if known else None,
    }
    if shortfalls:
        out.update(
            status="not_met",
            message=f"{crit.subject}：{_standard_words(crit)}，未达到的：{'；'.join(shortfalls)}。{precedence}",
        )
    else:
        out.update(
            status="met",
            message=(
                f"{crit.subject}：{len(records)} 次都达到{crit.requirement}，最少的一次"
                f" {min(known)} {crit.unit}，已达标。{precedence}"
            ),
        )
    return out
