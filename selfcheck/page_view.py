"""What the 自评 page draws from a score: the result cut down for its trip to the page.

The page scores the form again after every edit (docs/assets/javascripts/selfcheck/). A full
result (`selfcheck.scoring`) is about 108 KB of JSON for a blank form: every criterion carries its
rule (name, threshold, unit, periods, shortfalls), every item its evidence list, and every
unanswered criterion a sentence the page never shows, because it only counts them per category
and links the first. Encoding that in the browser's Python, passing it and parsing it again on the
page was the larger part of a re-score. Exports, the CLI and the roll-up keep the full result.

What the page reads, and so what this keeps (a test renders the page from both and compares):
- `items`: each item's status and its label (the badge beside its title, the progress);
- `criteria`: each criterion's status and message (the line under its field);
- `gaps`: the 整改清单; an unanswered criterion's gap without its sentence and item title;
- everything else as it is: the summary, the category scores, the verdict, the warnings.
"""

from __future__ import annotations

from typing import Any

ITEM_KEYS = ("status", "status_label")
CRITERION_KEYS = ("status", "message")
# An unanswered criterion is counted in its category, and the first one linked to its field.
UNANSWERED_GAP_KEYS = ("category_id", "category", "item_id", "criterion_id", "kind")


def page_view(result: dict[str, Any]) -> dict[str, Any]:
    view = {k: v for k, v in result.items() if k not in ("items", "criteria", "gaps")}
    view["items"] = {iid: {k: item[k] for k in ITEM_KEYS} for iid, item in result["items"].items()}
    view["criteria"] = {
        cid: {k: crit[k] for k in CRITERION_KEYS} for cid, crit in result["criteria"].items()
    }
    view["gaps"] = [
        {k: gap.get(k) for k in UNANSWERED_GAP_KEYS} if gap["kind"] == "not_answered" else gap
        for gap in result["gaps"]
    ]
    return view
