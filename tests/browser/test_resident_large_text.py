"""Large-text mode: keyboard toggle, set before paint, kept across instant navigation and reloads."""

from __future__ import annotations

import pytest

from tests.browser.conftest import click_link

RESIDENT_PAGES = [
    "/residents/",
    "/residents/supplies/",
    "/residents/checklist/",
    "/residents/handbook/",
    "/residents/cards/",
    "/residents/kepu/",
]


def is_large(page) -> bool:
    return page.evaluate("document.documentElement.classList.contains('sc-large')")


def tab_to_toggle(page, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement && document.activeElement.id")
            == "sc-large-toggle"
        ):
            return
    pytest.fail("用 Tab 键找不到“大字”按钮")


def test_toggle_by_keyboard_and_state_in_words(page, site_url):
    page.goto(f"{site_url}/residents/")
    page.wait_for_selector("#sc-large-toggle")
    assert not is_large(page)
    assert page.inner_text("#sc-large-toggle").endswith("关")
    tab_to_toggle(page)
    page.keyboard.press("Enter")
    assert is_large(page)
    toggle = page.locator("#sc-large-toggle")
    assert toggle.get_attribute("aria-pressed") == "true" and toggle.inner_text().endswith("开")
    page.keyboard.press("Space")
    assert not is_large(page) and toggle.get_attribute("aria-pressed") == "false"


def test_large_text_really_enlarges_the_text(page, site_url):
    page.goto(f"{site_url}/residents/handbook/")
    size = "parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)"
    normal = page.evaluate(size)
    page.click("#sc-large-toggle")
    assert page.evaluate(size) >= normal * 1.4


def test_persists_across_instant_navigation_and_reload(page, site_url):
    page.goto(f"{site_url}/residents/")
    page.click("#sc-large-toggle")
    # click_link fails if the click loaded a new document instead of Material swapping the page.
    click_link(page, ".md-sidebar--primary a[href$='handbook/']")
    page.wait_for_url("**/residents/handbook/")
    page.wait_for_selector("#fire")
    assert page.evaluate("window.__sameDocument === true"), "没有经过即时导航（整页重新加载了）"
    assert is_large(page)
    assert page.get_attribute("#sc-large-toggle", "aria-pressed") == "true"
    assert page.locator("#sc-large-toggle").count() == 1
    # Page scripts still run after instant navigation: the checklist initialises.
    click_link(page, ".md-sidebar--primary a[href$='checklist/']")
    page.wait_for_selector("#rs-checklist[data-sc-mounted='1']")
    assert page.evaluate("window.__sameDocument === true") and is_large(page)
    # A full load of another page applies the class from <head>, before the body is parsed.
    page.add_init_script(
        "document.addEventListener('readystatechange', () => { if (document.readyState === 'interactive')"
        " window.__largeAtParse = document.documentElement.classList.contains('sc-large'); });"
    )
    page.goto(f"{site_url}/residents/kepu/")
    assert page.evaluate("window.__largeAtParse") is True
    assert is_large(page)
    page.click("#sc-large-toggle")
    page.goto(f"{site_url}/residents/cards/")
    assert not is_large(page)


def test_class_is_set_by_a_script_in_head(built_site):
    html = (built_site / "residents" / "index.html").read_text(encoding="utf-8")
    head = html.split("</head>", 1)[0]
    assert 'localStorage.getItem("sc-large-text")' in head
    # It runs before the stylesheets finish and before any body content exists.
    assert head.index("sc-large-text") < html.index("<body")


@pytest.mark.parametrize("path", RESIDENT_PAGES)
def test_resident_pages_fit_390px_in_large_text(page, site_url, path):
    page.set_viewport_size({"width": 390, "height": 844})
    # A returning reader who chose large text: the choice is stored before the page's own scripts
    # run (the page is loaded once, not first another page to store it from).
    page.add_init_script("localStorage.setItem('sc-large-text', '1')")
    page.goto(f"{site_url}{path}")
    assert is_large(page)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"{path} 在 390px 宽、大字模式下横向溢出（{width}px）"
