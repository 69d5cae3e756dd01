"""风险一张图 (item 4.1): the element list, the 台账 of item 4.1, as rows and as an XLSX workbook.

openpyxl is imported inside `elements_xlsx` only: this module needs the standard library alone at
import time, like the rest of the wheel (Pyodide loads openpyxl on the first XLSX export).
"""

from __future__ import annotations

import io
import json
from typing import Any

from selfcheck.cells import safe_cell
from selfcheck.exports import print_setup

from .document import load_types, parse_map


def element_rows(doc: dict[str, Any], types: str | dict[str, Any]) -> list[list[str]]:
    """The 台账 rows: 序号, 要素类型, 名称, 备注, 图上位置 (one row per element, in map order)."""
    by_id = load_types(types)
    rows = []
    for n, element in enumerate(doc["elements"], start=1):
        kind = by_id[element["type"]]
        rows.append(
            [
                str(n),
                kind["label"],
                element["name"],
                element["note"],
                _where(kind["geometry"], element["points"]),
            ]
        )
    return rows


def elements_xlsx(doc: str | dict[str, Any], types: str | dict[str, Any]) -> bytes:
    """The element list as an XLSX workbook, the 台账 for item 4.1.

    Args:
        doc: a map document (JSON text or data); it is checked with `parse_map` first.
        types: `data/risk_map.yaml` as data or JSON text.
    Returns:
        The workbook's bytes. Text cells never run as formulas (`exports.safe_cell`).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    checked = parse_map(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False), types)
    data = json.loads(types) if isinstance(types, str) else types
    meta = checked["meta"]
    wb = Workbook()
    ws = wb.active
    ws.title = "要素台账"
    community = meta["community"] or "（未填写社区名称）"
    ws.append([safe_cell(f"{community} {data['title']}要素台账")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([safe_cell(f"依据：{data['source']}")])
    ws.append(
        [
            safe_cell(f"绘制日期：{meta['date'] or '未填写'}"),
            None,
            safe_cell(f"绘制人：{meta['author'] or '未填写'}"),
        ]
    )
    ws.append([])
    header = ["序号", "要素类型", "名称", "备注", "图上位置"]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in element_rows(checked, types):
        ws.append([int(row[0])] + [safe_cell(v) for v in row[1:]])
    for letter, width in zip("ABCDE", (6, 26, 28, 44, 30), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A6"
    print_setup(ws, [6, 26, 28, 44, 30], header_row=5, landscape=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _where(geometry: str, points: list[list[float]]) -> str:
    if geometry == "point":
        x, y = points[0]
        return f"点（{round(x)}, {round(y)}）"
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    span = f"（{round(min(xs))}, {round(min(ys))}）～（{round(max(xs))}, {round(max(ys))}）"
    if geometry == "line":
        return (
            f"路线，{len(points)} 个点，起点（{round(xs[0])}, {round(ys[0])}），终点"
            f"（{round(xs[-1])}, {round(ys[-1])}）"
        )
    return f"区域，{len(points)} 个顶点，范围{span}"
