"""The input document: a community's profile, answers, 台账 records, evidence and notes.

`normalize_answers` checks a parsed JSON document against the contract below and returns it in
canonical form (every profile fact present, empty answers dropped, numbers as int where whole).
Every problem raises `AnswerError` naming the field and what to do, in Chinese.

Contract (format `selfcheck-answers`, version 1)::

    {"format": "selfcheck-answers", "format_version": 1, "standard_version": "2024.1",
     "profile": {"town": "", "site_name": "", "address": "", "kind": "社区"|"村",
                 "population": int|null, "facts": {"<fact id>": true|false|null, ...}},
     "window": {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"},          # optional
     "answers": {"<criterion id>": {...}},
         boolean {"value": "yes"|"partly"|"no"}; quantity {"value": n};
         periodic {"count": n} (smallest count in any period of the window);
         per_event {"min": n} (smallest attendance of any event);
         ratio {"numerator": n, "denominator": n} (a denominator with a profile default, e.g.
               规划避难人数, may be left out: then the profile value, 常住人口, is used)
     "records": [{"date": "YYYY-MM-DD", "type": "<log_type>", "people": int|null, "note": ""}],
     "evidence": {"<item id>": [indices into the item's evidence list]},
     "notes": {"<item id>": "free text"}}

A value of null (or an empty object) means “not answered”. Without `window` the assessment window
is the 12 whole calendar months before the month the scoring is done (see `default_window`).
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from .errors import AnswerError, excerpt, excerpt_list
from .intake import MAX_TEXT, check_text
from .model import KINDS, Standard

FORMAT = "selfcheck-answers"
FORMAT_VERSION = 1
BOOLEAN_VALUES = {"yes": "做到", "partly": "部分做到", "no": "未做到"}
PROFILE_TEXT_FIELDS = {"town": "属地镇街", "site_name": "点位名称", "address": "点位详细地址"}
TOP_KEYS = (
    "format",
    "format_version",
    "standard_version",
    "profile",
    "window",
    "answers",
    "records",
    "evidence",
    "notes",
)
MAX_RECORDS = 20000
# All 台账 备注 and item notes together. Each text may hold MAX_TEXT characters, but 20,000 such
# records would make an export of 120 MB, beyond what the importer reads (intake.DOCUMENT_MAX_BYTES).
MAX_TOTAL_TEXT = 1_000_000
# The standard judges one assessment year; a longer window is allowed for catching up, up to a few
# years. The bound keeps the period arithmetic and the 台账 table small whatever a file claims.
MAX_WINDOW_YEARS = 3
MAX_WINDOW_DAYS = 366 * MAX_WINDOW_YEARS
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def log_types(standard: Standard) -> list[str]:
    """Every 台账 type the standard's periodic and per-event criteria read, in standard order."""
    seen: list[str] = []
    for crit in standard.criteria.values():
        if crit.log_type and crit.log_type not in seen:
            seen.append(crit.log_type)
    return seen


def blank_answers(standard: Standard) -> dict[str, Any]:
    """An empty answers document for `standard`: every profile fact unknown, nothing answered."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "standard_version": standard.version,
        "profile": {
            "town": "",
            "site_name": "",
            "address": "",
            "kind": "社区",
            "population": None,
            "facts": {fid: None for fid in standard.facts if fid != "kind"},
        },
        "answers": {},
        "records": [],
        "evidence": {},
        "notes": {},
    }


def template(standard: Standard) -> dict[str, Any]:
    """A blank answers document with every criterion listed, unanswered, ready to fill in."""
    doc = blank_answers(standard)
    doc["answers"] = {cid: crit.kind_spec.blank(crit) for cid, crit in standard.criteria.items()}
    doc["evidence"] = {iid: [] for iid in standard.items}
    return doc


def parse_date(text: Any, where: str) -> date:
    """A strict `YYYY-MM-DD` date or `AnswerError`."""
    if not isinstance(text, str) or not _DATE_RE.match(text):
        raise AnswerError(where, f"日期“{_show(text)}”格式不对，应写成 2024-07-01 这样的年-月-日。")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AnswerError(
            where, f"日期“{_show(text)}”不存在（月份或日期超出范围），请核对。"
        ) from None


def normalize_answers(doc: Any, standard: Standard) -> dict[str, Any]:
    """Check an answers document against the contract and return it in canonical form.

    Args:
        doc: the parsed JSON document.
        standard: the standard the answers are judged against.
    Returns:
        A new dict: every profile fact present, empty answers dropped, whole numbers as int.
    Raises:
        AnswerError: on the first problem, naming the field.
    """
    if not isinstance(doc, dict):
        raise AnswerError("整个文件", "应为一个 JSON 对象（以 { 开头），请使用本工具生成的模板。")
    unknown = [k for k in doc if k not in TOP_KEYS]
    if unknown:
        raise AnswerError("顶层", f"未知字段“{excerpt_list(unknown)}”，请删除或检查拼写。")
    if doc.get("format") != FORMAT:
        raise AnswerError(
            "format", f"应为“{FORMAT}”，现在是“{_show(doc.get('format'))}”。这不是自评数据文件。"
        )
    if doc.get("format_version") != FORMAT_VERSION or isinstance(doc.get("format_version"), bool):
        raise AnswerError(
            "format_version",
            f"本工具只认第 {FORMAT_VERSION} 版格式，现在是“{_show(doc.get('format_version'))}”。",
        )
    version = doc.get("standard_version")
    if version != standard.version:
        raise AnswerError(
            "standard_version",
            f"文件对应标准版本“{_show(version)}”，本工具使用的标准版本是“{standard.version}”。请用导入功能迁移后再评分。",
        )
    out: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "standard_version": standard.version,
        "profile": _profile(doc.get("profile"), standard),
    }
    if doc.get("window") is not None:
        out["window"] = _window(doc["window"])
    out["answers"] = _answers(doc.get("answers", {}), standard)
    out["records"] = _records(doc.get("records", []), standard)
    out["evidence"] = _evidence(doc.get("evidence", {}), standard)
    out["notes"] = _notes(doc.get("notes", {}), standard)
    total = sum(len(r["note"]) for r in out["records"]) + sum(len(t) for t in out["notes"].values())
    if total > MAX_TOTAL_TEXT:
        raise AnswerError(
            "records 与 notes（备注）",
            f"备注合计 {total} 字，超过 {MAX_TOTAL_TEXT} 字的上限，请精简备注或只保留评估期内的记录。",
        )
    return out


def _profile(raw: Any, standard: Standard) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise AnswerError(
            "profile（基本情况）", "缺少或不是键值表，请填写属地镇街、点位名称等基本情况。"
        )
    allowed = set(PROFILE_TEXT_FIELDS) | {"kind", "population", "facts"}
    unknown = [k for k in raw if k not in allowed]
    if unknown:
        raise AnswerError(
            "profile（基本情况）", f"未知字段“{excerpt_list(unknown)}”，请删除或检查拼写。"
        )
    out: dict[str, Any] = {}
    for key, label in PROFILE_TEXT_FIELDS.items():
        out[key] = _text(raw.get(key, ""), f"profile.{key}（{label}）")
    kind_fact = standard.facts.get("kind")
    options = kind_fact.options if kind_fact else ("社区", "村")
    kind = raw.get("kind")
    if kind not in options:
        raise AnswerError(
            "profile.kind（类型）", f"应为“{'”或“'.join(options)}”，现在是“{_show(kind)}”。"
        )
    out["kind"] = kind
    population = raw.get("population")
    if population is not None:
        population = _number(population, "profile.population（常住人口）", integer=True)
    out["population"] = population
    facts_raw = raw.get("facts", {})
    if facts_raw is None:
        facts_raw = {}
    if not isinstance(facts_raw, dict):
        raise AnswerError(
            "profile.facts（社区情况）",
            "应为键值表，每项填 true（有）、false（没有）或 null（不清楚）。",
        )
    facts: dict[str, Any] = {}
    for fid, fact in standard.facts.items():
        if fid == "kind":
            continue
        value = facts_raw.get(fid)
        if value is not None and not isinstance(value, bool):
            raise AnswerError(
                f"profile.facts.{fid}（{fact.label}）",
                f"应为 true、false 或 null，现在是“{_show(value)}”。",
            )
        facts[fid] = value
    unknown = [k for k in facts_raw if k not in facts]
    if unknown:
        raise AnswerError(
            "profile.facts（社区情况）", f"未知的情况“{excerpt_list(unknown)}”，请删除或检查拼写。"
        )
    out["facts"] = facts
    return out


def _window(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or set(raw) != {"start", "end"}:
        raise AnswerError(
            "window（评估期）",
            '应写成 {"start": "2023-09-01", "end": "2024-08-31"}，只含 start 和 end。',
        )
    start = parse_date(raw["start"], "window.start（评估期开始）")
    end = parse_date(raw["end"], "window.end（评估期结束）")
    if end < start:
        raise AnswerError(
            "window（评估期）", f"结束日期 {end} 早于开始日期 {start}，请对调或改正。"
        )
    if not (start >= EARLIEST and end <= LATEST):
        raise AnswerError(
            "window（评估期）",
            f"评估期应在 {EARLIEST.year} 年到 {LATEST.year} 年之间，现在是 {start} 至 {end}，请核对。",
        )
    if (end - start).days + 1 > MAX_WINDOW_DAYS:
        raise AnswerError(
            "window（评估期）",
            f"评估期 {start} 至 {end} 太长。评估期通常是一个评估年度（12 个月），最长 {MAX_WINDOW_YEARS} 年，请缩短。",
        )
    return {"start": start.isoformat(), "end": end.isoformat()}


def _answers(raw: Any, standard: Standard) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise AnswerError("answers（各项指标）", "应为以指标编号为键的键值表。")
    out: dict[str, Any] = {}
    for cid, entry in raw.items():
        crit = standard.criteria.get(cid)
        if crit is None:
            raise AnswerError(
                f"answers.{_show(cid)}", "标准中没有这个指标编号，请删除或检查编号（形如 3.2.b）。"
            )
        where = f"answers.{cid}（{crit.name}）"
        if entry is None:
            continue
        if not isinstance(entry, dict):
            raise AnswerError(where, '应为键值表，如 {"value": 12}。')
        keys = KINDS[crit.kind].answer_keys
        unknown = [k for k in entry if k not in keys]
        if unknown:
            raise AnswerError(
                where, f"这一项只能填写“{'、'.join(keys)}”，不认识“{excerpt_list(unknown)}”。"
            )
        clean: dict[str, Any] = {}
        if crit.kind == "boolean":
            value = entry.get("value")
            if value is not None:
                if not isinstance(value, str) or value not in BOOLEAN_VALUES:
                    raise AnswerError(
                        where,
                        f"应为 yes（做到）、partly（部分做到）或 no（未做到），现在是“{_show(value)}”。",
                    )
                clean["value"] = value
        else:
            for key in keys:
                value = entry.get(key)
                if value is None:
                    continue
                clean[key] = _number(value, f"{where}.{key}", integer=KINDS[crit.kind].integer)
            if (
                crit.kind == "ratio"
                and crit.unit == "%"
                and "denominator" in clean
                and "numerator" in clean
                and clean["numerator"] > clean["denominator"]
            ):
                raise AnswerError(
                    where,
                    f"“{crit.numerator.label}”{clean['numerator']} 大于"
                    f"“{crit.denominator.label}”{clean['denominator']}，请核对。",
                )
        if clean:
            out[cid] = clean
    return out


def _records(raw: Any, standard: Standard) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise AnswerError("records（台账记录）", "应为列表。")
    if len(raw) > MAX_RECORDS:
        raise AnswerError(
            "records（台账记录）",
            f"共 {len(raw)} 条，超过 {MAX_RECORDS} 条的上限，请只保留评估期内的记录。",
        )
    types = log_types(standard)
    out = []
    for n, rec in enumerate(raw, start=1):
        where = f"records 第 {n} 条"
        if not isinstance(rec, dict):
            raise AnswerError(where, "应为键值表，含 date、type、people、note。")
        unknown = [k for k in rec if k not in ("date", "type", "people", "note")]
        if unknown:
            raise AnswerError(where, f"未知字段“{excerpt_list(unknown)}”。")
        day = parse_date(rec.get("date"), f"{where}的日期")
        kind = rec.get("type")
        if kind not in types:
            raise AnswerError(
                where, f"类型“{_show(kind)}”不是标准中的台账类型。可选：{'、'.join(types)}。"
            )
        people = rec.get("people")
        if people is not None:
            people = _number(people, f"{where}的人数", integer=True)
        out.append(
            {
                "date": day.isoformat(),
                "type": kind,
                "people": people,
                "note": _text(rec.get("note", ""), f"{where}的备注"),
            }
        )
    return out


def _evidence(raw: Any, standard: Standard) -> dict[str, list[int]]:
    if not isinstance(raw, dict):
        raise AnswerError("evidence（台账资料）", "应为以条目编号为键的键值表。")
    out: dict[str, list[int]] = {}
    for iid, indices in raw.items():
        item = standard.items.get(iid)
        if item is None:
            raise AnswerError(
                f"evidence.{_show(iid)}", "标准中没有这个条目编号（形如 2.5），请删除或检查。"
            )
        if indices is None:
            continue
        if not isinstance(indices, list):
            raise AnswerError(f"evidence.{iid}", "应为已备资料的序号列表，如 [0, 2]。")
        chosen = set()
        for i in indices:
            if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(item.evidence):
                raise AnswerError(
                    f"evidence.{iid}",
                    f"序号“{_show(i)}”不对：这一条有 {len(item.evidence)} 项资料，"
                    f"序号应为 0 到 {len(item.evidence) - 1}。",
                )
            chosen.add(i)
        if chosen:
            out[iid] = sorted(chosen)
    return out


def _notes(raw: Any, standard: Standard) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise AnswerError("notes（备注）", "应为以条目编号为键的键值表。")
    out = {}
    for iid, text in raw.items():
        if iid not in standard.items:
            raise AnswerError(
                f"notes.{_show(iid)}", "标准中没有这个条目编号（形如 2.5），请删除或检查。"
            )
        text = _text(text if text is not None else "", f"notes.{iid}")
        if text:
            out[iid] = text
    return out


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AnswerError(where, f"应为文字，现在是“{_show(value)}”。")
    return check_text(value, lambda problem: AnswerError(where, problem), limit=MAX_TEXT)


def _number(value: Any, where: str, *, integer: bool = False) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AnswerError(where, f"应为数字，现在是“{_show(value)}”。")
    if isinstance(value, float) and not math.isfinite(value):
        raise AnswerError(where, "不是有效的数字。")
    if value < 0:
        raise AnswerError(where, f"不能为负数（现在是 {value}）。")
    if value > 1e12:
        raise AnswerError(where, f"数字 {value} 大得不合理，请核对。")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if integer and not isinstance(value, int):
        raise AnswerError(where, f"应为整数，现在是 {value}。")
    return value


def _show(value: Any) -> str:
    """A short printable form of a wrong value for an error message."""
    return excerpt(value)
