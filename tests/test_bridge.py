"""selfcheck.bridge under CPython: the closed table, one conversion step, two kinds of error."""

from __future__ import annotations

import json

import pytest

from selfcheck import api, bridge
from selfcheck.answers import blank_answers
from tests.scoring_cases import NOW, full_doc, plan_data, rule_data, standard_data

DATA = {
    "standard": json.dumps(standard_data(), ensure_ascii=False),
    "scoring": json.dumps(rule_data(), ensure_ascii=False),
    "plan": json.dumps(plan_data(), ensure_ascii=False),
}


@pytest.fixture(autouse=True)
def data_files():
    bridge.set_data(DATA)


@pytest.mark.parametrize(
    "name",
    ["json.loads", "selfcheck.api.score", "os.system", "__import__", "", "score.__globals__"],
)
def test_a_name_outside_the_table_is_refused(name):
    got = bridge.call(name, ["1"])
    assert got["ok"] is False and got["kind"] == "bug"
    assert "not in selfcheck.bridge.TABLE" in got["detail"]


def test_every_entry_calls_a_real_function():
    for name, entry in bridge.TABLE.items():
        assert callable(entry.function), name
        assert set(entry.data) <= {"standard", "scoring", "plan", "risk_map"}, name


def test_score_through_the_bridge_equals_the_api(standard):
    doc = json.dumps(full_doc(standard), ensure_ascii=False)
    got = bridge.call("score", [doc, NOW])
    assert got["ok"] is True
    assert got["value"] == api.score(DATA["standard"], DATA["scoring"], doc, NOW)


def test_an_input_error_is_a_chinese_sentence_and_not_a_bug():
    got = bridge.call("import_details", ["{这不是 JSON", "坏文件.json"])
    assert got["ok"] is False and got["kind"] == "input"
    assert "坏文件.json" in got["message"] or "JSON" in got["message"]
    assert "Traceback" not in got["message"] and "detail" not in got


def test_a_python_bug_is_reported_with_its_traceback_as_detail(monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(
        bridge.TABLE,
        "score",
        bridge.Entry(broken, ("standard", "scoring"), (bridge.TEXT, bridge.OPTIONAL_TEXT)),
    )
    got = bridge.call("score", ["{}", None])
    assert (
        got["kind"] == "bug"
        and "Traceback" in got["detail"]
        and "ZeroDivisionError" in got["detail"]
    )
    assert "Traceback" not in got["message"]


def test_arguments_are_converted_once():
    records = "日期,类型,人数,备注\n".encode()
    assert bridge.call("parse_records", [bytearray(records), "台账.csv"])["ok"] is True
    wrong = bridge.call("score", [{"not": "text"}, None])
    assert wrong["kind"] == "bug" and "应为文本" in wrong["detail"]
    assert bridge.call("score", [])["kind"] == "bug"  # too few
    assert (
        bridge.needs("export_xlsx") == ["openpyxl"]
        and bridge.needs("score") == []
        and bridge.needs("nope") == []
    )


def test_a_blank_form_is_scored_without_naming_internal_fields(standard):
    doc = blank_answers(standard)
    doc["profile"]["kind"] = None
    got = bridge.call("score", [json.dumps(doc, ensure_ascii=False), NOW])
    assert got["ok"] is True, got
    result = json.loads(got["value"])
    assert result["needs_first"][0]["field"] == "profile.kind"
    assert "profile.kind" not in json.dumps(result["overall"], ensure_ascii=False)
    message = result["needs_first"][0]["message"]
    assert "None" not in message and message.startswith("请先在“基本情况”里选择类型")
    depends = [
        i.id
        for i in standard.items.values()
        if (i.applies_if and i.applies_if.fact == "kind")
        or any(c.applies_if and c.applies_if.fact == "kind" for c in i.criteria)
    ]
    assert (result["overall"]["score"] is None) == bool(depends)
    # Items that do not depend on the 类型 are still judged: answer one and it counts.
    doc["answers"]["3.2.b"] = {"value": 8}
    result = json.loads(bridge.call("score", [json.dumps(doc, ensure_ascii=False), NOW])["value"])
    assert (
        result["criteria"]["3.2.b"]["status"] == "not_met"
        and "差 2 人" in result["criteria"]["3.2.b"]["message"]
    )
    # Exactly the items whose applicability depends on the 类型 wait for it.
    waiting = [
        iid for iid, i in result["items"].items() if "先选择类型" in (i.get("message") or "")
    ]
    assert sorted(waiting) == sorted(depends)
    # Once chosen, the ordinary engine result.
    doc["profile"]["kind"] = "社区"
    chosen = json.loads(bridge.call("score", [json.dumps(doc, ensure_ascii=False), NOW])["value"])
    assert "needs_first" not in chosen and chosen["overall"]["score"] is not None


def test_the_kind_rule_holds_for_a_standard_where_items_depend_on_it(standard):
    """The current standard reads every item as applying to both 类型; an earlier one had 6.2 by
    类型. The single-pass rule is checked on such a standard too."""
    data = standard_data()
    for crit, kind in zip(
        next(i for c in data["categories"] for i in c["items"] if i["id"] == "6.2")["criteria"],
        ["村", "社区", "社区"],
        strict=True,
    ):
        crit["applies_if"] = {"fact": "kind", "equals": kind}
    bridge.set_data({**DATA, "standard": json.dumps(data, ensure_ascii=False)})
    doc = blank_answers(standard)
    doc["profile"]["kind"] = None
    result = json.loads(bridge.call("score", [json.dumps(doc, ensure_ascii=False), NOW])["value"])
    assert result["overall"]["score"] is None and result["overall"]["verdict"] == "待选择类型"
    assert "先选择类型" in result["items"]["6.2"]["message"]
    assert all(
        "先选择类型" not in (i.get("message") or "")
        for iid, i in result["items"].items()
        if iid != "6.2"
    )


def test_before_the_kind_only_items_that_depend_on_it_wait(standard):
    """What is judged without a 类型 is what both 类型 agree on, for a filled-in form."""
    doc = full_doc(standard)
    doc["profile"]["kind"] = None
    before = json.loads(
        api.score(DATA["standard"], DATA["scoring"], json.dumps(doc, ensure_ascii=False), NOW)
    )
    sides = []
    for kind in ("社区", "村"):
        doc["profile"]["kind"] = kind
        sides.append(
            json.loads(
                api.score(
                    DATA["standard"], DATA["scoring"], json.dumps(doc, ensure_ascii=False), NOW
                )
            )
        )
    for iid, item in before["items"].items():
        same = sides[0]["items"][iid]["status"] == sides[1]["items"][iid]["status"]
        if "先选择类型" in (item.get("message") or ""):
            continue
        assert same and item["status"] == sides[0]["items"][iid]["status"], iid
    assert sum(before["overall"]["counts"].values()) == len(before["items"])
