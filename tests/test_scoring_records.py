"""Reading a community's own 台账 spreadsheet (CSV in UTF-8/BOM/GBK, XLSX) into records."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from selfcheck.answers import log_types
from selfcheck.records import RecordsError, default_window, periods_in, read_records

ROWS = "日期,类型,人数,备注\n2024-07-01,安全宣教,120,广场\n2024/7/8,安全宣教,86人,\n2024年7月15日,应急演练,,\n"


@pytest.mark.parametrize(
    "encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gbk", b"")]
)
def test_csv_in_every_encoding_excel_writes(encoding, prefix):
    data = prefix + ROWS.encode(encoding)
    records = read_records(data, "台账.csv")
    assert records == [
        {"date": "2024-07-01", "type": "安全宣教", "people": 120, "note": "广场"},
        {"date": "2024-07-08", "type": "安全宣教", "people": 86, "note": ""},
        {"date": "2024-07-15", "type": "应急演练", "people": None, "note": ""},
    ]


def test_header_variants_and_column_order(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "说明,参加人数,活动类型,活动日期\n广场宣讲,30,安全宣教,20240702\n", encoding="utf-8"
    )
    assert read_records(path) == [
        {"date": "2024-07-02", "type": "安全宣教", "people": 30, "note": "广场宣讲"}
    ]


def test_xlsx_with_real_dates_and_numbers():
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["日期", "类型", "人数", "备注"])
    ws.append([datetime(2024, 8, 12), "安全宣教", 86, "社区广场"])
    ws.append([None, None, None, None])
    ws.append(["2024-08-20", "隐患巡查", None, None])
    buf = io.BytesIO()
    book.save(buf)
    records = read_records(buf.getvalue(), "台账.xlsx")
    assert records == [
        {"date": "2024-08-12", "type": "安全宣教", "people": 86, "note": "社区广场"},
        {"date": "2024-08-20", "type": "隐患巡查", "people": None, "note": ""},
    ]


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "日期,类型,人数\n2024-07-01,安全宣教,1\n2024-07-02,安全宣教,1\n2024-07-03,安全宣教,1\n2024/13/01,安全宣教,5\n",
            "第 5 行：日期“2024/13/01”无法识别",
        ),
        ("日期,类型,人数\n2024-02-30,安全宣教,5\n", "第 2 行：日期“2024-02-30”无法识别"),
        ("日期,类型,人数\n2024-07-01,安全宣教,很多\n", "第 2 行：人数“很多”不是数字"),
        ("日期,类型,人数\n2024-07-01,安全宣教,-4\n", "第 2 行：人数"),
        ("日期,类型,人数\n2024-07-01,,4\n", "第 2 行：类型为空"),
        ("时间点,名称\n2024-07-01,安全宣教\n", "缺少“日期、类型”列"),
        ("日期,类型\n,安全宣教\n", "第 2 行：日期为空"),
    ],
)
def test_bad_rows_are_named(text, words):
    with pytest.raises(RecordsError) as info:
        read_records(text.encode("utf-8"), "台账.csv")
    assert words in str(info.value)
    assert "台账.csv" in str(info.value)


def test_unknown_type_refused_when_types_given(standard):
    data = "日期,类型\n2024-07-01,学习会\n".encode()
    with pytest.raises(RecordsError) as info:
        read_records(data, "a.csv", types=log_types(standard))
    assert "第 2 行：类型“学习会”不是标准中的台账类型" in str(info.value)
    assert read_records(data, "a.csv")[0]["type"] == "学习会"


@pytest.mark.parametrize(
    "data, words", [(b"", "空"), (b"PK\x03\x04broken", "Excel"), (b"\xff\xfe\x00\x00\x81", "")]
)
def test_broken_files(data, words):
    with pytest.raises(RecordsError) as info:
        read_records(data, "x.xlsx" if data.startswith(b"PK") else "x.csv")
    assert words in str(info.value)


def test_missing_file_is_a_records_error(tmp_path):
    with pytest.raises(RecordsError):
        read_records(tmp_path / "nope.csv")


def test_periods_only_whole_ones_inside_the_window():
    labels = [p.label for p in periods_in(date(2024, 1, 15), date(2024, 8, 31), "month")]
    assert labels == [f"2024年{m}月" for m in range(2, 9)]
    assert [p.label for p in periods_in(date(2023, 9, 1), date(2024, 8, 31), "quarter")] == [
        "2023年第4季度",
        "2024年第1季度",
        "2024年第2季度",
    ]
    assert [p.label for p in periods_in(date(2023, 1, 1), date(2024, 12, 31), "half")] == [
        "2023年上半年",
        "2023年下半年",
        "2024年上半年",
        "2024年下半年",
    ]
    assert [p.label for p in periods_in(date(2023, 1, 1), date(2024, 12, 31), "year")] == [
        "2023年",
        "2024年",
    ]
    feb = periods_in(date(2024, 2, 1), date(2024, 2, 29), "month")[0]
    assert (feb.start, feb.end) == (date(2024, 2, 1), date(2024, 2, 29))


def test_default_window():
    assert default_window(date(2024, 9, 15)) == (date(2023, 9, 1), date(2024, 8, 31))
    assert default_window(date(2024, 1, 1)) == (date(2023, 1, 1), date(2023, 12, 31))
