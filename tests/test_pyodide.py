"""The same scoring cases inside real Pyodide (Node + the pinned npm package, offline) and CPython.

Fails, never skips, when Node or node_modules/pyodide is missing: the browser runs this engine.
"""

from __future__ import annotations

import base64
import io
import json

import openpyxl
import pytest

from selfcheck.datafiles import load_validated
from tests import pyodide_job
from tests.conftest import ROOT
from tests.pyodide_node import ENGINE_AND_XLSX, PYODIDE, run_job_module
from tests.scoring_cases import NOW, cases, plan_data, rule_data, standard_data

# A 风险一张图 with a hand-placed label (label_offset) and one without.
RISK_MAP = {
    "format": "sc-riskmap",
    "version": 1,
    "meta": {"community": "示例社区", "date": "2024-08-01", "author": "张三"},
    "image": None,
    "elements": [
        {"id": "e1", "type": "hazard", "name": "楼道堆物", "note": "", "points": [[10, 20.5]]},
        {
            "id": "e2",
            "type": "important_area",
            "name": "学校",
            "note": "",
            "points": [[0, 0], [50, 0], [50, 40]],
            "label_offset": [12.5, -30],
        },
    ],
}


def job_input(standard) -> str:
    bad = [
        "{",
        "[]",
        json.dumps({"format": "selfcheck-answers"}),
        json.dumps({**cases(standard)[0][1], "answers": {"3.2.b": {"value": -1}}}),
    ]
    return json.dumps(
        {
            "standard": json.dumps(standard_data(), ensure_ascii=False),
            "scoring": json.dumps(rule_data(), ensure_ascii=False),
            "plan": json.dumps(plan_data(), ensure_ascii=False),
            "now": NOW,
            "cases": cases(standard),
            "records_gbk": base64.b64encode(
                "日期,类型,人数,备注\n2024/7/1,安全宣教,86人,广场\n".encode("gbk")
            ).decode("ascii"),
            "bad": bad,
            "bad_imports": ["", '{"format": "selfcheck-export", "format_version": 1', "[1]"],
            "risk_map": json.dumps(
                load_validated(ROOT / "data" / "risk_map.yaml"), ensure_ascii=False
            ),
            "map": json.dumps(RISK_MAP, ensure_ascii=False),
            "bad_map": json.dumps({**RISK_MAP, "elements": [{"id": "a", "type": "volcano"}]}),
        },
        ensure_ascii=False,
    )


@pytest.fixture(scope="module")
def outputs(standard, shipped_wheels, tmp_path_factory):
    text = job_input(standard)
    browser = run_job_module(shipped_wheels, pyodide_job, text, tmp_path_factory.mktemp("pyodide"))
    return json.loads(browser["output"]), json.loads(pyodide_job.run(text)), browser


def test_runs_in_real_pyodide_with_the_wheels_loaded_offline(outputs):
    in_browser, cpython, raw = outputs
    assert set(ENGINE_AND_XLSX) <= set(raw["loaded"])
    assert raw["version"] == json.loads((PYODIDE / "package.json").read_text())["version"]
    assert in_browser["python"] != cpython["python"] or in_browser["python"].startswith("3.")


@pytest.mark.parametrize(
    "name", [n for n, _ in cases(__import__("selfcheck.datafiles", fromlist=["x"]).load_standard())]
)
@pytest.mark.parametrize("kind", ["score", "export", "csv", "html", "import", "compare"])
def test_identical_results(outputs, name, kind):
    in_browser, cpython, _ = outputs
    assert in_browser["cases"][name][kind] == cpython["cases"][name][kind]


def test_scores_are_real_not_trivial(outputs):
    in_browser, _, _ = outputs
    scores = {n: json.loads(c["score"])["overall"]["score"] for n, c in in_browser["cases"].items()}
    assert scores["full"] == 100 and scores["blank"] == 0 and 0 < scores["boundaries"] < 100
    boundary = json.loads(in_browser["cases"]["boundaries"]["score"])["criteria"]
    assert boundary["2.5.d"]["message"].startswith(
        "应急避难场所人均避难面积 1.49 平方米，标准不小于 1.5 平方米，还差约 10 平方米避难面积"
    )
    records = json.loads(in_browser["cases"]["records"]["score"])["criteria"]["6.1.c"]
    assert "2024年7月 3 次志愿者队伍安全宣教" in records["shortfalls"]


def test_the_riskmap_package_runs_in_pyodide_through_the_bridge(outputs):
    in_browser, cpython, _ = outputs
    got = in_browser["riskmap"]
    assert got == cpython["riskmap"]
    assert got["module"] == "riskmap.document" and got["inside_selfcheck"] is False
    assert got["parse"] == {"ok": True, "value": RISK_MAP}
    assert got["refused"]["kind"] == "input" and "第 1 个要素" in got["refused"]["message"]
    assert [r[1] for r in got["rows"]] == ["隐患点", "重要区域"]


@pytest.mark.parametrize("key", ["aggregate", "template", "records", "errors"])
def test_identical_other_outputs(outputs, key):
    in_browser, cpython, _ = outputs
    assert in_browser[key] == cpython[key]
    if key == "errors":
        assert all(isinstance(e, str) and e for e in in_browser[key])


def sheets(data: str) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data)))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


@pytest.mark.parametrize("key", ["xlsx", "aggregate_xlsx"])
def test_xlsx_made_in_pyodide_reads_in_cpython_and_matches(outputs, key):
    in_browser, cpython, _ = outputs
    made_in_browser = sheets(in_browser[key])
    assert made_in_browser == sheets(cpython[key])
    assert len(made_in_browser) >= 3
