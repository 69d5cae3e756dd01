"""Peak memory and time for the worst legal file of each kind, and for each bomb until refused.

    .venv/bin/python benchmarks/bench_limits.py

Peak memory is what `tracemalloc` sees of Python allocations while the intake runs (the input's
own bytes are made before it starts and not counted), in a second run: the time is measured in a
first run without tracemalloc. Times show the order of magnitude on this machine, not a speed to
compare between runs (bench_selfcheck.py does that, as ratios).
"""

from __future__ import annotations

import io
import json
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from riskmap import MAX_ELEMENTS, MAX_POINTS, parse_map  # noqa: E402
from selfcheck import exports  # noqa: E402
from selfcheck.aggregate import aggregate  # noqa: E402
from selfcheck.answers import MAX_RECORDS, MAX_TOTAL_TEXT, log_types  # noqa: E402
from selfcheck.datafiles import DATA_DIR, load_validated, load_yaml  # noqa: E402
from selfcheck.errors import SelfcheckError  # noqa: E402
from selfcheck.importer import import_document  # noqa: E402
from selfcheck.records import read_records  # noqa: E402
from tests import hostile_corpus as corpus  # noqa: E402
from tests.scoring_cases import NOW, full_doc  # noqa: E402

STANDARD, RULE = corpus.STANDARD, corpus.RULE
TYPES = log_types(STANDARD)


def outcome_of(fn) -> str:
    try:
        fn()
        return "接受"
    except SelfcheckError:
        return "拒绝"


def measure(fn) -> tuple[str, float, float]:
    start = time.perf_counter()
    outcome = outcome_of(fn)
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    outcome_of(fn)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return outcome, elapsed, peak / 1024 / 1024


def worst_answers() -> dict:
    doc = full_doc(STANDARD)
    note = "备" * (MAX_TOTAL_TEXT // MAX_RECORDS)
    doc["records"] = [
        {
            "date": f"2024-{1 + i % 8:02d}-{1 + i % 28:02d}",
            "type": TYPES[i % len(TYPES)],
            "people": 100 + i % 50,
            "note": note,
        }
        for i in range(MAX_RECORDS)
    ]
    return doc


def worst_csv() -> bytes:
    rows = ["日期,类型,人数,备注"] + [
        f"2024-03-{1 + i % 28:02d},安全宣教,{i % 90},{'备' * 150}" for i in range(MAX_RECORDS)
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")


def worst_xlsx() -> bytes:
    return corpus.good_xlsx(
        [["日期", "类型", "人数", "备注"]]
        + [["2024-03-01", "安全宣教", i % 90, "备" * 100] for i in range(MAX_RECORDS)]
    )


def worst_map() -> bytes:
    per = MAX_POINTS // MAX_ELEMENTS
    elements = [
        {
            "id": f"e{i}",
            "type": "evacuation_route",
            "name": "名" * 100,
            "note": "注" * 200,
            "points": [[i % 1000 + 0.5, j + 0.25] for j in range(per)],
        }
        for i in range(MAX_ELEMENTS)
    ]
    png = corpus.good_map()
    png["elements"] = elements
    picture = "data:image/png;base64,iVBORw0KGgo" + "A" * (30 * 1024 * 1024)
    png["image"] = {"href": picture, "width": 4000, "height": 3000}
    return json.dumps(png).encode()


def zip_bomb(inflated: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<x/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (16 * 1024 * 1024)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return buf.getvalue()


def main() -> None:
    map_types = load_validated(DATA_DIR / "risk_map.yaml")
    answers = worst_answers()
    export = exports.json_export(STANDARD, RULE, answers, now=NOW).encode()
    answers_text = json.dumps(answers, ensure_ascii=False).encode()
    typical = corpus.export_text("records").encode()
    rollup = [
        (f"{i}.json", corpus.export_text("records", site_name=f"社区{i:04d}").encode())
        for i in range(1000)
    ]
    yaml_dir = Path(__file__).resolve().parent.parent / ".cache" / "bench-limits"
    yaml_dir.mkdir(parents=True, exist_ok=True)
    big_yaml = yaml_dir / "big.yaml"
    big_yaml.write_text(
        "items:\n" + "".join(f"  - id: '{i}'\n    text: '{'字' * 200}'\n" for i in range(3000)),
        encoding="utf-8",
    )
    laughs = yaml_dir / "laughs.yaml"
    laughs.write_text(corpus.BILLION_LAUGHS, encoding="utf-8")
    bomb = zip_bomb(2 * 1024 * 1024 * 1024)

    cases = [
        (
            "导出 JSON",
            f"最大合法：{MAX_RECORDS} 条台账、备注合计 {MAX_TOTAL_TEXT} 字",
            export,
            lambda d: import_document(STANDARD, d),
        ),
        ("导出 JSON", "常见：一个社区一年", typical, lambda d: import_document(STANDARD, d)),
        (
            "自评数据 JSON",
            "最大合法（同上，未导出）",
            answers_text,
            lambda d: import_document(STANDARD, d),
        ),
        (
            "导出 JSON",
            "炸弹：8 MB 的 [[[[…",
            b"[" * (8 * 1024 * 1024),
            lambda d: import_document(STANDARD, d),
        ),
        (
            "导出 JSON",
            "炸弹：名称 150 万字",
            dict(corpus.json_corpus())["name-1.5-million"],
            lambda d: import_document(STANDARD, d),
        ),
        (
            "导出 JSON",
            "炸弹：5000 位整数",
            dict(corpus.json_corpus())["5000-digits"],
            lambda d: import_document(STANDARD, d),
        ),
        ("汇总", "1000 个常见导出", None, lambda d: aggregate(STANDARD, RULE, rollup, now=NOW)),
        (
            "台账 CSV",
            f"最大合法：{MAX_RECORDS} 行",
            worst_csv(),
            lambda d: read_records(d, "台账.csv", types=TYPES),
        ),
        (
            "台账 CSV",
            "炸弹：20005 行（读到上限即停）",
            dict(corpus.csv_corpus())["too-many-rows"],
            lambda d: read_records(d, "台账.csv"),
        ),
        (
            "台账 XLSX",
            f"最大合法：{MAX_RECORDS} 行",
            worst_xlsx(),
            lambda d: read_records(d, "台账.xlsx", types=TYPES),
        ),
        ("台账 XLSX", "炸弹：压缩包 2 GB 解压", bomb, lambda d: read_records(d, "台账.xlsx")),
        (
            "台账 XLSX",
            "炸弹：维度 A1:XFD1048576",
            dict(corpus.xlsx_corpus())["dimension-bomb"],
            lambda d: read_records(d, "台账.xlsx"),
        ),
        (
            "台账 XLSX",
            "炸弹：DTD 实体",
            dict(corpus.xlsx_corpus())["dtd-entity"],
            lambda d: read_records(d, "台账.xlsx"),
        ),
        (
            "风险一张图",
            f"最大合法：{MAX_ELEMENTS} 要素、{MAX_POINTS} 点、30 MB 底图",
            worst_map(),
            lambda d: parse_map(d, map_types),
        ),
        (
            "风险一张图",
            "炸弹：深度 5000",
            dict(corpus.map_corpus())["deep"],
            lambda d: parse_map(d, map_types),
        ),
        ("数据 YAML", "大文件：3000 条", big_yaml, lambda p: load_yaml(p)),
        ("数据 YAML", "炸弹：billion laughs", laughs, lambda p: load_yaml(p)),
    ]
    print("| 类别 | 文件 | 大小 | 结果 | 时间 | 峰值内存 |\n|---|---|---:|---|---:|---:|")
    for kind, label, data, fn in cases:
        size = (
            sum(len(c) for _, c in rollup)
            if data is None
            else data.stat().st_size
            if isinstance(data, Path)
            else len(data)
        )
        outcome, elapsed, peak = measure(lambda fn=fn, data=data: fn(data))
        shown = f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
        print(
            f"| {kind} | {label} | {shown} | {outcome} | {elapsed:.2f} s | {peak:.1f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
