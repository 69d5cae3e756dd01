"""selfcheck.page_view: the 自评 page's cut of a score holds everything the page draws, as the full
result says it, at well under half the size (the browser test of the page compares what it shows
with the CPython engine's full result: tests/browser/test_selfcheck_page.py)."""

from __future__ import annotations

import json

from selfcheck import api
from selfcheck.answers import blank_answers
from tests.scoring_cases import NOW, cases, rule_data, standard_data

STANDARD = json.dumps(standard_data(), ensure_ascii=False)
SCORING = json.dumps(rule_data(), ensure_ascii=False)


def both(doc) -> tuple[dict, dict, str, str]:
    answers = json.dumps(doc, ensure_ascii=False)
    full, view = (
        api.score(STANDARD, SCORING, answers, NOW),
        api.score_page(STANDARD, SCORING, answers, NOW),
    )
    return json.loads(full), json.loads(view), full, view


def docs(standard):
    blank = blank_answers(standard)
    return [("blank", blank), *cases(standard)]


def test_the_page_view_says_what_the_full_result_says(standard):
    for name, doc in docs(standard):
        check(name, *both(doc)[:2])


def check(name: str, full: dict, view: dict) -> None:
    # The summary, the category scores, the verdict, what to fill in first: as they are.
    assert {k: v for k, v in view.items() if k not in ("items", "criteria", "gaps")} == {
        k: v for k, v in full.items() if k not in ("items", "criteria", "gaps")
    }, name
    # Each item's badge and each criterion's line.
    assert view["items"] == {
        i: {"status": r["status"], "status_label": r["status_label"]}
        for i, r in full["items"].items()
    }
    assert view["criteria"] == {
        c: {"status": r["status"], "message": r["message"]} for c, r in full["criteria"].items()
    }
    # The 整改清单: the same gaps in the same order; requirement and evidence gaps whole, the
    # unanswered ones with what locates them (their sentence is never shown, only counted).
    assert len(view["gaps"]) == len(full["gaps"])
    for seen, gap in zip(view["gaps"], full["gaps"], strict=True):
        if gap["kind"] == "not_answered":
            assert seen == {
                k: gap.get(k)
                for k in ("category_id", "category", "item_id", "criterion_id", "kind")
            }
        else:
            assert seen == gap


def test_the_page_view_of_a_blank_form_is_less_than_half_the_full_result(standard):
    _, _, full, view = both(blank_answers(standard))
    assert len(view.encode()) < len(full.encode()) / 2
