"""Playwright in Debian's headless chromium against the built site on 127.0.0.1.

A missing browser fails the run: it is never a skip. Every test page records every request it
makes, and the `page` fixture fails the test if any went to another origin.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ARTIFACTS

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("找不到 /usr/bin/chromium：请运行 scripts/setup.sh --test 安装 Debian 的 chromium。")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


def new_recorded_page(browser, base_url: str, **context_options):
    """A page in a fresh context whose `.requests` lists every URL it asked for."""
    # The site's service worker would download the whole site (17 MB) in the background of every
    # fresh context; only tests/browser/test_offline.py wants it, and asks with service_workers="allow".
    context_options.setdefault("service_workers", "block")
    context = browser.new_context(base_url=base_url, **context_options)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return context, page


def foreign_requests(requests: list[str], base_url: str) -> list[str]:
    """Requests to any origin but the site's own (data:/blob: URLs stay in the browser)."""
    own = urlsplit(base_url).netloc
    return [u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own]


@contextmanager
def page_without_offline_copy(browser, base_url: str):
    """A desktop-sized recorded page with the service worker blocked, so every file comes from the
    server itself and the worker's background download of the whole site costs nothing; on leaving,
    fails if the page asked any other origin for anything."""
    context, pg = new_recorded_page(browser, base_url, viewport={"width": 1280, "height": 900},
                                    service_workers="block")
    try:
        yield pg
    finally:
        context.close()
    assert foreign_requests(pg.requests, base_url) == [], "页面请求了本站以外的地址"


@pytest.fixture
def page(browser, site_url, request):
    context, pg = new_recorded_page(browser, site_url, viewport={"width": 1280, "height": 900})
    yield pg
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-120:]
        try:
            pg.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
        except Exception:  # the page may already be gone; the failure itself is what matters
            pass
    context.close()
    assert foreign_requests(pg.requests, site_url) == [], "页面请求了本站以外的地址"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
