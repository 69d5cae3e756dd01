"""The 自评 page's fast paths (issue 14, speed) in Chromium: what makes it quick must not cost a
keystroke or a result. No timing is asserted here; speed lives in benchmarks/bench_selfcheck_page.py.

- The form takes typing from first paint: what is typed before the page's module mounts is kept
  (laid over the restored draft), saved, and scored once Python is up, without another edit.
- Every change is scored at once. A change after a pause is shown as soon as its score is back;
  the scores of a burst's changes are held until it pauses, and then its last value is shown.
- A re-score after one edit rewrites only the statuses that changed, not all 41 items.
- The 整改清单 keeps every part whose gaps did not change (the same nodes: an opened 台账 part
  stays open) and shows after an edit exactly what the list built at once from the same answers
  shows.
- While the page loads, items far below the view are not rendered (CSS content-visibility, by
  category; every category's heading is), yet find-in-page and print reach them; once the first
  score is shown and the page is idle all are rendered (and so in the accessibility tree), and a
  gap's link moves focus into its item.
- The worker takes the engine's data as one file (assets/data/engine.json), not the site's other
  data files.
- The page's module has run before the page is parsed (started from <head>), and the form mounts
  right after its part of the page, before the footer and Material's bundle are parsed.
"""

from __future__ import annotations

import json

from tests.browser.conftest import arrive, held_module, somewhere_on_the_site
from tests.browser.test_selfcheck_page import PAGE, SCORED

# One tab for the module (`page` is `module_page`). The tests that need the page loaded afresh
# (typing while it loads, the worker's requests, rendering while loading) load it; the others
# arrive by a link click and share the Python those loads started.
SHARE_ONE_TAB = True

STORE_KEY = "sc-selfcheck-v1"
MODULE = "**/assets/javascripts/selfcheck/index.js*"

SAVED = """(key) => {
    const store = JSON.parse(localStorage.getItem(key) || "null");
    return store && store.drafts[store.current].doc;
}"""


def test_typing_before_mount_is_kept_saved_and_scored(page):
    # A returning visitor: a saved draft with a town and an old name.
    somewhere_on_the_site(page)
    page.evaluate(
        """(key) => localStorage.setItem(key, JSON.stringify({current: "d1", drafts: {d1: {
            name: "草稿 1", updated: "2026-01-01T00:00:00Z",
            doc: {profile: {town: "旧镇", site_name: "旧名", facts: {}}, answers: {}, records: [],
                  evidence: {}, notes: {}}}}}))""",
        STORE_KEY,
    )
    release = held_module(page, MODULE)
    page.goto(PAGE, wait_until="commit")
    page.wait_for_selector('[name="ans:3.2.b:value"]', state="attached")
    # Typed while the module is held back: nothing of ours runs yet.
    page.fill('[name="profile.site_name"]', "新名")
    page.check('input[name="profile.kind"][value="社区"]')
    page.fill('[name="ans:3.2.b:value"]', "8")
    assert page.get_attribute("#sc-selfcheck", "data-sc-mounted") is None
    release()
    page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']")
    page.unroute(MODULE)
    # What was typed stays; what was not typed comes from the saved draft.
    assert page.input_value('[name="profile.site_name"]') == "新名"
    assert page.input_value('[name="profile.town"]') == "旧镇"
    assert page.input_value('[name="ans:3.2.b:value"]') == "8"
    assert page.is_checked('input[name="profile.kind"][value="社区"]')
    saved = page.evaluate(SAVED, STORE_KEY)
    assert saved["profile"]["site_name"] == "新名"
    assert saved["profile"]["town"] == "旧镇"
    assert saved["profile"]["kind"] == "社区"
    assert saved["answers"]["3.2.b"] == {"value": 8}
    # Scored without another edit, once Python is up: the typed answer is judged.
    page.wait_for_selector(SCORED, timeout=90_000)
    assert "差 2 人" in page.text_content('[data-criterion-result="3.2.b"]')
    assert page.console_errors == []


# Records which result elements a re-score rewrote (text or class), by their data attribute.
WATCH = """() => {
    window.__touched = new Set();
    window.__watch = new MutationObserver((records) => {
        for (const r of records) {
            const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            const hit = el && el.closest('[data-item-status], [data-criterion-result]');
            if (hit) __touched.add(hit.dataset.itemStatus ? 'item ' + hit.dataset.itemStatus
                                                         : 'criterion ' + hit.dataset.criterionResult);
        }
    });
    __watch.observe(document.getElementById('sc-selfcheck'),
                    {subtree: true, childList: true, characterData: true, attributes: true,
                     attributeFilter: ['class']});
}"""

EDIT = """([name, value]) => {
    const input = document.querySelector(`[name="${name}"]`);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
}"""


def edit(page, name: str, value: str) -> None:
    """Set one field as typing does and wait for the re-score it causes."""
    page.evaluate(EDIT, [name, value])
    page.wait_for_selector(SCORED)


def open_with_a_team_of_eight(page) -> None:
    """The page, scored, for a 社区 whose 应急队伍 (3.2.b) is 2 people short."""
    arrive(page, PAGE)
    page.wait_for_selector(SCORED, timeout=90_000)
    page.check('input[name="profile.kind"][value="社区"]')
    edit(page, "ans:3.2.b:value", "8")


def test_every_change_is_scored_at_once_and_a_burst_is_shown_once_it_pauses(page):
    open_with_a_team_of_eight(page)
    page.wait_for_timeout(400)  # a pause longer than the page's 250 ms
    burst = page.evaluate(
        """async () => {
            const input = document.querySelector('[name="ans:3.2.b:value"]');
            const line = document.querySelector('[data-criterion-result="3.2.b"]');
            const seen = [];  // every text the line showed, and when
            new MutationObserver(() => seen.push([line.textContent, performance.now()]))
                .observe(line, { subtree: true, childList: true, characterData: true });
            const asked = () => {  // when the newest score was asked for (the page's mark)
                const mark = performance.getEntriesByName("sc:score-start").pop();
                return mark ? mark.startTime : -1;
            };
            const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
            const edits = [];
            for (const value of ["5", "6", "7"]) {  // typed 100 ms apart: one burst
                const before = asked();
                input.value = value;
                const at = performance.now();
                input.dispatchEvent(new Event("input", { bubbles: true }));
                edits.push({ atOnce: asked() > before, at });
                await sleep(100);
            }
            const root = document.getElementById("sc-selfcheck");
            while (root.dataset.scoreState !== "done") await sleep(20);
            return { edits, seen, last: line.textContent };
        }"""
    )
    # Each edit's score is asked for at once, so that it is ready when the burst pauses ...
    assert [e["atOnce"] for e in burst["edits"]] == [True, True, True]
    # ... but the burst's own answers are not drawn while it goes on: "6" (差 4 人) never shows,
    # and "7" (差 3 人), its last value, shows once the burst has paused for 250 ms.
    texts = [text for text, _ in burst["seen"]]
    assert not any("差 4 人" in t for t in texts), texts
    assert "差 3 人" in burst["last"]
    shown_at = next(at for text, at in burst["seen"] if "差 3 人" in text)
    assert shown_at - burst["edits"][-1]["at"] >= 250
    assert page.console_errors == []


def test_a_rescore_rewrites_only_what_changed(page):
    open_with_a_team_of_eight(page)
    assert "差 2 人" in page.text_content('[data-criterion-result="3.2.b"]')
    items = page.eval_on_selector_all("[data-item-status]", "els => els.length")
    assert items == 41

    page.evaluate(WATCH)
    edit(page, "ans:3.2.b:value", "12")
    touched = set(page.evaluate("() => [...__touched]"))
    # 3.2.b went from short to met: its line changed, and 3.2's status may; nothing else did.
    assert "criterion 3.2.b" in touched
    assert touched <= {"criterion 3.2.b", "item 3.2"}, touched
    assert "差" not in page.text_content('[data-criterion-result="3.2.b"]')

    # An edit that changes no result rewrites none of them (a note is not scored).
    page.evaluate("() => __touched.clear()")
    edit(page, "note:3.2", "队员名册在档案柜")
    assert page.evaluate("() => [...__touched]") == []
    assert page.console_errors == []


GAPS_HTML = """() => document.getElementById('sc-gaps').innerHTML.replace(/ open=""/g, '')"""


def test_the_gap_list_keeps_unchanged_parts_and_matches_one_built_at_once(page):
    open_with_a_team_of_eight(page)
    assert page.locator('#sc-gaps [data-gap-item="3.2"][data-gap-kind="not_met"]').count() == 1
    # The user opens the 台账 part; every part of the list is marked.
    page.click("#sc-gaps details.sc-gap-evidence summary")
    page.evaluate(
        """() => document.querySelectorAll('#sc-gaps section, #sc-gaps details')
            .forEach((el) => { el.__was = true; })"""
    )

    edit(page, "ans:3.2.b:value", "12")  # 3.2.b is now met: its gap goes
    assert page.locator('#sc-gaps [data-gap-item="3.2"][data-gap-kind="not_met"]').count() == 0
    kept = page.evaluate(
        """() => ({ open: document.querySelector('#sc-gaps details').open,
            evidenceKept: document.querySelector('#sc-gaps details').__was === true,
            otherKept: [...document.querySelectorAll('#sc-gaps details section')]
              .filter((el) => !el.querySelector('[data-gap-item^="3."]')).every((el) => el.__was === true) })"""
    )
    assert kept == {"open": True, "evidenceKept": True, "otherKept": True}
    updated = page.evaluate(GAPS_HTML)

    # Built at once from the same answers into an empty box (as a fresh load does): the same list.
    fresh = page.evaluate(
        """async (key) => {
            const { renderGaps } = await import(SC.py.root + "assets/javascripts/selfcheck/gaps.js");
            const store = JSON.parse(localStorage.getItem(key));
            const result = await SC.engine.score(store.drafts[store.current].doc);
            const box = document.createElement("div");
            renderGaps(box, result);
            return box.innerHTML;
        }""",
        STORE_KEY,
    )
    assert fresh == updated
    assert page.console_errors == []


def test_the_worker_takes_the_engines_data_as_one_file(page, built_site):
    page.goto(PAGE)
    page.wait_for_selector(SCORED, timeout=90_000)
    data = [u.split("/assets/data/")[1] for u in page.requests if "/assets/data/" in u]
    assert data.count("engine.json") == 1
    engine = json.loads((built_site / "assets/data/engine.json").read_text(encoding="utf-8"))
    # Data files no bridge entry uses (the handbook, the search synonyms...) are not fetched.
    others = {p.name for p in (built_site / "assets/data").glob("*.json")} - {"engine.json"}
    unused = others - {f"{stem}.json" for stem in engine}
    assert unused and not unused & set(data), sorted(unused & set(data))


RENDERED = (
    """(sel) => document.querySelector(sel).checkVisibility({ contentVisibilityAuto: true })"""
)


def test_items_below_the_view_wait_to_render_while_loading_only(page):
    page.set_viewport_size({"width": 390, "height": 844})
    # The page as it is while loading: the module not yet mounted.
    release = held_module(page, MODULE)
    page.goto(PAGE)
    # Far below the view: skipped (not styled, laid out or painted) until needed.
    assert page.evaluate(RENDERED, '[data-item="5.2"] h3') is False
    assert page.evaluate(RENDERED, '[data-item="6.10"] h3') is False
    # Every category's heading is, far down too (a screen reader can list them while it loads).
    assert page.evaluate(RENDERED, "#sc-cat-title-6") is True
    # Find in page reaches a skipped item: it is rendered and scrolled into the view.
    text = page.evaluate(
        """() => document.querySelector('[data-item="5.2"] .sc-item-text').textContent.trim().slice(0, 12)"""
    )
    assert page.evaluate("(t) => window.find(t)", text)
    assert page.evaluate(RENDERED, '[data-item="5.2"] h3') is True
    # Print lays out every category.
    page.emulate_media(media="print")
    assert page.eval_on_selector_all(
        ".sc-category-items, .sc-item",
        "els => els.every((el) => getComputedStyle(el).contentVisibility === 'visible')",
    )
    assert page.evaluate(RENDERED, '[data-item="6.10"] h3') is True
    page.emulate_media(media="screen")

    # Once mounted, scored and idle (or 5 s after mounting at the latest), every item is rendered,
    # so all of them are in the accessibility tree (Chromium leaves skipped content out of it).
    release()
    page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']:not(.sc-render-later)")
    assert page.evaluate(RENDERED, '[data-item="6.10"] h3') is True
    last = page.evaluate(
        """() => document.querySelector('[data-item="6.10"] .sc-item-text').textContent.trim().slice(0, 10)"""
    )
    cdp = page.context.new_cdp_session(page)
    names = [
        n.get("name", {}).get("value", "") for n in cdp.send("Accessibility.getFullAXTree")["nodes"]
    ]
    assert any(last in name for name in names)

    # A gap's link moves focus to its field, far down, and the field is in the view.
    page.wait_for_selector(SCORED, timeout=90_000)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate(
        """() => [...document.querySelectorAll('#sc-gaps a[data-focus-field="sc-ev-6-10"]')].pop().click()"""
    )
    focused = page.evaluate(
        """() => { const a = document.activeElement; const r = a.getBoundingClientRect();
            return { item: a.closest('.sc-item') && a.closest('.sc-item').dataset.item,
                     inView: r.top >= 0 && r.bottom <= innerHeight }; }"""
    )
    assert focused == {"item": "6.10", "inView": True}
    assert page.console_errors == []


def test_the_form_module_has_run_before_the_page_is_parsed(page):
    """overrides/main.html starts the feature's module from <head> (SC.preloadFeature): it has run
    by DOMContentLoaded, so the mount after the page's content (next test) finds it ready. Left to
    the mount, its import settled only after the browser had drawn several frames."""
    somewhere_on_the_site(page)
    page.goto(PAGE)
    page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']", timeout=90_000)
    loaded, parsed = page.evaluate(
        """() => [
            performance.getEntriesByName("sc:feature-loaded:selfcheck")[0].startTime,
            performance.getEntriesByType("navigation")[0].domContentLoadedEventStart,
        ]"""
    )
    assert loaded <= parsed, f"模块在 {loaded:.0f} ms 才运行，页面在 {parsed:.0f} ms 已解析完"


def test_the_form_is_mounted_before_the_rest_of_the_page_is_parsed(page):
    """overrides/main.html mounts the page's feature right after its part of the page
    (SC.scan()): the form autosaves and asks for its first score before the footer and Material's
    bundle are parsed and run, not at DOMContentLoaded. Held back here, Material's bundle (a
    parser-blocking script at the end of <body>) keeps the page from being parsed to its end; the
    form must mount all the same."""
    somewhere_on_the_site(page)
    release = held_module(page, "**/assets/javascripts/bundle.*.min.js")
    page.goto(PAGE, wait_until="commit")
    page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']", timeout=30_000)
    assert page.evaluate("() => document.readyState") == "loading"
    # It works while the rest of the page is still on its way: an edit is saved.
    page.fill('[name="profile.site_name"]', "早挂载")
    assert page.evaluate(SAVED, STORE_KEY)["profile"]["site_name"] == "早挂载"
    release()
    page.wait_for_load_state("load")
    # Mounted once, however many times the page looked for features (DOMContentLoaded, document$).
    assert page.evaluate("() => SC.mountedCount()") == 1
    assert page.console_errors == []
