"""Staff downloads generated from the data at build time, and the duty calendar they share with the pages.

- `assets/downloads/duty-calendar.ics`: every periodic criterion of the standard (RRULE) and the
  action plan's stages and deadlines, from `calendar_entries`, the same list the 工作日历 page shows.
- `assets/downloads/taizhang-folders.zip`: one folder per item with its list of materials.
- `assets/downloads/reserve-ledger.xlsx`: the reserve ledger template from `data/reserve.yaml`.
- `assets/vendor/docx/`: the pinned npm `docx` browser bundle the plan-drafting page uses.

Nothing here is committed; every file is rebuilt from `data/` and the pinned packages.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from selfcheck.model import PERIOD_LABELS, Standard

from .reproducible import workbook_bytes

ROOT = Path(__file__).resolve().parent.parent
DOCX_DIR = ROOT / "node_modules" / "docx"
DOWNLOADS = "assets/downloads"
ICS_NAME = "duty-calendar.ics"
ZIP_NAME = "taizhang-folders.zip"
LEDGER_NAME = "reserve-ledger.xlsx"
# RRULE parts per period: the standard's periods are calendar months, quarters, halves and years.
RRULES = {
    "month": {"FREQ": "MONTHLY"},
    "quarter": {"FREQ": "MONTHLY", "INTERVAL": 3},
    "half": {"FREQ": "MONTHLY", "INTERVAL": 6},
    "year": {"FREQ": "YEARLY"},
}
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
UID_DOMAIN = "anquan-shequ.shapingba"
# Windows refuses these in folder names; the standard's titles do not use them, but stay safe.
_UNSAFE = re.compile(r'[\\/:*?"<>|]')


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    kind: str  # "periodic" (recurs), "stage" (a span of days) or "deadline" (one day)
    title: str
    start: date
    end: date | None = None  # inclusive last day, for stages
    period: str | None = None
    criterion_id: str | None = None
    item_id: str | None = None
    requirement: str = ""
    condition: str = ""
    description: str = ""


def recurrence_anchor(plan: dict) -> date:
    """The first day the recurring duties count from: the 组织实施阶段's start in the plan."""
    stage = next(s for s in plan["stages"] if s["id"] == "implement")
    return date.fromisoformat(stage["start"])


def first_period_start(anchor: date, period: str) -> date:
    """The first whole calendar period (month, quarter, half-year, year) that starts on or after `anchor`."""
    months = PERIOD_MONTHS[period]
    index = anchor.year * 12 + anchor.month - 1
    if anchor.day != 1:
        index += 1
    index = -(-index // months) * months  # round up to the period boundary
    return date(index // 12, index % 12 + 1, 1)


def calendar_entries(standard: Standard, plan: dict) -> list[CalendarEntry]:
    """Every periodic criterion and every dated stage and deadline of the plan, in that order.

    Args:
        standard: the validated standard.
        plan: the parsed, schema-valid `data/plan.yaml`.
    Returns:
        The calendar; the page and the `.ics` file are both rendered from this list.
    """
    anchor = recurrence_anchor(plan)
    entries: list[CalendarEntry] = []
    for item in standard.items.values():
        for crit in item.criteria:
            if crit.kind != "periodic":
                continue
            condition = crit.applies_if or item.applies_if
            condition_text = condition.describe(standard.facts) if condition else ""
            entries.append(
                CalendarEntry(
                    uid=f"criterion-{crit.id}@{UID_DOMAIN}",
                    kind="periodic",
                    title=f"{PERIOD_LABELS[crit.period]}：{crit.name}（{crit.requirement}）",
                    start=first_period_start(anchor, crit.period),
                    period=crit.period,
                    criterion_id=crit.id,
                    item_id=item.id,
                    requirement=crit.requirement,
                    condition=condition_text,
                    description=(
                        f"标准第 {item.id} 条：{item.text}\n"
                        f"要求：{crit.requirement}（{crit.name}）。"
                        + (f"\n适用于：{condition_text}。" if condition_text else "")
                        + "\n来源：沙安办〔2024〕30号 附件1；按周期拆分为本站整理。"
                    ),
                )
            )
    for stage in plan["stages"]:
        start = date.fromisoformat(stage["start"])
        end = date.fromisoformat(stage["end"]) if stage.get("end") else None
        entries.append(
            CalendarEntry(
                uid=f"stage-{stage['id']}@{UID_DOMAIN}",
                kind="stage",
                title=f"{stage['name']}（{stage['when']}）",
                start=start,
                end=end,
                description=f"{stage['text']}\n来源：{plan['doc_number']}。",
            )
        )
        for deadline in stage.get("deadlines", []):
            day = date.fromisoformat(deadline["date"])
            entries.append(
                CalendarEntry(
                    uid=f"deadline-{day.isoformat()}@{UID_DOMAIN}",
                    kind="deadline",
                    title=f"截止：{deadline['what']}",
                    start=day,
                    description=f"{stage['name']}：{deadline['what']}。\n来源：{plan['doc_number']}。",
                )
            )
    return entries


def month_plan(entries: list[CalendarEntry]) -> list[list[CalendarEntry]]:
    """For months 1–12 of any year, the recurring duties whose period starts in that month."""
    months: list[list[CalendarEntry]] = [[] for _ in range(12)]
    for entry in entries:
        if entry.kind != "periodic":
            continue
        step = PERIOD_MONTHS[entry.period]
        for m in range(0, 12, step):
            months[m].append(entry)
    return months


def ics_bytes(entries: list[CalendarEntry], plan: dict) -> bytes:
    """The calendar as an iCalendar file: all-day events, RRULE for the recurring duties."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//安全发展社区（村）知识库//工作日历//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "安全发展社区（村）工作日历")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    # A fixed stamp (the plan's issue date) keeps the file identical from build to build.
    stamp = datetime.combine(date.fromisoformat(plan["issued"]), datetime.min.time(), tzinfo=UTC)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("summary", entry.title)
        event.add("dtstart", entry.start)
        event.add("dtend", (entry.end or entry.start) + timedelta(days=1))
        event.add("description", entry.description)
        event.add("transp", "TRANSPARENT")
        if entry.kind == "periodic":
            event.add("rrule", RRULES[entry.period])
            event.add("categories", [PERIOD_LABELS[entry.period], f"标准{entry.item_id}"])
        else:
            event.add("categories", ["行动方案"])
        cal.add_component(event)
    return cal.to_ical()


def folder_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip()


def archive_layout(standard: Standard) -> dict[str, str]:
    """Zip member path → text: one folder per category and item, each with its materials list."""
    files: dict[str, str] = {}
    lines = [
        "安全发展社区（村）台账归档目录",
        "",
        f"依据：{standard.source}。",
        "每个条目一个文件夹，文件夹中的“材料清单.txt”列出查阅资料时需要的材料（材料清单为本站整理，",
        "不是官方原文）。把材料的扫描件、照片和视频放进对应的文件夹即可。",
        "",
    ]
    for cat in standard.categories:
        cat_dir = folder_name(f"{cat.id} {cat.name}")
        lines.append(f"{cat_dir}（考评方式：{'、'.join(cat.method)}）")
        for item in cat.items:
            item_dir = folder_name(f"{item.id} {item.title}")
            lines.append(f"  {item_dir}")
            body = [
                f"第 {item.id} 条 {item.title}",
                "",
                "标准原文：",
                item.text,
                "",
                f"考评方式：{'、'.join(cat.method)}（{cat.time}）",
                "",
                "需要归档的材料（本站整理）：",
                *[f"  {n}. {e}" for n, e in enumerate(item.evidence, start=1)],
            ]
            periodic = [c for c in item.criteria if c.kind == "periodic"]
            if periodic:
                body += ["", "按周期归档（每期一个子文件夹，如 2025-07）："]
                body += [f"  - {c.name}：{c.requirement}" for c in periodic]
            if item.applies_if:
                body += ["", f"适用条件：{item.applies_if.describe(standard.facts)}"]
            files[f"{cat_dir}/{item_dir}/材料清单.txt"] = "\r\n".join(body) + "\r\n"
    files["说明.txt"] = "\r\n".join(lines) + "\r\n"
    return files


def zip_bytes(files: dict[str, str]) -> bytes:
    """A reproducible zip (fixed timestamps; UTF-8 names) with an entry for every folder."""
    buffer = io.BytesIO()
    folders = sorted(
        {p.rsplit("/", i)[0] + "/" for p in files for i in (1, 2) if p.count("/") >= i}
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in folders:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 23, 0, 0, 0)), b"")
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 23, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # A BOM so Windows Notepad of any age opens the Chinese text as UTF-8.
            zf.writestr(info, "\ufeff" + text)
    return buffer.getvalue()


def ledger_bytes(reserve: dict) -> bytes:
    """The reserve ledger template: one sheet per ledger part, header row, frozen, set up for print."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from selfcheck.exports import print_setup

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in reserve["ledger"]["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        ws.append(sheet["columns"])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        widths = [max(10, len(column) * 2 + 2) for column in sheet["columns"]]
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(1, index).column_letter].width = width
        ws.freeze_panes = "A2"
        # Ruled, empty rows to write in by hand once printed.
        for row in range(2, 21):
            ws.row_dimensions[row].height = 22
        print_setup(ws, widths, landscape=True)
        ws.print_area = f"A1:{ws.cell(1, len(widths)).column_letter}20"
    notes = wb.create_sheet("保质期管理说明")
    notes.append(["要点", "来源"])
    for rule in reserve["ledger"]["expiry_rules"]:
        notes.append([rule["text"], rule["source"]])
    notes.column_dimensions["A"].width = 80
    notes.column_dimensions["B"].width = 12
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in notes.iter_rows():
        for cell in row:
            cell.alignment = wrap
    for cell in notes[1]:
        cell.font = Font(bold=True)
    print_setup(notes, [80, 12], landscape=False)
    return workbook_bytes(wb)  # timestamps pinned: a rebuild writes the same bytes


def copy_docx(out: Path) -> str:
    """Copy the pinned docx browser bundle and its licence; return its version."""
    import json

    package = DOCX_DIR / "package.json"
    if not package.exists():
        raise RuntimeError("缺少 node_modules/docx。请先运行 scripts/setup.sh（其中执行 npm ci）。")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(DOCX_DIR / "dist" / "index.iife.js", out / "docx.iife.js")
    shutil.copy2(DOCX_DIR / "LICENSE", out / "LICENSE.txt")
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def write_all(site_dir: str | Path, site) -> None:
    """Write every staff download into the built site."""
    site_dir = Path(site_dir)
    out = site_dir / DOWNLOADS
    out.mkdir(parents=True, exist_ok=True)
    plan = site.raw["plan"]
    (out / ICS_NAME).write_bytes(ics_bytes(calendar_entries(site.standard, plan), plan))
    (out / ZIP_NAME).write_bytes(zip_bytes(archive_layout(site.standard)))
    (out / LEDGER_NAME).write_bytes(ledger_bytes(site.raw["reserve"]))
    copy_docx(site_dir / "assets" / "vendor" / "docx")
