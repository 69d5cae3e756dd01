"""The closed door between the browser and Python: the only functions a page may call.

The Web Worker (docs/assets/javascripts/py-worker.js) sends a name from `TABLE` and plain
arguments; nothing else runs. Each entry says which of the site's data files the function gets
first (the worker hands them over once, at start, through `set_data`) and what each argument the
page sends must be. `call` converts the arguments in one step (Pyodide's JS objects, Uint8Array,
JSON text), so `selfcheck.api` never checks types itself.

Every answer is a dict: `{"ok": True, "value": ...}` or `{"ok": False, "kind": "input"|"bug",
"message": ..., "detail": ...}`. An input error (`SelfcheckError`) carries a complete Chinese
sentence for the user. Anything else is a bug: the page shows a short apology and offers the
detail (the traceback) to copy, never shows it.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import api
from .errors import SelfcheckError

TEXT, BYTES, TEXTS, OPTIONAL_TEXT = "text", "bytes", "texts", "optional_text"
# A file the user chose, as the page read it: bytes (Uint8Array) are passed on undecoded, so the
# engine names a GBK, UTF-16 or cut-off file exactly as the CLI does (selfcheck.intake.decode_text).
FILE, FILES = "file", "files"


@dataclass(frozen=True)
class Entry:
    function: Callable[..., Any]
    data: tuple[str, ...]  # site data files passed first, by stem (assets/data/<stem>.json)
    args: tuple[str, ...]  # what the page sends, in order
    needs: tuple[str, ...] = ()  # extra wheels the worker loads before the first call ("openpyxl")


def _riskmap():
    # The risk map is its own package in the same wheel.
    import riskmap

    return riskmap


TABLE: dict[str, Entry] = {
    "score": Entry(api.score, ("standard", "scoring"), (TEXT, OPTIONAL_TEXT)),
    "score_page": Entry(api.score_page, ("standard", "scoring"), (TEXT, OPTIONAL_TEXT)),
    "export_json": Entry(api.export_json, ("standard", "scoring"), (TEXT, OPTIONAL_TEXT)),
    "export_csv": Entry(api.export_csv, ("standard", "scoring"), (TEXT, OPTIONAL_TEXT)),
    "export_xlsx": Entry(
        api.export_xlsx, ("standard", "scoring", "plan"), (TEXT, OPTIONAL_TEXT), ("openpyxl",)
    ),
    "report_html": Entry(api.report_html, ("standard", "scoring"), (TEXT, OPTIONAL_TEXT)),
    "import_details": Entry(api.import_details, ("standard",), (FILE, TEXT)),
    "compare": Entry(api.compare, ("standard", "scoring"), (FILE, TEXT, OPTIONAL_TEXT)),
    "aggregate": Entry(api.aggregate, ("standard", "scoring"), (FILES, TEXTS, OPTIONAL_TEXT)),
    "aggregate_xlsx": Entry(
        api.aggregate_xlsx,
        ("standard", "scoring", "plan"),
        (FILES, TEXTS, OPTIONAL_TEXT),
        ("openpyxl",),
    ),
    "blank_template": Entry(api.blank_template, ("standard",), ()),
    "export_formats": Entry(api.export_formats, (), ()),
    "parse_records": Entry(api.parse_records, (), (BYTES, TEXT)),
    "format_number": Entry(lambda n: api.format_number(float(n)), (), (TEXT,)),
    "standard_version": Entry(lambda standard: json.loads(standard)["version"], ("standard",), ()),
    # What Python has imported, by top-level name: lets a test prove openpyxl waits for an export.
    "loaded_modules": Entry(lambda: sorted({m.split(".")[0] for m in sys.modules}), (), ()),
    "riskmap_parse": Entry(
        lambda types, text: _riskmap().parse_map(text, types), ("risk_map",), (FILE,)
    ),
    "riskmap_xlsx": Entry(
        lambda types, doc: _riskmap().elements_xlsx(doc, types),
        ("risk_map",),
        (TEXT,),
        ("openpyxl",),
    ),
}

_data: dict[str, str] = {}


def data_stems() -> list[str]:
    """The site data files some entry needs, sorted: the build writes them into one file for the
    worker (assets/data/engine.json), which hands them over through `set_data`."""
    return sorted({stem for entry in TABLE.values() for stem in entry.data})


def set_data(files: Any) -> None:
    """The site's data files as {stem: JSON text}, fetched once by the worker."""
    _data.update(_to_py(files))


try:  # JS null arrives as Pyodide's `jsnull`, not None
    from pyodide.ffi import jsnull as _JSNULL
except ImportError:  # CPython: no JS values at all
    _JSNULL = None


def _to_py(value: Any) -> Any:
    if _JSNULL is not None and value is _JSNULL:
        return None
    if hasattr(value, "to_py"):  # a Pyodide JsProxy
        if getattr(getattr(value, "constructor", None), "name", "") == "Uint8Array":
            return value.to_bytes()
        return value.to_py()
    return value


class _BadArgument(Exception):
    pass


def _convert(kind: str, value: Any) -> Any:
    value = _to_py(value)
    if kind == OPTIONAL_TEXT and value is None:
        return None
    if kind in (TEXT, OPTIONAL_TEXT):
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value).decode("utf-8", errors="replace")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if not isinstance(value, str):
            raise _BadArgument(f"应为文本，收到 {type(value).__name__}")
        return value
    if kind == BYTES:
        if isinstance(value, str):
            return value.encode("utf-8")
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise _BadArgument(f"应为字节，收到 {type(value).__name__}")
        return bytes(value)
    if kind == FILE:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
        if not isinstance(value, str):
            raise _BadArgument(f"应为文件内容，收到 {type(value).__name__}")
        return value
    if kind == FILES:
        if not isinstance(value, (list, tuple)):
            raise _BadArgument(f"应为文件列表，收到 {type(value).__name__}")
        return [_convert(FILE, v) for v in value]
    if kind == TEXTS:
        if not isinstance(value, (list, tuple)):
            raise _BadArgument(f"应为文本列表，收到 {type(value).__name__}")
        return [_convert(TEXT, v) for v in value]
    raise _BadArgument(f"未知的参数类型 {kind}")


def _bug(message: str, detail: str) -> dict[str, Any]:
    return {"ok": False, "kind": "bug", "message": message, "detail": detail}


def needs(name: str) -> list[str]:
    """Extra wheels `name` needs loaded before it runs (empty for unknown names: call refuses them)."""
    entry = TABLE.get(str(name))
    return list(entry.needs) if entry else []


def call(name: Any, args: Any = ()) -> dict[str, Any]:
    """Run one table entry with the page's arguments; never raises."""
    name = str(_to_py(name))
    entry = TABLE.get(name)
    if entry is None:
        return _bug("程序内部出错。", f"refused: {name!r} is not in selfcheck.bridge.TABLE")
    args = list(_to_py(args) or [])
    if len(args) > len(entry.args) or len(args) < sum(k != OPTIONAL_TEXT for k in entry.args):
        return _bug(
            "程序内部出错。", f"{name}: expected {len(entry.args)} arguments, got {len(args)}"
        )
    try:
        converted = [_convert(kind, value) for kind, value in zip(entry.args, args, strict=False)]
        data = [_data[stem] for stem in entry.data]
    except (_BadArgument, KeyError) as exc:
        return _bug("程序内部出错。", f"{name}: {type(exc).__name__}: {exc}")
    try:
        value = entry.function(*data, *converted)
    except SelfcheckError as exc:
        return {"ok": False, "kind": "input", "message": str(exc)}
    except Exception:  # a bug: reported, never shown as is
        return _bug("程序内部出错。", f"{name}\n{traceback.format_exc()}")
    return {"ok": True, "value": value}
