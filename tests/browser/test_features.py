"""The browser core (docs/assets/javascripts/core.js) in Chromium: every page feature works when
reached by a link click (Material's instant navigation), features unmount cleanly, and a full
storage loses nothing already saved."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import arrive, follow_link, hold_python
from tests.conftest import SITE_DIR
from tests.site_pages import html_files, page_url

FEATURE = re.compile(r'data-sc-feature="([a-z0-9/-]+)"')


def feature_pages() -> list[tuple[str, str]]:
    """(path, feature) for every built page declaring a feature: pages added later are covered."""
    found = []
    for html in html_files(SITE_DIR) if SITE_DIR.exists() else []:
        for name in sorted(set(FEATURE.findall(html.read_text(encoding="utf-8")))):
            found.append((page_url(SITE_DIR, html), name))
    return found


# What each feature must then do, as a person would, to count as working.
CHECKS = {
    "checklist": """async () => {
        document.querySelector('#rs-checklist input[type=checkbox]').click();
        return document.querySelector('#rs-progress').textContent.includes('已备 1 项');
    }""",
    "cards": """async () => {
        document.querySelector('#rs-h-head, [data-key=head]').value = '张三';
        document.querySelector('#rs-one-card').click();
        return document.querySelector('#rs-cards-out').textContent.includes('张三');
    }""",
    "plan": """async () => {
        [...document.querySelectorAll('#sc-plan-draft button')].find((b) => b.textContent.includes('检查要素')).click();
        return document.querySelector('.sc-draft-check').textContent.includes('要素不齐全');
    }""",
    "selfcheck": """async () => {
        const root = document.getElementById('sc-selfcheck');
        await SC.py.ready();
        document.querySelector('input[name="profile.kind"][value="社区"]').click();
        const input = document.querySelector('[name="ans:3.2.b:value"]');
        input.value = '8';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const shown = () => document.querySelector('[data-criterion-result="3.2.b"]').textContent;
        for (let i = 0; i < 600 && !shown().includes('差 2 人'); i++) {
            await new Promise((r) => setTimeout(r, 100));
        }
        return document.querySelector('[data-criterion-result="3.2.b"]').textContent.includes('差 2 人');
    }""",
    "riskmap": """async () => {
        for (let i = 0; i < 100 && document.getElementById('sc-riskmap').dataset.state !== 'ready'; i++) {
            await new Promise((r) => setTimeout(r, 100));
        }
        return document.getElementById('sc-riskmap').dataset.state === 'ready';
    }""",
    "evaluation": """async () => !!document.querySelector('#sc-eval-file')""",
    "rollup": """async () => !!document.querySelector('#sc-rollup-files')""",
    # helper "dossier"'s features (issue 16): mounted by the same core, they draw their own UI.
    "dossier/workspace": """async () =>
        document.querySelector('[data-sc-feature="dossier/workspace"]').children.length > 0""",
    "dossier/rollup": """async () => {
        const dt = new DataTransfer();
        dt.items.add(new File(['{"format": "x"}'], '坏.json', {type: 'application/json'}));
        document.querySelector('#sc-rollup .sc-dropzone').dispatchEvent(
            new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
        for (let i = 0; i < 900 && !document.querySelector('#sc-rollup-refused li'); i++) {
            await new Promise((r) => setTimeout(r, 100));
        }
        return !!document.querySelector('#sc-rollup-refused li[data-file="坏.json"]');
    }""",
    "dossier/reserve": """async () => {
        const input = document.querySelector('#sc-reserve-mine input[data-field=qty]');
        input.value = '3';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        return Object.values(JSON.parse(localStorage.getItem('sc-reserve-v1')).lines)[0].qty === 3;
    }""",
    "dossier/calendar": """async () => {
        const row = document.querySelector('#sc-calendar-mine tr[data-criterion]');
        row.querySelector('input[type=date]').value = '2024-10-08';
        row.querySelector('button').click();
        return !!row.querySelector('time[datetime="2024-10-08"]');
    }""",
}


def test_every_feature_page_is_known():
    names = {name for _, name in feature_pages()}
    assert names, "no page declares data-sc-feature"
    assert names <= set(CHECKS), f"features without a check here: {names - set(CHECKS)}"


@pytest.mark.parametrize("path,feature", feature_pages())
def test_a_feature_works_when_reached_by_a_link(module_page, path, feature):
    # One tab for all of them, as a reader going from page to page: each arrives from the home page.
    page = module_page
    arrive(page, "/")
    follow_link(page, path)
    page.wait_for_selector(f"[data-sc-feature='{feature}'][data-sc-mounted='1']", timeout=15_000)
    assert page.evaluate(CHECKS[feature]) is True, f"{feature} does not work on {path}"
    assert page.console_errors == []


COUNT_LISTENERS = """() => {
    // Listeners on window and document, the ones that outlive a page swap.
    const live = new Map();
    const key = (t, type, fn, capture) => [t === window ? 'w' : 'd', type, capture].join(':');
    const add = EventTarget.prototype.addEventListener;
    const remove = EventTarget.prototype.removeEventListener;
    window.__listeners = () => [...live.values()].reduce((a, s) => a + s.size, 0);
    EventTarget.prototype.addEventListener = function (type, fn, options) {
        if (this === window || this === document) {
            const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
            const k = key(this, type, fn, capture);
            if (!live.has(k)) live.set(k, new Set());
            live.get(k).add(fn);
            const signal = options && typeof options === 'object' && options.signal;
            if (signal) signal.addEventListener('abort', () => live.get(k).delete(fn));
            if (options && options.once) {
                const set = live.get(k);
                add.call(this, type, () => set.delete(fn), { once: true });
            }
        }
        return add.call(this, type, fn, options);
    };
    EventTarget.prototype.removeEventListener = function (type, fn, options) {
        if (this === window || this === document) {
            const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
            const set = live.get(key(this, type, fn, capture));
            if (set) set.delete(fn);
        }
        return remove.call(this, type, fn, options);
    };
}"""


def test_listeners_stay_flat_across_ten_navigations(page):
    page.add_init_script(f"({COUNT_LISTENERS})()")
    page.goto("/staff/selfcheck/")
    page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']")
    counts = []
    for _ in range(10):
        follow_link(page, "/residents/checklist/")
        page.wait_for_selector("#rs-checklist[data-sc-mounted='1']")
        follow_link(page, "/staff/selfcheck/")
        page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']")
        counts.append(
            page.evaluate("() => [window.__listeners(), SC.py.listenerCount(), SC.mountedCount()]")
        )
    assert counts[-1] == counts[1], counts
    assert counts[-1][1] <= 1 and counts[-1][2] == 1, (
        counts
    )  # one progress listener, one mounted feature


FULL_STORAGE = """() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
        if (window.__storageFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return setItem.call(this, key, value);
    };
}"""


def test_a_full_storage_says_so_and_loses_nothing_saved(page):
    page.add_init_script(f"({FULL_STORAGE})()")
    page.goto("/residents/checklist/")
    page.wait_for_selector("#rs-checklist[data-sc-mounted='1']")
    boxes = page.locator("#rs-checklist input[type=checkbox]")
    boxes.nth(0).check()
    saved = page.evaluate("() => localStorage.getItem('sc-residents-checklist')")
    page.evaluate("() => { window.__storageFull = true; }")
    boxes.nth(1).check()
    notice = page.locator("#sc-notice")
    notice.wait_for()
    text = notice.inner_text()
    assert "存储已满" in text and "没有保存" in text and "以前保存的内容仍在" in text
    assert page.evaluate("() => localStorage.getItem('sc-residents-checklist')") == saved
    assert page.console_errors == []
    page.reload()
    page.wait_for_selector("#rs-checklist[data-sc-mounted='1']")
    assert boxes.nth(0).is_checked() and not boxes.nth(1).is_checked()


def test_the_selfcheck_draft_survives_a_full_storage(page):
    page.add_init_script(f"({FULL_STORAGE})()")
    hold_python(page)  # saving is the page's own; Python would start at both loads for nothing
    page.goto("/staff/selfcheck/")
    page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']")
    page.fill('[name="profile.site_name"]', "甲社区")
    page.evaluate("() => { window.__storageFull = true; }")
    page.fill('[name="profile.site_name"]', "乙社区")
    assert "上次保存的内容仍在" in page.inner_text("#sc-save-state")
    page.locator("#sc-notice").wait_for()
    page.evaluate("() => { window.__storageFull = false; }")
    page.reload()
    page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']")
    assert page.input_value('[name="profile.site_name"]') == "甲社区"


def test_a_resident_page_fetches_the_search_index_only_when_searching(page):
    page.goto("/residents/handbook/")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert not [u for u in page.requests if "search_index" in u]
    assert not [
        u
        for u in page.requests
        if "/assets/javascripts/" in u
        and "core.js" not in u
        and "py-client.js" not in u
        and "site.js" not in u
        and "sw-register.js" not in u
        and "bundle." not in u
        and "/workers/" not in u
        # helper "dossier"'s site-wide badge (the open community's name on every page)
        and "/dossier/" not in u
    ], "a resident page loaded a tool's code"
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill("灭火器")
    page.locator("input.md-search__input").press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert [u for u in page.requests if "search_index" in u]
