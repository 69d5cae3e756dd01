"""Dated 台账 rows (CSV or XLSX) and the calendar periods they are judged in.

`read_records` reads a community's own log: columns 日期, 类型, 人数, 备注 (common header variants
accepted), CSV in UTF-8 (with or without BOM) or GBK as Excel saves it, or XLSX. Bad rows raise
`RecordsError` naming the row as the spreadsheet numbers it (the header is row 1).

Periods are calendar months, quarters (2024年第3季度), halves (2024年上半年) and years. Only periods
lying wholly inside the assessment window are judged; a partly covered period at either end is left
out. When no whole period fits in the window (say a 6-month window and a yearly requirement), the
whole window is judged as one period and the message says so.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .errors import AnswerError, RecordsError, SelfcheckError, excerpt, excerpt_list
from .intake import Refuse, check_text, decode_text, fail, read_file_bytes, size_text

HEADERS = {
    "date": ("日期", "时间", "活动日期", "开展日期", "开展时间", "活动时间", "日期时间", "date"),
    "type": ("类型", "活动类型", "台账类型", "类别", "记录类型", "活动类别", "type"),
    "people": ("人数", "参加人数", "参与人数", "覆盖人数", "参会人数", "到场人数", "people"),
    "note": ("备注", "说明", "内容", "活动内容", "note", "notes"),
}
MAX_ROWS = 20000
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 64  # the header is looked for in these; 台账 has four columns
MAX_SHEET_ROWS = MAX_ROWS + 1000  # rows read from a sheet, blank ones included
MAX_ZIP_MEMBERS = 200
MAX_INFLATED_BYTES = 60 * 1024 * 1024  # a full 20,000-row 台账 inflates to about 5 MB
MAX_ZIP_RATIO = 200  # Excel's own files compress 5–20×; a bomb compresses 1000× and more
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


def read_records(
    source: str | Path | bytes, filename: str | None = None, *, types: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Read a 台账 spreadsheet into records `{"date", "type", "people", "note"}`.

    Time and memory are bounded while reading, not after: at most `MAX_FILE_BYTES` of file, at most
    `MAX_ROWS` data rows (reading stops at the first row over), at most `MAX_COLUMNS` columns looked
    at; an XLSX archive is checked for an absurd inflated size or ratio and for DTDs before parsing.

    Args:
        source: a path, or the file's bytes (the browser passes bytes).
        filename: the name shown in messages; its extension (.csv, .xlsx) picks the reader.
        types: if given, the allowed 类型 values; any other type is refused with the row number.
    Returns:
        Records in file order; blank rows are skipped.
    Raises:
        RecordsError: naming the row and the field.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        data = read_file_bytes(
            path, lambda problem: RecordsError(filename, problem), MAX_FILE_BYTES
        )
    elif hasattr(source, "to_py") or isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source.to_py() if hasattr(source, "to_py") else source)
        filename = filename or "台账"
    else:
        raise RecordsError(str(filename or "台账"), "没有收到文件内容。")
    filename = str(filename)
    if len(data) > MAX_FILE_BYTES:
        raise RecordsError(
            filename,
            f"文件太大（{size_text(len(data))}，上限 {size_text(MAX_FILE_BYTES)}），请只保留评估期内的记录。",
        )
    if not data.strip():
        raise RecordsError(filename, "文件是空的。")
    is_xlsx = filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK"
    rows = _xlsx_rows(data, filename) if is_xlsx else _csv_rows(data, filename)
    return _records_from_rows(rows, filename, list(types) if types is not None else None)


def _csv_rows(data: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    text = decode_text(
        data,
        lambda problem: RecordsError(filename, problem),
        max_bytes=MAX_FILE_BYTES,
        accept_gbk=True,
    )
    if "\x00" in text:
        raise RecordsError(
            filename, "不是文本格式的 CSV 文件。如是 Excel 文件，请保存为 .xlsx 或 .csv。"
        )
    try:
        sample = text[:4096]
        dialect = (
            csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.count("\n") else csv.excel
        )
    except csv.Error:
        dialect = csv.excel
    # strict: a quote that is never closed is an error, not a field running to the end of the file
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    n = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise RecordsError(
                filename, row=reader.line_num or n + 1, problem=_csv_problem(str(exc))
            ) from None
        n += 1
        yield n, row[:MAX_COLUMNS]


def _csv_problem(message: str) -> str:
    if "field larger than field limit" in message:
        return (
            f"有一个单元格的内容太长（超过 {csv.field_size_limit()} 个字符），多半是引号"
            "没有配对。请用 Excel 打开检查后重新另存为 CSV。"
        )
    if "unexpected end of data" in message or "expected" in message:
        return "引号没有配对（某个单元格以英文双引号开头却没有结束）。请用 Excel 打开检查后重新另存为 CSV。"
    if "new-line character seen in unquoted field" in message:
        return "换行符的写法不规范。请用 Excel 打开后重新另存为 CSV。"
    return "CSV 格式有误（多半是引号没有配对）。请用 Excel 打开检查后重新另存为 CSV。"


def _xlsx_rows(data: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    check_xlsx_archive(data, lambda problem: RecordsError(filename, problem))
    try:
        import openpyxl
    except ImportError:
        raise RecordsError(
            filename, "读取 Excel 文件需要 openpyxl，当前环境没有安装。请另存为 CSV 再试。"
        ) from None
    damaged = "不是有效的 Excel（.xlsx）文件，或文件已损坏。请用 Excel 打开后重新保存为 .xlsx，或另存为 CSV。"
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file; all mean the same to a user
        raise RecordsError(filename, damaged) from None
    try:
        if not book.worksheets:
            raise RecordsError(filename, "工作簿里没有工作表。请把台账放在第一个工作表中。")
        sheet = book.worksheets[0]
        # The sheet's own <dimension> may claim a million rows and 16,384 columns (a "dimension
        # bomb"); read_only mode pads every row to it. Explicit bounds keep the reading finite.
        rows = sheet.iter_rows(
            min_row=1, max_row=MAX_SHEET_ROWS, max_col=MAX_COLUMNS, values_only=True
        )
        n = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:  # a bad number or date cell, a cut sheet: openpyxl raises anything
                raise RecordsError(filename, row=n + 1, problem=damaged) from None
            n += 1
            yield n, list(row)
    finally:
        book.close()


def check_xlsx_archive(data: bytes, refuse: Refuse) -> None:
    """Refuse a zip bomb or an XML DTD before openpyxl parses anything.

    The sizes come from the archive's directory; `zipfile` never inflates a member beyond its
    declared size (it stops and fails the CRC check), so checking the declared sizes bounds memory.
    """
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (
        Exception
    ):  # zipfile raises BadZipFile, ValueError, OSError, EOFError on damaged archives
        fail(
            refuse,
            "不是有效的 Excel（.xlsx）文件，或文件已损坏。请用 Excel 打开后重新保存为 .xlsx，或另存为 CSV。",
        )
    if len(members) > MAX_ZIP_MEMBERS:
        fail(refuse, f"压缩包里有 {len(members)} 个文件，不像是台账表格。请另存为 CSV 后再试。")
    total = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if total > MAX_INFLATED_BYTES or (total > 1024 * 1024 and total / packed > MAX_ZIP_RATIO):
        fail(
            refuse,
            (
                f"文件解压后有 {size_text(total)}（压缩比 {total // packed} 倍），远超台账表格的"
                "正常大小，可能是恶意文件。请另存为 CSV 后再试。"
            ),
        )
    try:
        for member in members:
            if member.filename.endswith((".xml", ".rels")) and member.file_size:
                with archive.open(member) as stream:
                    head = stream.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    fail(
                        refuse,
                        (
                            "表格文件里含有 XML 文档类型定义（DTD），Excel 保存的文件不会有。请用"
                            " Excel 重新保存，或另存为 CSV。"
                        ),
                    )
    except SelfcheckError:
        raise
    except Exception:
        fail(
            refuse,
            "不是有效的 Excel（.xlsx）文件，或文件已损坏。请用 Excel 打开后重新保存为 .xlsx，或另存为 CSV。",
        )


def _records_from_rows(
    rows: Iterable[tuple[int, list[Any]]], filename: str, types: list[str] | None
) -> list[dict[str, Any]]:
    columns: dict[str, int] | None = None
    records = []
    for n, row in rows:
        if not any(_cell_text(c) for c in row):
            continue
        if columns is None:
            columns = _columns(row, filename, n)
            continue
        if len(records) >= MAX_ROWS:
            raise RecordsError(
                filename, row=n, problem=f"超过 {MAX_ROWS} 条记录的上限，请只保留评估期内的记录。"
            )

        def cell(key: str, row: list[Any] = row, columns: dict[str, int] = columns) -> Any:
            at = columns.get(key)
            return row[at] if at is not None and at < len(row) else None

        day = _parse_date(cell("date"), filename, n)
        kind = _cell_text(cell("type"))
        if not kind:
            raise RecordsError(
                filename, row=n, problem="类型为空，请填写活动类型（如“安全宣教”）。"
            )
        if types is not None and kind not in types:
            raise RecordsError(
                filename,
                row=n,
                problem=f"类型“{_short(kind)}”不是标准中的台账类型。可选：{'、'.join(types)}。其他活动请删去这一行。",
            )
        people = _parse_people(cell("people"), filename, n)
        note = check_text(
            _cell_text(cell("note")),
            lambda problem, n=n: RecordsError(filename, row=n, problem=f"备注{problem}"),
        )
        check_text(
            kind,
            lambda problem, n=n: RecordsError(filename, row=n, problem=f"类型{problem}"),
            limit=100,
        )
        records.append({"date": day.isoformat(), "type": kind, "people": people, "note": note})
    if columns is None:
        raise RecordsError(filename, "没有任何内容。")
    return records


def _columns(header: list[Any], filename: str, row_no: int) -> dict[str, int]:
    names = [re.sub(r"\s+", "", _cell_text(c)).lower() for c in header]
    found: dict[str, int] = {}
    for key, variants in HEADERS.items():
        for i, name in enumerate(names):
            if name in variants or name.split("（")[0].split("(")[0] in variants:
                found.setdefault(key, i)
    missing = [HEADERS[k][0] for k in ("date", "type") if k not in found]
    if missing:
        shown = excerpt_list([n for n in names if n]) or "空"
        raise RecordsError(
            filename,
            (
                f"第 {row_no} 行应为表头，缺少“{'、'.join(missing)}”列（现在的表头：{shown}）。"
                "表头应为：日期、类型、人数、备注。"
            ),
        )
    return found


def _parse_date(value: Any, filename: str, n: int) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return _EXCEL_EPOCH + timedelta(days=int(value))  # an Excel date serial left unformatted
    text = _cell_text(value)
    if not text:
        raise RecordsError(filename, row=n, problem="日期为空，请填写如 2024-07-01 的日期。")
    m = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?", text
    ) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise RecordsError(
        filename,
        row=n,
        problem=f"日期“{_short(text)}”无法识别，请写成 2024-07-01 或 2024/7/1，并确认日期存在。",
    )


def _parse_people(value: Any, filename: str, n: int) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = value
    else:
        text = _cell_text(value)
        if text in ("", "-", "—", "/", "无"):
            return None
        m = re.fullmatch(r"(\d{1,9}(?:\.0+)?)\s*人?", text.replace(",", ""))
        if not m:
            raise RecordsError(
                filename,
                row=n,
                problem=f"人数“{_short(text)}”不是数字，请只填数字（如 86）或留空。",
            )
        number = float(m.group(1))
    if number != number or number < 0 or number != int(number) or number > 10_000_000:
        raise RecordsError(
            filename, row=n, problem=f"人数“{_short(str(value))}”应为不小于 0 的整数。"
        )
    return int(number)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _short(text: str) -> str:
    return excerpt(text, 30)


# ---- periods -------------------------------------------------------------------------------


def periods_in(start: date, end: date, period: str) -> list[Period]:
    """The calendar periods of kind `period` lying wholly inside `start`…`end` (both inclusive)."""
    out = []
    year, month = start.year, 1
    while True:
        p = _period_at(year, month, period)
        if p.start > end:
            break
        if p.start >= start and p.end <= end:
            out.append(p)
        year, month = _next_start(p)
    return out


def window_label(start: date, end: date) -> str:
    return f"评估期（{date_label(start)}—{date_label(end)}）"


def date_label(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def default_window(today: date) -> tuple[date, date]:
    """The 12 whole calendar months before the month of `today`: 2024-09-15 → 2023-09-01…2024-08-31."""
    from .answers import EARLIEST, LATEST

    if not EARLIEST.year < today.year <= LATEST.year:
        raise AnswerError(
            "评分时间",
            f"“{today.isoformat()}”不在 {EARLIEST.year + 1} 年到 {LATEST.year} 年之间，请核对日期。",
        )
    end = date(today.year, today.month, 1) - timedelta(days=1)
    return _add_month(date(end.year - 1, end.month, 1)), end


def _add_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _period_at(year: int, month: int, period: str) -> Period:
    if period == "month":
        first, months = month, 1
        label = f"{year}年{month}月"
    elif period == "quarter":
        q = (month - 1) // 3 + 1
        first, months = 3 * q - 2, 3
        label = f"{year}年第{q}季度"
    elif period == "half":
        h = 1 if month <= 6 else 2
        first, months = 6 * h - 5, 6
        label = f"{year}年{'上' if h == 1 else '下'}半年"
    elif period == "year":
        first, months = 1, 12
        label = f"{year}年"
    else:
        raise ValueError(period)
    p_start = date(year, first, 1)
    last_month = first + months - 1
    p_end = (
        date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    ) - timedelta(days=1)
    return Period(label, p_start, p_end)


def _next_start(p: Period) -> tuple[int, int]:
    nxt = p.end + timedelta(days=1)
    return nxt.year, nxt.month
