"""风险一张图 (item 4.1): the map document the browser tool saves, checked as it is imported.

A map document is what the page exports as JSON and imports again:

    {"format": "sc-riskmap", "version": 1,
     "meta": {"community": "…", "date": "2024-08-01", "author": "…"},
     "image": null | {"href": "data:image/png;base64,…", "width": 1200, "height": 800},
     "elements": [{"id": "e1", "type": "hazard", "name": "…", "note": "…", "points": [[x, y]],
                   "label_offset": [dx, dy]}]}

Coordinates are in the base image's pixels. `label_offset` (optional) is where the user dragged
the element's name label: its centre, measured from the element's anchor (a point itself, an
area's vertex average, a route's middle vertex). Without it the page places the label itself; a
map saved before labels could be dragged has none and imports as before.

The element types come from `data/risk_map.yaml` (passed in as its JSON text, the way the browser
gets it). A file that is not such a document is refused with a `MapFileError` naming the field;
nothing is half-imported. This module needs the standard library alone (and selfcheck's error and
intake helpers).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from selfcheck.errors import MapFileError, excerpt, excerpt_list
from selfcheck.intake import MAX_TEXT, check_text, parse_json

FORMAT = "sc-riskmap"
VERSION = 1
MAX_ELEMENTS = 2000
MAX_POINTS = 100_000  # all elements together; drawn by hand, a map has a few thousand
MAX_IMAGE_CHARS = 40 * 1024 * 1024  # a data URL; about 30 MB of picture
MAX_BYTES = MAX_IMAGE_CHARS + 8 * 1024 * 1024
MAX_NODES = 4 * MAX_POINTS + 10 * MAX_ELEMENTS
MAX_OFFSET = 20000  # a label dragged off the largest sheet is a damaged file
_MIN_POINTS = {"point": (1, 1), "line": (2, 500), "polygon": (3, 500)}
_GEOMETRY_WORDS = {"point": "点", "line": "路线", "polygon": "区域"}
_DATA_URL = re.compile(r"data:image/(png|jpeg);base64,([A-Za-z0-9+/\s]+={0,2}\s*)")
_MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEYS = {
    "": {"format", "version", "meta", "image", "elements"},
    "meta": {"community", "date", "author"},
    "image": {"href", "width", "height"},
    "element": {"id", "type", "name", "note", "points", "label_offset"},
}


def load_types(types: str | dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The element types of `data/risk_map.yaml` by id.

    Args:
        types: the data file as parsed data, or its JSON text (as the browser passes it).
    Returns:
        `{type_id: type}` in the file's order.
    """
    data = json.loads(types) if isinstance(types, str) else types
    return {t["id"]: t for t in data["types"]}


def parse_map(text: str | bytes, types: str | dict[str, Any]) -> dict[str, Any]:
    """Read and check a map document; return it normalised (numbers as floats, ints kept).

    Args:
        text: the JSON file's content.
        types: `data/risk_map.yaml` as data or JSON text.
    Returns:
        The document, safe to draw.
    Raises:
        MapFileError: the file is not JSON, not a 风险一张图 file, or a field is wrong.
    """
    by_id = load_types(types)
    doc = parse_json(
        text, lambda problem: MapFileError("", problem), max_bytes=MAX_BYTES, max_nodes=MAX_NODES
    )
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise MapFileError(
            "format",
            f"这不是“风险一张图”文件（format 应为 {FORMAT}）。请选择本页“导出 JSON”得到的文件。",
        )
    _only_keys(doc, "", "")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise MapFileError(
            "version", f"文件版本应为整数，现在是“{excerpt(version)}”。请使用本页导出的原始文件。"
        )
    if version != VERSION:
        raise MapFileError(
            "version",
            f"文件是第 {excerpt(version)} 版，本工具只读第 {VERSION} 版。"
            + ("请使用新版本的网站打开。" if version > VERSION else ""),
        )
    meta = _object(doc.get("meta"), "meta")
    _only_keys(meta, "meta", "meta")
    out_meta = {
        key: _text(meta.get(key, ""), f"meta.{key}", limit=200)
        for key in ("community", "date", "author")
    }
    if out_meta["date"]:
        _check_date(out_meta["date"])
    image = doc.get("image")
    if image is not None:
        image = _object(image, "image")
        _only_keys(image, "image", "image")
        href = image.get("href")
        _check_picture(href)
        image = {
            "href": href,
            "width": _size(image.get("width"), "image.width"),
            "height": _size(image.get("height"), "image.height"),
        }
    elements = doc.get("elements")
    if not isinstance(elements, list):
        raise MapFileError("elements", "应为要素的列表。")
    if len(elements) > MAX_ELEMENTS:
        raise MapFileError("elements", f"要素太多（{len(elements)} 个），最多 {MAX_ELEMENTS} 个。")
    total = sum(
        len(e["points"])
        for e in elements
        if isinstance(e, dict) and isinstance(e.get("points"), list)
    )
    if total > MAX_POINTS:
        raise MapFileError("elements", f"坐标点太多（共 {total} 个），最多 {MAX_POINTS} 个。")
    seen: set[str] = set()
    out_elements = []
    for n, element in enumerate(elements):
        where = f"elements[{n}]"
        element = _object(element, where)
        _only_keys(element, "element", where)
        eid = element.get("id")
        if not isinstance(eid, str) or not eid or len(eid) > 64:
            raise MapFileError(f"{where}.id", "每个要素要有编号（不超过 64 个字符的文字）。")
        if eid in seen:
            raise MapFileError(f"{where}.id", f"编号“{excerpt(eid)}”重复了。")
        seen.add(eid)
        kind = element.get("type")
        if not isinstance(kind, str) or kind not in by_id:
            raise MapFileError(
                f"{where}.type",
                f"未知的要素类型“{excerpt(kind)}”，本页没有这种要素。请使用本页导出的原始文件。",
            )
        geometry = by_id[kind]["geometry"]
        points = element.get("points")
        low, high = _MIN_POINTS[geometry]
        if not isinstance(points, list) or not low <= len(points) <= high:
            count = f"{low} 个点" if low == high else f"{low}～{high} 个点"
            raise MapFileError(
                f"{where}.points",
                f"{by_id[kind]['label']}是{_GEOMETRY_WORDS[geometry]}，坐标应有 {count}。",
            )
        out = {
            "id": eid,
            "type": kind,
            "name": _text(element.get("name", ""), f"{where}.name"),
            "note": _text(element.get("note", ""), f"{where}.note"),
            "points": [_point(p, f"{where}.points[{i}]") for i, p in enumerate(points)],
        }
        if "label_offset" in element:
            out["label_offset"] = _offset(element["label_offset"], f"{where}.label_offset")
        out_elements.append(out)
    return {
        "format": FORMAT,
        "version": VERSION,
        "meta": out_meta,
        "image": image,
        "elements": out_elements,
    }


def _object(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MapFileError(field, "应为键值表（JSON 对象）。")
    return value


def _only_keys(value: dict[str, Any], kind: str, field: str) -> None:
    # Unknown keys mean a foreign or newer file: refuse rather than silently drop what we don't know.
    extra = sorted(set(value) - _KEYS[kind])
    if extra:
        raise MapFileError(field, f"未知字段“{excerpt_list(extra)}”，这个文件不是本工具导出的。")


def _text(value: Any, field: str, *, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise MapFileError(field, f"应为文字，现在是“{excerpt(value)}”。")
    return check_text(value, lambda problem: MapFileError(field, problem), limit=limit)


def _check_date(text: str) -> None:
    from datetime import date

    if _DATE.fullmatch(text):
        try:
            date.fromisoformat(text)
            return
        except ValueError:
            raise MapFileError(
                "meta.date", f"绘制日期“{excerpt(text)}”不存在（月份或日期超出范围），请核对。"
            ) from None
    raise MapFileError("meta.date", f"绘制日期“{excerpt(text)}”应写成 2024-08-01 这样的格式。")


def _check_picture(href: Any) -> None:
    """The whole data URL: PNG or JPEG, base64 throughout, and the bytes begin as that format does."""
    import base64
    import binascii

    problem = (
        "底图应是 PNG 或 JPEG 图片的 data URL（data:image/png;base64,…），且不超过约 30"
        " MB。请重新选择底图后导出。"
    )
    if not isinstance(href, str) or len(href) > MAX_IMAGE_CHARS:
        raise MapFileError("image.href", problem)
    m = _DATA_URL.fullmatch(href)
    if m is None:
        raise MapFileError("image.href", problem)
    body = "".join(m.group(2)[:200].split())[:64]
    try:
        head = base64.b64decode(body[: len(body) // 4 * 4], validate=True)
    except (binascii.Error, ValueError):
        raise MapFileError("image.href", problem) from None
    if not head.startswith(_MAGIC[m.group(1)]):
        raise MapFileError(
            "image.href",
            f"底图声明是 {m.group(1).upper()} 图片，但内容不是。请重新选择底图后导出。",
        )


def _number(value: Any, field: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise MapFileError(field, f"应为数字，现在是“{excerpt(value)}”。")
    return value


def _size(value: Any, field: str) -> float | int:
    number = _number(value, field)
    if not 1 <= number <= 20000:
        raise MapFileError(field, f"图片尺寸 {excerpt(number)} 不合理（应在 1～20000 像素之间）。")
    return number


def _point(value: Any, field: str) -> list[float | int]:
    if not isinstance(value, list) or len(value) != 2:
        raise MapFileError(field, "每个坐标应是 [x, y] 两个数字。")
    x, y = (_number(v, field) for v in value)
    if not (-1e6 <= x <= 1e6 and -1e6 <= y <= 1e6):
        raise MapFileError(field, f"坐标 [{excerpt(x)}, {excerpt(y)}] 超出范围。")
    return [x, y]


def _offset(value: Any, field: str) -> list[float | int]:
    if not isinstance(value, list) or len(value) != 2:
        raise MapFileError(field, "名称标签的位置应是 [横向, 纵向] 两个数字。")
    dx, dy = (_number(v, field) for v in value)
    if not (-MAX_OFFSET <= dx <= MAX_OFFSET and -MAX_OFFSET <= dy <= MAX_OFFSET):
        raise MapFileError(
            field,
            f"名称标签离要素太远（[{excerpt(dx)}, {excerpt(dy)}]），不能超过 {MAX_OFFSET} 像素。",
        )
    return [dx, dy]
