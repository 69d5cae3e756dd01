"""Chinese search on the built site, through Material's own search box in Chromium."""

from __future__ import annotations

from urllib.parse import urlsplit

import yaml

from tests.conftest import ROOT

QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))
MIN_HIT_RATE = 0.9


def search(page, query: str) -> list[str]:
    """Type a query into the search box and return the result page paths, best first."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.fill(query)
    # An input method ends with a key event; Material searches on key events, not on `input`.
    box.press("End")
    page.wait_for_function(
        """(q) => {
            const meta = document.querySelector('.md-search-result__meta');
            return meta && document.querySelector('input.md-search__input').value === q
                && !/键入|Type/.test(meta.textContent);
        }""",
        arg=query,
    )
    page.wait_for_timeout(150)  # the result list renders just after the count
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
    return [urlsplit(h).path.lstrip("/") for h in hrefs]


def test_search_query_set_hit_rate(page, site_url):
    assert len(QUERIES) >= 30
    page.goto("/")
    page.locator("input.md-search__input").click()
    hits, misses = 0, []
    for case in QUERIES:
        results = search(page, case["q"])[:10]
        if any(r.startswith(p) for r in results for p in case["pages"]):
            hits += 1
        else:
            misses.append((case["q"], results[:3]))
    rate = hits / len(QUERIES)
    print(f"\n中文搜索命中率：{hits}/{len(QUERIES)} = {rate:.0%}；未命中：{misses}")
    assert rate >= MIN_HIT_RATE, misses
