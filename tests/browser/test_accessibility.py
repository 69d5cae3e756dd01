"""axe-core on every page of the built site: no serious or critical violation.

Pages are found by walking the built site, so pages added later are checked too. There is no
ignore list: Material's own two violations (unnamed search dialog, low-contrast copyright) are
fixed in overrides/partials/search.html and docs/assets/stylesheets/quality.css.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import arrive, foreign_requests
from tests.conftest import SITE_DIR
from tests.site_pages import html_files, page_urls, sitemap_paths

# Moderate too: it catches unnamed and duplicate landmarks (every page had one, from Material's
# section menus; fixed in site.js). Minor findings are reported by bench/manual runs only.
BLOCKING = {"moderate", "serious", "critical"}
PAGES = page_urls(SITE_DIR) if SITE_DIR.exists() else ["/"]
# Material's instant navigation opens only the pages its sitemap lists; the others are loaded.
LINKED = sitemap_paths(SITE_DIR)
# One page per test and nothing shared but a tab: pytest-xdist may spread them over its workers.
SPREAD_OVER_WORKERS = True


def with_axe(page) -> None:
    """axe is put into the window once: pages reached by a link share it (its 560 KB took
    0.1-0.2 s to evaluate, twice per page)."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)


def blocking_violations(page, context: dict | None = None) -> list[str]:
    """axe's moderate or worse findings on the page (or on `context`, axe's include/exclude)."""
    with_axe(page)
    # preload: false: axe would fetch and parse every stylesheet again at every run (0.1-0.3 CPU-s
    # of a page's 0.3-1 s) for its one rule that reads them, css-orientation-lock; every page has
    # the same stylesheets, and that rule runs on them once (test_no_stylesheet_locks_the_orientation).
    violations = page.evaluate(
        """([context, options]) => axe.run(context || document, options).then((r) => r.violations)""",
        [context, {"resultTypes": ["violations"], "preload": False}],
    )
    lines = []
    for v in violations:
        if v["impact"] not in BLOCKING:
            continue
        for node in v["nodes"][:5]:
            lines.append(
                f"{v['id']} ({v['impact']}): {' '.join(map(str, node['target']))} — {v['help']}"
            )
        if len(v["nodes"]) > 5:
            lines.append(f"{v['id']}: … 另有 {len(v['nodes']) - 5} 处")
    return lines


# site.js puts a table that overflows into the Tab order 200 ms after a resize (debounced): wait for
# it as a reader would, who does not press Tab within 200 ms of turning the phone. Times out, and so
# fails, if site.js never does it.
WIDE_TABLES_REACHABLE = """() => [...document.querySelectorAll('.md-typeset__table > table')].every(
    (t) => t.scrollWidth <= t.clientWidth + 1 || t.getAttribute('tabindex') === '0')"""
# Widening reveals Material's tabs and header search with a fade: checked once it has finished, as
# a reader arriving at that width sees them (axe caught the search box mid-fade, at low contrast).
SETTLED = "() => document.getAnimations().every((a) => a.playState !== 'running')"


def resize(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_function(WIDE_TABLES_REACHABLE, timeout=5_000)
    page.wait_for_function(SETTLED, timeout=5_000)


# Every feature on the page has mounted (core.js marks it): axe sees the tools as a reader uses them.
MOUNTED = """() => [...document.querySelectorAll('[data-sc-feature]')].every(
    (el) => el.dataset.scMounted === '1')"""


@pytest.fixture(scope="module")
def reader(module_page_once):
    # One tab for all pages, in the module's context with its disk cache (the pages with Python
    # start it from cached, compiled code); the service worker is blocked there, so that its
    # background download of the whole site (tests/browser/test_offline.py) slows no page here.
    return module_page_once


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violations(reader, site_url, path):
    # At 390 px, as a phone shows it, then widened to 1280 px and checked again. The page is reached
    # as readers mostly reach one, by a link (Material's instant navigation; the first page of the
    # tab is loaded): the tab's Python keeps running, so the pages with tools do not each start it.
    # At 390 px tables scroll sideways and must be reachable by keyboard (site.js).
    resize(reader, 390)
    if path in LINKED:
        arrive(reader, path)
    else:
        response = reader.goto(path)
        assert response is not None and response.ok, path
    reader.wait_for_function(MOUNTED, timeout=30_000)
    problems = {390: blocking_violations(reader)}
    resize(reader, 1280)
    problems[1280] = blocking_violations(reader)
    assert problems == {390: [], 1280: []}, f"{path}:\n" + "\n".join(
        f"{w} px: {line}" for w, lines in problems.items() for line in lines
    )
    assert foreign_requests(reader.requests, site_url) == [], f"{path} 请求了本站以外的地址"


def test_the_update_notice_is_accessible(page):
    # sw-register.js shows this bar when a new version of the site has taken over.
    page.goto("/")
    page.evaluate("""() => {
        const bar = document.createElement('div'); bar.className = 'sc-update'; bar.setAttribute('role', 'status');
        bar.textContent = '本站内容已更新。';
        const b = document.createElement('button'); b.type = 'button'; b.textContent = '刷新查看新版本';
        bar.appendChild(b); document.body.appendChild(bar);
    }""")
    assert blocking_violations(page) == []


STYLESHEETS = re.compile(r'<link rel="stylesheet"[^>]*href="(?:\.\./)*/?([^"]+)"')


def test_no_stylesheet_locks_the_orientation(page):
    """axe's css-orientation-lock reads the site's stylesheets, which the per-page runs above do not
    load (`preload`). Every page links the same ones and carries no style block of its own, so
    one page shows them all; this fails if a page ever gets stylesheets of its own."""
    html = [p.read_text(encoding="utf-8") for p in html_files(SITE_DIR)]
    linked = {(tuple(sorted(STYLESHEETS.findall(text))), "<style" in text) for text in html}
    assert len(linked) == 1, "各页面的样式表不同：请逐页检查屏幕方向锁定"
    sheets, has_style_block = next(iter(linked))
    assert not has_style_block, "有页面带自己的 <style>：请逐页检查屏幕方向锁定"
    assert "assets/stylesheets/site.css" in sheets
    page.goto("/")
    with_axe(page)
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "rule", values: ["css-orientation-lock"]}})"""
    )
    # Passed, so the stylesheets were read (unread, the rule is "incomplete").
    assert result["violations"] == [] and result["incomplete"] == [] and result["passes"] != []
