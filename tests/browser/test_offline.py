"""After one visit the site works without network, the self-assessment included; a new build
reaches the returning reader and the old copy is dropped. Chromium, with the real service worker."""

from __future__ import annotations

import shutil

import pytest

from macros import offline
from tests.browser.conftest import foreign_requests, new_recorded_page
from tests.conftest import serve_directory

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
