"""The self-assessment through Debian's nginx with deploy/nginx/anquan-site.conf, in Chromium."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import new_tab, traced_context

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
    nginx_page.wait_for_selector("#sc-selfcheck[data-score-state=done]", timeout=60_000)
    assert any(u.endswith("/assets/pyodide/pyodide.asm.wasm") for u in nginx_page.requests)
    wasm_type = nginx_page.evaluate(
        "() => fetch('/assets/pyodide/pyodide.asm.wasm').then((r) => r.headers.get('content-type'))"
    )
    assert wasm_type == "application/wasm"
