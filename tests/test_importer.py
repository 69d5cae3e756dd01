"""Import: exact round trip; malformed, foreign, truncated, tampered files refused; old versions migrated."""

from __future__ import annotations

import copy
import json

import pytest

from selfcheck import exports
from selfcheck.answers import normalize_answers
from selfcheck.importer import ImportRefused, import_document
from selfcheck.model import Standard
from selfcheck.scoring import ScoringRule
from tests.scoring_cases import NOW, cases, full_doc, rule_data, standard_data


@pytest.fixture(scope="module")
def rule(standard):
    return ScoringRule.from_dict(rule_data(), standard)


@pytest.fixture(scope="module")
def exported(standard, rule):
    return exports.json_export(standard, rule, dict(cases(standard))["boundaries"], now=NOW)


@pytest.mark.parametrize(
    "name", ["blank", "full", "boundaries", "village_no_population", "records"]
)
def test_round_trip_is_exact(standard, rule, name):
    doc = dict(cases(standard))[name]
    text = exports.json_export(standard, rule, doc, now=NOW)
    got = import_document(standard, text, filename="a.json")
    assert got["verified"] and got["notes"] == []
    assert got["answers"] == normalize_answers(doc, standard)
    assert exports.json_export(standard, rule, got["answers"], now=NOW) == text
    assert got["result"] == json.loads(text)["result"]


def test_bytes_with_bom_are_read(standard, exported):
    assert import_document(standard, ("\ufeff" + exported).encode("utf-8"))["verified"]


def refused(standard, text) -> str:
    with pytest.raises(ImportRefused) as info:
        import_document(standard, text, filename="点位.json")
    assert "点位.json" in str(info.value)
    return str(info.value)


@pytest.mark.parametrize("cut", [10, 1000, 0.5, -2, -40])
def test_truncated_files_are_refused_as_incomplete(standard, exported, cut):
    end = int(len(exported) * cut) if isinstance(cut, float) else cut
    assert "不完整" in refused(standard, exported[:end])


def test_tampered_value_is_refused(standard, exported):
    doc = json.loads(exported)
    doc["answers"]["answers"]["3.2.b"]["value"] = 10
    assert "校验码不符" in refused(standard, json.dumps(doc, ensure_ascii=False))


def test_tampered_result_is_refused(standard, exported):
    assert "校验码不符" in refused(standard, exported.replace('"score": ', '"score": 9', 1))


def test_reformatting_is_not_tampering(standard, exported):
    doc = json.loads(exported)
    assert import_document(standard, json.dumps(doc, ensure_ascii=True, sort_keys=True))["verified"]


def test_missing_hash_is_refused(standard, exported):
    doc = json.loads(exported)
    del doc["sha256"]
    assert "缺少校验码" in refused(standard, json.dumps(doc))


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "空"),
        ("这不是 JSON", "不是有效的 JSON"),
        ('{"a": 1,, }', "第 1 行"),
        ("[1, 2, 3]", "不是本工具导出的格式"),
        ('{"format": "geojson"}', "不是本工具导出的自评文件"),
        ('{"type": "FeatureCollection", "features": []}', "缺少 format 字段"),
        ('{"format": "selfcheck-export", "format_version": 99}', "比本工具（第 2 版）新"),
        ('{"format": "selfcheck-export", "format_version": true}', "应为整数"),
        ('{"a": NaN}', "不是有效的数字"),
        ("[" * 100000, "嵌套过深"),
    ],
    ids=[
        "empty",
        "text",
        "syntax",
        "list",
        "geojson",
        "no-format",
        "format-version",
        "format-version-bool",
        "nan",
        "deep",
    ],
)
def test_malformed_and_foreign_files(standard, text, words):
    assert words in refused(standard, text)


def test_non_utf8_bytes_are_refused(standard):
    assert "UTF-8" in refused(standard, "不是".encode("gbk") + b"\xff")


def test_saved_answers_document_is_accepted_unverified(standard):
    doc = full_doc(standard)
    got = import_document(standard, json.dumps(doc, ensure_ascii=False))
    assert got["source"] == "answers" and not got["verified"]
    assert got["answers"] == normalize_answers(doc, standard)


def old_standard(mutate) -> Standard:
    raw = copy.deepcopy(standard_data())
    raw["version"] = "2023.1"
    mutate(raw)
    return Standard.from_dict(raw)


def find(raw, cid):
    for cat in raw["categories"]:
        for item in cat["items"]:
            for c in item["criteria"]:
                if c["id"] == cid:
                    return item, c
    raise KeyError(cid)


def v1_export(standard, doc) -> str:
    """An export as version 1 of the format wrote it (until 2026): the whole standard's summary
    and the whole result inside. Stored files of this kind must keep importing."""
    rule = ScoringRule.from_dict(rule_data(), standard)
    full = exports.export_document(standard, rule, doc, now=NOW)
    old = {**full, "format_version": 1, "standard": exports.standard_summary(standard)}
    del old["sha256"]
    old["sha256"] = exports.content_hash(old)
    return json.dumps(old, ensure_ascii=False, indent=1)


def v2_export(standard, doc) -> str:
    return exports.json_export(standard, ScoringRule.from_dict(rule_data(), standard), doc, now=NOW)


@pytest.mark.parametrize(
    "write, change_note, evidence_note",
    [
        (v1_export, "指标 3.2.b（应急队伍人数）门槛由“8”改为“10”", "旧的资料名称"),
        (
            v2_export,
            "指标 3.2.b（应急队伍人数）的要求（填写方式、门槛、单位或周期）已改变",
            "条目 2.5 有 1 项已勾选的资料在新版标准中已改动",
        ),
    ],
    ids=["v1", "v2"],
)
def test_older_version_is_migrated_naming_each_difference(
    standard, write, change_note, evidence_note
):
    def mutate(raw):
        find(raw, "3.2.b")[1]["threshold"] = 8
        item, _ = find(raw, "2.5.a")
        item["evidence"] = ["旧的资料名称"] + item["evidence"]

    old = old_standard(mutate)
    doc = full_doc(old)
    doc["standard_version"] = "2023.1"
    doc["answers"]["3.2.b"] = {"value": 9}
    doc["evidence"]["2.5"] = [0, 1, 3]
    got = import_document(standard, write(old, doc))
    notes = "\n".join(got["notes"])
    assert "2023.1" in notes and standard.version in notes
    assert change_note in notes
    assert evidence_note in notes
    assert got["answers"]["standard_version"] == standard.version
    assert got["answers"]["answers"]["3.2.b"] == {"value": 9}
    assert got["answers"]["evidence"]["2.5"] == [0, 2]


@pytest.mark.parametrize(
    "write, reason",
    [
        (v1_export, "指标 1.6.a（落实专职人员）的填写方式已改变（boolean → quantity）"),
        (
            v2_export,
            "应为数字，现在是“yes”。（指标 1.6.a（应急管理专职人员）的要求（填写方式、门槛、单位或周期）已改变",
        ),
    ],
    ids=["v1", "v2"],
)
def test_older_version_refused_when_an_answer_no_longer_fits(standard, write, reason):
    def mutate(raw):
        _, crit = find(raw, "1.6.a")
        crit.clear()
        crit.update({"id": "1.6.a", "kind": "boolean", "label": "落实专职人员"})

    old = old_standard(mutate)
    doc = full_doc(old)
    doc["standard_version"] = "2023.1"
    message = refused(standard, write(old, doc))
    assert "无法自动迁移" in message and reason in message


def test_stored_version_1_exports_still_import(standard, rule):
    """Real files written by version 1 of the export format (about 100 KB each), kept gzipped."""
    import gzip
    from pathlib import Path

    for name in ("full", "records"):
        data = gzip.decompress(
            (Path(__file__).parent / "fixtures" / f"export-v1-{name}.json.gz").read_bytes()
        )
        assert len(data) > 90_000 and json.loads(data)["format_version"] == 1
        got = import_document(standard, data, filename=f"{name}.json")
        assert got["verified"] and got["notes"] == []
        assert got["answers"] == normalize_answers(json.loads(data)["answers"], standard)
        assert len(exports.json_export(standard, rule, got["answers"], now=NOW).encode()) <= 20_000


def test_export_is_small(standard, rule):
    for name, doc in cases(standard):
        assert len(exports.json_export(standard, rule, doc, now=NOW).encode()) <= 20_000, name


def test_newer_version_is_refused(standard):
    raw = copy.deepcopy(standard_data())
    raw["version"] = "2099.1"
    newer = Standard.from_dict(raw)
    doc = full_doc(newer)
    doc["standard_version"] = "2099.1"
    text = exports.json_export(newer, ScoringRule.from_dict(rule_data(), newer), doc, now=NOW)
    assert "比本工具使用的" in refused(standard, text)
