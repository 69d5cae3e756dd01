"""Pages for community staff and the district: plan drafting, reserve list, duty calendar,
evidence folders, evaluation form and the roll-up of self-assessment exports.

Every page is rendered from `data/` (standard, plan, plan_elements, reserve); the calendar page and
the `.ics` download share `staff_downloads.calendar_entries`, so a date is never typed twice.
"""

from __future__ import annotations

from selfcheck.errors import DataError

from . import staff_downloads
from .render import render


def _root(env) -> str:
    """Relative prefix from the current page to the site root, for raw-HTML links and scripts."""
    url = env.page.url if getattr(env, "page", None) else ""
    depth = url.strip("/").count("/") + 1 if url.strip("/") else 0
    return "../" * depth


def _plan_sources(elements: dict) -> dict[str, str]:
    names = {s["id"]: s["name"] for s in elements["sources"]}
    used = [elements["principles"]["source"], elements["procedure"]["source"]]
    used += [s["source"] for s in elements["sections"]] + [
        a["source"] for a in elements["appendices"]
    ]
    for ref in used:
        if ref not in names:
            raise DataError(
                "plan_elements.yaml",
                f"来源 {ref}",
                "source",
                f"“{ref}”未在 sources 中定义：请在 sources 里加上它，或改用已有的来源编号。",
            )
    return names


def register(env, site) -> None:
    standard = site.standard
    plan = site.raw["plan"]
    elements = site.raw["plan_elements"]
    reserve = site.raw["reserve"]
    sources = _plan_sources(elements)

    @env.macro
    def plan_drafting_page() -> str:
        """预案要素 with their sources, and the drafting form the browser fills in."""
        return render("staff_plan.md.j2", el=elements, sources=sources, root=_root(env))

    @env.macro
    def reserve_page() -> str:
        """The reserve point's list by hazard and the reserve ledger template."""
        return render(
            "staff_reserve.md.j2",
            reserve=reserve,
            root=_root(env),
            ledger=f"{staff_downloads.DOWNLOADS}/{staff_downloads.LEDGER_NAME}",
        )

    @env.macro
    def duty_calendar_page() -> str:
        """The duty calendar from the standard's periodic criteria and the plan's dates."""
        entries = staff_downloads.calendar_entries(standard, plan)
        return render(
            "staff_calendar.md.j2",
            entries=entries,
            months=staff_downloads.month_plan(entries),
            anchor=staff_downloads.recurrence_anchor(plan),
            standard=standard,
            plan=plan,
            root=_root(env),
            ics=f"{staff_downloads.DOWNLOADS}/{staff_downloads.ICS_NAME}",
            first_start=staff_downloads.first_period_start,
        )

    @env.macro
    def archive_page() -> str:
        """台账归档目录: the folder skeleton, one folder per item, and its download."""
        return render(
            "staff_archive.md.j2",
            standard=standard,
            root=_root(env),
            zip=f"{staff_downloads.DOWNLOADS}/{staff_downloads.ZIP_NAME}",
            folder=staff_downloads.folder_name,
        )

    @env.macro
    def evaluation_form() -> str:
        """考评表: every item, requirement and 考评方式, with blank columns for the expert."""
        return render("staff_evaluation.md.j2", standard=standard, plan=plan, root=_root(env))

    @env.macro
    def rollup_page() -> str:
        """The district roll-up: drop many exports, rank them, list refused files."""
        return render("staff_rollup.md.j2", standard=standard, root=_root(env))
