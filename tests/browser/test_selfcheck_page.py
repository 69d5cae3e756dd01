"""The 自评 page in real Chromium: filled by its own inputs, compared with the CPython engine."""

from __future__ import annotations

import json

import openpyxl
import pytest

from selfcheck import api
from tests.browser.conftest import arrive, click_link

# One tab for the module (`page` is `module_page`): its tests share one start of Python.
SHARE_ONE_TAB = True

PAGE = "/staff/selfcheck/"
# The page's marker that its first (or latest) score is drawn (benchmarks read it too).
SCORED = "#sc-selfcheck[data-score-state=done]"
FACTS = [
    "has_restaurants",
    "has_property_estates",
    "has_enterprise_cluster",
    "has_enterprises",
    "has_hazchem_sites",
    "has_nine_small_places",
]


# ---- answer documents ------------------------------------------------------------------------


def good_community(standard) -> dict:
    """A 社区 that meets every requirement, with every 台账 at hand."""
    doc = json.loads(api.blank_template(site_json(standard)))
    doc["profile"].update(
        town="童家桥街道",
        site_name="示范社区",
        address="沙坪坝区某路 1 号",
        kind="社区",
        population=5000,
        facts={f: True for f in FACTS},
    )
    for k in standard.criteria.values():
        if k.kind == "boolean":
            doc["answers"][k.id] = {"value": "yes"}
        elif k.kind == "ratio":
            pair = {"numerator": 100, "denominator": 100}
            if k.denominator.profile == "population":
                pair = {"numerator": 8000}
            doc["answers"][k.id] = pair
        else:
            (key,) = k.kind_spec.answer_keys
            doc["answers"][k.id] = {key: int(k.threshold) if k.threshold >= 1 else k.threshold}
    doc["evidence"] = {i.id: list(range(len(i.evidence))) for i in standard.items.values()}
    return doc


def weak_community(standard) -> dict:
    """A 村 with typical shortfalls, exactly at and just below several thresholds."""
    doc = good_community(standard)
    doc["profile"].update(
        site_name="<b>待整改村</b>",
        kind="村",
        population=4000,
        facts={**{f: False for f in FACTS}, "has_enterprises": True},
    )
    doc["answers"]["3.2.b"] = {"value": 9}  # 9 < 10 people
    doc["answers"]["2.5.d"] = {"numerator": 5960}  # 1.49 m² per person
    doc["answers"]["4.5.a"] = {"numerator": 799, "denominator": 1000}  # 79.9 % < 80 %
    doc["answers"]["6.1.c"] = {"count": 3}
    doc["answers"]["1.2.b"] = {"value": "partly"}
    doc["answers"]["1.3.a"] = {"value": "no"}
    doc["answers"]["6.3.a"] = {"value": None}
    doc["evidence"]["1.1"] = [0]
    doc["notes"] = {"1.1": '=HYPERLINK("http://example.invalid")'}
    return doc


_SITE_JSON: dict[str, str] = {}


def site_json(standard, name: str = "standard") -> str:
    """The very JSON files the browser reads, from the built site."""
    from tests.conftest import SITE_DIR

    if name not in _SITE_JSON:
        _SITE_JSON[name] = (SITE_DIR / "assets" / "data" / f"{name}.json").read_text(
            encoding="utf-8"
        )
    return _SITE_JSON[name]


def cpython_result(standard, doc) -> dict:
    return json.loads(
        api.score(
            site_json(standard), site_json(standard, "scoring"), json.dumps(doc, ensure_ascii=False)
        )
    )


# ---- driving the page ------------------------------------------------------------------------


def open_selfcheck(page):
    """The page as a first visit finds it (storage empty), reached by a link when the tab already
    shows the site (`arrive`)."""
    arrive(page, PAGE)
    page.wait_for_selector("#sc-selfcheck[data-py-ready]", timeout=90_000)
    wait_scored(page)


def wait_scored(page):
    page.wait_for_selector(SCORED, timeout=30_000)


def fill(page, standard, doc):
    """Fill the form through its inputs: the profile typed as a person would, the ~200 answer
    fields set in one go with the same `input`/`change` events a person's typing fires."""
    p = doc["profile"]
    for key in ("town", "site_name", "address"):
        page.fill(f'[name="profile.{key}"]', p[key])
    page.check(f'input[name="profile.kind"][value="{p["kind"]}"]')
    page.fill(
        '[name="profile.population"]', "" if p["population"] is None else str(p["population"])
    )
    fields = {}  # input name → value (text) or list of values to tick (radios, checkboxes)
    for fact, value in p["facts"].items():
        if value is not None:
            fields[f"fact:{fact}"] = ["true" if value else "false"]
    for cid, answer in doc["answers"].items():
        for key, value in answer.items():
            if key == "value" and standard.criteria[cid].kind == "boolean":
                fields[f"ans:{cid}"] = [] if value is None else [value]
            else:
                fields[f"ans:{cid}:{key}"] = "" if value is None else str(value)
    for item in standard.items.values():
        fields[f"ev:{item.id}"] = [str(i) for i in doc["evidence"].get(item.id, [])]
    for item_id, note in doc.get("notes", {}).items():
        fields[f"note:{item_id}"] = note
    page.evaluate(
        """(fields) => {
            for (const [name, value] of Object.entries(fields)) {
                for (const input of document.getElementsByName(name)) {
                    if (Array.isArray(value)) input.checked = value.includes(input.value);
                    else input.value = value;
                    input.dispatchEvent(new Event("input", { bubbles: true }));
                    input.dispatchEvent(new Event("change", { bubbles: true }));
                }
            }
        }""",
        fields,
    )
    wait_scored(page)


def page_state(page) -> dict:
    return page.evaluate(
        """() => ({
            score: document.querySelector('#sc-overall-score').textContent,
            verdict: document.querySelector('#sc-verdict strong').textContent,
            categories: [...document.querySelectorAll('[data-category-score]')].map(
                (r) => [r.dataset.categoryScore, r.querySelector('td').textContent]),
            gaps: [...document.querySelectorAll('.sc-gap-list li')].map((li) => li.textContent),
            unanswered: Object.fromEntries([...document.querySelectorAll('[data-gap-unanswered]')].map(
                (li) => [li.dataset.gapUnanswered, li.textContent.match(/还有 [0-9]+ 条未填写/)[0]])),
            items: Object.fromEntries([...document.querySelectorAll('[data-item-status]')].map(
                (b) => [b.dataset.itemStatus, b.textContent.trim()])),
        })"""
    )


def fmt(n):
    return "—" if n is None else format(round(n * 10) / 10, "g")


def assert_page_equals_engine(state, result):
    assert state["score"] == fmt(result["overall"]["score"])
    assert state["verdict"] == "结论：" + result["overall"]["verdict"]
    assert state["categories"] == [[c["id"], fmt(c["score"])] for c in result["categories"]]
    # Requirement gaps first, then the missing 台账 (collapsed); unanswered ones as a line per category.
    listed = [g for g in result["gaps"] if g["kind"] not in ("not_answered", "evidence")]
    listed += [g for g in result["gaps"] if g["kind"] == "evidence"]
    assert state["gaps"] == [f"{g['item_id']} {g['item_title']}：{g['text']}" for g in listed]
    unanswered = {}
    for g in result["gaps"]:
        if g["kind"] == "not_answered":
            unanswered[g["category_id"]] = unanswered.get(g["category_id"], 0) + 1
    assert state["unanswered"] == {c: f"还有 {n} 条未填写" for c, n in unanswered.items()}
    for iid, item in result["items"].items():
        assert state["items"][iid].endswith(item["status_label"]), iid


def download(page, button_selector):
    with page.expect_download() as info:
        page.click(button_selector)
    return info.value


# ---- tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["good", "weak"])
def test_scores_and_gaps_equal_the_cpython_engine(page, standard, which):
    doc = good_community(standard) if which == "good" else weak_community(standard)
    open_selfcheck(page)
    fill(page, standard, doc)
    state = page_state(page)
    result = cpython_result(standard, doc)
    assert_page_equals_engine(state, result)
    if which == "good":
        assert result["overall"]["level"] == "ready" and state["gaps"] == []
    else:
        assert result["overall"]["level"] != "ready"
        gaps = "\n".join(state["gaps"])
        assert "应急队伍人数 9 人，标准不少于 10 人，差 1 人" in gaps
        assert "1.49" in gaps and "79.9" in gaps
        # No 危化品 sites: the quarterly inspection does not apply, and its record is not demanded.
        assert page.inner_text('[data-criterion-result="4.2.c"]').startswith("—")
        assert not any("危化品烟花爆竹重点关注场所季度排查记录" in g for g in state["gaps"])
        # The 整改清单 comes in the same two groups as every export.
        from selfcheck.report import GAP_GROUPS

        headings = page.eval_on_selector_all("#sc-gaps h3", "els => els.map((e) => e.textContent)")
        assert [h.split("（", 1)[0] for h in headings] == [
            t.split("（", 1)[0] for _, t in GAP_GROUPS
        ]
    # The page's own export carries exactly these answers.
    exported = json.loads(download(page, "#sc-export-json").path().read_text(encoding="utf-8"))
    assert (
        json.loads(api.import_json(site_json(standard), json.dumps(exported, ensure_ascii=False)))[
            "answers"
        ]
        == json.loads(api.import_json(site_json(standard), json.dumps(doc, ensure_ascii=False)))[
            "answers"
        ]
    )


def test_user_text_is_shown_as_text(page, standard):
    open_selfcheck(page)
    doc = weak_community(standard)
    fill(page, standard, doc)
    assert page.locator("#sc-selfcheck b").count() == 0  # "<b>待整改村</b>" stays text everywhere
    report = None
    with page.context.expect_page() as info:
        page.click("#sc-export-report")
    report = info.value
    report.wait_for_load_state()
    assert "<b>待整改村</b>" in report.inner_text("body")
    assert report.locator("b", has_text="待整改村").count() == 0


def test_autosave_survives_reload_and_drafts_are_separate(page, standard):
    open_selfcheck(page)
    page.check('input[name="profile.kind"][value="村"]')
    page.fill('[name="profile.site_name"]', "甲村")
    page.fill('[name="ans:3.2.b:value"]', "12")
    page.fill('[name="note:3.2"]', "队员名册在档案柜")
    page.reload()
    page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']")
    assert page.input_value('[name="profile.site_name"]') == "甲村"
    assert page.input_value('[name="ans:3.2.b:value"]') == "12"
    assert page.input_value('[name="note:3.2"]') == "队员名册在档案柜"
    assert page.is_checked('input[name="profile.kind"][value="村"]')
    # A second named draft starts empty; the first is still there.
    page.once("dialog", lambda d: d.accept("乙社区"))
    page.click("#sc-draft-new")
    assert page.input_value('[name="profile.site_name"]') == ""
    page.fill('[name="profile.site_name"]', "乙社区")
    first = page.eval_on_selector(
        "#sc-draft-select", "s => [...s.options].find((o) => o.text !== '乙社区').value"
    )
    page.select_option("#sc-draft-select", first)
    assert page.input_value('[name="profile.site_name"]') == "甲村"
    # Clear-all asks first; dismissing keeps everything.
    page.once("dialog", lambda d: d.dismiss())
    page.click("#sc-clear-all")
    assert page.input_value('[name="profile.site_name"]') == "甲村"
    page.once("dialog", lambda d: d.accept())
    page.click("#sc-clear-all")
    assert page.input_value('[name="profile.site_name"]') == ""


def test_export_import_round_trip_never_overwrites(page, standard, tmp_path):
    open_selfcheck(page)
    doc = weak_community(standard)
    fill(page, standard, doc)
    before = page_state(page)
    exported = download(page, "#sc-export-json")
    path = tmp_path / "export.json"
    exported.save_as(path)
    # Import over a filled draft: lands in a new draft, the old one untouched.
    page.set_input_files("#sc-import-file", str(path))
    page.wait_for_selector("#sc-io-message.sc-message--ok")
    assert "新草稿" in page.inner_text("#sc-io-message")
    assert page.eval_on_selector("#sc-draft-select", "s => s.options.length") == 2
    wait_scored(page)
    assert page_state(page) == before
    assert page.input_value('[name="note:1.1"]') == doc["notes"]["1.1"]


def test_a_tampered_or_broken_import_is_refused_and_nothing_changes(page, standard, tmp_path):
    open_selfcheck(page)
    fill(page, standard, weak_community(standard))
    before = page_state(page)
    exported = json.loads(download(page, "#sc-export-json").path().read_text(encoding="utf-8"))
    exported["answers"]["3.2.b"] = {"value": 20}  # edited after export: the hash no longer fits
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    truncated = tmp_path / "truncated.json"
    truncated.write_text(json.dumps(exported, ensure_ascii=False)[:500], encoding="utf-8")
    for path in (tampered, truncated):
        page.set_input_files("#sc-import-file", str(path))
        page.wait_for_selector("#sc-io-message.sc-message--error")
        message = page.inner_text("#sc-io-message")
        assert "没有完成" in message and path.name in message, message
        assert page.input_value('[name="ans:3.2.b:value"]') == "9"
        assert page.eval_on_selector("#sc-draft-select", "s => s.options.length") == 1
        assert page_state(page) == before


def test_compare_with_an_earlier_export(page, standard, tmp_path):
    open_selfcheck(page)
    fill(page, standard, weak_community(standard))
    earlier = tmp_path / "earlier.json"
    download(page, "#sc-export-json").save_as(earlier)
    page.fill('[name="ans:3.2.b:value"]', "11")  # 3.2 improves
    page.check('input[name="ans:1.1.a"][value="no"]')  # 1.1 regresses
    wait_scored(page)
    page.set_input_files("#sc-compare-file", str(earlier))
    page.wait_for_selector("[data-compare-item]")
    wait_scored(page)
    assert "▲ 进步" in page.inner_text('[data-compare-item="3.2"]')
    assert "▼ 退步" in page.inner_text('[data-compare-item="1.1"]')
    # The chart now shows both, each bar labelled in words.
    assert page.locator(".sc-chart .sc-bar--old").count() == 6
    # 3.2 improved, so category 3's new bar is longer than its old one; 1.1 regressed, so category 1's is shorter.
    widths = page.eval_on_selector_all(
        ".sc-chart .sc-bar", "bars => bars.map((b) => Number(b.getAttribute('width')))"
    )
    old, new = widths[0::2], widths[1::2]
    assert new[2] > old[2] and new[0] < old[0]
    chart_text = page.locator(".sc-chart").text_content()
    assert "以前" in chart_text and "现在" in chart_text


def test_xlsx_export_has_the_three_sheets(page, standard, tmp_path):
    open_selfcheck(page)
    fill(page, standard, weak_community(standard))
    path = tmp_path / "export.xlsx"
    download(page, "#sc-export-xlsx").save_as(path)
    workbook = openpyxl.load_workbook(path)
    assert len(workbook.sheetnames) >= 3
    text = "\n".join(
        str(c.value)
        for ws in workbook
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    )
    assert "<b>待整改村</b>" in text and "沙坪坝区某路 1 号" in text
    for ws in workbook:
        for row in ws.iter_rows():
            for c in row:
                # Formula-like text is kept as typed but stored as text, never as a formula.
                assert c.data_type != "f", (ws.title, c.coordinate)
                if isinstance(c.value, str) and c.value.startswith("="):
                    assert c.data_type == "s" and c.number_format == "@", (ws.title, c.coordinate)


def test_arrival_by_instant_navigation(page, site_url):
    arrive(page, "/")
    click_link(page, "a.md-tabs__link:has-text('社区工作人员')")
    click_link(page, "a.md-nav__link[href$='selfcheck/']")
    page.wait_for_url("**/staff/selfcheck/")
    assert page.evaluate("() => window.__sameDocument") is True  # still that document, no full load
    page.wait_for_selector("#sc-selfcheck[data-py-ready]", timeout=90_000)
    page.check('input[name="profile.kind"][value="社区"]')
    page.fill('[name="ans:3.2.b:value"]', "8")
    wait_scored(page)
    assert "差 2 人" in page.inner_text('[data-criterion-result="3.2.b"]')


def test_offline_after_load_and_nothing_is_sent(page, standard, site_url):
    posted = []
    # Only reading requests (GET; the worker reads the .wasm's type from its own GET): nothing
    # carries data out.
    page.on("request", lambda r: r.method != "GET" and posted.append((r.method, r.url)))
    open_selfcheck(page)
    page.context.set_offline(True)
    page.check('input[name="profile.kind"][value="社区"]')
    page.fill('[name="profile.population"]', "1000")
    page.fill('[name="ans:2.5.d:numerator"]', "1210")
    wait_scored(page)
    assert "还差约 290 平方米避难面积（按常住人口 1,000 人）" in page.inner_text(
        '[data-criterion-result="2.5.d"]'
    )
    download(page, "#sc-export-xlsx")  # openpyxl is already in the worker
    page.context.set_offline(False)
    assert posted == []


def test_keyboard_alone_fills_and_scores(page):
    open_selfcheck(page)
    page.focus('input[name="profile.kind"][value="社区"]')
    page.keyboard.press("Space")
    page.focus('[name="ans:3.2.b:value"]')
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    wait_scored(page)
    assert page.inner_text('[data-criterion-result="3.2.b"]').startswith("✔")
    # Radios move with the arrow keys, buttons answer Enter.
    page.focus('input[name="ans:3.2.c"][value="yes"]')
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    assert page.is_checked('input[name="ans:3.2.c"][value="partly"]')
    page.focus("#sc-export-json")
    with page.expect_download():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("width", [390, 1280])
def test_nothing_scrolls_sideways_once_filled(page, standard, width):
    # No screenshots here: nothing compared them, and the two cost 14 s of the browser's CPU (a
    # failing test still keeps a full-page one in test-artifacts/).
    page.set_viewport_size({"width": width, "height": 900})
    open_selfcheck(page)
    fill(page, standard, weak_community(standard))
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_blank_form_says_what_to_fill_first_and_scores_what_it_can(page):
    open_selfcheck(page)
    summary = page.inner_text("#sc-summary")
    assert "profile" not in summary and "None" not in summary and "kind" not in summary
    assert "请先在“基本情况”里选择类型（社区或村）" in summary
    # What does not depend on the 类型 is judged already.
    page.fill('[name="ans:3.2.b:value"]', "8")
    wait_scored(page)
    assert "差 2 人" in page.inner_text('[data-criterion-result="3.2.b"]')
    # The sentence is a link to the 类型 field: focus moves there.
    page.click("#sc-needs-first a")
    assert page.evaluate("() => document.activeElement.name") == "profile.kind"
    page.keyboard.press("Space")
    wait_scored(page)
    assert page.inner_text("#sc-overall-score") != "—"
    assert "选择类型" not in page.inner_text("#sc-summary")


def test_phone_keeps_the_score_in_view_and_gaps_jump_to_their_field(browser, site_url, standard):
    from tests.browser.conftest import new_recorded_page

    context, page = new_recorded_page(
        browser, site_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        open_selfcheck(page)
        fill(page, standard, weak_community(standard))
        result = cpython_result(standard, weak_community(standard))
        # Half-way down the form, the bar is on screen with the live score, verdict and gap count.
        page.locator("#sc-item-4-1").scroll_into_view_if_needed()
        bar = page.locator("#sc-stickybar")
        box = bar.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844 + 1
        text = bar.inner_text()
        requirement_gaps = [
            g for g in result["gaps"] if g["kind"] not in ("not_answered", "evidence")
        ]
        assert fmt(result["overall"]["score"]) in text and result["overall"]["verdict"] in text
        assert f"{len(requirement_gaps)} 处未达到要求" in text
        # Each item's status beside its title.
        assert (
            page.inner_text("#sc-item-3-2 h3 [data-item-status]")
            .strip()
            .endswith(result["items"]["3.2"]["status_label"])
        )
        # Every status is drawn whole on one line ("✘ 未" / "达标" read as two words). All items
        # rendered first: those far below the view are skipped while the page loads.
        page.evaluate(
            "() => document.getElementById('sc-selfcheck').classList.remove('sc-render-later')"
        )
        broken = page.evaluate(
            """() => [...document.querySelectorAll('[data-item-status]')]
                .filter((b) => b.textContent.trim() && b.getClientRects().length !== 1)
                .map((b) => b.dataset.itemStatus + ' ' + b.textContent.trim())"""
        )
        assert broken == []
        # Scored, the page still fits the phone (tests/browser/test_layout.py checks it as loaded).
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        # Tapping a gap moves focus to its field.
        page.locator('.sc-gap-list li[data-gap-item="3.2"] a').first.tap()
        assert page.evaluate("() => document.activeElement.name") == "ans:3.2.b:value"
        # The print hint fits a phone: no keyboard shortcut.
        with page.expect_popup() as popup:
            page.click("#sc-export-report")
        popup.value.close()
        message = page.inner_text("#sc-io-message")
        assert "Ctrl" not in message and "打印" in message
    finally:
        context.close()


def test_a_python_bug_shows_an_apology_and_copies_its_detail(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_selfcheck(page)
    page.evaluate("""() => SC.py.call('score', {not: 'text'}, null).catch((e) => {
        window.__err = e;
        SC.showError(document.getElementById('sc-io-message'), e, '操作没有完成：');
    })""")
    box = page.locator("#sc-io-message")
    text = box.inner_text()
    assert "抱歉" in text and "Traceback" not in text and "score" not in text
    box.get_by_role("button", name="复制错误详情").click()
    page.wait_for_function(
        "() => document.querySelector('.sc-copy-state').textContent.includes('已复制')"
    )
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "应为文本" in copied and "/staff/selfcheck/" in copied
