"""The shared Python worker: Pyodide and the selfcheck wheel load from the site itself."""

from __future__ import annotations


def test_python_runs_selfcheck_in_a_worker(page, site_url):
    page.goto("/")
    info = page.evaluate("() => SC.py.ready()")
    assert info["wheels"][-1].startswith("selfcheck-")
    assert page.evaluate("() => SC.py.call('selfcheck.model.format_number', 1.2066)") == "1.21"
    # The main thread never loaded Pyodide: it lives in the worker.
    assert page.evaluate("() => typeof loadPyodide") == "undefined"
    assert any(u.endswith("pyodide.asm.wasm") for u in page.requests)


def test_data_files_are_served_to_python(page, site_url):
    page.goto("/")
    version = page.evaluate(
        "() => SC.py.call('json.loads', {$data: 'standard'}).then((d) => d.version)"
    )
    assert version == "2024.1"


def test_a_missing_runtime_gives_a_clear_message(page, site_url):
    page.route("**/assets/pyodide/pyodide.mjs", lambda route: route.fulfill(status=404, body="not found"))
    page.goto("/")
    message = page.evaluate("() => SC.py.ready().then(() => 'loaded', (e) => e.message)")
    assert "无法加载 Python 运行环境" in message
