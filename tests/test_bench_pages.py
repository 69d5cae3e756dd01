"""benchmarks/bench_selfcheck_page.py measures variants of the built 自评 page that it cuts out of
the page's HTML by pattern. If the page's scripts change shape, the cuts must fail here, in the
test run, rather than when someone next runs the benchmark."""

from __future__ import annotations

import json

from benchmarks import bench_selfcheck_page as bench


def page_and_folders(built_site):
    html = (built_site / "staff" / "selfcheck" / "index.html").read_text(encoding="utf-8")
    manifest = built_site / "assets" / "wheels" / "manifest.json"
    return html, json.loads(manifest.read_text(encoding="utf-8"))["folders"]


def test_held_back_page_starts_no_python_before_the_feature_mounts(built_site):
    html, _ = page_and_folders(built_site)
    held = bench.held_html(html)
    assert "new Worker(" in html and bench.EARLY_READY in html
    assert "new Worker(" not in held and bench.EARLY_READY not in held
    # Everything else of ours stays: the client that starts Python when the form asks for a score.
    assert held.count("<script") == html.count("<script") - 2
    assert "assets/javascripts/py-client.js" in held and 'data-sc-feature="selfcheck"' in held


def test_floor_page_keeps_material_and_the_baseline_worker_only(built_site):
    html, folders = page_and_folders(built_site)
    floor = bench.floor_html(html, folders)
    assert "assets/javascripts/bundle." in floor
    assert f"/assets/pyodide/{folders['pyodide']}/pyodide.mjs" in floor
    for ours in ("assets/javascripts/core.js", "assets/javascripts/py-client.js", "SC."):
        assert ours not in floor
