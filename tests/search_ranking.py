"""How a search query is judged: shared by tests/browser/test_search.py and benchmarks/search_compare.py.

A result is an address "page/#anchor". Material groups results by page (the page's title first, then
its best sections); a group stands for its best-scoring entry, so the first result is the entry a
reader sees highlighted at the top of the list.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import yaml

from tests.conftest import ROOT

QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))


def address(href: str) -> str:
    """'http://host/standard/2/?h=微型#item-2-5' → 'standard/2/#item-2-5' (no highlight query)."""
    parts = urlsplit(href)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    return path.lstrip("/") + (f"#{fragment}" if fragment else "")


def matches(result: str, expected: str) -> bool:
    """A page matches any of its sections; a section "#fire" also matches its subsections
    "#fire-during"; an item "#item-6-1" matches only itself (not "#item-6-10")."""
    path, _, anchor = result.partition("#")
    want_path, _, want_anchor = expected.partition("#")
    if path != want_path:
        return False
    return not want_anchor or anchor == want_anchor or anchor.startswith(want_anchor + "-")


def judge(case: dict, results: list[str]) -> tuple[bool, bool]:
    """(top-1 hit, top-3 hit) for one query's ranked results."""
    top1 = bool(results) and matches(results[0], case["first"])
    accepted = [case["first"], *case.get("also", [])]
    top3 = any(matches(r, e) for r in results[:3] for e in accepted)
    return top1, top3


def report(cases: list[dict], ranked: list[list[str]]) -> dict:
    """Top-1 and top-3 counts with the misses, for printing and asserting."""
    top1 = top3 = 0
    misses1, misses3 = [], []
    for case, results in zip(cases, ranked, strict=True):
        h1, h3 = judge(case, results)
        top1 += h1
        top3 += h3
        if not h1:
            misses1.append((case["q"], case["first"], results[:3]))
        if not h3:
            misses3.append((case["q"], case["first"], results[:3]))
    n = len(cases)
    return {"n": n, "top1": top1, "top3": top3, "misses1": misses1, "misses3": misses3}
