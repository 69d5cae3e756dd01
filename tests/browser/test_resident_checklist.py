"""家庭应急物资自查表 in Chromium: quantity rules from the YAML, expiry reminders, storage, one-page print."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from macros.resident_pages import quantity
from tests.browser.conftest import arrive
from tests.browser.resident_helpers import a4_pdf, pdf_pages
from tests.conftest import DATA_DIR

# One tab for the module (`page` is `module_page`): each test arrives at the page by a link click.
SHARE_ONE_TAB = True

SUPPLIES = yaml.safe_load((DATA_DIR / "household_supplies.yaml").read_text(encoding="utf-8"))
ITEMS = SUPPLIES["items"]


def open_checklist(page):
    arrive(page, "/residents/checklist/")
    page.wait_for_selector("#rs-checklist[data-sc-mounted='1']")


def shown_quantities(page) -> dict[str, int]:
    return page.eval_on_selector_all(
        "tr.rs-item",
        "rows => Object.fromEntries(rows.map(r => [r.dataset.item, +r.querySelector('.rs-qty-n').textContent]))",
    )


def test_default_quantities_match_the_yaml_rules(page):
    open_checklist(page)
    people, days = SUPPLIES["rules"]["people"]["default"], SUPPLIES["rules"]["days"]["default"]
    assert shown_quantities(page) == {
        i["id"]: quantity(i["quantity"], people=people, days=days) for i in ITEMS
    }


@pytest.mark.parametrize("people,days", [(1, 1), (4, 3), (5, 7), (12, 14)])
def test_quantities_scale_with_people_and_days(page, people, days):
    open_checklist(page)
    page.fill("#rs-people", str(people))
    page.fill("#rs-days", str(days))
    assert shown_quantities(page) == {
        i["id"]: quantity(i["quantity"], people=people, days=days) for i in ITEMS
    }


def test_four_people_three_days_need_36_litres_of_water_and_four_masks(page):
    open_checklist(page)
    page.fill("#rs-people", "4")
    page.fill("#rs-days", "3")
    q = shown_quantities(page)
    assert (q["water"], q["smoke-mask"], q["extinguisher"], q["instant-food"]) == (36, 4, 1, 36)


def test_out_of_range_input_is_clamped(page):
    open_checklist(page)
    page.fill("#rs-people", "0")
    page.fill("#rs-days", "999")
    rules = SUPPLIES["rules"]
    water = next(i for i in ITEMS if i["id"] == "water")
    assert shown_quantities(page)["water"] == quantity(
        water["quantity"], people=rules["people"]["min"], days=rules["days"]["max"]
    )


def test_basic_shows_13_items_and_all_shows_the_extended_ones(page):
    open_checklist(page)
    visible = "rows => rows.filter(r => !r.hidden).length"
    assert page.eval_on_selector_all("tr.rs-item", visible) == 13
    assert page.eval_on_selector_all("tr.rs-cat", visible) == 3
    page.check('input[name="level"][value="all"]')
    assert page.eval_on_selector_all("tr.rs-item", visible) == len(ITEMS)
    assert page.eval_on_selector_all("tr.rs-cat", visible) == len(SUPPLIES["categories"])
    assert f"共 {len(ITEMS)} 项" in page.inner_text("#rs-progress")


def test_expired_and_soon_expiring_items_are_named_in_words(page):
    open_checklist(page)
    today = dt.date.today()
    page.fill("#rs-exp-water", (today - dt.timedelta(days=1)).isoformat())
    page.fill("#rs-exp-iodophor", (today + dt.timedelta(days=10)).isoformat())
    page.fill("#rs-exp-instant-food", (today + dt.timedelta(days=200)).isoformat())
    assert page.inner_text("#rs-status-water") == "⚠ 已过期"
    assert page.inner_text("#rs-status-iodophor") == "还有 10 天到期"
    assert page.inner_text("#rs-status-instant-food") == ""
    summary = page.inner_text("#rs-expiry")
    assert "有 1 件已过期" in summary and "饮用水" in summary
    assert (
        "有 1 件在 30 天内到期" in summary and "碘伏棉棒" in summary and "方便食品" not in summary
    )


def test_ticks_dates_and_household_are_kept_in_this_browser_only(page, site_url):
    open_checklist(page)
    page.fill("#rs-people", "5")
    page.check("#rs-have-extinguisher")
    page.fill("#rs-exp-water", "2020-01-01")
    page.reload()
    page.wait_for_selector("#rs-checklist[data-sc-mounted='1']")
    assert page.input_value("#rs-people") == "5"
    assert page.is_checked("#rs-have-extinguisher")
    assert page.input_value("#rs-exp-water") == "2020-01-01"
    assert "已备 1 项" in page.inner_text("#rs-progress")
    assert "已过期" in page.inner_text("#rs-expiry")
    stored = page.evaluate("localStorage.getItem('sc-residents-checklist')")
    assert '"people":5' in stored
    # Nothing left the browser: only GETs to the site itself (the fixture checks the origin).
    assert all(u.startswith(site_url) for u in page.requests)


@pytest.mark.parametrize("level,items", [("basic", 13), ("all", len(ITEMS))])
def test_checklist_prints_on_one_a4_page(page, level, items):
    open_checklist(page)
    page.check(f'input[name="level"][value="{level}"]')
    page.fill("#rs-exp-water", "2020-01-01")
    pages = pdf_pages(a4_pdf(page))
    assert len(pages) == 1, f"自查表打印成了 {len(pages)} 页"
    text = pages[0].replace(" ", "")
    assert "饮用水" in text and "家里3人" in text
    assert ("逃生缓降器" in text) == (level == "all")
    # Screen-only parts stay off paper.
    assert "清空本页记录" not in text and "家里几个人" not in text


def test_checklist_fits_a_390px_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_checklist(page)
    page.check('input[name="level"][value="all"]')
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
