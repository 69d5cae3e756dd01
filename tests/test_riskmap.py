"""风险一张图: the element types from item 4.1, and the map file the browser tool imports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from riskmap import MapFileError, elements_xlsx, parse_map
from selfcheck.datafiles import load_validated
from selfcheck.errors import map_field_words
from selfcheck.exports import safe_cell

DATA = Path(__file__).resolve().parent.parent / "data" / "risk_map.yaml"
PNG = "data:image/png;base64,iVBORw0KGgo="


@pytest.fixture(scope="module")
def types():
    return load_validated(DATA)


def good_doc(**changes):
    doc = {
        "format": "sc-riskmap",
        "version": 1,
        "meta": {"community": "示例社区", "date": "2024-08-01", "author": "张三"},
        "image": {"href": PNG, "width": 800, "height": 600},
        "elements": [
            {
                "id": "e1",
                "type": "hazard",
                "name": "楼道堆物",
                "note": "负责人 李四",
                "points": [[10, 20.5]],
            },
            {
                "id": "e2",
                "type": "important_area",
                "name": "学校",
                "note": "",
                "points": [[0, 0], [50, 0], [50, 40]],
            },
            {
                "id": "e3",
                "type": "evacuation_route",
                "name": "一号路线",
                "note": "",
                "points": [[1, 1], [99, 80]],
            },
        ],
    }
    doc.update(changes)
    return doc


def refused(doc_or_text, types) -> MapFileError:
    text = (
        doc_or_text if isinstance(doc_or_text, str) else json.dumps(doc_or_text, ensure_ascii=False)
    )
    with pytest.raises(MapFileError) as info:
        parse_map(text, types)
    return info.value


# ---- the element types ------------------------------------------------------------------------


def test_every_element_group_of_item_41_has_a_type(types, standard):
    text = standard.items["4.1"].text
    groups = {t["group"] for t in types["types"]}
    assert groups == {"重点场所", "隐患点", "重要区域", "脆弱区域", "安全场所", "疏散路线"}
    assert all(g in text for g in groups)
    for phrase in ("易燃易爆物品", "危险化学品", "放射性物品"):
        assert any(phrase in t["label"] for t in types["types"])
    assert types["item"] == "4.1" and "沙安办〔2024〕30号" in types["source"]


def test_symbols_differ_in_shape_not_only_colour(types):
    symbols = [t["symbol"] for t in types["types"]]
    assert len(set(symbols)) == len(symbols)
    colors = [t["color"] for t in types["types"]]
    assert len(set(colors)) == len(colors)
    marks = [t["mark"] for t in types["types"]]
    assert len(set(marks)) == len(marks)
    assert {t["geometry"] for t in types["types"] if t["group"] in ("重要区域", "脆弱区域")} == {
        "polygon"
    }
    assert {t["geometry"] for t in types["types"] if t["group"] == "疏散路线"} == {"line"}
    for t in types["types"]:
        assert t["source"]["list"].startswith("沙安办〔2024〕30号") and "4.1" in t["source"]["list"]
        assert t["source"]["symbol"] == "本站整理"


def test_schema_refuses_a_point_type_drawn_as_an_area(tmp_path, types):
    from selfcheck.errors import DataError

    bad = json.loads(json.dumps(types))
    bad["types"][0]["symbol"] = "hatch"
    path = tmp_path / "risk_map.yaml"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_validated(path, DATA.parent / "schema" / "risk_map.schema.json")
    assert "symbol" in str(info.value)


# ---- reading a map file -----------------------------------------------------------------------


def test_a_good_file_comes_back_unchanged(types):
    doc = good_doc()
    assert parse_map(json.dumps(doc, ensure_ascii=False), types) == doc
    assert parse_map(json.dumps(doc).encode("utf-8"), json.dumps(types)) == doc


def test_no_image_is_fine(types):
    assert parse_map(json.dumps(good_doc(image=None)), types)["image"] is None


@pytest.mark.parametrize(
    "text, field, words",
    [
        ("", "", "空的"),
        ('{"format": "sc-riskmap", "elements": [', "", "第 1 行"),
        ("[1, 2]", "format", "不是“风险一张图”文件"),
        ('{"type": "FeatureCollection", "features": []}', "format", "不是“风险一张图”文件"),
    ],
)
def test_broken_or_foreign_files_are_refused_in_chinese(types, text, field, words):
    error = refused(text, types)
    assert error.field == field and words in str(error)
    assert str(error).startswith("这个文件不能导入")


@pytest.mark.parametrize(
    "change, field, words",
    [
        (lambda d: d.update(version=2), "version", "版本"),
        (lambda d: d.update(extra=1), "", "未知字段“extra”"),
        (lambda d: d["meta"].update(date="8月1日"), "meta.date", "2024-08-01"),
        (lambda d: d["meta"].update(author=5), "meta.author", "应为文字"),
        (
            lambda d: d["image"].update(href="https://example.com/x.png"),
            "image.href",
            "PNG 或 JPEG",
        ),
        (lambda d: d["image"].update(width=0), "image.width", "尺寸"),
        (lambda d: d.update(elements={}), "elements", "列表"),
        (
            lambda d: d["elements"][1].update(type="lake"),
            "elements[1].type",
            "未知的要素类型“lake”",
        ),
        (lambda d: d["elements"][1].update(id="e1"), "elements[1].id", "重复"),
        (
            lambda d: d["elements"][0].update(points=[[1, 2], [3, 4]]),
            "elements[0].points",
            "1 个点",
        ),
        (
            lambda d: d["elements"][1].update(points=[[1, 2], [3, 4]]),
            "elements[1].points",
            "3～500 个点",
        ),
        (
            lambda d: d["elements"][2].update(points=[[1, 2], ["a", 4]]),
            "elements[2].points[1]",
            "数字",
        ),
        (
            lambda d: d["elements"][2].update(points=[[1, 2], [3]]),
            "elements[2].points[1]",
            "[x, y]",
        ),
        (lambda d: d["elements"][0].update(colour="red"), "elements[0]", "未知字段“colour”"),
        (lambda d: d["elements"][0].update(name=None), "elements[0].name", "应为文字"),
    ],
)
def test_a_wrong_field_is_named(types, change, field, words):
    doc = good_doc()
    change(doc)
    error = refused(doc, types)
    assert error.field == field, str(error)
    assert words in str(error)
    # The reader sees the part in words, never the file's JSON path.
    assert "elements" not in str(error) and "meta." not in str(error), str(error)
    if field:
        assert map_field_words(field) in str(error) and map_field_words(field) != "文件内容"


def test_field_paths_read_as_words():
    assert map_field_words("elements[2].points[1]") == "第 3 个要素的位置（第 2 个坐标点）"
    assert map_field_words("elements[0].type") == "第 1 个要素的类型"
    assert map_field_words("meta.date") == "绘制日期"


def test_nan_coordinates_are_refused(types):
    text = json.dumps(good_doc()).replace("20.5", "NaN")
    assert "NaN，它不是有效的数字" in str(refused(text, types))


# ---- the 台账 as XLSX -------------------------------------------------------------------------


def test_xlsx_lists_every_element(types):
    from openpyxl import load_workbook

    doc = good_doc()
    ws = load_workbook(io.BytesIO(elements_xlsx(json.dumps(doc), json.dumps(types)))).active
    rows = [r for r in ws.iter_rows(values_only=True)]
    header = rows.index(("序号", "要素类型", "名称", "备注", "图上位置"))
    body = rows[header + 1 :]
    assert [(r[1], r[2], r[3]) for r in body] == [
        ("隐患点", "楼道堆物", "负责人 李四"),
        ("重要区域", "学校", None),
        ("疏散路线", "一号路线", None),
    ]
    assert "示例社区" in rows[0][0] and "4.1" in rows[1][0]


def test_xlsx_refuses_a_bad_document(types):
    with pytest.raises(MapFileError):
        elements_xlsx(good_doc(elements=[{"id": "x"}]), types)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_injection_is_neutralised(types, start):
    from openpyxl import load_workbook

    evil = f'{start}HYPERLINK("http://x","y")'
    doc = good_doc()
    doc["elements"][0]["name"] = evil
    doc["elements"][0]["note"] = "=1+1"
    doc["meta"]["community"] = "=cmd"
    ws = load_workbook(io.BytesIO(elements_xlsx(doc, types))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert "'" + evil in values and "'=1+1" in values
    assert safe_cell("普通文字") == "普通文字"
