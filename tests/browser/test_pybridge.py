"""The shared Python worker: Pyodide and the selfcheck wheel load from the site itself."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import PYTHON_RUNTIME, arrive, held_module


@pytest.fixture
def python_page(module_page):
    """The home page with Python started, in the module's shared tab: the tests that only call the
    bridge share one start of Python (loaded once, on first use). The page is reached by a link
    (`arrive`): a load would start Python again, and the tab rests on another page between tests."""
    arrive(module_page, "/")
    module_page.evaluate("() => SC.py.ready()")
    return module_page


def test_python_runs_selfcheck_in_a_worker(page, site_url):
    page.goto("/")
    info = page.evaluate("() => SC.py.ready()")
    assert info["wheels"][-1].startswith("selfcheck-")
    assert page.evaluate("() => SC.py.call('format_number', 1.2066)") == "1.21"
    # The main thread never loaded Pyodide: it lives in the worker.
    assert page.evaluate("() => typeof loadPyodide") == "undefined"
    assert any(u.endswith("pyodide.asm.wasm") for u in page.requests)


def test_data_files_are_served_to_python(python_page):
    assert python_page.evaluate("() => SC.py.call('standard_version')") == "2024.1"


def test_the_worker_refuses_any_name_outside_the_bridge_table(python_page):
    for name in ["json.loads", "selfcheck.api.score", "os.system", "js.eval"]:
        got = python_page.evaluate(
            "(n) => SC.py.call(n, '1').then(() => 'ran', (e) => [e.kind, e.message, e.detail])",
            name,
        )
        assert got != "ran", name
        kind, message, detail = got
        assert (
            kind == "bug"
            and "Traceback" not in message
            and "not in selfcheck.bridge.TABLE" in detail
        )


def blank_form(built_site) -> str:
    """A blank answers document, from the CPython engine with the built site's data."""
    from selfcheck import bridge

    bridge.set_data(
        json.loads((built_site / "assets/data/engine.json").read_text(encoding="utf-8"))
    )
    return bridge.call("blank_template", [])["value"]


def test_while_python_starts_only_the_newest_score_runs(page, site_url, built_site):
    # Edits typed while Python starts: each asks for a score, but only the newest is worth one.
    # Python is held back (its runtime module), so all three calls wait in the worker.
    doc = blank_form(built_site)
    release = held_module(page, PYTHON_RUNTIME)
    page.goto("/")
    page.evaluate(
        """(doc) => {
            const what = (p) => p.then((r) => (r === null ? "superseded" : r.categories.length),
                                       (e) => "error " + e.kind + " " + e.message);
            window.__older = what(SC.engine.score(doc));
            window.__other = SC.py.call("format_number", 1.2066);  // no slot: always answered
            window.__newer = what(SC.engine.score(doc));
        }""",
        doc,
    )
    assert page.evaluate("() => SC.py.state.stage") in ("loading", "runtime")
    release()
    assert page.evaluate("() => Promise.all([__older, __other, __newer])") == [
        "superseded",
        "1.21",
        6,
    ]
    # Once Python is up, a score is never replaced: each call runs before the next is read.
    assert page.evaluate(
        """(doc) => Promise.all([SC.engine.score(doc), SC.engine.score(doc)])
            .then((rs) => rs.map((r) => r && r.categories.length))""",
        doc,
    ) == [6, 6]
    assert page.console_errors == []


def test_openpyxl_loads_only_on_the_first_xlsx_export(python_page):
    assert (
        python_page.evaluate("() => SC.py.call('score', '{}', null).then(() => 1, (e) => e.kind)")
        == "input"
    )
    loaded = "() => SC.py.call('loaded_modules').then((m) => m.includes('openpyxl'))"
    assert python_page.evaluate(loaded) is False
    python_page.evaluate("() => SC.engine.blankTemplate().then((doc) => SC.engine.exportXlsx(doc))")
    assert python_page.evaluate(loaded) is True


def test_a_missing_runtime_gives_a_clear_message(page, site_url):
    page.route(
        "**/assets/pyodide/*/pyodide.mjs", lambda route: route.fulfill(status=404, body="not found")
    )
    page.goto("/")
    message = page.evaluate("() => SC.py.ready().then(() => 'loaded', (e) => e.message)")
    assert "无法加载 Python 运行环境" in message


def test_a_server_with_the_wrong_wasm_type_gets_a_clear_message(page, site_url):
    def wrong_type(route):
        # Only the type matters: the worker checks it before it reads the body, and without that
        # check this 8-byte module would fail with the browser's own English message instead.
        route.fulfill(
            status=200,
            headers={"content-type": "application/octet-stream"},
            body=b"\0asm\x01\0\0\0",
        )

    page.route("**/assets/pyodide/*/pyodide.asm.wasm", wrong_type)
    page.goto("/")
    message = page.evaluate("() => SC.py.ready().then(() => 'loaded', (e) => e.message)")
    assert (
        "application/octet-stream" in message
        and "application/wasm" in message
        and "README" in message
    )


def test_the_selfcheck_page_says_when_opened_from_a_file(browser, built_site):
    page = browser.new_page()
    try:
        page.goto((built_site / "staff" / "selfcheck" / "index.html").as_uri())
        page.wait_for_function(
            "() => document.getElementById('sc-py-text').textContent.includes('不能直接双击')"
        )
        # The form is still there to fill, and what is typed is kept.
        page.fill('[name="profile.site_name"]', "甲社区")
        assert page.input_value('[name="profile.site_name"]') == "甲社区"
    finally:
        page.close()
