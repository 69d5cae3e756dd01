"""Exports: JSON with SHA-256, CSV and XLSX safe against formulas, the printable HTML report."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import zipfile

import openpyxl
import pytest

import selfcheck
from selfcheck import exports
from selfcheck.scoring import ScoringRule
from tests.scoring_cases import NOW, cases, full_doc, plan_data, rule_data

EVIL = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", '=HYPERLINK("http://x","点我")']


@pytest.fixture(scope="module")
def rule(standard):
    return ScoringRule.from_dict(rule_data(), standard)


@pytest.fixture(scope="module")
def evil_doc(standard):
    doc = full_doc(standard)
    doc["profile"].update(town=EVIL[0], site_name=EVIL[1], address=EVIL[2])
    doc["notes"] = {
        "1.1": EVIL[3],
        "1.2": EVIL[4],
        "1.3": EVIL[5],
        "1.4": EVIL[6],
        "1.5": "<img src=x onerror=alert(1)>",
        "1.6": "<script>alert('x')</script>",
    }
    doc["answers"]["3.2.b"] = {"value": 9}
    return doc


def test_json_export_is_complete_and_stamped(standard, rule, evil_doc):
    doc = json.loads(exports.json_export(standard, rule, evil_doc, now=NOW))
    assert doc["format"] == "selfcheck-export"
    assert (
        doc["standard_version"]
        == standard.version
        == doc["standard"]["version"]
        == doc["answers"]["standard_version"]
    )
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
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )
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
    assert book.sheetnames == ["附件1 建设标准自评", "汇总", "整改清单", "附件2 点位信息"]
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
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    # Defused by the cell's text type, shown exactly as typed (no visible ').
                    assert cell.data_type == "s" and cell.number_format == "@", (
                        ws.title,
                        cell.coordinate,
                    )
    site = book["附件2 点位信息"]
    fields = plan_data()["site_form"]["fields"]
    assert [c.value for c in site[1]] == [f["label"] for f in fields]
    assert [c.value for c in site[2]] == [1, EVIL[0], EVIL[1], EVIL[2]]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "<f>" not in xml and "'=1+1" not in xml and "=1+1" in xml
    summary = [[c.value for c in r] for r in book["汇总"].iter_rows()]
    assert ["标准版本", standard.version] in [r[:2] for r in summary]
    assert ["工具版本", f"本工具 {selfcheck.__version__} 版"] in [r[:2] for r in summary]
    # Numbers are numbers, not text.
    assert ["常住人口", 1000] in [r[:2] for r in summary]
    score = next(r[1] for r in summary if r[0] == "总分")
    assert isinstance(score, (int, float))
    cat_row = next(r for r in summary if r[0] == "1 组织管理")
    assert all(isinstance(v, (int, float)) for v in cat_row[1:])


def test_html_report_escapes_everything_typed(standard, rule, evil_doc):
    page = exports.report_html(standard, rule, evil_doc, now=NOW)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    for words in (
        "整改清单",
        "台账资料清单",
        "总分",
        standard.version,
        selfcheck.__version__,
        rule.label,
        "差 1 人",
    ):
        assert words in page, words


@pytest.mark.parametrize(
    "name", [n for n, _ in cases(__import__("selfcheck.datafiles", fromlist=["x"]).load_standard())]
)
def test_every_case_exports_in_every_format(standard, rule, name):
    doc = dict(cases(standard))[name]
    exports.json_export(standard, rule, doc, now=NOW)
    exports.csv_export(standard, rule, doc, now=NOW)
    exports.report_html(standard, rule, doc, now=NOW)
    openpyxl.load_workbook(
        io.BytesIO(exports.xlsx_export(standard, rule, plan_data(), doc, now=NOW))
    )


def test_safe_cell():
    assert exports.safe_cell("=A1") == "'=A1"
    assert exports.safe_cell("正常") == "正常"
    assert exports.safe_cell(-3) == -3


# ---- wording (issue 11 §7) -------------------------------------------------------------------


def _all_formats(standard, rule, doc):
    text = exports.write_export(
        "text", standard, plan_data(), exports.export_document(standard, rule, doc, now=NOW)
    )
    page = exports.report_html(standard, rule, doc, now=NOW)
    table = exports.csv_export(standard, rule, doc, now=NOW)
    book = openpyxl.load_workbook(
        io.BytesIO(exports.xlsx_export(standard, rule, plan_data(), doc, now=NOW))
    )
    return text, page, table, book


def gap_case(standard):
    doc = full_doc(standard)
    doc["profile"]["facts"]["has_hazchem_sites"] = False
    doc["answers"]["3.2.b"] = {"value": 9}
    doc["answers"]["4.5.a"] = {"numerator": 799, "denominator": 1000}
    doc["answers"]["3.3.a"] = {"value": "no"}
    del doc["answers"]["1.3.a"]
    doc["evidence"]["2.5"] = [0, 1]
    doc["evidence"]["1.1"] = [0]
    return doc


def test_the_gap_list_is_the_same_in_text_html_csv_and_xlsx(standard, rule):
    from selfcheck.scoring import score_community

    doc = gap_case(standard)
    result = score_community(standard, rule, doc, now=NOW)
    kinds = [g["kind"] for g in result["gaps"]]
    assert kinds.index("evidence") > max(
        i for i, k in enumerate(kinds) if k != "evidence"
    )  # evidence apart, last
    expected = [g["text"] for g in result["gaps"]]
    text, page, table, book = _all_formats(standard, rule, doc)

    in_text = [
        line.split("：", 1)[1]
        for line in text.split("整改清单：", 1)[1].splitlines()
        if line.startswith("  ")
    ]
    assert in_text == expected
    section = page.split("<h2>整改清单</h2>", 1)[1].split("<h2>", 1)[0]
    in_html = [
        html.unescape(m)
        for m in re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td></tr>", section)
    ]
    assert in_html == expected
    rows = list(csv.reader(io.StringIO(table.lstrip("\ufeff"))))
    start = rows.index(["整改清单"])
    assert rows[start + 1] == ["分组", "考评项目", "条目", "差距"]
    assert [r[3] for r in rows[start + 2 :]] == expected
    sheet = [[c.value for c in r] for r in book["整改清单"].iter_rows()]
    assert [r[3] for r in sheet[1:]] == expected
    groups = [r[0] for r in sheet[1:]]
    assert groups == sorted(groups) and len(set(groups)) == 2
    for title in ("一、要求上的差距", "二、缺少的台账资料"):
        assert title in text and title in page and any(g.startswith(title) for g in groups)


def test_no_doubled_status_words_and_the_note_printed_once(standard, rule):
    doc = gap_case(standard)
    doc["profile"]["facts"]["has_restaurants"] = False
    text, page, table, book = _all_formats(standard, rule, doc)
    xlsx_text = "\n".join(
        str(c.value)
        for ws in book.worksheets
        for r in ws.iter_rows()
        for c in r
        if c.value is not None
    )
    for out in (text, page, table, xlsx_text):
        for word in ("不适用", "未填写", "符合", "不符合"):
            assert f"{word}：{word}：" not in out
    note = rule.note
    assert page.count(html.escape(note)) == 1
    assert text.count(note) == 1 and table.count(note) == 1


def test_each_threshold_is_worded_as_the_seed_words_it(standard, rule):
    """不少于 / 不低于 / 不小于 / 至少: the seed's word for each item, the same in every format."""
    seen = set()
    for crit in standard.criteria.values():
        if crit.threshold is None or crit.kind == "boolean" or crit.requirement == "100%":
            continue
        item = standard.item_of(crit.id)
        assert crit.word in item.text or crit.word == "不少于", crit.id
        seen.add(crit.word)
    assert seen == {"不少于", "不低于", "不小于", "至少"}
    doc = full_doc(standard)
    doc["answers"]["2.5.d"] = {"numerator": 1490}
    doc["answers"]["1.1.b"] = {"count": 1}
    text, page, table, book = _all_formats(standard, rule, doc)
    for out in (text, html.unescape(page), table):
        assert "标准不小于 1.5 平方米" in out and "标准每年至少 2 次" in out
        assert "标准不少于 1.5 平方米" not in out


def test_the_report_names_the_tool_in_staff_words(standard, rule):
    page = exports.report_html(standard, rule, full_doc(standard), now=NOW)
    assert f"本报告由本工具 {selfcheck.__version__} 版生成" in page
    assert "selfcheck" not in page


def test_every_sheet_is_set_up_for_printing(standard, rule):
    book = openpyxl.load_workbook(
        io.BytesIO(exports.xlsx_export(standard, rule, plan_data(), gap_case(standard), now=NOW))
    )
    for ws in book.worksheets:
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.orientation in ("landscape", "portrait"), ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
    table = book["附件1 建设标准自评"]
    row = [c.value for c in table[1]].index("具体内容") + 1
    for r in range(2, table.max_row + 1):
        text = table.cell(row=r, column=row).value
        height = table.row_dimensions[r].height
        assert height and height >= 15 * exports.wrapped_lines(
            text, table.column_dimensions["C"].width
        ), r


def test_format_registry_drives_the_cli_choices(standard):
    from selfcheck import api
    from selfcheck.cli import build_parser

    described = json.loads(api.export_formats())
    assert [f["id"] for f in described] == list(exports.FORMATS)
    assert {f["id"]: f["suffix"] for f in described}["xlsx"] == ".xlsx"
    score = build_parser()._subparsers._group_actions[0].choices["score"]
    fmt = next(a for a in score._actions if "--format" in a.option_strings)
    assert list(fmt.choices) == list(exports.FORMATS)


def test_district_ranking_shows_partly_met_items_apart(standard, rule):
    from selfcheck.aggregate import aggregate, aggregate_xlsx

    doc = full_doc(standard)
    doc["answers"]["3.2.b"] = {"value": 9}
    summary = aggregate(
        standard, rule, [("a.json", exports.json_export(standard, rule, doc, now=NOW))], now=NOW
    )
    book = openpyxl.load_workbook(io.BytesIO(aggregate_xlsx(summary, plan_data())))
    rows = [[c.value for c in r] for r in book["汇总排名"].iter_rows()]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["部分达标条目"], row["未达标条目"]) == (1, 0)
    assert row["结论"] != rule.readiness[0].label
