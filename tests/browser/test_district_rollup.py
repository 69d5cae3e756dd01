"""The district roll-up page in Chromium ranks exports exactly as `selfcheck aggregate` does.

One tab for the module (`module_page`): Python starts once; each test empties the roll-up with its
own 清空 button instead of loading the page again. Packages (zip) on this page: test_dossier*.py."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from selfcheck import api
from tests.browser.conftest import arrive
from tests.conftest import DATA_DIR, ROOT

NOW = "2024-09-01T10:00:00+08:00"
SITES = [  # (town, site, kind, share of criteria met)
    ("童家桥街道", "甲社区", "社区", 0.95),
    ("磁器口街道", "乙社区", "社区", 0.7),
    ("歌乐山街道", "丙村", "村", 0.5),
    ("井口街道", "丁社区", "社区", 0.7),
    ("凤凰镇", "戊村", "村", 0.3),
]


def data_json(stem):
    import yaml

    return json.dumps(
        yaml.safe_load((DATA_DIR / f"{stem}.yaml").read_text(encoding="utf-8")),
        ensure_ascii=False,
        default=str,
    )


def answers_for(standard, town, site, kind, share):
    doc = json.loads(api.blank_template(data_json("standard")))
    doc["profile"].update(
        {
            "town": town,
            "site_name": site,
            "address": f"沙坪坝区{town}{site}",
            "kind": kind,
            "population": 3000,
        }
    )
    doc["profile"]["facts"] = {k: True for k in doc["profile"]["facts"]}
    doc["profile"]["facts"].pop("kind", None)
    for cid, crit in standard.criteria.items():
        met = zlib.crc32(f"{site}{cid}".encode()) % 100 < share * 100
        t = crit.threshold or 1
        if crit.kind == "boolean":
            doc["answers"][cid] = {"value": "yes" if met else "no"}
        elif crit.kind == "quantity":
            doc["answers"][cid] = {"value": t if met else 0}
        elif crit.kind == "periodic":
            doc["answers"][cid] = {"count": t if met else 0}
        elif crit.kind == "per_event":
            doc["answers"][cid] = {"min": t if met else 0}
        elif crit.kind == "ratio":
            if crit.denominator and crit.denominator.profile:
                doc["answers"][cid] = {"numerator": t * 3000 if met else 0}
            else:
                doc["answers"][cid] = {"numerator": 100 if met else 0, "denominator": 100}
    return json.dumps(doc, ensure_ascii=False)


@pytest.fixture(scope="module")
def exports(standard, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    std, scoring = data_json("standard"), data_json("scoring")
    paths = []
    for n, (town, site, kind, share) in enumerate(SITES, start=1):
        text = api.export_json(std, scoring, answers_for(standard, town, site, kind, share), NOW)
        path = folder / f"{n:02d}-{site}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    tampered = json.loads(paths[1].read_text(encoding="utf-8"))
    tampered["result"]["overall"]["score"] = 100
    bad = folder / "99-篡改.json"
    bad.write_text(json.dumps(tampered, ensure_ascii=False), encoding="utf-8")
    broken = folder / "98-损坏.json"
    broken.write_text(paths[0].read_text(encoding="utf-8")[:200], encoding="utf-8")
    return paths, bad, broken


def cli_summary(files):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "selfcheck.cli",
            "aggregate",
            *map(str, files),
            "--format",
            "json",
            "--now",
            NOW,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def open_rollup(page):
    """The roll-up page, empty, reached by a link (`arrive`): the tab's Python worker, started by
    the module's first visit, keeps running (a load per test started it three times)."""
    arrive(page, "/district/rollup/")
    page.wait_for_selector('#sc-rollup[data-sc-mounted="1"]')


def page_rows(page):
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.sc-rank-table tbody tr')).map((tr) => ({
            rank: Number(tr.dataset.rank), site: tr.dataset.site, score: Number(tr.dataset.score),
            cats: Object.fromEntries(Array.from(tr.querySelectorAll('[data-category]'))
              .map((td) => [td.dataset.category, td.textContent])),
        }))"""
    )


def fmt(v):
    from selfcheck.model import format_number

    return "—" if v is None else format_number(v)


def test_rollup_ranks_as_the_cli_and_refuses_a_tampered_file(module_page, exports):
    page = module_page
    paths, bad, broken = exports
    files = [*paths, bad, broken]
    expected = cli_summary(files)
    assert {r["file"].rsplit("/", 1)[-1] for r in expected["refused"]} == {bad.name, broken.name}
    assert len({r["score"] for r in expected["communities"]}) >= 3, (
        "the fixture should give distinct scores"
    )

    open_rollup(page)
    # Two drops: the page keeps adding files, as staff receive them one by one.
    page.set_input_files("#sc-rollup-files", [str(p) for p in paths[:3]])
    page.wait_for_function(
        "() => document.getElementById('sc-rollup').dataset.done === '3'", timeout=90_000
    )
    page.set_input_files("#sc-rollup-files", [str(p) for p in [*paths[3:], bad, broken]])
    page.wait_for_function(
        f"() => document.getElementById('sc-rollup').dataset.done === '{len(files)}'",
        timeout=90_000,
    )

    rows = page_rows(page)
    assert [(r["rank"], r["site"], r["score"]) for r in rows] == [
        (c["rank"], c["site_name"], c["score"]) for c in expected["communities"]
    ]
    for row, c in zip(rows, expected["communities"], strict=True):
        assert row["cats"] == {k: fmt(v) for k, v in c["category_scores"].items()}
    refused = page.locator(".sc-refused")
    assert refused.count() == 2
    reasons = {li.get_attribute("data-file"): li.inner_text() for li in refused.all()}
    cli_reasons = {r["file"].rsplit("/", 1)[-1]: r["reason"] for r in expected["refused"]}
    shown = {
        li.get_attribute("data-file"): li.locator(".sc-refused-reason").text_content()
        for li in refused.all()
    }
    for name in (bad.name, broken.name):
        assert name in reasons[name]
        assert shown[name] == cli_reasons[name].replace(str(bad.parent) + "/", "")
    assert "未采用" in reasons[bad.name]
    assert page.console_errors == []


def test_rollup_exports_the_table_as_xlsx(module_page, exports):
    page = module_page
    from openpyxl import load_workbook

    paths, bad, _ = exports
    open_rollup(page)
    page.set_input_files("#sc-rollup-files", [str(p) for p in [*paths, bad]])
    page.wait_for_function(
        f"() => document.getElementById('sc-rollup').dataset.done === '{len(paths) + 1}'",
        timeout=90_000,
    )
    with page.expect_download() as info:
        page.get_by_role("button", name="导出排名表（Excel）").click()
    import io

    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    ranking = book["汇总排名"]
    sites = [row[2] for row in ranking.iter_rows(min_row=2, values_only=True) if row[2]]
    expected = cli_summary([*paths, bad])
    assert sites == [c["site_name"] for c in expected["communities"]]
    assert book["未采用的文件"].max_row == 2


def test_dropping_files_works_too(module_page, exports):
    page = module_page
    paths, _, _ = exports
    open_rollup(page)
    page.evaluate(
        """(items) => {
            const dt = new DataTransfer();
            items.forEach(([name, text]) => dt.items.add(new File([text], name, {type: 'application/json'})));
            const zone = document.querySelector('.sc-dropzone');
            zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""",
        [[p.name, p.read_text(encoding="utf-8")] for p in paths[:2]],
    )
    page.wait_for_function(
        "() => document.getElementById('sc-rollup').dataset.done === '2'", timeout=90_000
    )
    assert len(page_rows(page)) == 2
