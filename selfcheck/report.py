"""The printable report of one community's self-assessment, as HTML and as plain text.

Both read the scored result (`selfcheck.scoring`) and nothing else, and share with the CSV and XLSX
exports the pieces that must read the same everywhere: the stamp rows, one line per criterion and
the 整改清单 with its two groups (requirement gaps, then missing evidence).
"""

from __future__ import annotations

import html
from typing import Any

from .model import Standard, format_number

# The 整改清单's two groups, in this order, in every format (page, text, HTML, CSV, XLSX).
GAP_GROUPS = (
    ("requirement", "一、要求上的差距（不符合、未填写的指标和建议项）"),
    ("evidence", "二、缺少的台账资料"),
)
TOOL_NAME = "本工具"


def tool_words(version: str) -> str:
    """The tool as staff know it: “本工具 0.1.0 版”."""
    return f"{TOOL_NAME} {version} 版"


def gap_groups(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The 整改清单 as (group title, gaps in category order) for each group that has gaps."""
    out = []
    for key, title in GAP_GROUPS:
        gaps = [g for g in result["gaps"] if (g["kind"] == "evidence") == (key == "evidence")]
        if gaps:
            out.append((title, gaps))
    return out


def gap_rows(result: dict[str, Any]) -> list[list[str]]:
    """The 整改清单 as table rows for CSV and XLSX: header, then one row per gap, group by group."""
    rows = [["分组", "考评项目", "条目", "差距"]]
    for title, gaps in gap_groups(result):
        for g in gaps:
            rows.append(
                [
                    title,
                    f"{g['category_id']} {g['category']}",
                    f"{g['item_id']} {g['item_title']}",
                    g["text"],
                ]
            )
    return rows


def criterion_line(judged: dict[str, Any]) -> str:
    """“不符合：…”, without repeating a status word the message already starts with."""
    label, message = judged["status_label"], judged["message"]
    return message if message.startswith(label) else f"{label}：{message}"


def stamp_rows(result: dict[str, Any]) -> list[list[Any]]:
    """Who, when, under which standard and 口径: the head of every export. Numbers stay numbers."""
    p = result["profile"]
    return [
        ["标准版本", result["standard_version"]],
        ["工具版本", tool_words(result["tool_version"])],
        ["评分时间", result["scored_at"]],
        [
            "评分口径",
            f"{result['scoring']['label']}（{result['scoring']['source']}，版本 {result['scoring']['version']}）",
        ],
        ["口径说明", result["scoring"]["note"]],
        ["属地镇街", p["town"]],
        ["点位名称", p["site_name"]],
        ["点位详细地址", p["address"]],
        ["类型", p["kind"]],
        ["常住人口", "" if p["population"] is None else p["population"]],
        ["评估期", result["window"]["label"]],
        ["总分", result["overall"]["score"]],
        ["结论", result["overall"]["verdict"]],
    ]


def _shown(value: Any) -> str:
    return (
        format_number(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else str(value)
    )


# ---- plain text ----------------------------------------------------------------------------


def result_text(result: dict[str, Any]) -> str:
    """The result as plain text: scores, verdict, the 整改清单 in its two groups."""
    p = result["profile"]
    o = result["overall"]
    lines = [
        f"{p['town']} {p['site_name']}（{p['kind']}）自评结果",
        f"标准版本 {result['standard_version']}；{tool_words(result['tool_version'])}；评分时间 {result['scored_at']}",
        (
            f"评分口径：{result['scoring']['label']}（{result['scoring']['source']}，版本"
            f" {result['scoring']['version']}）。{result['scoring']['note']}"
        ),
        f"{result['window']['label']}。{result['window']['note']}",
        "",
        f"总分 {format_number(o['score'])}：{o['verdict']}。{o['text']}",
    ]
    lines += [f"  {u}" for u in o["unmet"]]
    lines += [f"提示：{w}" for w in result["warnings"]]
    lines.append("")
    for c in result["categories"]:
        score = "不适用" if c["score"] is None else format_number(c["score"])
        k = c["counts"]
        lines.append(
            f"{c['id']} {c['name']}：{score} 分（达标 {k['met']}，部分达标 {k['partial']}，"
            f"未达标 {k['not_met']}，未填写 {k['not_answered']}，不适用 {k['not_applicable']}）"
        )
    lines += ["", "整改清单："]
    groups = gap_groups(result)
    if not groups:
        lines.append("  没有需要整改的地方。")
    for title, gaps in groups:
        lines.append(title)
        current = None
        for g in gaps:
            if g["category"] != current:
                current = g["category"]
                lines.append(f"【{g['category_id']} {current}】")
            lines.append(f"  {g['item_id']} {g['item_title']}：{g['text']}")
    return "\n".join(lines) + "\n"


# ---- HTML ----------------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;
margin:2em;color:#111;line-height:1.5}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #999}h3{font-size:1.05em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #888;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#eee}.met{color:#0a5c2c}.not_met,.partial{color:#8a1c00}.not_answered,.info{color:#5a4a00}.muted{color:#555}
.verdict{font-size:1.2em;font-weight:bold}.stamp{font-size:.85em;color:#333}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def html_from_export(standard: Standard, doc: dict[str, Any]) -> str:
    """A printable report: stamps, scores, verdict, 整改清单, every item, the evidence list."""
    result = doc["result"]
    p = result["profile"]
    title = f"{p['site_name'] or '未命名点位'} 安全发展社区（村）自评报告"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        '<table class="stamp"><tbody>',
    ]
    for key, value in stamp_rows(result)[:11]:
        parts.append(f'<tr><th scope="row">{_e(key)}</th><td>{_e(_shown(value))}</td></tr>')
    parts.append("</tbody></table>")
    o = result["overall"]
    parts.append("<h2>总分与结论</h2>")
    parts.append(
        f'<p class="verdict">总分 {_e(format_number(o["score"]))}　{_e(o["verdict"])}</p><p>{_e(o["text"])}</p>'
    )
    if o["unmet"]:
        parts.append("<ul>" + "".join(f"<li>{_e(u)}</li>" for u in o["unmet"]) + "</ul>")
    for w in result["warnings"]:
        parts.append(f'<p class="not_answered">提示：{_e(w)}</p>')
    parts.append(
        '<table><thead><tr><th scope="col">考评项目</th><th scope="col">得分</th><th scope="col">权重</th>'
        '<th scope="col">达标</th><th scope="col">部分达标</th><th scope="col">未达标</th><th'
        ' scope="col">未填写</th><th scope="col">不适用</th></tr></thead><tbody>'
    )
    for c in result["categories"]:
        k = c["counts"]
        score = "不适用" if c["score"] is None else format_number(c["score"])
        parts.append(
            f"<tr><td>{_e(c['id'])} {_e(c['name'])}</td><td>{_e(score)}</td><td>{_e(format_number(c['weight']))}</td>"
            f"<td>{k['met']}</td><td>{k['partial']}</td><td>{k['not_met']}</td><td>{k['not_answered']}</td><td>{k['not_applicable']}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append("<h2>整改清单</h2>")
    groups = gap_groups(result)
    if not groups:
        parts.append("<p>没有需要整改的地方。</p>")
    for group_title, gaps in groups:
        parts.append(f"<h3>{_e(group_title)}</h3>")
        parts.append(
            '<table><thead><tr><th scope="col">考评项目</th><th scope="col">条目</th><th scop'
            'e="col">差距</th></tr></thead><tbody>'
        )
        for g in gaps:
            parts.append(
                f"<tr><td>{_e(g['category_id'])} {_e(g['category'])}</td><td"
                f">{_e(g['item_id'])} {_e(g['item_title'])}</td><td>{_e(g['text'])}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("<h2>逐条结果</h2>")
    parts.append(
        '<table><thead><tr><th scope="col">条目</th><th scope="col">结论</th><th scope="col"'
        '>各项指标</th><th scope="col">备注</th></tr></thead><tbody>'
    )
    for cat in standard.categories:
        for item in cat.items:
            entry = result["items"][item.id]
            lines = "".join(
                (
                    f'<li class="{_e(result["criteria"][c.id]["status"])}"'
                    f">{_e(criterion_line(result['criteria'][c.id]))}</li>"
                )
                for c in item.criteria
            )
            parts.append(
                f'<tr><td>{_e(item.id)} {_e(item.title)}</td><td class="{_e(entry["status"])}'
                f'">{_e(entry["status_label"])}</td>'
                f"<td><ul>{lines}</ul></td><td>{_e(entry['note'])}</td></tr>"
            )
    parts.append("</tbody></table>")
    parts.append("<h2>台账资料清单</h2>")
    parts.append(
        '<table><thead><tr><th scope="col">条目</th><th scope="col">资料</th><th scope="col"'
        ">情况</th></tr></thead><tbody>"
    )
    for cat in standard.categories:
        for item in cat.items:
            for e in result["items"][item.id]["evidence"]:
                if not e.get("applies", True):
                    continue
                state = "已备" if e["at_hand"] else "缺少"
                parts.append(
                    f"<tr><td>{_e(item.id)}</td><td>{_e(e['text'])}</td><td class="
                    f'"{"met" if e["at_hand"] else "not_met"}">{state}</td></tr>'
                )
    parts.append("</tbody></table>")
    parts.append(
        f'<p class="stamp">本报告由{_e(tool_words(result["tool_version"]))}生成；校验码（SHA-'
        f"256）{_e(doc['sha256'])}。</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
