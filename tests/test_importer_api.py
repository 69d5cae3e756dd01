"""The browser API under CPython: JSON strings in, strings or bytes out, typed Chinese errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import openpyxl
import pytest

from selfcheck import api
from selfcheck.errors import SelfcheckError
from tests.conftest import ROOT
from tests.scoring_cases import NOW, cases, full_doc, plan_data, rule_data, standard_data

S = json.dumps(standard_data(), ensure_ascii=False)
R = json.dumps(rule_data(), ensure_ascii=False)
P = json.dumps(plan_data(), ensure_ascii=False)


def test_compare_names_improved_and_regressed_items(standard):
    old = full_doc(standard)
    old["answers"]["3.2.b"] = {"value": 8}
    old_export = api.export_json(S, R, json.dumps(old, ensure_ascii=False), NOW)
    new = full_doc(standard)
    new["answers"]["1.2.a"] = {"value": "no"}
    got = json.loads(api.compare(S, R, old_export, json.dumps(new, ensure_ascii=False), NOW))
    changes = {i["id"]: i["change"] for i in got["items"]}
    assert changes["3.2"] == "improved" and changes["1.2"] == "regressed"
    assert (got["improved"], got["regressed"]) == (1, 1)
    assert {i["new_label"] for i in got["items"] if i["id"] == "3.2"} == {"达标"}
    # Category scores on both sides, for the page's before/after chart.
    old_cats = {c["id"]: c["score"] for c in got["old"]["categories"]}
    new_cats = {c["id"]: c["score"] for c in got["new"]["categories"]}
    assert new_cats["3"] > old_cats["3"] and new_cats["1"] < old_cats["1"]


def test_import_details_and_import_json(standard):
    export = api.export_json(S, R, json.dumps(full_doc(standard)), NOW)
    details = json.loads(api.import_details(S, export))
    assert details["verified"] and details["source"] == "export" and details["notes"] == []
    assert json.loads(api.import_json(S, export)) == details["answers"]
    with pytest.raises(SelfcheckError) as info:
        api.import_json(S, export.replace("土湾街道", "土湾"))
    assert "校验码不符" in str(info.value)


def test_aggregate_accepts_json_lists_and_reports_refusals(standard):
    texts = [
        api.export_json(S, R, json.dumps(doc, ensure_ascii=False), NOW)
        for _, doc in cases(standard)[:2]
    ]
    texts[1] = texts[1].replace("示例社区", "另一社区")  # tampered
    got = json.loads(api.aggregate(S, R, json.dumps(texts), json.dumps(["a.json", "b.json"]), NOW))
    assert [c["file"] for c in got["communities"]] == ["a.json"]
    assert got["refused"][0]["file"] == "b.json" and "校验码不符" in got["refused"][0]["reason"]
    book = openpyxl.load_workbook(
        io.BytesIO(api.aggregate_xlsx(S, R, P, texts[:1], ["a.json"], NOW))
    )
    assert book["汇总排名"]["C2"].value == "示例社区"
    with pytest.raises(SelfcheckError):
        api.aggregate(S, R, texts, ["only-one.json"], NOW)


def test_parse_records_and_template():
    got = json.loads(
        api.parse_records("日期,类型,人数\n2024-07-01,安全宣教,120\n".encode("gbk"), "台账.csv", S)
    )
    assert got == [{"date": "2024-07-01", "type": "安全宣教", "people": 120, "note": ""}]
    with pytest.raises(SelfcheckError) as info:
        api.parse_records(
            b"\xe6\x97\xa5\xe6\x9c\x9f,\xe7\xb1\xbb\xe5\x9e\x8b\n2024-07-01,\xe5\xad\xa6\xe4\xb9\xa0\n",
            "x.csv",
            S,
        )
    assert "第 2 行" in str(info.value)
    template = json.loads(api.blank_template(S))
    assert template["format"] == "selfcheck-answers"


@pytest.mark.parametrize(
    "call",
    [
        lambda: api.score("not json", R, "{}", NOW),
        lambda: api.score(S, "{}", "{}", NOW),
        lambda: api.score(S, R, api.blank_template(S), "明天"),
        lambda: api.export_xlsx(S, R, "{}", json.dumps({}), NOW),
        lambda: api.score(json.dumps({"version": "1"}), R, "{}", NOW),
    ],
)
def test_bad_site_data_or_input_is_a_selfcheck_error(call):
    with pytest.raises(SelfcheckError) as info:
        call()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


def test_xlsx_bytes_from_the_api(standard):
    data = api.export_xlsx(S, R, P, json.dumps(full_doc(standard)), NOW)
    assert (
        isinstance(data, bytes)
        and openpyxl.load_workbook(io.BytesIO(data)).sheetnames[-1] == "附件2 点位信息"
    )


def test_package_imports_only_the_standard_library():
    code = (
        "import sys; before = set(sys.modules);"
        "import selfcheck, selfcheck.api, selfcheck.cli, selfcheck.records, selfcheck.aggregate;"
        "mods = {m.split('.')[0] for m in set(sys.modules) - before};"
        "print(sorted(m for m in mods if m not in sys.stdlib_module_names and m != 'selfcheck'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout
