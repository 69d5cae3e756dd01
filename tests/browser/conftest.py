"""Playwright in Debian's headless chromium against the built site on 127.0.0.1.

A missing browser fails the run: it is never a skip. Every test page records every request it
makes, and the `page` fixture fails the test if any went to another origin.
"""

from __future__ import annotations

import contextlib
import os
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
    # Chromium (156 here) builds its omnibox popups (two WebUI renderers, about 300 chrome://
    # modules) for every new browser window, and each Playwright context is one: they take the
    # two cores while the page under test loads (bench_selfcheck_page.py's bare Pyodide, desktop
    # cold, 10 interleaved runs: 1364 ms with them, 1135 ms without). Browser chrome, not the web
    # platform: no page can tell.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
]

DESKTOP = {"width": 1280, "height": 900}
# A page without features of its own, where a shared tab rests between tests (`module_page`).
RESTING_PAGE = "/about/"


@pytest.fixture(scope="session")
def playwright_driver():
    if not CHROMIUM.exists():
        pytest.fail(
            "找不到 /usr/bin/chromium：请运行 scripts/setup.sh --test 安装 Debian 的 chromium。"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver):
    b = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
    )
    yield b
    b.close()


@pytest.fixture(scope="session")
def browser_profile(tmp_path_factory) -> Path:
    """One Chromium profile directory per test process, reused by each module's shared context in
    turn: its disk cache keeps Pyodide's 9 MB .wasm and the compiled code V8 caches beside it."""
    return tmp_path_factory.mktemp("chromium-profile")


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
    return [
        u
        for u in requests
        if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own
    ]


# Clears what a page of the site can keep on this origin (Web Storage, IndexedDB, Cache Storage),
# so that a test in a shared context starts as a first visit would, except for the saved Python
# ("sc-python", py-worker.js): like the HTTP cache it holds nothing of the person's, only start-up
# time, so the tests' later starts of Python restore it, as a returning visitor's do.
# tests/browser/test_py_snapshot.py deletes it where a first start is the point.
CLEAR_STORAGE = """async () => {
  localStorage.clear();
  sessionStorage.clear();
  if (indexedDB.databases) {
    for (const db of (await indexedDB.databases()).filter((db) => db.name !== "sc-python")) {
      await new Promise((done) => {
        const r = indexedDB.deleteDatabase(db.name);
        r.onsuccess = r.onerror = r.onblocked = done;
      });
    }
  }
  if (self.caches) { for (const key of await caches.keys()) await caches.delete(key); }
}"""


# The saved Python (py-worker.js, "A saved Python") as the page's origin holds it, described, not
# its bytes: {key, size} or null.
SAVED_PYTHON = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("sc-python", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("memory");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const request = db.transaction("memory").objectStore("memory").get("python");
    request.onsuccess = () => {
      db.close();
      const r = request.result;
      resolve(r ? { key: r.key, size: r.memory.size } : null);
    };
  };
})"""


def wait_for_saved_python(pg, key: str | None = None, seconds: float = 60) -> dict | None:
    """The saved Python once the worker has kept it (after the first score), of release `key` if
    given; None if it is not there within `seconds`."""
    for _ in range(int(seconds * 4)):
        saved = pg.evaluate(SAVED_PYTHON)
        if saved and (key is None or saved["key"] == key):
            return saved
        pg.wait_for_timeout(250)
    return None


def artifact_name(request) -> str:
    return re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-120:]


def _failed(request) -> bool:
    rep = getattr(request.node, "rep_call", None)
    return rep is not None and rep.failed


@contextmanager
def traced_context(browser, base_url: str, profile: Path | None = None):
    """A desktop-sized context on `base_url` with the service worker blocked, traced throughout;
    each test keeps its own trace chunk only when it fails (`traced_test`). With `profile` (a
    directory; `browser` is then the Playwright instance) the context keeps its HTTP cache on disk
    there, as a reader's browser does, instead of in memory.

    The trace holds every action, request, console line and error with its time. A DOM snapshot
    before and after every action is left out unless SC_TRACE_SNAPSHOTS=1: on the 自评 page's
    316 inputs it tripled the keyboard test's time (18 s → 52 s) and cost 40 % of the browser
    tests' time in all; rerun a failing test with it set to step through the page as it was."""
    options = dict(base_url=base_url, viewport=DESKTOP, service_workers="block")
    if profile is None:
        context = browser.new_context(**options)
    else:
        context = browser.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, **options
        )
    snapshots = os.environ.get("SC_TRACE_SNAPSHOTS") == "1"
    context.tracing.start(screenshots=False, snapshots=snapshots, sources=False)
    try:
        yield context
    finally:
        context.tracing.stop()
        context.close()


@pytest.fixture(scope="session")
def worker_context(playwright_driver, browser_profile, site_url):
    """One browser, with its context, for the whole test process: its HTTP cache on disk
    (`browser_profile`). A fresh Playwright context keeps its cache in memory, where Chromium
    stores no entry as big as Pyodide's .wasm: every page load fetched and compiled it again
    (Python ready after 5.2 s; from the disk cache 3.1 s, the pages themselves 0.5 s faster too).
    A persistent context is a browser of its own: started once per process, not once per module
    (each start and stop cost 1.1-1.3 CPU-s, about 30 CPU-s in a full run)."""
    with traced_context(playwright_driver, site_url, profile=browser_profile) as context:
        yield context


@pytest.fixture(scope="module")
def shared_context(worker_context, site_url):
    """The process's browser context (`worker_context`) for a whole test module, as
    pytest-pyodide's module-scoped fixtures do. It starts as a first visit would: no tab left
    open by an earlier module (its scripts would answer the tests' storage events as a second
    tab), nothing stored on the site's origin, no cookie, no permission granted, online.
    Storage is emptied after each test too (`new_tab`, `module_page`)."""
    context = worker_context
    for left in context.pages:
        left.close()
    context.set_offline(False)
    context.clear_permissions()
    blank = context.new_page()
    _clear_storage(blank, site_url)
    blank.close()
    yield context
    for left in context.pages:  # tabs and popups the module's tests left open
        left.close()


def _record(pg):
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    return pg


def _clear_storage(pg, site_url: str) -> None:
    if not pg.url.startswith(site_url):
        pg.goto(site_url + "/404.html")
    pg.evaluate(CLEAR_STORAGE)
    pg.context.clear_cookies()


def keep_failure_artifacts(pg, request) -> None:
    """On a failure: a full-page screenshot and the test's Playwright trace in test-artifacts/
    (open the trace with `npx playwright show-trace FILE.zip` or trace.playwright.dev)."""
    ARTIFACTS.mkdir(exist_ok=True)
    name = artifact_name(request)
    # The page may already be gone; the failure itself is what matters.
    with contextlib.suppress(Exception):
        pg.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
    pg.context.tracing.stop_chunk(path=str(ARTIFACTS / f"FAILED-{name}.trace.zip"))


@contextmanager
def traced_test(pg, request):
    """One trace chunk per test, written only if the test failed."""
    pg.context.tracing.start_chunk(title=request.node.nodeid)
    yield
    if _failed(request):
        keep_failure_artifacts(pg, request)
    else:
        pg.context.tracing.stop_chunk()


@contextmanager
def new_tab(context, base_url: str, request):
    """A new recorded tab in a shared context, storage cleared after the test; fails the test if
    the page asked any other origin for anything."""
    pg = _record(context.new_page())
    with traced_test(pg, request):
        yield pg
    try:
        _clear_storage(pg, base_url)
    finally:
        pg.close()
    assert foreign_requests(pg.requests, base_url) == [], "页面请求了本站以外的地址"


@pytest.fixture
def page(site_url, request):
    """A new tab for each test in the module's shared context (`new_tab`). A module that says
    `SHARE_ONE_TAB = True` gets its one tab instead (`module_page`): its tests open their pages
    with `arrive` and share the Python the tab has started."""
    if getattr(request.module, "SHARE_ONE_TAB", False):
        yield request.getfixturevalue("module_page")
        return
    with new_tab(request.getfixturevalue("shared_context"), site_url, request) as pg:
        yield pg


@pytest.fixture(scope="module")
def module_page_once(shared_context, site_url):
    pg = _record(shared_context.new_page())
    yield pg
    pg.close()


@pytest.fixture
def module_page(module_page_once, site_url, request):
    """The SAME tab for every test of the module, so Python (Pyodide in the page's worker) starts
    once per module, like pytest-pyodide's `selenium_module_scope`: a test opens its page with
    `arrive`, which clicks a link when the tab already shows the site, and Material's instant
    navigation keeps the worker (a new load starts Python again, 3-5 s). After each test the tab
    rests on a page without features, storage is emptied, and the viewport, the network and the
    request and console lists are as a new tab has them; a test that must not share its tab uses
    `page`."""
    pg = module_page_once
    pg.requests.clear()
    pg.console_errors.clear()
    with traced_test(pg, request):
        yield pg
    for other in pg.context.pages:  # popups the test opened (a report to print, a download)
        if other is not pg:
            other.close()
    # Routes the test set (`held_module`) would go on intercepting the tab's later loads.
    pg.unroute_all(behavior="ignoreErrors")
    pg.context.set_offline(False)
    pg.set_viewport_size(DESKTOP)
    pg.emulate_media(media="null")  # back from print, where a print test left it
    # By a link, so that the features of the test's page unmount (and save what they save on the
    # way out) before storage is emptied, not after.
    if on_the_site(pg) and urlsplit(pg.url).path != RESTING_PAGE:
        pg.keyboard.press("Escape")  # closes what the test left open over the page (the search)
        follow_link(pg, RESTING_PAGE)
    _clear_storage(pg, site_url)
    assert foreign_requests(pg.requests, site_url) == [], "页面请求了本站以外的地址"


def on_the_site(pg) -> bool:
    """The tab shows a page of the site (the tests open no other) with Material's instant
    navigation running."""
    return pg.url.startswith("http") and pg.evaluate("() => typeof window.document$ === 'object'")


def click_link(pg, selector: str) -> None:
    """Click the link `selector` as a reader would. Material's instant navigation swaps the page
    in place: this waits until it has (Material changes the address first; the clicked link,
    part of the old page, goes with the swap), and fails if the browser loaded a new document."""
    pg.evaluate("() => { window.__sameDocument = true; }")
    pg.locator(selector).first.evaluate("(a) => a.setAttribute('data-sc-clicked', '')")
    pg.click("[data-sc-clicked]")
    pg.wait_for_selector("[data-sc-clicked]", state="detached")
    assert pg.evaluate("() => window.__sameDocument") is True, (
        "链接点击后页面被重新加载，不是即时导航"
    )


def follow_link(pg, path: str) -> None:
    """Click a link to `path` (`click_link`), as if the page had one."""
    pg.evaluate(
        """(path) => document.querySelector('.md-content').prepend(Object.assign(
            document.createElement('a'),
            {href: new URL(path, location.origin).href, id: 'sc-test-link', textContent: path}))""",
        path,
    )
    click_link(pg, "#sc-test-link")
    pg.wait_for_url("**" + path)


def arrive(pg, path: str) -> None:
    """Open `path`: by a link click when the tab already shows another page of the site (Python,
    if the tab started it, keeps running), else by loading it (a link to the page one is on would
    not open it again)."""
    if on_the_site(pg) and urlsplit(pg.url).path != path:
        follow_link(pg, path)
    else:
        pg.goto(path)


def somewhere_on_the_site(pg) -> None:
    """Make sure the tab shows a page of the site, e.g. to put something in its storage before a
    test opens the page that reads it."""
    if not on_the_site(pg):
        pg.goto(RESTING_PAGE)


# The page's Python runtime (the worker's first request for it).
PYTHON_RUNTIME = "**/assets/pyodide/*/pyodide.mjs"


def hold_python(pg) -> None:
    """Hold back the page's Python runtime, as a slow network does, until `release_python`: for a
    test of what a page does before Python arrives (a form filled and saved), so that Python does
    not start on each load only to be stopped by the next one (about 2 CPU-s each)."""
    pg.route(PYTHON_RUNTIME, lambda route: None)  # never answered while the route stands


def release_python(pg) -> None:
    pg.unroute(PYTHON_RUNTIME)


def held_module(pg, pattern: str):
    """Hold back the script(s) matching `pattern` (a feature's module, so that it mounts only when
    released), as a slow network or device does; returns release()."""
    held, released = [], []

    def handle(route):
        if released:
            route.continue_()
        else:
            held.append(route)

    pg.route(pattern, handle)

    def release():
        released.append(True)
        for route in held:
            route.continue_()

    return release


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
