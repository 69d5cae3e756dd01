"""居民 content: every file validates, every entry names its source, references resolve, quantity rules."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from macros.resident_pages import check_references, guide_url, qr_svg, quantity
from selfcheck.datafiles import load_validated, schema_for
from selfcheck.errors import DataError
from tests.conftest import DATA_DIR

FILES = ["household_supplies", "handbook", "cards", "articles"]

# For each file: paths to entries that must carry `source` (top level and one entry of each list).
SOURCE_PATHS = {
    "household_supplies": [
        (),
        ("references", 0),
        ("unavailable", 0),
        ("levels", 1),
        ("rules",),
        ("items", 4),
        ("items", 4, "quantity"),
    ],
    "handbook": [
        (),
        ("first_rule",),
        ("numbers", 0),
        ("hotlines", 1),
        ("hotlines_note",),
        ("chapters", 3),
        ("chapters", 0, "topics", 0),
    ],
    "cards": [(), ("guide_page",), ("fields", 1), ("community", 0), ("notes", 0), ("copies",)],
    "articles": [(), ("tags", 0), ("key_dates", 2), ("articles", 5)],
}


def raw(stem):
    return yaml.safe_load((DATA_DIR / f"{stem}.yaml").read_text(encoding="utf-8"))


def all_raw():
    return {s: load_validated(DATA_DIR / f"{s}.yaml") for s in FILES}


@pytest.mark.parametrize("stem", FILES)
def test_content_file_validates_against_its_schema(stem):
    assert load_validated(DATA_DIR / f"{stem}.yaml")
    schema = schema_for(DATA_DIR / f"{stem}.yaml")
    assert '"additionalProperties": false' in schema.read_text(encoding="utf-8")


@pytest.mark.parametrize("stem,path", [(s, p) for s, paths in SOURCE_PATHS.items() for p in paths])
def test_an_entry_without_source_is_rejected_in_chinese(tmp_path, stem, path):
    data = raw(stem)
    node = data
    for key in path:
        node = node[key]
    assert "source" in node, f"{stem} {path} 本来就没有 source"
    del node["source"]
    bad = tmp_path / f"{stem}.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_validated(bad, schema_for(DATA_DIR / f"{stem}.yaml"))
    message = str(err.value)
    assert f"{stem}.yaml" in message
    assert err.value.field.endswith("source"), err.value.field
    assert "缺少必填字段“source”" in message


@pytest.mark.parametrize("stem", FILES)
def test_an_empty_source_is_rejected(tmp_path, stem):
    data = raw(stem)
    data["source"] = ""
    bad = tmp_path / f"{stem}.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match="source"):
        load_validated(bad, schema_for(DATA_DIR / f"{stem}.yaml"))


def test_every_source_names_a_dated_document_or_says_compiled_here():
    def sources(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "source":
                    yield v
                else:
                    yield from sources(v)
        elif isinstance(node, list):
            for v in node:
                yield from sources(v)

    for stem in FILES:
        for s in sources(raw(stem)):
            assert "本站整理" in s or re.search(r"(19|20)\d\d", s), (
                f"{stem}: 来源“{s}”既不是带年份的公开文件，也不是“本站整理”"
            )


def test_unknown_article_tag_names_file_and_field():
    data = copy.deepcopy(all_raw())
    data["articles"]["articles"][0]["tags"].append("no-such-tag")
    with pytest.raises(DataError) as err:
        check_references(data)
    assert (
        err.value.file == "articles.yaml"
        and err.value.field == "tags"
        and "no-such-tag" in str(err.value)
    )


def test_item_category_must_be_listed():
    data = copy.deepcopy(all_raw())
    data["household_supplies"]["items"][0]["category"] = "别的类"
    with pytest.raises(DataError, match="household_supplies.yaml.*category"):
        check_references(data)


def test_references_of_the_real_data_resolve():
    check_references(all_raw())


def test_handbook_has_the_chapters_of_the_issues():
    titles = [c["title"] for c in raw("handbook")["chapters"]]
    assert titles == [
        "火灾",
        "灭火器怎么用",
        "森林火灾（山火）",
        "燃气泄漏",
        "地震",
        "暴雨和内涝",
        "嘉陵江涨水和山洪",
        "山体滑坡和崩塌",
        "高温",
        "高空坠物",
        "危化品事故",
        "急救",
        "报警求助",
        "便民热线和举报电话",
    ]
    fire = raw("handbook")["chapters"][0]
    assert any("电动自行车" in t["title"] for t in fire["topics"])


def test_only_the_four_safe_emergency_numbers():
    assert [n["number"] for n in raw("handbook")["numbers"]] == ["119", "120", "110", "122"]


def test_hotlines_are_apart_from_the_emergency_numbers_and_say_so():
    h = raw("handbook")
    assert [n["number"] for n in h["hotlines"]] == ["12345", "12350"]
    hotlines = next(c for c in h["chapters"] if c["id"] == "hotlines")
    assert any("不是报警电话" in p for p in hotlines["before"])
    assert any("119、120 或 110" in p for p in hotlines["during"])


def test_basic_list_is_chongqing_2023_and_unverified_facts_are_marked():
    s = raw("household_supplies")
    basic = [i for i in s["items"] if i["level"] == "basic"]
    assert len(basic) == 13
    assert all(i["source"] == "重庆市应急管理局《家庭应急物资储备建议清单》（2023）" for i in basic)
    water = next(i for i in s["items"] if i["id"] == "water")
    assert "未能核实" in water["unverified"] and "未能核实" in s["rules"]["source"]
    assert any("沙减委〔2022〕1号" in u["name"] for u in s["unavailable"])
    assert any("GB/T 36750—2025" in u["name"] for u in s["unavailable"])


# ---- quantity rules (the same rules the browser applies; see tests/browser/test_resident_checklist.py)


def rule(basis, amount):
    return {"basis": basis, "amount": amount, "unit": "个", "source": "本站整理"}


def test_quantity_by_household_person_and_person_day():
    assert quantity(rule("household", 1), people=5, days=7) == 1
    assert quantity(rule("person", 1), people=5, days=7) == 5
    assert quantity(rule("person_day", 3), people=4, days=3) == 36


def test_quantity_rounds_up_without_floating_point_surprises():
    assert quantity(rule("person_day", 0.1), people=3, days=1) == 1
    assert quantity(rule("person_day", 0.5), people=3, days=1) == 2
    assert quantity(rule("person", 1.5), people=3, days=1) == 5


def test_water_for_a_family_of_four_for_three_days_is_36_litres():
    water = next(i for i in raw("household_supplies")["items"] if i["id"] == "water")
    assert quantity(water["quantity"], people=4, days=3) == 36


# ---- QR code


def test_guide_url_needs_the_public_url():
    assert guide_url("", "residents/handbook/") == ""
    assert (
        guide_url("https://example.org/site/", "residents/handbook/")
        == "https://example.org/site/residents/handbook/"
    )
    assert (
        guide_url("https://example.org/site", "residents/handbook/")
        == "https://example.org/site/residents/handbook/"
    )


def test_qr_is_inline_black_on_white_svg():
    import segno

    url = "https://example.org/residents/handbook/"
    svg = qr_svg(url)
    assert (
        svg.startswith("<svg")
        and "viewBox" in svg
        and 'stroke="#000"' in svg
        and "http" not in svg.split("<title>")[0]
    )
    size = segno.make(url, error="m").symbol_size(scale=1, border=2)[0]
    assert f'viewBox="0 0 {size} {size}"' in svg
