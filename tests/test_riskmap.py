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


# ---- dragged name labels (label_offset) -------------------------------------------------------


def test_a_dragged_label_offset_round_trips_and_old_maps_import_as_before(types):
    doc = good_doc()
    doc["elements"][1]["label_offset"] = [12.5, -40]
    assert parse_map(json.dumps(doc, ensure_ascii=False), types) == doc
    old = good_doc()  # saved before labels could be dragged: no key is added on import
    assert all("label_offset" not in e for e in parse_map(json.dumps(old), types)["elements"])


@pytest.mark.parametrize(
    "offset, words",
    [
        ([1], "两个数字"),
        ("10,20", "两个数字"),
        ([1, "a"], "应为数字"),
        ([1, True], "应为数字"),
        ([50000, 0], "离要素太远"),
    ],
)
def test_a_wrong_label_offset_is_named_in_words(types, offset, words):
    doc = good_doc()
    doc["elements"][2]["label_offset"] = offset
    error = refused(doc, types)
    assert error.field == "elements[2].label_offset"
    assert words in str(error) and "第 3 个要素的名称标签位置" in str(error), str(error)
    assert "label_offset" not in str(error)


# ---- the package: riskmap is its own package in the selfcheck wheel --------------------------


def test_riskmap_is_its_own_package_and_the_bridge_reaches_it():
    import importlib.util

    import riskmap
    from selfcheck import bridge

    assert riskmap.parse_map.__module__ == "riskmap.document"
    assert riskmap.elements_xlsx.__module__ == "riskmap.ledger"
    assert importlib.util.find_spec("selfcheck.riskmap") is None
    assert riskmap.MapFileError is __import__("selfcheck.errors").errors.MapFileError
    bridge.set_data({"risk_map": json.dumps(load_validated(DATA), ensure_ascii=False)})
    answer = bridge.call("riskmap_parse", [json.dumps(good_doc(), ensure_ascii=False)])
    assert answer == {"ok": True, "value": good_doc()}
    refusal = bridge.call("riskmap_parse", ["{}"])
    assert refusal["ok"] is False and refusal["kind"] == "input"
    assert refusal["message"].startswith("这个文件不能导入")


def test_the_wheel_ships_the_riskmap_package(tmp_path):
    import zipfile

    from macros.assets import build_selfcheck_wheel

    wheel = build_selfcheck_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"riskmap/__init__.py", "riskmap/document.py", "riskmap/ledger.py"} <= names
    assert "selfcheck/riskmap.py" not in names


# ---- the page's pure modules, run in Node ------------------------------------------------------

JS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "javascripts" / "riskmap"

NODE_SCRIPT = """
const M = await import(%(model)s);
const H = await import(%(history)s);
const L = await import(%(labels)s);
const byId = {
  area: { id: "area", label: "脆弱区域", geometry: "polygon" },
  route: { id: "route", label: "疏散路线", geometry: "line" },
  spot: { id: "spot", label: "隐患点", geometry: "point" },
};
const out = {};
const doc = M.emptyDoc("2024-08-01");
const area = M.addElement(doc, "area", [[0, 0], [100, 0], [100, 100], [0, 100]]);
const route = M.addElement(doc, "route", [[10, 10], [30, 10], [50, 10]]);
out.ids = [area.id, route.id];
out.clamped = M.addElement(doc, "spot", [[-5, 5000]]).points;
out.inserted = M.insertVertex(doc, area.id, 3, 0);  // the closing edge of the area
out.areaAfterInsert = JSON.parse(JSON.stringify(M.findElement(doc, area.id).points));
out.removals = [];
for (let i = 0; i < 4; i++) out.removals.push(M.removeVertex(doc, area.id, 0, byId));
out.areaLeft = M.findElement(doc, area.id).points.length;
out.routeRefusal = [M.removeVertex(doc, route.id, 1, byId), M.removeVertex(doc, route.id, 0, byId)];
out.edges = [M.edges("polygon", 4), M.edges("line", 3)];

let h = H.emptyHistory();
const d = M.emptyDoc("2024-08-01");
const s0 = H.snapshot(d, null);
M.addElement(d, "spot", [[1, 1]]);
h = H.record(h, s0, "添加隐患点");
const s1 = H.snapshot(d, "e1");
M.moveElement(d, "e1", null, 10, 0);
h = H.record(h, s1, "移动要素");
const back = H.undo(h, H.snapshot(d, "e1"));
const back2 = H.undo(back.history, back.snapshot);
const fwd = H.redo(back2.history, back2.snapshot);
out.history = {
  labels: [back.label, back2.label, fwd.label],
  afterUndo: H.fromSnapshot(back.snapshot, d).elements,
  afterTwo: H.fromSnapshot(back2.snapshot, d).elements,
  afterRedo: H.fromSnapshot(fwd.snapshot, d).elements,
  canUndoAtStart: H.canUndo(back2.history),
  canRedoAtEnd: H.canRedo(H.record(fwd.history, s0, "x")),
  nothingLeft: H.undo(back2.history, back2.snapshot),
  limited: Array.from({ length: 150 }).reduce((x) => H.record(x, s0, "x"), H.emptyHistory()).past.length,
};

const many = [];
const longName = (i) => "非常长的名称第" + i + "号加油站附近的危险化学品仓库";
for (let i = 0; i < 8; i++) {
  many.push({ id: "p" + i, type: "spot", name: longName(i), points: [[500 + i * 4, 400 + i * 3]] });
}
const placed = L.placeLabels(many, byId, { width: 1414, height: 1000, u: 1.414, r: 25.5 });
const boxes = [...placed.values()].map((p) => [p.x - p.w / 2, p.y - p.h / 2, p.x + p.w / 2, p.y + p.h / 2]);
let overlaps = 0;
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
  const [a, b] = [boxes[i], boxes[j]];
  if (Math.min(a[2], b[2]) > Math.max(a[0], b[0]) && Math.min(a[3], b[3]) > Math.max(a[1], b[1])) overlaps++;
}
const again = L.placeLabels(many, byId, { width: 1414, height: 1000, u: 1.414, r: 25.5 });
many[0].label_offset = [0, -200];
const manual = L.placeLabels(many, byId, { width: 1414, height: 1000, u: 1.414, r: 25.5 }).get("p0");
out.labels = { count: placed.size, overlaps, same: JSON.stringify([...placed]) === JSON.stringify([...again]),
  manual: [manual.x, manual.y, manual.manual], widths: [L.textWidth("安全", 10), L.textWidth("ab", 10)] };
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def node_results():
    import shutil
    import subprocess

    node = shutil.which("node")
    assert node, "找不到 node：请运行 scripts/setup.sh。"
    script = NODE_SCRIPT % {
        name: json.dumps((JS / f"{name}.js").as_uri()) for name in ("model", "history", "labels")
    }
    out = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_vertex_edits_keep_an_area_at_3_and_a_route_at_2(node_results):
    r = node_results
    assert r["ids"] == ["e1", "e2"] and r["clamped"] == [[0, 1000]]
    assert r["inserted"] == 4 and r["areaAfterInsert"][4] == [0, 50]  # midpoint of the closing edge
    assert r["removals"][:2] == [None, None]
    assert all("至少要有 3 个顶点" in m for m in r["removals"][2:]) and r["areaLeft"] == 3
    assert r["routeRefusal"][0] is None and "至少要有 2 个点" in r["routeRefusal"][1]
    assert r["edges"] == [[[0, 1], [1, 2], [2, 3], [3, 0]], [[0, 1], [1, 2]]]


def test_history_undoes_and_redoes_snapshots(node_results):
    h = node_results["history"]
    assert h["labels"] == ["移动要素", "添加隐患点", "添加隐患点"]
    assert h["afterUndo"][0]["points"] == [[1, 1]] and h["afterTwo"] == []
    assert h["afterRedo"][0]["points"] == [[1, 1]]
    assert h["canUndoAtStart"] is False and h["canRedoAtEnd"] is False
    assert h["nothingLeft"] is None and h["limited"] == 100


def test_long_labels_are_placed_apart_the_same_way_every_time(node_results):
    lab = node_results["labels"]
    assert lab["count"] == 8 and lab["overlaps"] == 0 and lab["same"] is True
    assert lab["manual"][2] is True and lab["manual"][1] == pytest.approx(400 - 200)
    assert lab["widths"] == [20, pytest.approx(12.4)]
