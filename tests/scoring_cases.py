"""Shared scoring cases: the same documents are scored under CPython and inside Pyodide."""

from __future__ import annotations

import copy
import functools
import json

from selfcheck.datafiles import DATA_DIR, load_validated

NOW = "2024-09-10T10:00:00+08:00"
WINDOW = {"start": "2023-09-01", "end": "2024-08-31"}


@functools.cache
def _validated(name: str) -> dict:
    # Read and checked once per test process (the standard took 0.28 s, asked for five times while
    # the tests are collected); each caller gets its own copy to change.
    return load_validated(DATA_DIR / name)


def rule_data() -> dict:
    return copy.deepcopy(_validated("scoring.yaml"))


def plan_data() -> dict:
    return copy.deepcopy(_validated("plan.yaml"))


def standard_data() -> dict:
    return copy.deepcopy(_validated("standard.yaml"))


def passing_value(crit) -> dict:
    """An answer that exactly reaches the criterion's threshold (the boundary itself)."""
    t = crit.threshold
    if crit.kind == "boolean":
        return {"value": "yes"}
    if crit.kind == "quantity":
        return {"value": t}
    if crit.kind == "periodic":
        return {"count": t}
    if crit.kind == "per_event":
        return {"min": t}
    if crit.denominator.profile == "population":
        return {"numerator": t * 1000}
    return {"numerator": t, "denominator": 100}


def base_doc(standard, **facts) -> dict:
    """A community with every fact true, population 1000, nothing answered."""
    from selfcheck.answers import blank_answers

    doc = blank_answers(standard)
    doc["profile"].update(
        town="土湾街道", site_name="示例社区", address="沙坪坝区示例路 1 号", population=1000
    )
    doc["profile"]["facts"] = {f: True for f in doc["profile"]["facts"]}
    doc["profile"]["facts"].update(facts)
    doc["window"] = dict(WINDOW)
    return doc


def full_doc(standard) -> dict:
    """Every criterion exactly at its threshold, every piece of evidence at hand."""
    doc = base_doc(standard)
    doc["answers"] = {cid: passing_value(c) for cid, c in standard.criteria.items()}
    doc["evidence"] = {iid: list(range(len(item.evidence))) for iid, item in standard.items.items()}
    return doc


def cases(standard) -> list[tuple[str, dict]]:
    """Named answer documents covering every kind, every boundary and every status."""
    out = [("blank", base_doc(standard)), ("full", full_doc(standard))]
    d = full_doc(standard)
    d["answers"]["2.5.d"] = {"numerator": 1490}
    d["answers"]["3.2.b"] = {"value": 9}
    d["answers"]["4.5.a"] = {"numerator": 799, "denominator": 1000}
    d["answers"]["1.2.a"] = {"value": "partly"}
    d["answers"]["1.2.b"] = {"value": "no"}
    del d["answers"]["1.3.a"]
    d["notes"]["1.1"] = '=HYPERLINK("http://x") <script>alert(1)</script>'
    out.append(("boundaries", d))
    d = full_doc(standard)
    d["profile"]["population"] = 0
    d["profile"]["kind"] = "村"
    d["profile"]["facts"].update(
        has_restaurants=False, has_enterprises=False, has_nine_small_places=None
    )
    out.append(("village_no_population", d))
    d = full_doc(standard)
    d["window"] = {"start": "2024-01-15", "end": "2024-08-31"}
    recs = []
    for month in range(1, 9):
        per = 3 if month == 7 else 4
        for day in range(1, per + 1):
            people = 86 if (month, day) == (8, 2) else 120
            recs.append(
                {
                    "date": f"2024-{month:02d}-{day:02d}",
                    "type": "安全宣教",
                    "people": people,
                    "note": "",
                }
            )
    recs.append({"date": "2024-03-05", "type": "应急演练", "people": None, "note": "上半年演练"})
    d["records"] = recs
    out.append(("records", d))
    return [(name, copy.deepcopy(doc)) for name, doc in out]


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
