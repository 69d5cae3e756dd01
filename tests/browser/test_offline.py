"""After one visit the site works without network, the self-assessment included; a new build
reaches the returning reader and the old copy is dropped. Chromium, with the real service worker."""

from __future__ import annotations

import shutil
import threading
import time

import pytest

from macros import offline
from tests.browser.conftest import RESTING_PAGE, follow_link, foreign_requests, new_recorded_page
from tests.browser.test_selfcheck_page import SCORED
from tests.conftest import serve_directory, sitemap_port
from tests.nginx_server import free_port

WAIT_FOR_OFFLINE_COPY = """async () => {
  const registration = await navigator.serviceWorker.ready;   // active only once all is cached
  if (!navigator.serviceWorker.controller) {
    await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, {once: true}));
  }
  return (await caches.keys()).filter((k) => k.startsWith('anquan-site-'));
}"""


@pytest.fixture
def site_copy(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def test_site_and_python_work_offline_after_one_visit(browser, site_copy):
    server, url = serve_directory(site_copy)
    context, pg = new_recorded_page(
        browser, url, viewport={"width": 390, "height": 844}, service_workers="allow"
    )
    try:
        pg.goto("/")
        assert pg.evaluate(WAIT_FOR_OFFLINE_COPY) != []
        # Really offline: the server is gone and the browser is told it has no network.
        server.shutdown()
        server.server_close()
        context.set_offline(True)
        pg.reload()
        assert "安全发展社区" in pg.title()
        pg.goto("/standard/")  # a full navigation
        pg.locator("article a[href*='1/']").first.click()  # an instant (in-page) navigation
        pg.wait_for_url("**/standard/1/")
        assert pg.locator("article h1").count() == 1
        pg.goto("/no/such/page/")
        assert pg.locator("article").count() == 1  # the site's own 404 page, from the cache
        if (site_copy / "staff" / "selfcheck" / "index.html").exists():  # the self-assessment page
            pg.goto("/staff/selfcheck/")
            pg.wait_for_function("() => SC.py.state.stage === 'ready'", timeout=120_000)
        else:
            pg.goto("/")
        assert pg.evaluate("() => SC.py.call('format_number', 1.2066)") == "1.21"
        assert pg.evaluate("() => SC.py.call('standard_version')") == "2024.1"
    finally:
        context.close()
        server.shutdown()
    assert foreign_requests(pg.requests, url) == []


# When the 自评 page first shows a score: how many service workers this origin had registered.
REGISTERED_AT_FIRST_SCORE = """
new MutationObserver((_, seen) => {
  const root = document.getElementById("sc-selfcheck");
  if (!root || root.dataset.scoreState !== "done") return;
  seen.disconnect();
  navigator.serviceWorker.getRegistrations().then((r) => { window.__swAtScore = r.length; });
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-score-state"] });
"""


def test_the_offline_copy_waits_until_the_page_has_scored(browser, built_site):
    """sw-register.js installs the offline copy (sw.js downloads the whole site, about 20 MB) only
    after the page's first use of Python: begun at once on a first visit to the 自评 page, it took
    the cores and the link from Python (first score 1.48 s -> 2.11 s, desktop cold). It still comes
    on that same visit."""
    server, url = serve_directory(built_site)
    context, pg = new_recorded_page(browser, url, service_workers="allow")
    try:
        context.add_init_script(REGISTERED_AT_FIRST_SCORE)
        pg.goto("/staff/selfcheck/")
        pg.wait_for_function("() => '__swAtScore' in window", timeout=120_000)
        assert pg.evaluate("() => window.__swAtScore") == 0, "第一次评分之前就开始下载离线副本"
        assert pg.evaluate(WAIT_FOR_OFFLINE_COPY) != []
    finally:
        context.close()
        server.shutdown()


# When this tab's Python started (py-client.js's event) and was ready, and when the page first
# asked the service worker to hold its downloads, in epoch ms. The realm outlives instant
# navigation, so this sees the page reached by a link too.
PYTHON_START_AND_HOLD = """
window.addEventListener("sc:python-start", (event) => {
  window.__pyStart = Date.now();
  event.detail.ready.then(() => { window.__pyReady = Date.now(); });
  // What the offline copy was doing then, for the failure message.
  navigator.serviceWorker.getRegistration().then((r) => {
    window.__swAtStart = r ? { installing: !!r.installing, waiting: !!r.waiting, active: !!r.active } : null;
  });
});
const post = ServiceWorker.prototype.postMessage;
ServiceWorker.prototype.postMessage = function (message, ...rest) {
  if (message && message.type === "hold" && !("__holdSent" in window)) window.__holdSent = Date.now();
  return post.call(this, message, ...rest);
};
"""
WAIT_FOR_AN_INSTALL = """() => navigator.serviceWorker.getRegistration()
  .then((r) => Boolean(r && r.installing))"""


def _served_for_instant_navigation(site_copy):
    """`site_copy` with its sitemap (which Material's instant navigation reads) and sw.js made for
    a free port: the session's server has the build's own port."""
    port = free_port()
    sitemap = site_copy / "sitemap.xml"
    built = f"127.0.0.1:{sitemap_port(site_copy)}/"
    sitemap.write_text(
        sitemap.read_text(encoding="utf-8").replace(built, f"127.0.0.1:{port}/"), encoding="utf-8"
    )
    offline.write_service_worker(site_copy)
    return port


@pytest.mark.parametrize("arrival", ["link", "load"])
def test_the_offline_copy_waits_while_the_next_page_starts_python(browser, site_copy, arrival):
    """A first visit that lands on another page starts the offline copy there (about 20 MB); when
    the reader then opens the 自评 page (by a link, or loading it), its Python must not share the
    link and the cores with that download: sw.js holds its downloads from Python's start until two
    seconds after it is ready, and the copy is complete afterwards. The service worker's own requests are told
    apart on the server by `Cache-Control: max-age=0` (its fetches use cache: "no-cache"), and each
    is answered 100 ms late, so that the copy (154 files, 4 at a time: 4 s or more) is still
    downloading when the page starts Python, even on a busy machine."""
    port = _served_for_instant_navigation(site_copy)
    lock = threading.Lock()
    copying: list[tuple[float, str]] = []  # (epoch ms received, path) of the service worker's

    def watch(handler):
        if handler.headers.get("Cache-Control") == "max-age=0":
            with lock:
                copying.append((time.time() * 1000, handler.path))
            time.sleep(0.1)

    server, url = serve_directory(site_copy, port, on_request=watch)
    context, pg = new_recorded_page(browser, url, service_workers="allow")
    try:
        context.add_init_script(PYTHON_START_AND_HOLD)
        pg.goto(RESTING_PAGE)
        pg.wait_for_function(WAIT_FOR_AN_INSTALL, timeout=30_000, polling=50)
        if arrival == "link":
            follow_link(pg, "/staff/selfcheck/")
        else:
            pg.goto("/staff/selfcheck/", wait_until="commit")
        pg.wait_for_function("() => window.__pyReady", timeout=120_000)
        start, held, ready, sw_at_start = pg.evaluate(
            "() => [window.__pyStart, window.__holdSent, window.__pyReady, window.__swAtStart]"
        )
        with lock:
            copied_by_start = sum(at < start for at, _ in copying)
        assert held is not None and start <= held <= ready, (
            f"Python 启动时页面没有让离线副本暂停下载（那时的 service worker：{sw_at_start}，"
            f"已收到离线副本的请求 {copied_by_start} 个）"
        )
        with lock:
            before = [path for at, path in copying if at < start]
            # The message takes a moment to reach a worker busy checking a download: 300 ms.
            during = [path for at, path in copying if held + 300 < at <= ready]
        assert before, "打开自评页之前，离线副本还没有开始下载：本测试没有测到要测的情形"
        assert during == [], f"Python 启动期间离线副本仍在下载：{during[:5]}"
        pg.wait_for_selector(SCORED, timeout=60_000)
        assert pg.evaluate(WAIT_FOR_OFFLINE_COPY) != []  # and the copy completes afterwards
        with lock:
            assert [p for at, p in copying if at > ready], "Python 就绪之后离线副本没有继续下载"
    finally:
        context.close()
        server.shutdown()
    assert foreign_requests(pg.requests, url) == []


def test_a_new_build_reaches_the_returning_reader(browser, site_copy):
    server, url = serve_directory(site_copy)
    context, pg = new_recorded_page(
        browser, url, viewport={"width": 390, "height": 844}, service_workers="allow"
    )
    try:
        pg.goto("/")
        first = pg.evaluate(WAIT_FOR_OFFLINE_COPY)
        assert len(first) == 1
        # The site is rebuilt with a changed home page: sw.js changes with it.
        index = site_copy / "index.html"
        index.write_text(
            index.read_text(encoding="utf-8").replace(
                "</article>", '<p id="sc-new-build">新版本的内容</p></article>', 1
            ),
            encoding="utf-8",
        )
        version = offline.write_service_worker(site_copy)
        pg.reload()  # the reader comes back: the browser looks for a new sw.js and installs it
        pg.wait_for_function(
            "(v) => caches.keys().then((k) => k.length === 1 && k[0] === 'anquan-site-' + v)",
            arg=version,
            timeout=60_000,
            polling=200,
        )
        pg.wait_for_selector(
            ".sc-update button", timeout=10_000
        )  # the reader is offered the new version
        pg.locator(".sc-update button").click()
        pg.wait_for_selector("#sc-new-build")
        assert pg.evaluate("() => caches.keys()") == [f"anquan-site-{version}"]  # old copy dropped
    finally:
        context.close()
        server.shutdown()
    assert foreign_requests(pg.requests, url) == []
