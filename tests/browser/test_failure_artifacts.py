"""What a failing browser test leaves in test-artifacts/: a full-page screenshot and its own
Playwright trace chunk, which holds the test's actions and requests (tests/browser/conftest.py)."""

from __future__ import annotations

import json
import zipfile
from types import SimpleNamespace

from tests.browser.conftest import ARTIFACTS, artifact_name, traced_context, traced_test


def _request(nodeid: str, failed: bool):
    return SimpleNamespace(
        node=SimpleNamespace(nodeid=nodeid, rep_call=SimpleNamespace(failed=failed))
    )


def test_a_failed_test_keeps_a_screenshot_and_its_own_trace_and_a_passed_one_keeps_nothing(
    browser, site_url
):
    failed = _request("tests/browser/test_x.py::test_that_failed", failed=True)
    passed = _request("tests/browser/test_x.py::test_that_passed", failed=False)
    kept = [
        ARTIFACTS / f"FAILED-{artifact_name(r)}{ext}"
        for r in (failed, passed)
        for ext in (".png", ".trace.zip")
    ]
    for path in kept:
        path.unlink(missing_ok=True)
    with traced_context(browser, site_url) as context:
        pg = context.new_page()
        with traced_test(pg, passed):
            pg.goto("/about/")
        with traced_test(pg, failed):
            pg.goto("/standard/")
            pg.click("text=组织管理")
        pg.close()
    png, trace, passed_png, passed_trace = kept
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not passed_png.exists() and not passed_trace.exists()
    with zipfile.ZipFile(trace) as z:
        events = [
            json.loads(line)
            for name in z.namelist()
            if name.endswith(".trace") or name.endswith(".network")
            for line in z.read(name).decode().splitlines()
        ]
    text = json.dumps(events, ensure_ascii=False)
    # The failing test's own steps and requests, and nothing of the test before it.
    assert '"method": "goto"' in text and "/standard/" in text and "组织管理" in text
    assert "/about/" not in text
    for path in (png, trace):
        path.unlink()
