"""Exports of one community's self-assessment: JSON (with SHA-256), CSV, XLSX and a printable HTML report.

All exports carry the standard's version, the tool's version, the time and the scoring 口径 label.
Whatever a user typed is text everywhere: escaped in HTML, and a CSV/XLSX cell starting with
= + - @ (also after spaces, or full-width) is prefixed with an apostrophe so a spreadsheet never
runs it as a formula (`selfcheck.cells`). openpyxl is imported inside `xlsx_export` only: the package itself needs just the stdlib.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
from datetime import datetime
from typing import Any

from . import __version__
from .answers import BOOLEAN_VALUES, normalize_answers
from .cells import safe_cell
from .errors import ExportError
from .model import Standard, format_number
from .records import default_window
from .scoring import ScoringRule, parse_now, score_community

EXPORT_FORMAT = "selfcheck-export"
# Version 2 (2026): the file carries a stamp of the standard (version, structure hash, fingerprints
# of what was answered) and a result summary instead of the whole standard and result (108 KB → 10
# KB). Version 1 files are still read (`selfcheck.importer`).
EXPORT_VERSION = 2


def canonical_bytes(doc: Any) -> bytes:
    """The canonical form the hash covers: sorted keys, no whitespace, UTF-8."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def content_hash(doc: dict[str, Any]) -> str:
    """SHA-256 over the canonical content of an export, without its own `sha256` field."""
    return hashlib.sha256(canonical_bytes({k: v for k, v in doc.items() if k != "sha256"})).hexdigest()


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
    return {cid: _short_hash({k: v for k, v in c.items() if k != "name"}, 12) for cid, c in summary.items()}


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
            iid: " ".join(text_fingerprint(standard.items[iid].evidence[i]) for i in ticks) for iid, ticks in answers["evidence"].items()
        },
    }


def result_summary(result: dict[str, Any]) -> dict[str, Any]:
    """The part of a result a file carries: the district re-scores every file from its answers."""
    o = result["overall"]
    return {
        "scored_at": result["scored_at"],
        "window": {"start": result["window"]["start"], "end": result["window"]["end"]},
        "overall": {"score": o["score"], "level": o["level"], "verdict": o["verdict"], "counts": o["counts"]},
        "categories": [{"id": c["id"], "score": c["score"]} for c in result["categories"]],
    }


def file_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The export as written to a file: the in-memory document with the result summarised."""
    return {**doc, "result": result_summary(doc["result"])}


def export_document(standard: Standard, rule: ScoringRule, answers: Any, *, now: str | datetime | None = None) -> dict[str, Any]:
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
        doc = {k: doc[k] for k in ("format", "format_version", "standard_version", "profile", "window", "answers", "records", "evidence", "notes")}
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


def json_export(standard: Standard, rule: ScoringRule, answers: Any, *, now: str | datetime | None = None) -> str:
    """The JSON export file as text (indented for people; the hash covers the canonical form)."""
    doc = file_document(export_document(standard, rule, answers, now=now))
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


# ---- CSV -----------------------------------------------------------------------------------

def answer_text(standard: Standard, cid: str, answers: dict[str, Any], result: dict[str, Any]) -> str:
    """What the community entered for one criterion, in words."""
    crit = standard.criteria[cid]
    judged = result["criteria"][cid]
    if judged["source"] == "records":
        return "按台账记录"
    entry = answers["answers"].get(cid, {})
    if crit.kind == "boolean":
        return BOOLEAN_VALUES.get(entry.get("value"), "")
    if crit.kind == "ratio":
        num = entry.get("numerator")
        den = result["profile"]["population"] if crit.denominator.profile else entry.get("denominator")
        if num is None and den is None:
            return ""
        return f"{crit.numerator.label} {format_number(num)} / {crit.denominator.label} {format_number(den)}"
    key = {"quantity": "value", "periodic": "count", "per_event": "min"}[crit.kind]
    value = entry.get(key)
    return "" if value is None else f"{format_number(value)} {crit.unit}"


def stamp_rows(result: dict[str, Any]) -> list[list[str]]:
    p = result["profile"]
    return [
        ["标准版本", result["standard_version"]],
        ["工具版本", result["tool_version"]],
        ["评分时间", result["scored_at"]],
        ["评分口径", f"{result['scoring']['label']}（{result['scoring']['source']}，版本 {result['scoring']['version']}）"],
        ["口径说明", result["scoring"]["note"]],
        ["属地镇街", p["town"]],
        ["点位名称", p["site_name"]],
        ["点位详细地址", p["address"]],
        ["类型", p["kind"]],
        ["常住人口", "" if p["population"] is None else str(p["population"])],
        ["评估期", result["window"]["label"]],
        ["总分", format_number(result["overall"]["score"])],
        ["结论", result["overall"]["verdict"]],
    ]


def criterion_rows(standard: Standard, answers: dict[str, Any], result: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for cat in standard.categories:
        for item in cat.items:
            entry = result["items"][item.id]
            for crit in item.criteria:
                judged = result["criteria"][crit.id]
                rows.append([
                    cat.id, cat.name, item.id, item.title, crit.id, crit.name, crit.requirement,
                    answer_text(standard, crit.id, answers, result), judged["status_label"], judged["message"],
                    entry["status_label"],
                    f"{sum(e['at_hand'] for e in entry['evidence'])}/{len(entry['evidence'])}",
                    entry["note"],
                ])
    return rows


CRITERION_HEADER = ["类别", "考评项目", "条目", "条目名称", "指标编号", "指标", "要求", "填写情况", "指标结果", "说明", "条目结论", "台账资料（已备/应备）", "备注"]


def csv_export(standard: Standard, rule: ScoringRule, answers: Any, *, now: str | datetime | None = None) -> str:
    """CSV (UTF-8 with BOM so Excel shows Chinese): stamps, one row per criterion, category scores."""
    doc = export_document(standard, rule, answers, now=now)
    return csv_from_export(standard, doc)


def csv_from_export(standard: Standard, doc: dict[str, Any]) -> str:
    result, answers = doc["result"], doc["answers"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    write = lambda row: writer.writerow([safe_cell(c) for c in row])  # noqa: E731
    for row in stamp_rows(result):
        write(row)
    write([])
    write(CRITERION_HEADER)
    for row in criterion_rows(standard, answers, result):
        write(row)
    write([])
    write(["类别", "考评项目", "得分", "权重"])
    for c in result["categories"]:
        write([c["id"], c["name"], "不适用" if c["score"] is None else format_number(c["score"]), format_number(c["weight"])])
    return "\ufeff" + buf.getvalue()


# ---- XLSX ----------------------------------------------------------------------------------

def openpyxl_module():
    try:
        import openpyxl
    except ImportError:
        raise ExportError("生成 Excel 文件需要 openpyxl，当前环境没有安装。请改用 CSV 或 JSON 导出，或安装 openpyxl。") from None
    return openpyxl


def add_sheet(book, title: str, rows: list[list[Any]], widths: list[int], *, header_row: int | None = 1):
    from openpyxl.styles import Alignment, Font

    ws = book.create_sheet(title)
    for row in rows:
        ws.append([safe_cell(c) for c in row])
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = wrap
    if header_row:
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return ws


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


def item_table_rows(standard: Standard, answers: dict[str, Any], result: dict[str, Any]) -> list[list[Any]]:
    """附件1 with the community's answers and results beside each item."""
    rows = [["序号", "考评项目", "具体内容", "考评方式", "考评时间", "自评结论", "各项指标：填写情况与结果", "已备台账资料", "缺少的台账资料", "备注"]]
    for cat in standard.categories:
        for item in cat.items:
            entry = result["items"][item.id]
            lines = []
            for crit in item.criteria:
                judged = result["criteria"][crit.id]
                given = answer_text(standard, crit.id, answers, result)
                lines.append(f"{crit.id} {judged['status_label']}：{judged['message']}" + (f"（填写：{given}）" if given and judged["source"] == "answer" else ""))
            have = [e["text"] for e in entry["evidence"] if e["at_hand"]]
            lack = [e["text"] for e in entry["evidence"] if not e["at_hand"]]
            rows.append([
                item.id, cat.name, f"（{item.number}）{item.text}", "\n".join(cat.method), cat.time,
                entry["status_label"], "\n".join(lines), "\n".join(have), "\n".join(lack) if entry["status"] != "not_applicable" else "",
                entry["note"],
            ])
    return rows


def summary_rows(result: dict[str, Any]) -> list[list[Any]]:
    rows = [["项目", "内容"]] + stamp_rows(result)
    rows.append([])
    rows.append(["类别", "得分", "权重", "达标", "部分达标", "未达标", "未填写", "不适用"])
    for c in result["categories"]:
        k = c["counts"]
        rows.append([f"{c['id']} {c['name']}", "不适用" if c["score"] is None else c["score"], c["weight"], k["met"], k["partial"], k["not_met"], k["not_answered"], k["not_applicable"]])
    rows.append(["总分", result["overall"]["score"]])
    rows.append(["结论", result["overall"]["verdict"]])
    rows.append(["说明", result["overall"]["text"]])
    for u in result["overall"]["unmet"]:
        rows.append(["", u])
    for w in result["warnings"]:
        rows.append(["提示", w])
    rows.append([])
    rows.append(["整改清单"])
    rows.append(["考评项目", "条目", "问题"])
    for g in result["gaps"]:
        rows.append([g["category"], f"{g['item_id']} {g['item_title']}", g["text"]])
    return rows


def xlsx_export(standard: Standard, rule: ScoringRule, plan: dict[str, Any], answers: Any, *, now: str | datetime | None = None) -> bytes:
    """XLSX: 附件1 with answers and results, a summary with the 整改清单, and 附件2 点位信息."""
    doc = export_document(standard, rule, answers, now=now)
    return xlsx_from_export(standard, plan, doc)


def xlsx_from_export(standard: Standard, plan: dict[str, Any], doc: dict[str, Any]) -> bytes:
    openpyxl = openpyxl_module()
    result, answers = doc["result"], doc["answers"]
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_sheet(book, "附件1 建设标准自评", item_table_rows(standard, answers, result), [6, 10, 50, 12, 8, 10, 70, 40, 40, 30])
    add_sheet(book, "汇总", summary_rows(result), [24, 60, 8, 8, 8, 8, 8, 8])
    add_sheet(book, "附件2 点位信息", site_form_rows(plan, [result["profile"]]), [6, 20, 40, 50])
    return workbook_bytes(book, parse_now(doc["exported_at"]))


# ---- HTML report ---------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;margin:2em;color:#111;line-height:1.5}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #888;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#eee}.met{color:#0a5c2c}.not_met,.partial{color:#8a1c00}.not_answered{color:#5a4a00}.muted{color:#555}
.verdict{font-size:1.2em;font-weight:bold}.stamp{font-size:.85em;color:#333}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def report_html(standard: Standard, rule: ScoringRule, answers: Any, *, now: str | datetime | None = None) -> str:
    """A printable report: stamps, scores, verdict, 整改清单, every item, the evidence list."""
    return html_from_export(standard, export_document(standard, rule, answers, now=now))


def html_from_export(standard: Standard, doc: dict[str, Any]) -> str:
    result = doc["result"]
    p = result["profile"]
    title = f"{p['site_name'] or '未命名点位'} 安全发展社区（村）自评报告"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        '<table class="stamp"><tbody>',
    ]
    for key, value in stamp_rows(result)[:11]:
        parts.append(f"<tr><th scope=\"row\">{_e(key)}</th><td>{_e(value)}</td></tr>")
    parts.append("</tbody></table>")
    parts.append(f"<p class=\"muted\">{_e(result['scoring']['note'])}</p>")
    o = result["overall"]
    parts.append("<h2>总分与结论</h2>")
    parts.append(f'<p class="verdict">总分 {_e(format_number(o["score"]))}　{_e(o["verdict"])}</p><p>{_e(o["text"])}</p>')
    if o["unmet"]:
        parts.append("<ul>" + "".join(f"<li>{_e(u)}</li>" for u in o["unmet"]) + "</ul>")
    for w in result["warnings"]:
        parts.append(f'<p class="not_answered">提示：{_e(w)}</p>')
    parts.append('<table><thead><tr><th scope="col">考评项目</th><th scope="col">得分</th><th scope="col">权重</th>'
                 '<th scope="col">达标</th><th scope="col">部分达标</th><th scope="col">未达标</th><th scope="col">未填写</th><th scope="col">不适用</th></tr></thead><tbody>')
    for c in result["categories"]:
        k = c["counts"]
        score = "不适用" if c["score"] is None else format_number(c["score"])
        parts.append(f"<tr><td>{_e(c['id'])} {_e(c['name'])}</td><td>{_e(score)}</td><td>{_e(format_number(c['weight']))}</td>"
                     f"<td>{k['met']}</td><td>{k['partial']}</td><td>{k['not_met']}</td><td>{k['not_answered']}</td><td>{k['not_applicable']}</td></tr>")
    parts.append("</tbody></table>")
    parts.append("<h2>整改清单</h2>")
    problems = [g for g in result["gaps"] if g["kind"] != "evidence"]
    if problems:
        parts.append('<table><thead><tr><th scope="col">考评项目</th><th scope="col">条目</th><th scope="col">差距</th></tr></thead><tbody>')
        for g in problems:
            parts.append(f"<tr><td>{_e(g['category'])}</td><td>{_e(g['item_id'])} {_e(g['item_title'])}</td><td>{_e(g['text'])}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append("<p>所有适用的指标都已符合。</p>")
    parts.append("<h2>逐条结果</h2>")
    parts.append('<table><thead><tr><th scope="col">条目</th><th scope="col">结论</th><th scope="col">各项指标</th><th scope="col">备注</th></tr></thead><tbody>')
    for cat in standard.categories:
        for item in cat.items:
            entry = result["items"][item.id]
            lines = "".join(
                f'<li class="{_e(result["criteria"][c.id]["status"])}">{_e(result["criteria"][c.id]["status_label"])}：{_e(result["criteria"][c.id]["message"])}</li>'
                for c in item.criteria
            )
            parts.append(f"<tr><td>{_e(item.id)} {_e(item.title)}</td><td class=\"{_e(entry['status'])}\">{_e(entry['status_label'])}</td>"
                         f"<td><ul>{lines}</ul></td><td>{_e(entry['note'])}</td></tr>")
    parts.append("</tbody></table>")
    parts.append("<h2>台账资料清单</h2>")
    parts.append('<table><thead><tr><th scope="col">条目</th><th scope="col">资料</th><th scope="col">情况</th></tr></thead><tbody>')
    for cat in standard.categories:
        for item in cat.items:
            entry = result["items"][item.id]
            if entry["status"] == "not_applicable":
                continue
            for e in entry["evidence"]:
                state = "已备" if e["at_hand"] else "缺少"
                parts.append(f"<tr><td>{_e(item.id)}</td><td>{_e(e['text'])}</td><td class=\"{'met' if e['at_hand'] else 'not_met'}\">{state}</td></tr>")
    parts.append("</tbody></table>")
    parts.append(f'<p class="stamp">本报告由 selfcheck {_e(result["tool_version"])} 生成；校验码（SHA-256）{_e(doc["sha256"])}。</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
