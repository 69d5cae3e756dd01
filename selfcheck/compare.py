"""Item by item, what changed between an earlier export and now: used by the page and `selfcheck compare`.

Both sides are scored with the current standard and 口径, so a change of rule is not a change.
"""

from __future__ import annotations

from typing import Any

from .importer import import_document
from .model import Standard
from .rule import ScoringRule
from .scoring import ITEM_STATUS, score_community

_STATUS_RANK = {"not_answered": 0, "not_met": 1, "partial": 2, "met": 3}


def compare_results(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Compare two scored results: both sides' scores and every item's change.

    Returns:
        {"old": side, "new": side, "items": [{"id", "title", "old_status", "new_status",
        "old_label", "new_label", "old_score", "new_score", "change"}], "improved": n, "regressed": n}
        where side is {"score", "verdict", "scored_at", "categories": [{"id", "name", "score"}]}
        and change is "improved", "regressed" or "same".
    """
    items = []
    for iid, n in new["items"].items():
        o = old["items"][iid]
        change = "same"
        if o["status"] != n["status"] or o["score"] != n["score"]:
            before = (_STATUS_RANK.get(o["status"], -1), o["score"] or 0)
            after = (_STATUS_RANK.get(n["status"], -1), n["score"] or 0)
            change = "improved" if after > before else "regressed" if after < before else "same"
        items.append(
            {
                "id": iid,
                "title": n["title"],
                "old_status": o["status"],
                "new_status": n["status"],
                "old_label": ITEM_STATUS[o["status"]],
                "new_label": ITEM_STATUS[n["status"]],
                "old_score": o["score"],
                "new_score": n["score"],
                "change": change,
            }
        )
    return {
        "old": _side(old),
        "new": _side(new),
        "items": items,
        "improved": sum(i["change"] == "improved" for i in items),
        "regressed": sum(i["change"] == "regressed" for i in items),
    }


def _side(r: dict[str, Any]) -> dict[str, Any]:
    categories = [{"id": c["id"], "name": c["name"], "score": c["score"]} for c in r["categories"]]
    return {
        "score": r["overall"]["score"],
        "verdict": r["overall"]["verdict"],
        "scored_at": r["scored_at"],
        "categories": categories,
    }


def compare_exports(
    standard: Standard,
    rule: ScoringRule,
    old_text: Any,
    new_text: Any,
    *,
    now: str | None = None,
    old_name: str = "上次导出的文件",
    new_name: str = "这次的文件",
) -> dict[str, Any]:
    """Compare two exports (or saved answers), each re-scored at its own export time.

    Returns:
        `compare_results` plus "notes": what importing the old file changed (migration steps).
    """
    old_doc = import_document(standard, old_text, filename=old_name)
    new_doc = import_document(standard, new_text, filename=new_name)
    old = score_community(standard, rule, old_doc["answers"], now=old_doc["exported_at"] or now)
    new = score_community(standard, rule, new_doc["answers"], now=new_doc["exported_at"] or now)
    return {**compare_results(old, new), "notes": old_doc["notes"] + new_doc["notes"]}


def compare_text(summary: dict[str, Any]) -> str:
    """The comparison as plain text for a terminal."""
    from .model import format_number

    o, n = summary["old"], summary["new"]
    lines = [
        f"以前：总分 {format_number(o['score'])}，{o['verdict']}（{o['scored_at']}）",
        f"现在：总分 {format_number(n['score'])}，{n['verdict']}（{n['scored_at']}）",
        f"改善 {summary['improved']} 条，退步 {summary['regressed']} 条。",
    ]
    lines += [f"提示：{note}" for note in summary.get("notes", [])]
    words = {"improved": "改善", "regressed": "退步"}
    changed = [i for i in summary["items"] if i["change"] != "same"]
    if changed:
        lines.append("")
    for i in changed:
        lines.append(
            f"{words[i['change']]}：{i['id']} {i['title']}：{i['old_label']} → {i['new_label']}"
        )
    return "\n".join(lines) + "\n"
