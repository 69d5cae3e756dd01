"""Every error the package raises on bad input, each a complete Chinese sentence shown as it is.

One base, `SelfcheckError`; each subclass keeps the structured fields it was built from (file, row,
field, problem) and builds its sentence from them, so a caller can test or re-word by field instead
of parsing text. Values quoted from a user's file go through `excerpt`: a message quotes at most a
short, printable piece of what was read, never a megabyte of it and never a raw control character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

EXCERPT_CHARS = 40
LIST_SHOWN = 5


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A short printable form of a value for a message: capped, control characters shown as \\xNN.

    Terminal escapes (ESC, BEL), bidi overrides and lone surrogates from a file must not reach a
    terminal or a page as themselves: they could recolour, reorder or break what follows.
    """
    text = value if isinstance(value, str) else _as_json(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return "".join(_printable(ch) for ch in text)


def excerpt_path(path: Any, limit: int = 80) -> str:
    """A file's path for a message: a long one loses its middle, never its end, so the file's own
    name is always there to recognise (…/导出/新建文件夹/示范社区.json)."""
    text = str(path)
    if len(text) > limit:
        name = re.split(r"[/\\]", text)[-1]
        keep = max(limit - len(name) - 1, 0)
        text = (text[:keep] + "…" + name) if len(name) < limit else "…" + text[-limit:]
    return "".join(_printable(ch) for ch in text)


def _as_json(value: Any) -> str:
    """A value as the file spells it (true, null, ["a"]), not as Python does (True, None, ['a'])."""
    import json

    if isinstance(value, (dict, list)):
        try:
            return json.dumps(value, ensure_ascii=False)[:200]
        except (TypeError, ValueError, RecursionError):
            return "…"
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return repr(value) if isinstance(value, float) else str(value)


def excerpt_list(values: Iterable[Any], shown: int = LIST_SHOWN) -> str:
    """`a、b、c` or `a、b、c、d、e 等 4000 项`: a list in a message never grows with the file."""
    values = list(values)
    head = "、".join(excerpt(v) for v in values[:shown])
    return head if len(values) <= shown else f"{head} 等 {len(values)} 项"


def _printable(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0:
        return f"\\x{code:02x}"
    if (
        0xD800 <= code <= 0xDFFF
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
        or code in (0x200E, 0x200F, 0x061C)
    ):
        return f"\\u{code:04x}"
    return ch


class SelfcheckError(Exception):
    """Base class: every error the package raises on bad input. `str(error)` is the sentence."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class DataError(SelfcheckError):
    """A data file (YAML in `data/`) is wrong. Names the file, the item id and the field."""

    def __init__(self, file: str, where: str, field: str, problem: str):
        self.file, self.where, self.field, self.problem = file, where, field, problem
        super().__init__(f"数据文件 {file}：{where} 的字段 {field}：{problem}")


class AnswerError(SelfcheckError):
    """The answers document is wrong. The message names the field and what to do."""

    def __init__(self, where: str, problem: str):
        self.where, self.problem = where, problem
        super().__init__(f"自评数据中 {where}：{problem}")


class ImportRefused(SelfcheckError):
    """A file cannot be imported. The message names the file, says why and what to do."""

    def __init__(self, filename: str, problem: str):
        self.filename, self.problem = filename, problem
        super().__init__(f"文件“{excerpt_path(filename)}”无法导入：{problem}")


class DuplicateSite(SelfcheckError):
    """In a roll-up, two files are the same site; the older export is set aside."""

    def __init__(self, filename: str, kept: str, town: str, site_name: str):
        self.filename, self.kept, self.town, self.site_name = filename, kept, town, site_name
        super().__init__(
            f"文件“{excerpt_path(filename)}”与“{excerpt_path(kept)}”是同一点位"
            f"（{excerpt(town)} {excerpt(site_name)}），已采用较新的导出。"
        )


class RecordsError(SelfcheckError):
    """A 台账 file cannot be read. The message names the file, the row and what to do."""

    def __init__(self, filename: str, problem: str, row: int | None = None):
        self.filename, self.problem, self.row = filename, problem, row
        where = f"第 {row} 行：" if row is not None else ""
        super().__init__(f"台账文件“{excerpt_path(filename)}”：{where}{problem}")


# What a staff member calls each part of a 风险一张图 file (the JSON path stays in `.field`).
_MAP_PARTS = {
    "version": "文件版本",
    "format": "文件类型",
    "meta": "图的说明",
    "meta.community": "社区名称",
    "meta.date": "绘制日期",
    "meta.author": "绘制人",
    "image": "底图",
    "image.href": "底图图片",
    "image.width": "底图宽度",
    "image.height": "底图高度",
    "elements": "要素列表",
}
_MAP_ELEMENT_PARTS = {
    "id": "编号",
    "type": "类型",
    "name": "名称",
    "note": "备注",
    "points": "位置",
    "label_offset": "名称标签位置",
}
_MAP_PATH = re.compile(r"elements\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\])?$")


def map_field_words(field: str) -> str:
    """`elements[2].points[1]` → 第 3 个要素的第 2 个坐标点: the words a reader knows."""
    if field in _MAP_PARTS:
        return _MAP_PARTS[field]
    m = _MAP_PATH.match(field)
    if not m:
        return "文件内容"
    n, part, point = m.groups()
    words = f"第 {int(n) + 1} 个要素"
    if part:
        words += f"的{_MAP_ELEMENT_PARTS.get(part, '内容')}"
    if point is not None:
        words += f"（第 {int(point) + 1} 个坐标点）"
    return words


class MapFileError(SelfcheckError):
    """An imported 风险一张图 file is not usable. Names the part in words and says what to do."""

    def __init__(self, field: str, problem: str):
        self.field, self.problem = field, problem
        where = f"{map_field_words(field)}：" if field else ""
        super().__init__(f"这个文件不能导入：{where}{problem}")


class ExportError(SelfcheckError):
    """An export cannot be produced (for example, openpyxl is missing)."""

    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(problem)


class UsageError(SelfcheckError):
    """The command line was used wrongly, or a file named on it cannot be read or written."""

    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(problem)


# ---- 报送材料包 (selfcheck/package.py, issue 16; helper "dossier") ----------------------------------


class PackageRefused(SelfcheckError):
    """A 报送材料包 cannot be used. The message is one sentence naming the package and the file."""

    def __init__(self, filename: str, problem: str):
        self.filename, self.problem = filename, problem
        super().__init__(f"报送材料包“{filename}”无法使用：{problem}")


class PackageTampered(PackageRefused):
    """A file was changed, added or removed after packing, or is damaged."""


class PackageUnsafe(PackageRefused):
    """Paths escaping the folder, links, duplicates, or a zip bomb."""


class PackageTooLarge(PackageRefused):
    """Over the stated limits (per file, per community, per package), refused before work starts."""


class PackageTooNew(PackageRefused):
    """Made by a newer version of the tool."""
