"""Every page of the built site fits a 390 px wide phone: no sideways scrolling."""

from __future__ import annotations

import pytest

from tests.browser.conftest import foreign_requests, hold_python, new_recorded_page
from tests.conftest import SITE_DIR
from tests.site_pages import page_urls

WIDTH = 390
PAGES = page_urls(SITE_DIR) if SITE_DIR.exists() else ["/"]


@pytest.fixture(scope="module")
def phone(browser, site_url):
    context, pg = new_recorded_page(
        browser,
        site_url,
        viewport={"width": WIDTH, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        service_workers="block",
    )
    # The 自评 page is checked here as loaded, before Python: its scored state (the score bar, each
    # item's status, the 整改清单) is checked at this width by test_selfcheck_page.py's phone test,
    # which scores it. Python would start here in a context without a disk cache (9 MB fetched and
    # compiled again) only to be stopped by the next page.
    hold_python(pg)
    yield pg
    context.close()
    assert foreign_requests(pg.requests, site_url) == [], "页面请求了本站以外的地址"


WIDEST = """(width) => {
  // For the failure message: the outermost elements that reach past the viewport, leaving out
  // the content of Material's table scroll boxes (which scroll on their own, as they should).
  const out = [];
  const fits = (el) => el.getBoundingClientRect().right <= width + 1;
  for (const el of document.body.querySelectorAll('*')) {
    if (fits(el) || el.closest('.md-typeset__scrollwrap')) continue;
    if (el.parentElement && el.parentElement !== document.body && !fits(el.parentElement)) continue;
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
      ' right=' + Math.round(el.getBoundingClientRect().right));
  }
  return out.slice(0, 8);
}"""


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_horizontal_overflow_at_390px(phone, site_url, path):
    phone.goto(site_url + path)
    phone.wait_for_load_state("load")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    culprits = [] if width <= WIDTH else phone.evaluate(WIDEST, WIDTH)
    assert width <= WIDTH, f"{path}: scrollWidth {width} > {WIDTH}; 超出的元素：{culprits}"


def test_the_browser_bar_takes_the_header_colour(phone, site_url):
    # One palette, as a mapping in mkdocs.yml: Material mounts no colour toggle (whose start-up
    # costs two full style recalculations), so the page itself names the header's colour for a
    # phone's browser bar, once.
    phone.goto(site_url + "/")
    phone.wait_for_load_state("load")
    got = phone.evaluate(
        """() => ({
            metas: [...document.querySelectorAll('meta[name="theme-color"]')].map((m) => m.content),
            header: getComputedStyle(document.querySelector('.md-header')).backgroundColor
              .match(/\\d+/g).slice(0, 3).map((c) => (+c).toString(16).padStart(2, '0')).join(''),
            toggle: document.querySelectorAll('[data-md-component="palette"]').length,
        })"""
    )
    assert got["toggle"] == 0
    assert got["metas"] == ["#" + got["header"]], got


# Simplified Chinese system fonts by name (site.css): the text is drawn by a font the list names,
# not found by the browser's per-character fallback (slow on a first visit, and on some systems a
# Japanese font). Whichever CJK font the test machine has (setup.sh installs WenQuanYi Micro Hei
# when neither it nor Noto Sans CJK is there), the list must name it.
CJK_FAMILIES = {"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC"}
CJK_FAMILIES |= {"Source Han Sans SC", "WenQuanYi Micro Hei"}


def test_chinese_text_is_drawn_by_a_named_system_font(phone, site_url):
    phone.goto(site_url + "/")
    phone.wait_for_load_state("load")
    listed = phone.evaluate(
        "() => getComputedStyle(document.querySelector('.md-typeset h1')).fontFamily"
    )
    names = [name.strip().strip('"') for name in listed.split(",")]
    assert set(names) >= CJK_FAMILIES, listed
    assert names.index("WenQuanYi Micro Hei") < names.index("sans-serif"), listed
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    h1 = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".md-typeset h1"})["nodeId"]
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": h1})["fonts"]
    cdp.detach()
    assert {font["familyName"] for font in used} & CJK_FAMILIES, used
