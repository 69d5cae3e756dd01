"""Chinese search on the built site, through Material's own search worker and box in Chromium.

The query set, the item titles and the glossary words go to the page's own search worker, each as
the search box sends it, and its answer is read as the box shows it; a sample typed into the box
with the keyboard must give the same lists. Reports top-1 and top-3 (tests/search_ranking.py says
how a query is judged).
"""

from __future__ import annotations

import yaml

from tests.conftest import DATA_DIR
from tests.search_ranking import QUERIES, address, matches, report

# Issue 15 asks for top-1 ≥ 90 % and top-3 ≥ 98 %. Measured on 2026-11-29 (223 queries): 92.4 % and
# 99.6 % (206 and 222; benchmarks/search_compare.py). The test holds the measured level so that a
# change that makes search worse fails; raise the floors as the ranking improves.
TOP1_TARGET, TOP3_TARGET = 0.90, 0.98
TOP1_FLOOR, TOP3_FLOOR = 0.91, 0.99

# Each result group (one page) stands for its best-scoring entry; the page's own heading comes
# first in the group even when a section of it scored higher.
RESULTS_JS = """() => [...document.querySelectorAll('.md-search-result__item')].map(li => {
    let best = null;
    for (const a of li.querySelectorAll('a.md-search-result__link')) {
        const score = parseFloat(a.querySelector('article').dataset.mdScore);
        if (best === null || score > best.score) best = {href: a.href, score};
    }
    return best.href;
})"""

# Material's search box talks to a Web Worker (workers/search.*.js, the copy our build patched)
# that holds the index and answers each query with the result groups the box shows, in order
# (integrations/search). The test keeps a handle on that very worker when the page creates it.
WORKER_HANDLE_JS = r"""(() => {
    const Native = window.Worker;
    window.Worker = class extends Native {
        constructor(url, options) {
            super(url, options);
            if (/\/workers\/search\.[^/]*\.js/.test(String(url))) {
                window.__scSearchWorker = this;
                this.addEventListener('message', (e) => {
                    if (e.data && e.data.type === 1) window.__scSearchReady = true;  // READY
                });
            }
        }
    };
})()"""

# Many queries at once: each is posted to the page's own search worker as the box posts it
# ({type: QUERY, data: text}), and its answer is read as the box renders it
# (templates/search: the page's entry first, then its sections in the worker's order; each shows
# its score with two decimals, and the test's RESULTS_JS keeps the first highest). The box itself
# renders the same answers; it is closed meanwhile, so that drawing them costs no layout.
# test_typed_queries_get_the_same_results_as_the_worker_run checks the two agree.
SEARCH_ALL_JS = """async (queries) => {
    const worker = window.__scSearchWorker;
    const out = [];
    for (const q of queries) {
        const answer = new Promise((resolve) => {
            const on = (e) => {
                if (e.data.type !== 3) return;  // RESULT
                worker.removeEventListener('message', on);
                resolve(e.data.data.items);
            };
            worker.addEventListener('message', on);
        });
        worker.postMessage({type: 2, data: q});  // QUERY
        out.push((await answer).map((group) => {
            const page = group.findIndex((doc) => !doc.location.includes('#'));
            const shown = [group[page], ...group.filter((_, i) => i !== page)];
            let best = null;
            for (const doc of shown) {
                const score = parseFloat(doc.score.toFixed(2));
                if (best === null || score > best.score) best = {location: doc.location, score};
            }
            return new URL(best.location, location.origin + '/').href;
        }));
    }
    return out;
}"""


def load_search(page) -> None:
    """Load the home page with a handle on its search worker, click the search box (the site asks
    for the index at the first sign of searching, core.js) and wait until the worker's index is
    built. Once per tab: the module's shared tab keeps it."""
    if getattr(page, "sc_search_loaded", False):
        return
    page.add_init_script(WORKER_HANDLE_JS)
    page.goto("/")
    page.locator("input.md-search__input").click()
    # Ready, and the box's own first query (its empty text) answered: the worker answers in turn,
    # so no answer meant for the box can be taken for one of the test's.
    page.wait_for_function(
        """() => window.__scSearchReady === true
            && !/初始化|Initializing/.test(document.querySelector('.md-search-result__meta').textContent)"""
    )
    page.sc_search_loaded = True


def close_search(page) -> None:
    page.evaluate("""() => {
        const toggle = document.getElementById('__search');
        if (toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event('change')); }
    }""")


def search_all(page, queries: list[str]) -> list[list[str]]:
    """Each query's result addresses ("page/#anchor"), best first, from the page's search worker."""
    load_search(page)
    close_search(page)
    return [[address(h) for h in hrefs] for hrefs in page.evaluate(SEARCH_ALL_JS, queries)]


PENDING = "…sc-pending"


def open_search(page) -> None:
    """Open the search box (a click, as a reader does) with its index loaded."""
    load_search(page)
    page.locator("input.md-search__input").click()
    page.wait_for_function(
        "() => !/初始化|Initializing/.test(document.querySelector('.md-search-result__meta').textContent)"
    )


def search(page, query: str) -> list[str]:
    """Type one query into the open search box as a reader with an input method does (the text
    arrives, then a key event: Material searches on `keyup`); return the result addresses read
    from the list, best first. Material writes the count line and the list in one task when the
    worker answers: the count line is marked beforehand and the list read when it changes."""
    box = page.locator("input.md-search__input")
    if box.input_value() != query:  # the box ignores a key that leaves its text as it was
        page.evaluate(
            "(p) => { document.querySelector('.md-search-result__meta').textContent = p; }", PENDING
        )
        box.fill(query)
        box.press("End")
        page.wait_for_function(
            "(p) => document.querySelector('.md-search-result__meta').textContent !== p",
            arg=PENDING,
        )
    return [address(h) for h in page.evaluate(RESULTS_JS)]


def test_search_query_set_top1_top3(module_page):
    assert len(QUERIES) >= 150
    rep = report(QUERIES, search_all(module_page, [case["q"] for case in QUERIES]))
    n = rep["n"]
    print(
        f"\n中文搜索（{n} 个查询）：第 1 条命中 {rep['top1']}/{n} = {rep['top1'] / n:.1%}；"
        f"前 3 条命中 {rep['top3']}/{n} = {rep['top3'] / n:.1%}"
    )
    print("第 1 条未命中：", *rep["misses1"], sep="\n  ")
    print(f"目标：第 1 条 ≥ {TOP1_TARGET:.0%}，前 3 条 ≥ {TOP3_TARGET:.0%}")
    assert rep["top1"] / n >= TOP1_FLOOR and rep["top3"] / n >= TOP3_FLOOR, rep["misses3"]


def test_typed_queries_get_the_same_results_as_the_worker_run(module_page):
    """What a reader typing into the search box sees is what the worker run reads: a sample across
    the query set, an item title and a glossary word. The box shows the first ten result groups at
    once and more as the reader scrolls."""
    sample = [case["q"] for case in QUERIES[::40]] + ["微型消防站", "台账"]
    batch = search_all(module_page, sample)
    open_search(module_page)
    typed = [search(module_page, q) for q in sample]
    assert typed == [results[:10] for results in batch]
    assert all(batch), "每个抽查的查询都应有结果"


def test_every_item_title_finds_the_item_first(module_page, standard):
    """The 41 item titles, as the standard's short names: each must find its own item first."""
    items = list(standard.items.values())
    ranked = search_all(module_page, [item.title for item in items])
    misses = []
    for item, results in zip(items, ranked, strict=True):
        want = f"standard/{item.category_id}/#item-{item.id.replace('.', '-')}"
        if not (results and matches(results[0], want)):
            misses.append((item.title, want, results[:3]))
    print(f"\n条目名称搜索：{len(items) - len(misses)}/{len(items)} 第 1 条是该条目")
    assert misses == []


def test_two_character_glossary_words_find_a_relevant_page_first(module_page):
    glossary = yaml.safe_load((DATA_DIR / "search_synonyms.yaml").read_text(encoding="utf-8"))[
        "glossary"
    ]
    short = [g for g in glossary if len(g["term"]) == 2]
    assert len(short) >= 20
    ranked = search_all(module_page, [g["term"] for g in short])
    misses = [
        (g["term"], g["see"], results[:3])
        for g, results in zip(short, ranked, strict=True)
        if not (results and any(matches(results[0], s) for s in g["see"]))
    ]
    print(f"\n两字词汇：{len(short) - len(misses)}/{len(short)} 第 1 条是相关页面")
    assert misses == []


WHERE_JS = """() => [...document.querySelectorAll('.md-search-result__item .sc-where')]
    .map(s => getComputedStyle(s, '::before').content)"""


def test_results_say_where_they_are(module_page):
    """A requirement's result names its place in the standard; a tool's result names its section."""
    open_search(module_page)
    search(module_page, "微型消防站")
    assert '"建设标准 › 2 硬件设施 ›"' in module_page.evaluate(WHERE_JS)
    search(module_page, "台账归档目录")
    assert '"社区工作人员 ›"' in module_page.evaluate(WHERE_JS)


def test_repeated_standard_text_is_not_indexed_but_the_tools_are_found_by_name(module_page):
    open_search(module_page)
    for name, want in [
        ("自评", "staff/selfcheck/"),
        ("考评表", "district/evaluation-form/"),
        ("台账归档目录", "staff/archive/"),
    ]:
        results = search(module_page, name)
        assert results and matches(results[0], want), (name, results[:3])
    results = search(module_page, "人均避难面积")
    assert not any(
        r.startswith(
            ("staff/selfcheck/#sc-cat", "district/evaluation-form/#eval", "staff/archive/#folder")
        )
        for r in results
    ), results


def test_search_results_with_where_lines_are_accessible(module_page):
    """The where-line is CSS generated text inside each result: axe finds no serious problem."""
    from tests.browser.test_accessibility import blocking_violations

    open_search(module_page)
    search(module_page, "应急物资储备点")
    assert module_page.locator(".md-search-result__item .sc-where").count() > 0
    assert blocking_violations(module_page) == []
