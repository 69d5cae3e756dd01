"""Staff downloads: the duty calendar, the .ics file, the 台账 zip and the reserve ledger."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest

from macros import staff_downloads as sd
from selfcheck.datafiles import DATA_DIR, load_validated

PERIOD_FREQ = {
    "month": ("MONTHLY", 1),
    "quarter": ("MONTHLY", 3),
    "half": ("MONTHLY", 6),
    "year": ("YEARLY", 1),
}


@pytest.fixture(scope="module")
def plan():
    return load_validated(DATA_DIR / "plan.yaml")


@pytest.fixture(scope="module")
def entries(standard, plan):
    return sd.calendar_entries(standard, plan)


def periodic_criteria(standard):
    return {c.id: c for c in standard.criteria.values() if c.kind == "periodic"}


def test_every_periodic_criterion_is_one_calendar_entry(standard, entries):
    periodic = periodic_criteria(standard)
    recurring = {e.criterion_id: e for e in entries if e.kind == "periodic"}
    assert recurring.keys() == periodic.keys()
    for cid, entry in recurring.items():
        assert entry.period == periodic[cid].period
        assert entry.requirement == periodic[cid].requirement
        assert entry.item_id == cid.rsplit(".", 1)[0]


def test_plan_stages_and_deadlines_are_entries(plan, entries):
    stages = {e.uid.split("@")[0]: e for e in entries if e.kind == "stage"}
    assert set(stages) == {f"stage-{s['id']}" for s in plan["stages"]}
    deadlines = sorted(e.start.isoformat() for e in entries if e.kind == "deadline")
    assert deadlines == sorted(d["date"] for s in plan["stages"] for d in s.get("deadlines", []))


@pytest.mark.parametrize(
    "anchor, period, expected",
    [
        (date(2024, 5, 21), "month", date(2024, 6, 1)),
        (date(2024, 5, 21), "quarter", date(2024, 7, 1)),
        (date(2024, 5, 21), "half", date(2024, 7, 1)),
        (date(2024, 5, 21), "year", date(2025, 1, 1)),
        (date(2024, 7, 1), "quarter", date(2024, 7, 1)),
        (date(2024, 12, 2), "month", date(2025, 1, 1)),
    ],
)
def test_first_period_start_is_a_calendar_period_boundary(anchor, period, expected):
    assert sd.first_period_start(anchor, period) == expected


def test_month_plan_puts_each_duty_in_its_period_months(standard, entries):
    months = sd.month_plan(entries)
    expected_count = {"month": 12, "quarter": 4, "half": 2, "year": 1}
    for entry in (e for e in entries if e.kind == "periodic"):
        hits = [m + 1 for m, items in enumerate(months) if entry in items]
        assert len(hits) == expected_count[entry.period]
        assert hits[0] == 1


def test_ics_parses_and_matches_the_standards_periods(standard, plan, entries, built_site):
    from icalendar import Calendar

    raw = (built_site / sd.DOWNLOADS / sd.ICS_NAME).read_bytes()
    assert raw == sd.ics_bytes(entries, plan), "built .ics should be the one generated from data"
    cal = Calendar.from_ical(raw)
    events = {str(ev["uid"]): ev for ev in cal.walk("VEVENT")}
    assert len(events) == len(entries)
    periodic = periodic_criteria(standard)
    for cid, crit in periodic.items():
        ev = events[f"criterion-{cid}@{sd.UID_DOMAIN}"]
        rrule = ev["rrule"]
        freq, interval = PERIOD_FREQ[crit.period]
        assert rrule["FREQ"] == [freq]
        assert rrule.get("INTERVAL", [1]) == [interval]
        start = ev["dtstart"].dt
        assert start.day == 1 and (start.month - 1) % (interval if freq == "MONTHLY" else 12) == 0
        assert ev["dtend"].dt - start == timedelta(days=1)
        assert crit.requirement in str(ev["summary"])
    non_recurring = [ev for ev in events.values() if "rrule" not in ev]
    assert len(non_recurring) == len(entries) - len(periodic)
    implement = events[f"stage-implement@{sd.UID_DOMAIN}"]
    assert implement["dtstart"].dt == date(2024, 5, 21)
    assert implement["dtend"].dt == date(2024, 9, 1)  # DTEND is exclusive: the stage ends 8月底


def test_zip_has_one_folder_per_item_with_its_materials(standard, built_site):
    raw = (built_site / sd.DOWNLOADS / sd.ZIP_NAME).read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        names = zf.namelist()
        item_dirs = {n.split("/")[1] for n in names if n.count("/") == 2 and n.endswith("/")}
        assert len(item_dirs) == 41 == len(standard.items)
        assert {d.split(" ", 1)[0] for d in item_dirs} == set(standard.items)
        for item in standard.items.values():
            cat = next(c for c in standard.categories if c.id == item.category_id)
            member = f"{cat.id} {cat.name}/{item.id} {item.title}/材料清单.txt"
            text = zf.read(member).decode("utf-8-sig")
            assert item.text in text
            for evidence in item.evidence:
                assert evidence in text
        assert "说明.txt" in names
        assert all(info.flag_bits & 0x800 for info in zf.infolist() if not info.filename.isascii())


def test_reserve_ledger_has_every_sheet_and_column(built_site):
    from openpyxl import load_workbook

    reserve = load_validated(DATA_DIR / "reserve.yaml")
    wb = load_workbook(built_site / sd.DOWNLOADS / sd.LEDGER_NAME)
    for sheet in reserve["ledger"]["sheets"]:
        header = [c.value for c in wb[sheet["name"]][1]]
        assert header == sheet["columns"]


def test_every_content_entry_names_its_source():
    elements = load_validated(DATA_DIR / "plan_elements.yaml")
    known = {s["id"] for s in elements["sources"]}
    for part in elements["sections"] + elements["appendices"]:
        assert part["source"] in known
    reserve = load_validated(DATA_DIR / "reserve.yaml")
    for hazard in reserve["hazards"]:
        for entry in hazard["items"]:
            assert entry["source"]
            assert entry["quantity"] is None or entry.get("quantity_source")


def test_pages_say_which_official_texts_are_not_available(standard, built_site):
    drafting = (built_site / "staff" / "plan-drafting" / "index.html").read_text(encoding="utf-8")
    assert "应急厅函〔2023〕231号" in drafting and "未能取得" in drafting
    assert "DB12/T 1452-2025" in drafting
    reserve = (built_site / "staff" / "reserve" / "index.html").read_text(encoding="utf-8")
    assert "沙减委〔2022〕1号" in reserve and "未能取得" in reserve
    calendar = (built_site / "staff" / "calendar" / "index.html").read_text(encoding="utf-8")
    assert calendar.count('data-criterion="') == len(periodic_criteria(standard))
