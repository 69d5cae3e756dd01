"""Exports of one community's self-assessment: JSON (with SHA-256), CSV, XLSX; the registry of formats.

All exports carry the standard's version, the tool's version, the time and the scoring 口径 label.
Whatever a user typed is text everywhere: escaped in HTML (`selfcheck.report`); a CSV cell that
looks like a formula (= + - @, also after spaces or full-width, see `selfcheck.cells`) is prefixed
with an apostrophe, since CSV has no cell types; an XLSX cell keeps its text as typed and is stored
with the text type, so no spreadsheet runs it as a formula and no `'` shows. Characters a workbook
cannot hold are replaced (`cells.writable`). Numbers are stored as numbers. Every sheet is set up for printing: row
heights for wrapped text, fitted to the page width, header row repeated, orientation set.

`FORMATS` is the one table of export formats (writer, MIME type, suffix, label): the CLI's
`--format` choices and `selfcheck.api.export_formats` come from it. Adding a format is one row
there plus its tests.

openpyxl is imported inside the XLSX writers only: the package itself needs just the stdlib.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import __version__
from .answers import BOOLEAN_VALUES, TOP_KEYS, normalize_answers
from .cells import looks_like_formula, safe_cell, writable
from .errors import ExportError
from .intake import terminal_safe
from .model import Standard, format_number
from .records import default_window
from .report import criterion_line, gap_rows, html_from_export, result_text, stamp_rows
from .rule import ScoringRule
from .scoring import parse_now, score_community

EXPORT_FORMAT = "selfcheck-export"
# Version 2 (2026): the file carries a stamp of the standard (version, structure hash, fingerprints
# of what was answered) and a result summary instead of the whole standard and result (108 KB → 10
# KB). Version 1 files are still read (`selfcheck.importer`).
EXPORT_VERSION = 2


def canonical_bytes(doc: Any) -> bytes:
    """The canonical form the hash covers: sorted keys, no whitespace, UTF-8."""
    return json.dumps(
        doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def content_hash(doc: dict[str, Any]) -> str:
    """SHA-256 over the canonical content of an export, without its own `sha256` field."""
    return hashlib.sha256(
        canonical_bytes({k: v for k, v in doc.items() if k != "sha256"})
    ).hexdigest()


def standard_summary(standard: Standard) -> dict[str, Any]:
    """What an export must know about the standard to name differences with a later version."""
    criteria = {}
    for cid, c in standard.criteria.items():
        criteria[cid] = {
            "kind": c.kind,
            "name": c.name,
            "op": c.op,
            "threshold": c.threshold,
            "unit": c.unit,
            "period": c.period,
            "denominator_profile": c.denominator.profile if c.denominator else None,
        }
    evidence = {iid: list(item.evidence) for iid, item in standard.items.items()}
    return {"version": standard.version, "criteria": criteria, "evidence": evidence}


def structure_hash(standard: Standard) -> str:
    """SHA-256 of everything about the standard that decides how an answer is read and judged.

    Kept per standard object (a roll-up asks once per file); the object is held so its id stays its own.
    """
    kept = _STRUCTURE_HASHES.get(id(standard))
    if kept is None or kept[0] is not standard:
        kept = (standard, hashlib.sha256(canonical_bytes(standard_summary(standard))).hexdigest())
        _STRUCTURE_HASHES[id(standard)] = kept
    return kept[1]


_STRUCTURE_HASHES: dict[int, tuple[Standard, str]] = {}


def _short_hash(value: Any, digits: int) -> str:
    return hashlib.sha256(canonical_bytes(value)).hexdigest()[:digits]


def criterion_fingerprints(standard: Standard) -> dict[str, str]:
    """Per criterion, a short hash of its terms: kind, comparison, threshold, unit, period, denominator."""
    summary = standard_summary(standard)["criteria"]
    return {
        cid: _short_hash({k: v for k, v in c.items() if k != "name"}, 12)
        for cid, c in summary.items()
    }


def text_fingerprint(text: str) -> str:
    """A short hash of one evidence text: enough to find it again in a later list."""
    return _short_hash(text, 8)


def standard_stamp(standard: Standard, answers: dict[str, Any]) -> dict[str, Any]:
    """What an export must know about its standard for import and migration, and no more.

    The structure hash says at once whether anything changed. For each answered criterion, a hash
    of its terms says whether a later version changed them; for each ticked evidence text, a short
    hash lets a later list find it again although the indices move (space-separated, one line).
    """
    terms = criterion_fingerprints(standard)
    return {
        "version": standard.version,
        "structure": structure_hash(standard),
        "criteria": {cid: terms[cid] for cid in answers["answers"]},
        "evidence": {
            iid: " ".join(text_fingerprint(standard.items[iid].evidence[i]) for i in ticks)
            for iid, ticks in answers["evidence"].items()
        },
    }


def result_summary(result: dict[str, Any]) -> dict[str, Any]:
    """The part of a result a file carries: the district re-scores every file from its answers."""
    o = result["overall"]
    return {
        "scored_at": result["scored_at"],
        "window": {"start": result["window"]["start"], "end": result["window"]["end"]},
        "overall": {
            "score": o["score"],
            "level": o["level"],
            "verdict": o["verdict"],
            "counts": o["counts"],
        },
        "categories": [{"id": c["id"], "score": c["score"]} for c in result["categories"]],
    }


def file_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The export as written to a file: the in-memory document with the result summarised."""
    return {**doc, "result": result_summary(doc["result"])}


def export_document(
    standard: Standard, rule: ScoringRule, answers: Any, *, now: str | datetime | None = None
) -> dict[str, Any]:
    """The export in memory: answers (with the window used written in), the full result, stamps, hash.

    The default window is written into the answers so that the export is self-contained and
    importing it gives back exactly what was scored. The file (`file_document`) carries only a
    summary of the result, about 10 KB instead of 100; `sha256` covers the file's content.
    """
    moment = parse_now(now)
    doc = normalize_answers(answers, standard)
    if "window" not in doc:
        start, end = default_window(moment.date())
        doc = {**doc, "window": {"start": start.isoformat(), "end": end.isoformat()}}
        doc = {k: doc[k] for k in TOP_KEYS}
    result = score_community(standard, rule, doc, now=moment)
    out = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "standard_version": standard.version,
        "tool_version": __version__,
        "exported_at": moment.isoformat(),
        "scoring": rule.describe(),
        "standard": standard_stamp(standard, doc),
        "answers": doc,
        "result": result_summary(result),
    }
    out["sha256"] = content_hash(out)
    out["result"] = result
    return out


def json_export(
    standard: Standard, rule: ScoringRule, answers: Any, *, now: str | datetime | None = None
) -> str:
    """The JSON export file as text (indented for people; the hash covers the canonical form)."""
    doc = file_document(export_document(standard, rule, answers, now=now))
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


# ---- CSV -----------------------------------------------------------------------------------


def answer_text(
    standard: Standard, cid: str, answers: dict[str, Any], result: dict[str, Any]
) -> str:
    """What the community entered for one criterion, in words."""
    crit = standard.criteria[cid]
    judged = result["criteria"][cid]
    if judged["source"] == "records":
        return "按台账记录"
    entry = answers["answers"].get(cid, {})
    if crit.kind == "boolean":
        return BOOLEAN_VALUES.get(entry.get("value"), "")
    if crit.kind == "ratio":
        num, den = entry.get("numerator"), entry.get("denominator")
        den_label = crit.denominator.label
        if den is None and crit.denominator.profile:
            den, den_label = result["profile"]["population"], "常住人口"
        if num is None and den is None:
            return ""
        return f"{crit.numerator.label} {format_number(num)} / {den_label} {format_number(den)}"
    (key,) = crit.kind_spec.answer_keys
    value = entry.get(key)
    return "" if value is None else f"{format_number(value)} {crit.unit}"


def criterion_rows(
    standard: Standard, answers: dict[str, Any], result: dict[str, Any]
) -> list[list[Any]]:
    rows = []
    for cat in standard.categories:
        for item in cat.items:
            entry = result["items"][item.id]
            for crit in item.criteria:
                judged = result["criteria"][crit.id]
                demanded = [e for e in entry["evidence"] if e.get("applies", True)]
                rows.append(
                    [
                        cat.id,
                        cat.name,
                        item.id,
                        item.title,
                        crit.id,
                        crit.name,
                        crit.requirement,
                        answer_text(standard, crit.id, answers, result),
                        judged["status_label"],
                        judged["message"],
                        entry["status_label"],
                        f"{sum(e['at_hand'] for e in demanded)}/{len(demanded)}",
                        entry["note"],
                    ]
                )
    return rows


CRITERION_HEADER = [
    "类别",
    "考评项目",
    "条目",
    "条目名称",
    "指标编号",
    "指标",
    "要求",
    "填写情况",
    "指标结果",
    "说明",
    "条目结论",
    "台账资料（已备/应备）",
    "备注",
]


def csv_export(
    standard: Standard, rule: ScoringRule, answers: Any, *, now: str | datetime | None = None
) -> str:
    """CSV (UTF-8 with BOM so Excel shows Chinese): stamps, one row per criterion, category scores."""
    doc = export_document(standard, rule, answers, now=now)
    return csv_from_export(standard, doc)


def csv_from_export(standard: Standard, doc: dict[str, Any]) -> str:
    result, answers = doc["result"], doc["answers"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")

    def write(row):
        writer.writerow([format_number(c) if isinstance(c, float) else safe_cell(c) for c in row])

    for row in stamp_rows(result):
        write(row)
    write([])
    write(CRITERION_HEADER)
    for row in criterion_rows(standard, answers, result):
        write(row)
    write([])
    write(["类别", "考评项目", "得分", "权重"])
    for c in result["categories"]:
        write(
            [
                c["id"],
                c["name"],
                "不适用" if c["score"] is None else format_number(c["score"]),
                format_number(c["weight"]),
            ]
        )
    write([])
    write(["整改清单"])
    for row in gap_rows(result):
        write(row)
    return "\ufeff" + buf.getvalue()


# ---- XLSX ----------------------------------------------------------------------------------


def openpyxl_module():
    try:
        import openpyxl
    except ImportError:
        raise ExportError(
            "生成 Excel 文件需要 openpyxl，当前环境没有安装。请改用 CSV 或 JSON 导出，或安装 openpyxl。"
        ) from None
    return openpyxl


def add_sheet(
    book,
    title: str,
    rows: list[list[Any]],
    widths: list[int],
    *,
    header_row: int | None = 1,
    landscape: bool | None = None,
):
    """A sheet of `rows`: text stays text (formula-like text stored with the text type), set up for print."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(title)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = writable(value)
            if looks_like_formula(value):
                # Stored as a string cell in text format: shown exactly as typed, never calculated.
                cell.data_type = "s"
                cell.number_format = "@"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = wrap
    if header_row:
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    print_setup(ws, widths, header_row=header_row, landscape=landscape)
    return ws


# Points per wrapped line at the default 11 pt font, and the width one CJK character takes in
# column-width units (a column width counts Latin digits; a Chinese character is about two).
LINE_HEIGHT = 15.5
CJK_WIDTH = 2.1


def text_width(text: str) -> float:
    """The width of a line of text in column-width units."""
    return sum(CJK_WIDTH if ord(ch) > 0x2E7F else 1.1 for ch in text)


def wrapped_lines(value: Any, width: float) -> int:
    """How many lines `value` takes in a wrapped cell `width` units wide."""
    if value is None or value == "":
        return 1
    text = (
        format_number(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else str(value)
    )
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n"))


def print_setup(
    ws, widths: list[float], *, header_row: int | None = 1, landscape: bool | None = None
) -> None:
    """Row heights for wrapped text, fit to the page width, header row repeated, orientation set.

    Spreadsheet programs do not grow a row for wrapped text on their own when they print a file
    they did not write (LibreOffice prints such rows one line high, and the text overlaps the next
    row), so every row gets the height its longest cell needs.
    """
    for row in ws.iter_rows():
        height = LINE_HEIGHT
        for cell in row:
            if cell.value is None:
                continue
            scale = (cell.font.sz or 11) / 11 if cell.font is not None else 1
            width = widths[cell.column - 1] if cell.column <= len(widths) else 10
            lines = wrapped_lines(cell.value, width / scale) if cell.alignment.wrap_text else 1
            height = max(height, lines * LINE_HEIGHT * scale)
        ws.row_dimensions[row[0].row].height = round(height + 3, 1)
    if landscape is None:
        landscape = sum(widths) > 100
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"


def workbook_bytes(book, moment: datetime) -> bytes:
    book.properties.creator = f"selfcheck {__version__}"
    naive = moment.replace(tzinfo=None)
    book.properties.created = naive
    book.properties.modified = naive
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def site_form_rows(plan: dict[str, Any], profiles: list[dict[str, Any]]) -> list[list[Any]]:
    """附件2 点位信息: the header from `plan.site_form`, one row per site."""
    fields = plan["site_form"]["fields"]
    rows = [[f["label"] for f in fields]]
    for n, p in enumerate(profiles, start=1):
        rows.append([n if f["id"] == "seq" else p.get(f["id"], "") for f in fields])
    return rows


def item_table_rows(
    standard: Standard, answers: dict[str, Any], result: dict[str, Any]
) -> list[list[Any]]:
    """附件1 with the community's answers and results beside each item."""
    rows = [
        [
            "序号",
            "考评项目",
            "具体内容",
            "考评方式",
            "考评时间",
            "自评结论",
            "各项指标：填写情况与结果",
            "已备台账资料",
            "缺少的台账资料",
            "备注",
        ]
    ]
    for cat in standard.categories:
        for item in cat.items:
            entry = result["items"][item.id]
            lines = []
            for crit in item.criteria:
                judged = result["criteria"][crit.id]
                given = answer_text(standard, crit.id, answers, result)
                lines.append(
                    f"{crit.id} {criterion_line(judged)}"
                    + (f"（填写：{given}）" if given and judged["source"] == "answer" else "")
                )
            demanded = [e for e in entry["evidence"] if e.get("applies", True)]
            have = [e["text"] for e in demanded if e["at_hand"]]
            lack = [e["text"] for e in demanded if not e["at_hand"]]
            rows.append(
                [
                    item.id,
                    cat.name,
                    f"（{item.number}）{item.text}",
                    "\n".join(cat.method),
                    cat.time,
                    entry["status_label"],
                    "\n".join(lines),
                    "\n".join(have),
                    "\n".join(lack) if entry["status"] != "not_applicable" else "",
                    entry["note"],
                ]
            )
    return rows


def summary_rows(result: dict[str, Any]) -> list[list[Any]]:
    rows = [["项目", "内容"]] + stamp_rows(result)
    rows.append([])
    rows.append(["类别", "得分", "权重", "达标", "部分达标", "未达标", "未填写", "不适用"])
    for c in result["categories"]:
        k = c["counts"]
        rows.append(
            [
                f"{c['id']} {c['name']}",
                "不适用" if c["score"] is None else c["score"],
                c["weight"],
                k["met"],
                k["partial"],
                k["not_met"],
                k["not_answered"],
                k["not_applicable"],
            ]
        )
    rows.append(["总分", result["overall"]["score"]])
    rows.append(["结论", result["overall"]["verdict"]])
    rows.append(["说明", result["overall"]["text"]])
    for u in result["overall"]["unmet"]:
        rows.append(["", u])
    for w in result["warnings"]:
        rows.append(["提示", w])
    return rows


def xlsx_export(
    standard: Standard,
    rule: ScoringRule,
    plan: dict[str, Any],
    answers: Any,
    *,
    now: str | datetime | None = None,
) -> bytes:
    """XLSX: 附件1 with answers and results, a summary with the 整改清单, and 附件2 点位信息."""
    doc = export_document(standard, rule, answers, now=now)
    return xlsx_from_export(standard, plan, doc)


def xlsx_from_export(standard: Standard, plan: dict[str, Any], doc: dict[str, Any]) -> bytes:
    openpyxl = openpyxl_module()
    result, answers = doc["result"], doc["answers"]
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_sheet(
        book,
        "附件1 建设标准自评",
        item_table_rows(standard, answers, result),
        [5, 8, 34, 9, 6, 9, 46, 24, 24, 14],
    )
    add_sheet(book, "汇总", summary_rows(result), [24, 60, 8, 8, 8, 8, 8, 8], landscape=False)
    add_sheet(book, "整改清单", gap_rows(result), [30, 12, 24, 80])
    add_sheet(book, "附件2 点位信息", site_form_rows(plan, [result["profile"]]), [6, 20, 40, 50])
    return workbook_bytes(book, parse_now(doc["exported_at"]))


# ---- HTML report and the registry ---------------------------------------------------------


def report_html(
    standard: Standard, rule: ScoringRule, answers: Any, *, now: str | datetime | None = None
) -> str:
    """A printable report (see `selfcheck.report.html_from_export`)."""
    return html_from_export(standard, export_document(standard, rule, answers, now=now))


@dataclass(frozen=True)
class ExportFormat:
    """One way to write a scored export document out."""

    id: str
    label: str
    suffix: str
    mime: str
    # write(standard, plan, export document) -> str or bytes
    write: Callable[[Standard, dict[str, Any], dict[str, Any]], str | bytes]

    @property
    def binary(self) -> bool:
        return not self.mime.startswith(("text/", "application/json"))

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "suffix": self.suffix,
            "mime": self.mime,
            "binary": self.binary,
        }


FORMATS: dict[str, ExportFormat] = {
    f.id: f
    for f in (
        ExportFormat(
            "text",
            "文本（整改清单）",
            ".txt",
            "text/plain; charset=utf-8",
            lambda s, p, d: terminal_safe(result_text(d["result"])),
        ),
        ExportFormat(
            "json",
            "JSON（可再导入，含校验码）",
            ".json",
            "application/json",
            lambda s, p, d: json.dumps(file_document(d), ensure_ascii=False, indent=1) + "\n",
        ),
        ExportFormat(
            "csv",
            "CSV（表格）",
            ".csv",
            "text/csv; charset=utf-8",
            lambda s, p, d: csv_from_export(s, d),
        ),
        ExportFormat(
            "xlsx",
            "Excel（附件1、汇总、整改清单、附件2）",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            lambda s, p, d: xlsx_from_export(s, p, d),
        ),
        ExportFormat(
            "html",
            "打印报告（HTML）",
            ".html",
            "text/html; charset=utf-8",
            lambda s, p, d: html_from_export(s, d),
        ),
    )
}


def write_export(
    format_id: str, standard: Standard, plan: dict[str, Any], doc: dict[str, Any]
) -> str | bytes:
    """Write `doc` in the format named `format_id` (a key of `FORMATS`)."""
    fmt = FORMATS.get(format_id)
    if fmt is None:
        raise ExportError(f"没有“{format_id}”这种导出格式，可选：{'、'.join(FORMATS)}。")
    return fmt.write(standard, plan, doc)
