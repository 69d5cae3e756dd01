"""Exports: JSON with SHA-256, CSV and XLSX safe against formulas, the printable HTML report."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import openpyxl
import pytest

import selfcheck
from selfcheck import exports
from selfcheck.scoring import ScoringRule
from tests.scoring_cases import NOW, cases, full_doc, plan_data, rule_data

EVIL = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", "=HYPERLINK(\"http://x\",\"点我\")"]


@pytest.fixture(scope="module")
def rule(standard):
    return ScoringRule.from_dict(rule_data(), standard)


@pytest.fixture(scope="module")
def evil_doc(standard):
    doc = full_doc(standard)
    doc["profile"].update(town=EVIL[0], site_name=EVIL[1], address=EVIL[2])
    doc["notes"] = {"1.1": EVIL[3], "1.2": EVIL[4], "1.3": EVIL[5], "1.4": EVIL[6], "1.5": "<img src=x onerror=alert(1)>", "1.6": "<script>alert('x')</script>"}
    doc["answers"]["3.2.b"] = {"value": 9}
    return doc


def test_json_export_is_complete_and_stamped(standard, rule, evil_doc):
    doc = json.loads(exports.json_export(standard, rule, evil_doc, now=NOW))
    assert doc["format"] == "selfcheck-export"
    assert doc["standard_version"] == standard.version == doc["standard"]["version"] == doc["answers"]["standard_version"]
    assert doc["tool_version"] == selfcheck.__version__
    assert doc["exported_at"] == NOW
    assert doc["scoring"]["label"] == rule.label and doc["scoring"]["source"] == "本站整理"
    assert doc["answers"]["profile"]["town"] == EVIL[0]
    assert doc["format_version"] == 2 and doc["result"]["overall"]["verdict"]
    assert doc["standard"]["structure"] == exports.structure_hash(standard)
    assert set(doc["standard"]["criteria"]) == set(doc["answers"]["answers"])
    assert doc["standard"]["criteria"]["3.2.b"] == exports.criterion_fingerprints(standard)["3.2.b"]
    full = exports.export_document(standard, rule, evil_doc, now=NOW)
    assert full["result"]["criteria"]["3.2.b"]["status"] == "not_met"
    assert full["sha256"] == doc["sha256"]


def test_sha256_is_over_the_canonical_content(standard, rule, evil_doc):
    doc = json.loads(exports.json_export(standard, rule, evil_doc, now=NOW))
    body = {k: v for k, v in doc.items() if k != "sha256"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert doc["sha256"] == hashlib.sha256(canonical).hexdigest()
    body["answers"]["answers"]["3.2.b"]["value"] = 10
    assert exports.content_hash(body) != doc["sha256"]


def test_default_window_is_written_into_the_export(standard, rule):
    doc = full_doc(standard)
    del doc["window"]
    out = json.loads(exports.json_export(standard, rule, doc, now="2024-09-10T09:00:00+08:00"))
    assert out["answers"]["window"] == {"start": "2023-09-01", "end": "2024-08-31"}


def test_csv_neutralises_formulas_and_keeps_the_text(standard, rule, evil_doc):
    text = exports.csv_export(standard, rule, evil_doc, now=NOW)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cells = [c for row in rows for c in row]
    for value in EVIL:
        assert "'" + value in cells, value
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert ["标准版本", standard.version] in rows
    assert any(row[:1] == ["评分口径"] and "本站整理" in row[1] for row in rows)
    row = next(r for r in rows if len(r) > 4 and r[4] == "3.2.b")
    assert row[8] == "不符合" and "差 1 人" in row[9]


def test_xlsx_has_the_three_sheets_and_no_formulas(standard, rule, evil_doc):
    data = exports.xlsx_export(standard, rule, plan_data(), evil_doc, now=NOW)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["附件1 建设标准自评", "汇总", "附件2 点位信息"]
    table = book["附件1 建设标准自评"]
    ids = [table.cell(row=r, column=1).value for r in range(2, table.max_row + 1)]
    assert ids == list(standard.items)
    row = ids.index("3.2") + 2
    assert table.cell(row=row, column=6).value == "部分达标"
    assert "应急队伍人数 9 人，标准不少于 10 人，差 1 人" in table.cell(row=row, column=7).value
    assert table.cell(row=row, column=3).value.endswith(standard.items["3.2"].text)
    for ws in book.worksheets:
        for r in ws.iter_rows():
            for cell in r:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    site = book["附件2 点位信息"]
    fields = plan_data()["site_form"]["fields"]
    assert [c.value for c in site[1]] == [f["label"] for f in fields]
    assert [c.value for c in site[2]] == [1, "'" + EVIL[0], "'" + EVIL[1], "'" + EVIL[2]]
    summary = [[c.value for c in r] for r in book["汇总"].iter_rows()]
    assert ["标准版本", standard.version] in [r[:2] for r in summary]
    assert ["工具版本", selfcheck.__version__] in [r[:2] for r in summary]
    assert any(r[0] == "整改清单" for r in summary)


def test_html_report_escapes_everything_typed(standard, rule, evil_doc):
    page = exports.report_html(standard, rule, evil_doc, now=NOW)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    for words in ("整改清单", "台账资料清单", "总分", standard.version, selfcheck.__version__, rule.label, "差 1 人"):
        assert words in page, words


@pytest.mark.parametrize("name", [n for n, _ in cases(__import__("selfcheck.datafiles", fromlist=["x"]).load_standard())])
def test_every_case_exports_in_every_format(standard, rule, name):
    doc = dict(cases(standard))[name]
    exports.json_export(standard, rule, doc, now=NOW)
    exports.csv_export(standard, rule, doc, now=NOW)
    exports.report_html(standard, rule, doc, now=NOW)
    openpyxl.load_workbook(io.BytesIO(exports.xlsx_export(standard, rule, plan_data(), doc, now=NOW)))


def test_safe_cell():
    assert exports.safe_cell("=A1") == "'=A1"
    assert exports.safe_cell("正常") == "正常"
    assert exports.safe_cell(-3) == -3
