"""The steps every file a user hands us goes through first, whatever its format.

Each reader (answers and exports in `importer`, 台账 in `records`, 风险一张图 in `riskmap`) calls
these, then applies its own rules. The steps, in order:

1. size cap, checked on the raw bytes before anything is decoded;
2. encoding: UTF-8 with or without BOM is read; UTF-16 (as Windows Notepad saves "Unicode") is
   read when it carries a BOM; GBK is read only where the format allows it (CSV from Excel) and is
   otherwise named as the problem; a file cut inside a multi-byte character is called truncated;
3. JSON parsing with a diagnosis in words: truncated, trailing comma, missing comma, bad quote...
   at line and column;
4. limits while parsing: no NaN/Infinity, no number too large for a double (1e309), no integer of
   more than `MAX_INT_DIGITS` digits, no key twice in one object, nesting at most `MAX_DEPTH`,
   at most `max_nodes` values (counted on the text before parsing, so memory is bounded);
5. text: no lone surrogate (cannot be written out again), no control character other than tab and
   line breaks, no bidi override (it can make a name read differently from what it is), and at
   most `MAX_TEXT` characters in one text field.

Every refusal is raised through the caller's `refuse(problem)`, so that the error names the file
the way that format's messages do. Nothing here imports beyond the standard library: it runs in
Pyodide as it is.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any, NoReturn

from .errors import SelfcheckError, excerpt

Refuse = Callable[[str], SelfcheckError]

# One limit for every free-text field (names, notes, 台账 备注): long text is almost always a paste
# accident, and the cap keeps exports, reports and messages readable.
MAX_TEXT = 2000
# An answers document or export, as a page or the CLI hands it over (selfcheck.importer, api): one
# with the full 20,000 台账 records and every note at its cap is about 4 MB.
DOCUMENT_MAX_BYTES = 8 * 1024 * 1024
DOCUMENT_MAX_NODES = 400_000
MAX_DEPTH = 32
MAX_INT_DIGITS = 15
MAX_NUMBER_CHARS = 40

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_JSON_ESCAPE_OF_BAD = re.compile(
    r"\\u(?:00[01][0-9a-fA-F]|007[fF]|202[a-eA-E]|206[6-9]|[dD][89a-fA-F][0-9a-fA-F]{2})"
)
_CJK = re.compile("[\u4e00-\u9fff]")


def fail(refuse: Refuse, problem: str) -> NoReturn:
    raise refuse(problem)


def size_text(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


# ---- files on disk (CLI side) --------------------------------------------------------------------


def os_problem(exc: OSError) -> str:
    """An OS error in Chinese, by its kind: never the system's English text."""
    import errno

    if isinstance(exc, FileNotFoundError):
        return "找不到这个文件，请检查路径和文件名"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件，请指定文件夹里的文件"
    if isinstance(exc, NotADirectoryError):
        return "路径中有一段不是文件夹，请检查路径"
    if isinstance(exc, PermissionError):
        return "没有权限读写这个文件，请检查文件权限或换一个位置"
    if isinstance(exc, FileExistsError):
        return "文件已存在"
    words = {
        errno.ENAMETOOLONG: "文件名或路径太长",
        errno.ELOOP: "路径中的符号链接形成了循环",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "这个位置是只读的",
        errno.EMFILE: "同时打开的文件太多",
        errno.EIO: "读写磁盘时出错",
    }
    return words.get(
        exc.errno, f"系统拒绝了读写（错误编号 {exc.errno}）" if exc.errno else "系统拒绝了读写"
    )


def read_file_bytes(path: Any, refuse: Refuse, max_bytes: int) -> bytes:
    """A file's bytes, reading at most `max_bytes` + 1 (a device or a growing file cannot fill memory)."""
    import os
    import stat

    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                fail(refuse, "这是一个文件夹，不是文件，请指定文件夹里的文件。")
            if not stat.S_ISREG(info.st_mode):
                fail(refuse, "这不是普通文件（可能是设备或管道），请指定一个保存在磁盘上的文件。")
            if info.st_size > max_bytes:
                fail(
                    refuse, f"文件太大（{size_text(info.st_size)}，上限 {size_text(max_bytes)}）。"
                )
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        fail(refuse, os_problem(exc) + "。")
    except ValueError:  # a path with a NUL character
        fail(refuse, "文件路径里有无效字符，请检查。")
    if len(data) > max_bytes:
        fail(refuse, f"文件太大（超过 {size_text(max_bytes)}）。")
    return data


# ---- bytes to text ------------------------------------------------------------------------------


def decode_text(data: Any, refuse: Refuse, *, max_bytes: int, accept_gbk: bool = False) -> str:
    """The text of a file, or a refusal naming its encoding problem.

    Args:
        data: bytes (or str, as the browser may pass text already decoded).
        refuse: builds the format's error from a problem sentence.
        max_bytes: refuse anything larger, before decoding.
        accept_gbk: read GBK/GB18030 too (CSV saved by Excel on Chinese Windows).
    """
    if hasattr(data, "to_py"):
        data = data.to_py()
    if isinstance(data, str):
        if len(data) > max_bytes:
            fail(refuse, f"文件太大（超过 {size_text(max_bytes)}），不是本工具能读的文件。")
        return data.lstrip("\ufeff")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        fail(refuse, "没有收到文件内容。")
    data = bytes(data)
    if len(data) > max_bytes:
        fail(
            refuse,
            f"文件太大（{size_text(len(data))}，上限 {size_text(max_bytes)}），不是本工具能读的文件。",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            fail(
                refuse, "文件是 UTF-16 编码，但内容不完整（可能被截断）。请重新导出或另存为 UTF-8。"
            )
    elif _looks_utf16(data):
        fail(refuse, "文件像是 UTF-16 编码但没有字节顺序标记。请用记事本“另存为”UTF-8 编码后再试。")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) and exc.reason == "unexpected end of data":
            fail(
                refuse,
                "文件不完整：在最后一个字的中间中断了，可能下载或复制时被截断。请重新导出后再试。",
            )
        where = exc.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _CJK.search(text):
        if accept_gbk:
            return text
        fail(
            refuse,
            "文件是 GBK 编码（多见于记事本或 Excel 的“ANSI”保存），本工具只读 UTF-8。"
            "请用记事本“另存为”并选择 UTF-8 编码后再试。",
        )
    line = data.count(b"\n", 0, where) + 1
    fail(
        refuse,
        f"第 {line} 行有不是文字的内容（不是 UTF-8 编码），这不是文本文件，或文件已损坏。请使用本工具导出的原始文件。",
    )


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: ASCII characters (digits, commas, braces) leave zero bytes at every
    other position, which UTF-8 and GBK text never has."""
    head = data[:400]
    return len(head) >= 4 and max(head[0::2].count(0), head[1::2].count(0)) * 4 >= len(head) // 2


# ---- JSON ---------------------------------------------------------------------------------------

_JSON_WORDS = {
    "Expecting value": "缺少值",
    "Expecting property name enclosed in double quotes": "键名应使用英文双引号",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Extra data": "结尾有多余内容",
    "Unterminated string starting at": "引号没有闭合",
    "Invalid control character at": "文字中含有控制字符（如换行）",
    "Invalid \\escape": "反斜杠转义写法不对",
    "Invalid \\uXXXX escape": "\\u 转义写法不对",
}


class _Refused(Exception):
    """Carries a problem sentence out of the json module's hooks."""


def parse_json(
    data: Any, refuse: Refuse, *, max_bytes: int, max_nodes: int, max_depth: int = MAX_DEPTH
) -> Any:
    """Parse a JSON file with every shared limit; return the value or raise `refuse(problem)`."""
    text = decode_text(data, refuse, max_bytes=max_bytes)
    if not text.strip():
        fail(refuse, "文件是空的。")
    nodes = text.count(",") + text.count("[") + text.count("{")
    if nodes > max_nodes:
        fail(
            refuse,
            f"文件中的数据项太多（约 {nodes} 个，上限 {max_nodes} 个），不是本工具导出的文件。",
        )
    if text_depth(text, max_depth) > max_depth:
        fail(refuse, f"数据嵌套过深（超过 {max_depth} 层），不是本工具导出的文件。")
    try:
        value = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
            object_pairs_hook=_unique_keys,
        )
    except _Refused as exc:
        fail(refuse, str(exc))
    except json.JSONDecodeError as exc:
        fail(refuse, _json_diagnosis(text, exc))
    except RecursionError:
        fail(refuse, f"数据嵌套过深（超过 {max_depth} 层），不是本工具导出的文件。")
    # Depth was measured on the text; characters need a walk only if the text holds one of them,
    # raw or as a \u escape (a walk costs more than the parse itself).
    if _BAD_CHARS.search(text) or _JSON_ESCAPE_OF_BAD.search(text):
        check_tree(value, refuse, text=text, max_depth=max_depth)
    return value


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKETS = str.maketrans({"[": "\x02", "{": "\x02", "]": "\x00", "}": "\x00"})


def text_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deep [ ] { } nest outside strings, measured on the text before parsing (0 when there
    are too few brackets to pass `limit`).

    The json module parses nesting by recursion in C. CPython stops that with a RecursionError,
    but in Pyodide the WebAssembly stack overflows first and the whole runtime dies ("Maximum
    call stack size exceeded"), so depth must be known before `json.loads` sees the text. Every
    step runs in C (split or regex, translate, accumulate): about 0.5 ms for a 13 KB export.
    """
    from itertools import accumulate, count
    from operator import sub

    if text.count("[") + text.count("{") <= limit:
        return 0
    # Without an escaped quote, every other piece between quotes is outside a string.
    outside = "".join(text.split('"')[0::2]) if '\\"' not in text else _STRING.sub("", text)
    values = _NOT_BRACKET.sub("", outside).translate(_BRACKETS).encode("latin-1")
    return max(map(sub, accumulate(values), count(1)), default=0)


def _refuse_constant(name: str):
    raise _Refused(f"含有 {name}，它不是有效的数字。请使用本工具导出的原始文件。")


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(f"数字“{excerpt(digits, 20)}”位数过多（超过 {MAX_INT_DIGITS} 位），请核对。")
    return int(digits)


def _parse_float(text: str) -> float:
    value = float(text) if len(text) <= MAX_NUMBER_CHARS else math.inf
    if not math.isfinite(value):
        raise _Refused(f"数字“{excerpt(text, 20)}”超出范围，请核对。")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(
                    f"同一处出现了两个“{excerpt(key)}”，无法判断以哪个为准。请删除重复的一项。"
                )
            seen.add(key)
    return out


def _json_diagnosis(text: str, exc: json.JSONDecodeError) -> str:
    before = text[: exc.pos].rstrip()
    here = text[exc.pos : exc.pos + 1]
    at = f"第 {exc.lineno} 行第 {exc.colno} 列"
    # Python 3.13+ names a trailing comma itself (at the comma); 3.11 reports the bracket after it.
    comma = (
        exc.pos
        if exc.msg.startswith("Illegal trailing comma")
        else len(before) - 1
        if before.endswith(",") and here in ("}", "]")
        else None
    )
    if comma is not None:
        line = text.count("\n", 0, comma) + 1
        col = comma - text.rfind("\n", 0, comma)
        return (
            f"不是有效的 JSON：第 {line} 行第 {col} 列多了一个逗号（最后一项后面不能有逗号）。"
            "请删除这个逗号，或使用本工具导出的原始文件。"
        )
    rest = text[exc.pos :].rstrip()
    cut = (
        not rest
        or (exc.msg.startswith("Unterminated string") and "\n" not in rest)
        or any(word.startswith(rest) for word in ("true", "false", "null"))
        or re.fullmatch(r"-?\d*(\.\d*)?([eE][-+]?\d*)?", rest) is not None
    )
    if cut and text.lstrip()[:1] in "{[":
        return f"文件不完整（在第 {exc.lineno} 行就中断了），可能下载或复制时被截断。请重新导出后再导入。"
    if exc.pos == 0 and text.lstrip()[:1] not in '{["-0123456789tfn':
        return "不是有效的 JSON 文件（开头不是“{”）。请选择本工具导出的 .json 文件。"
    words = next((zh for en, zh in _JSON_WORDS.items() if exc.msg.startswith(en)), "格式错误")
    return f"不是有效的 JSON（{at}：{words}）。请使用本工具导出的原始 .json 文件。"


def check_tree(
    value: Any, refuse: Refuse, *, text: str | None = None, max_depth: int = MAX_DEPTH
) -> None:
    """Depth and text checks over a parsed value, without recursion (a deep value cannot overflow)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            if depth > max_depth:
                fail(refuse, f"数据嵌套过深（超过 {max_depth} 层），不是本工具导出的文件。")
            for key, child in node.items():
                _check_chars(key, refuse, text)
                stack.append((child, depth + 1))
        elif isinstance(node, list):
            if depth > max_depth:
                fail(refuse, f"数据嵌套过深（超过 {max_depth} 层），不是本工具导出的文件。")
            stack.extend((child, depth + 1) for child in node)
        elif isinstance(node, str):
            _check_chars(node, refuse, text)


def _check_chars(value: str, refuse: Refuse, text: str | None) -> None:
    m = _BAD_CHARS.search(value)
    if m is None:
        return
    where = ""
    if text is not None:
        found = _JSON_ESCAPE_OF_BAD.search(text) or _BAD_CHARS.search(text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            col = found.start() - text.rfind("\n", 0, found.start())
            where = f"第 {line} 行第 {col} 列"
    fail(
        refuse,
        f"{where}的文字“{excerpt(value)}”含有{char_kind(m.group())}，请删除后再试。"
        if where
        else f"文字“{excerpt(value)}”含有{char_kind(m.group())}，请删除后再试。",
    )


def char_kind(ch: str) -> str:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"不成对的代理字符（\\u{code:04x}，常见于复制时被截断的表情符号）"
    if 0x202A <= code <= 0x2069:
        return f"改变文字方向的隐藏字符（\\u{code:04x}）"
    return f"不可见的控制字符（\\x{code:02x}）"


# ---- text fields --------------------------------------------------------------------------------


def check_text(value: str, refuse: Refuse, *, limit: int = MAX_TEXT) -> str:
    """A text field within `limit` characters and without control, bidi or surrogate characters."""
    if len(value) > limit:
        fail(refuse, f"文字过长（{len(value)} 字），请控制在 {limit} 字以内。")
    m = _BAD_CHARS.search(value)
    if m:
        fail(refuse, f"文字“{excerpt(value)}”含有{char_kind(m.group())}，请删除后再试。")
    return value


def bad_char(value: str) -> str | None:
    """The first character `check_text` would refuse, or None."""
    m = _BAD_CHARS.search(value)
    return m.group() if m else None


# ---- output to terminals and spreadsheets ---------------------------------------------------------

_TERMINAL_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_safe(text: str) -> str:
    """Text for a terminal: ESC, BEL and other controls shown as \\xNN, so a name in a file can
    never recolour, retitle or clear the terminal it is printed in. Tab and newline are kept."""
    return _TERMINAL_BAD.sub(lambda m: excerpt(m.group()), text)
