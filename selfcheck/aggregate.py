"""The district side: many communities' JSON exports and 报送材料包 in, one ranked table out.

Every file is verified (hash, format, standard version) and re-scored from its answers with the
current standard and 口径, so every row is judged by the same rule and an edited stored result
cannot change the ranking. Files that cannot be used are listed with the reason; a bad file never
stops the others from being ranked. At most `MAX_FILES` files are read in one roll-up.

A package is hashed once: a caller that ranks the same files again and again (the browser's roll-up,
after every drop) reads each file once with `package.read_submission` and passes what it returned
(or the refusal it raised) here, instead of the file; nothing is verified or hashed a second time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import __version__
from .errors import DuplicateSite, ImportRefused, SelfcheckError, excerpt
from .exports import add_sheet, openpyxl_module, site_form_rows, workbook_bytes
from .importer import export_instant, import_document
from .intake import terminal_safe
from .model import Standard, format_number
from .package import read_submission
from .scoring import ScoringRule, parse_now, score_community

MAX_FILES = 5000


def aggregate(
    standard: Standard,
    rule: ScoringRule,
    files: list[tuple[str, str | bytes]],
    *,
    now: str | datetime | None = None,
) -> dict[str, Any]:
    """Verify, re-score and rank communities.

    Args:
        files: `(filename, content)` pairs; content is a JSON export or a 报送材料包 (bytes, a path
            or an open file), or what `package.read_submission` returned for it (used as is), or
            the `SelfcheckError` it raised (listed as refused).
    Returns:
        `{"standard_version", "tool_version", "scoring", "generated_at", "categories": [{id, name}],
        "communities": [{"rank", "file", "town", "site_name", "address", "kind", "score", "level",
        "verdict", "category_scores": {id: score}, "counts": {...}, "gaps": n, "exported_at",
        "notes": [...], "evidence": None for a JSON export, or for a 报送材料包 `{item_id: [{path, name, size}]}`
        for every item}], "refused": [{"file", "reason"}]}`, communities best first.
    """
    moment = parse_now(now)
    rows: list[dict[str, Any]] = []
    refused: list[dict[str, str]] = []
    for n, (filename, content) in enumerate(files):
        filename = str(filename)
        if n >= MAX_FILES:
            refused.append(
                {
                    "file": filename,
                    "reason": str(
                        ImportRefused(
                            filename,
                            f"一次最多汇总 {MAX_FILES} 个文件，这个文件没有读取。请分批汇总。",
                        )
                    ),
                }
            )
            continue
        try:
            # A 报送材料包 is verified whole, then read as its export (unless already read).
            submission = _submission(content, filename)
            imported = import_document(standard, submission["export"], filename=filename)
            if imported["source"] != "export":
                raise ImportRefused(
                    filename, "这是未导出的自评数据，没有校验码。请在自评工具中“导出 JSON”后报送。"
                )
            result = score_community(
                standard, rule, imported["answers"], now=imported["exported_at"]
            )
        except SelfcheckError as exc:
            refused.append({"file": filename, "reason": str(exc)})
            continue
        except Exception:  # noqa: BLE001  one file must never stop the district's ranking
            refused.append(
                {
                    "file": filename,
                    "reason": str(
                        ImportRefused(
                            filename,
                            "本工具处理这个文件时出了意外的错误，已跳过。请把这个文件发给工具的维护人员。",
                        )
                    ),
                }
            )
            continue
        p = result["profile"]
        notes = list(imported["notes"])
        stored = imported["result"]
        if (
            isinstance(stored, dict)
            and isinstance(stored.get("overall"), dict)
            and stored["overall"].get("score") != result["overall"]["score"]
        ):
            notes.append(
                f"导出时的总分为 {excerpt(stored['overall'].get('score'))}，"
                f"按当前口径重新计算为 {format_number(result['overall']['score'])}。"
            )
        rows.append(
            {
                "file": filename,
                "town": p["town"],
                "site_name": p["site_name"],
                "address": p["address"],
                "kind": p["kind"],
                "score": result["overall"]["score"],
                "level": result["overall"]["level"],
                "verdict": result["overall"]["verdict"],
                "category_scores": {c["id"]: c["score"] for c in result["categories"]},
                "counts": result["overall"]["counts"],
                "gaps": sum(1 for g in result["gaps"] if g["kind"] != "evidence"),
                "exported_at": imported["exported_at"],
                "notes": notes,
                "evidence": _evidence(standard, submission["package"]),
            }
        )
    rows = _drop_duplicates(rows, refused)
    rows.sort(key=lambda r: (-r["score"], r["town"], r["site_name"], r["file"]))
    previous, rank = None, 0
    for n, row in enumerate(rows, start=1):
        if row["score"] != previous:
            rank, previous = n, row["score"]
        row["rank"] = rank
    return {
        "standard_version": standard.version,
        "tool_version": __version__,
        "scoring": rule.describe(),
        "generated_at": moment.isoformat(),
        "categories": [{"id": c.id, "name": c.name} for c in standard.categories],
        "communities": rows,
        "refused": refused,
    }


def _submission(content: Any, filename: str) -> dict[str, Any]:
    if isinstance(content, SelfcheckError):
        raise content
    if isinstance(content, dict) and set(content) == {"export", "package"}:
        return content
    return read_submission(content, filename)


def _evidence(
    standard: Standard, package: dict[str, Any] | None
) -> dict[str, list[dict[str, Any]]] | None:
    """Evidence files per item of a package (None for a bare JSON export): `{item_id: [{path, name, size}]}`."""
    if package is None:
        return None
    return {iid: package["evidence"].get(iid, []) for iid in standard.items}


def _drop_duplicates(rows, refused):
    """One row per site: keep the latest export of the same 镇街 + 点位名称.

    Exports are compared as instants, so 10:00+08:00 (CLI) is earlier than 03:00Z (browser) of the
    same day plus one second; on a tie the file named first is kept.
    """
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["town"], row["site_name"])
        if not row["site_name"]:
            key = ("", row["file"])
        kept = latest.get(key)
        if kept is None:
            latest[key] = row
            continue
        newer, older = (
            (row, kept)
            if export_instant(row["exported_at"]) > export_instant(kept["exported_at"])
            else (kept, row)
        )
        latest[key] = newer
        refused.append(
            {
                "file": older["file"],
                "reason": str(
                    DuplicateSite(older["file"], newer["file"], row["town"], row["site_name"])
                ),
            }
        )
    return list(latest.values())


HEADER = ["名次", "属地镇街", "点位名称", "类型", "总分", "结论"]


def table_rows(summary: dict[str, Any]) -> list[list[Any]]:
    cats = summary["categories"]
    rows = [
        HEADER
        + [c["name"] for c in cats]
        + [
            "达标条目",
            "部分达标条目",
            "未达标条目",
            "未填写条目",
            "差距数",
            "导出时间",
            "文件",
            "说明",
        ]
    ]
    for r in summary["communities"]:
        rows.append(
            [r["rank"], r["town"], r["site_name"], r["kind"], r["score"], r["verdict"]]
            + [
                (
                    "不适用"
                    if r["category_scores"][c["id"]] is None
                    else r["category_scores"][c["id"]]
                )
                for c in cats
            ]
            + [
                r["counts"]["met"],
                r["counts"]["partial"],
                r["counts"]["not_met"],
                r["counts"]["not_answered"],
                r["gaps"],
                r["exported_at"],
                r["file"],
                "；".join(r["notes"]),
            ]
        )
    return rows


def aggregate_text(summary: dict[str, Any]) -> str:
    """The ranked table and the refused files as plain text for a terminal."""
    lines = [
        f"汇总：{len(summary['communities'])} 个点位，{len(summary['refused'])} 个文件未采用。",
        f"标准版本 {summary['standard_version']}；评分口径："
        f"{summary['scoring']['label']}（{summary['scoring']['source']}，版本 {summary['scoring']['version']}）。",
        "",
    ]
    cats = summary["categories"]
    lines.append(
        "\t".join(["名次", "属地镇街", "点位名称", "总分", "结论"] + [c["name"] for c in cats])
    )
    for r in summary["communities"]:
        cells = [str(r["rank"]), r["town"], r["site_name"], format_number(r["score"]), r["verdict"]]
        cells += [
            "—"
            if r["category_scores"][c["id"]] is None
            else format_number(r["category_scores"][c["id"]])
            for c in cats
        ]
        lines.append("\t".join(cells))
    if summary["refused"]:
        lines += ["", "未采用的文件："]
        lines += [f"- {excerpt(x['file'], 80)}：{x['reason']}" for x in summary["refused"]]
    return terminal_safe("\n".join(lines) + "\n")


def aggregate_xlsx(summary: dict[str, Any], plan: dict[str, Any]) -> bytes:
    """XLSX: the ranking, the files refused and why, and 附件2 点位信息 for every accepted site."""
    openpyxl = openpyxl_module()
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_sheet(
        book,
        "汇总排名",
        table_rows(summary),
        [5, 12, 18, 5, 6, 12] + [8] * len(summary["categories"]) + [6, 6, 6, 6, 6, 12, 14, 24],
    )
    refused = [["文件", "原因"]] + [[x["file"], x["reason"]] for x in summary["refused"]]
    add_sheet(book, "未采用的文件", refused, [30, 90])
    profiles = sorted(summary["communities"], key=lambda r: (r["town"], r["site_name"]))
    add_sheet(book, "附件2 点位信息", site_form_rows(plan, profiles), [6, 20, 40, 50])
    info = [
        ["项目", "内容"],
        ["标准版本", summary["standard_version"]],
        ["工具版本", summary["tool_version"]],
        ["生成时间", summary["generated_at"]],
        [
            "评分口径",
            f"{summary['scoring']['label']}（{summary['scoring']['source']}，版本 {summary['scoring']['version']}）",
        ],
        ["口径说明", summary["scoring"]["note"]],
    ]
    add_sheet(book, "说明", info, [14, 80])
    return workbook_bytes(book, parse_now(summary["generated_at"]))
