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


def test_eager_page_differs_only_in_not_waiting_for_the_form(built_site):
    html, _ = page_and_folders(built_site)
    eager = bench.eager_html(html)
    assert bench.HOLDING_START in html and bench.HOLDING_START not in eager
    assert "startPromise = init(self.scRoot, false);" in eager
    assert len(eager) == len(html) + 1  # "true" -> "false": nothing else


def test_floor_page_keeps_material_and_the_baseline_worker_only(built_site):
    html, folders = page_and_folders(built_site)
    floor = bench.floor_html(html, folders)
    assert "assets/javascripts/bundle." in floor
    assert f"/assets/pyodide/{folders['pyodide']}/pyodide.mjs" in floor
    for ours in ("assets/javascripts/core.js", "assets/javascripts/py-client.js", "SC."):
        assert ours not in floor


def test_drawn_page_runs_no_script_file_only_the_baseline_worker(built_site):
    html, folders = page_and_folders(built_site)
    drawn = bench.drawn_html(html, folders)
    assert "<script src=" not in drawn and "<script async src=" not in drawn
    assert "new Worker(" in drawn
    assert "assets/javascripts/bundle." in bench.floor_html(html, folders)
