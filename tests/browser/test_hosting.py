"""The self-assessment through Debian's nginx with deploy/nginx/anquan-site.conf, in Chromium."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import RESTING_PAGE, follow_link, new_tab, traced_context
from tests.browser.test_selfcheck_page import SCORED
from tests.pyodide_node import release_urls

SCORE_A_BLANK_FORM = """async () => {
  const blank = await SC.engine.blankTemplate();
  return JSON.stringify(await SC.engine.score(blank, '2026-11-28T10:00:00+08:00'));
}"""


@pytest.fixture(scope="module")
def nginx_context(browser, nginx_url):
    # No service worker: every file comes from nginx itself (the offline copy is test_offline.py's).
    with traced_context(browser, nginx_url) as context:
        yield context


@pytest.fixture
def nginx_page(nginx_context, nginx_url, request):
    with new_tab(nginx_context, nginx_url, request) as pg:
        yield pg


def test_the_self_assessment_page_starts_python_and_scores_through_nginx(nginx_page, built_site):
    # One load, one start of Python (this context has no disk cache: each start downloads and
    # compiles the 9 MB .wasm), for both what the page shows and what its Python answers.
    assert (built_site / "staff" / "selfcheck" / "index.html").exists(), "自评页没有生成"
    nginx_page.goto("/staff/selfcheck/")
    nginx_page.wait_for_function("() => SC.py.state.stage === 'ready'", timeout=60_000)
    assert nginx_page.evaluate("() => SC.py.state.error") is None
    info = nginx_page.evaluate("() => SC.py.ready()")
    assert info["wheels"][-1].startswith("selfcheck-")
    assert nginx_page.evaluate("() => SC.py.call('format_number', 1.2066)") == "1.21"
    result = json.loads(nginx_page.evaluate(SCORE_A_BLANK_FORM))
    assert isinstance(result, dict) and result
    nginx_page.wait_for_selector(SCORED, timeout=60_000)
    wasm = release_urls(built_site)[0] + "/pyodide.asm.wasm"
    assert any(u.endswith(wasm) for u in nginx_page.requests)
    wasm_type = nginx_page.evaluate(
        "(url) => fetch(url).then((r) => r.headers.get('content-type'))", wasm
    )
    assert wasm_type == "application/wasm"


def test_a_return_visit_asks_nginx_for_no_python(playwright_driver, built_site, tmp_path):
    """The runtime and the wheels live in a folder named by a hash of their bytes
    (assets/pyodide/<hash>/, assets/wheels/<hash>/) and nginx lets browsers keep them for a
    year: a return visit scores without asking for any of them, while the page, which carries the
    manifest naming the release, is asked for again (so a new release is found at once), and
    manifest.json itself is not needed. Read from nginx's own access log: Playwright misses a
    worker's earliest requests."""
    from tests.nginx_server import running_nginx

    log = tmp_path / "access.log"
    with (
        running_nginx(built_site, tmp_path / "nginx", log) as url,
        traced_context(playwright_driver, url, profile=tmp_path / "profile") as context,
    ):
        pg = context.new_page()
        pg.goto("/staff/selfcheck/")
        pg.wait_for_selector(SCORED, timeout=90_000)
        first = log.read_text(encoding="utf-8").splitlines()
        pg.reload()
        pg.wait_for_selector(SCORED, timeout=90_000)
        pg.wait_for_timeout(500)  # openpyxl's wheel is fetched just after the first score
        again = log.read_text(encoding="utf-8").splitlines()[len(first) :]
    runtime, wheels = release_urls(built_site)
    uris = [line.split(" ", 4)[4] for line in again]

    def python(uris):
        return [u for u in uris if u.startswith((runtime, wheels))]

    assert python(line.split(" ", 4)[4] for line in first), "第一次访问应下载 Python 运行环境"
    assert python(uris) == [], f"再次访问不应再向服务器请求 Python 文件：{python(uris)}"
    assert "/staff/selfcheck/index.html" in uris and "/assets/wheels/manifest.json" not in uris


def test_a_manifest_without_its_folders_is_named_by_both_python_workers(page, built_site):
    """A site copied over only in part (an old manifest.json that names no `folders`): the 自评
    page's worker and the district pages' worker each say so in one Chinese sentence, rather than
    asking for ".../undefined/pyodide.mjs" and reporting a module that failed to load. The 自评
    page is reached by a link: loaded directly, it carries the manifest of its own build and asks
    for none (the next test); by instant navigation its worker asks for manifest.json."""
    manifest = json.loads((built_site / "assets/wheels/manifest.json").read_text(encoding="utf-8"))
    del manifest["folders"]
    page.route(
        "**/assets/wheels/manifest.json",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(manifest)
        ),
    )
    said = "程序清单不完整（缺少 folders），网站文件不完整。"
    page.goto(RESTING_PAGE)
    follow_link(page, "/staff/selfcheck/")
    page.wait_for_function("() => SC.py.state.error", timeout=60_000)
    assert said in page.evaluate("() => SC.py.state.error")
    page.goto("/district/rollup/")
    page.set_input_files(
        "#sc-rollup-files",
        files=[{"name": "一号社区-自评导出.json", "mimeType": "application/json", "buffer": b"{}"}],
    )
    status = page.locator(".sc-rollup-status")
    status.filter(has_text="程序清单").wait_for(timeout=60_000)
    assert status.text_content() == said
    assert not any("undefined" in u for u in page.requests)


def test_the_self_assessment_page_loaded_directly_needs_no_manifest_request(nginx_page):
    """Its first inline script hands the worker the manifest of the page's own build, so Python's
    first request goes out at once (no round trip for manifest.json first): with manifest.json
    unreachable, Python still starts and scores."""
    asked = []

    def refuse(route):
        asked.append(route.request.url)
        route.abort()

    nginx_page.route("**/assets/wheels/manifest.json", refuse)
    nginx_page.goto("/staff/selfcheck/")
    nginx_page.wait_for_selector(SCORED, timeout=60_000)
    assert nginx_page.evaluate("() => SC.py.state.error") is None
    assert asked == []
