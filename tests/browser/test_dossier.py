"""社区档案 in real Chromium: migration of today's drafts and map, switching, evidence in IndexedDB,
the 报送材料包 built in the browser and checked by the Python verifier."""

from __future__ import annotations

import json
from pathlib import Path

from selfcheck import package
from selfcheck.model import format_number
from tests import package_cases as pc
from tests.browser.conftest import arrive, click_link, somewhere_on_the_site

# One tab for the module (`page` is `module_page`): each test arrives at its pages by a link click.
SHARE_ONE_TAB = True

DOSSIER = "/staff/dossier/"
READY = '[data-sc-feature="dossier/workspace"][data-sc-mounted="1"]'


def today_drafts(standard) -> dict:
    """Two 自评 drafts and a map as the current version saves them (sc-selfcheck-v1, sc-riskmap:doc)."""
    from tests.scoring_cases import base_doc

    a, b = base_doc(standard), base_doc(standard)
    a["profile"].update(town="土湾街道", site_name="土湾社区")
    b["profile"].update(town="井口街道", site_name="井口村", kind="村")
    a["answers"] = {"1.1.a": {"value": "yes"}}
    return {
        "sc-selfcheck-v1": {
            "current": "d1",
            "drafts": {
                "d1": {"name": "草稿 1", "updated": "2024-09-01T10:00:00Z", "doc": a},
                "d2": {"name": "草稿 2", "updated": "2024-09-02T10:00:00Z", "doc": b},
            },
        },
        "sc-riskmap:doc": {
            "format": "sc-riskmap",
            "meta": {"community": "土湾社区"},
            "features": [{"type": "hazard", "name": "老旧电线"}],
        },
        "sc-plan-draft-v1": {
            "saved": "2024-09-01T10:00:00Z",
            "data": {"title": "土湾社区综合应急预案"},
        },
    }


def seed(page, values: dict):
    somewhere_on_the_site(page)
    page.evaluate(
        "(v) => { localStorage.clear(); "
        "for (const [k, x] of Object.entries(v)) localStorage.setItem(k, JSON.stringify(x)); }",
        values,
    )


def storage(page, key):
    return page.evaluate("(k) => JSON.parse(localStorage.getItem(k))", key)


def open_dossier(page):
    arrive(page, DOSSIER)
    page.wait_for_selector(READY, timeout=20000)


def labels(page):
    return page.eval_on_selector_all("#sc-ws-select option", "els => els.map(e => e.textContent)")


def test_todays_drafts_and_map_become_workspaces_and_switching_switches_every_tool(page, standard):
    data = today_drafts(standard)
    seed(page, data)
    open_dossier(page)
    assert labels(page) == ["土湾街道 土湾社区", "井口街道 井口村"]
    assert page.input_value("#sc-ws-select") and page.input_value("#sc-ws-town") == "土湾街道"
    assert "当前社区：土湾街道 土湾社区" in page.text_content("#sc-ws-badge")
    # Nothing of the old data changed by the migration.
    assert storage(page, "sc-selfcheck-v1") == data["sc-selfcheck-v1"]
    assert storage(page, "sc-riskmap:doc") == data["sc-riskmap:doc"]
    page.select_option("#sc-ws-select", label="井口街道 井口村")
    page.wait_for_function("() => document.querySelector('#sc-ws-town').value === '井口街道'")
    assert storage(page, "sc-selfcheck-v1")["current"] == "d2"
    assert storage(page, "sc-riskmap:doc") is None and storage(page, "sc-plan-draft-v1") is None
    page.reload()
    page.wait_for_selector(READY)
    assert "井口村" in page.text_content("#sc-ws-badge")
    page.select_option("#sc-ws-select", label="土湾街道 土湾社区")
    page.wait_for_function("() => document.querySelector('#sc-ws-town').value === '土湾街道'")
    assert storage(page, "sc-riskmap:doc") == data["sc-riskmap:doc"]
    assert storage(page, "sc-plan-draft-v1") == data["sc-plan-draft-v1"]
    assert storage(page, "sc-selfcheck-v1")["drafts"] == data["sc-selfcheck-v1"]["drafts"]
    # The name shows on other pages too.
    arrive(page, "/standard/")
    page.wait_for_selector("#sc-ws-badge")
    assert "土湾社区" in page.text_content("#sc-ws-badge")
    assert page.console_errors == []


def test_a_switch_asked_for_while_the_page_redraws_is_carried_out_not_dropped(page, standard):
    # Two switches in one task: the second arrives while the first one's redraw is still awaiting
    # the evidence store (as after a package download); it must wait its turn, not be ignored.
    seed(page, today_drafts(standard))
    open_dossier(page)
    page.evaluate(
        """() => { const s = document.querySelector('#sc-ws-select');
            const to = (label) => { s.value = [...s.options].find((o) => o.textContent === label).value;
                                    s.dispatchEvent(new Event('change', { bubbles: true })); };
            to('井口街道 井口村'); to('土湾街道 土湾社区'); }"""
    )
    page.wait_for_selector(".sc-dossier-status:has-text('已切换到“土湾街道 土湾社区”')")
    assert page.input_value("#sc-ws-town") == "土湾街道"
    assert storage(page, "sc-selfcheck-v1")["current"] == "d1"
    assert "土湾社区" in page.text_content("#sc-ws-badge")


def test_another_tab_can_delete_the_evidence_store_and_this_tab_opens_it_again(page, standard):
    # "Clear site data", or a newer site version upgrading the store in another tab, must not wait
    # forever on this tab's open connection ("blocked"); this tab lets go and reopens on next use.
    seed(page, today_drafts(standard))
    open_dossier(page)
    other = page.context.new_page()
    try:
        other.goto("/404.html")
        outcome = other.evaluate(
            """() => new Promise((done) => {
                const r = indexedDB.deleteDatabase('sc-dossier');
                r.onsuccess = () => done('deleted');
                r.onerror = () => done('error');
                r.onblocked = () => done('blocked');
                setTimeout(() => done('still waiting after 10 s'), 10000);
            })"""
        )
    finally:
        other.close()
    assert outcome == "deleted"
    item = next(iter(standard.items.values()))
    page.set_input_files(
        f'input[type=file][data-item="{item.id}"]',
        [{"name": "重新打开.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 test"}],
    )
    page.wait_for_selector(f'details[data-item="{item.id}"] li[data-file="重新打开.pdf"]')
    assert "1 个文件" in page.text_content("#sc-ws-usage")


def test_a_full_storage_loses_nothing_when_switching(page, standard):
    seed(page, today_drafts(standard))
    open_dossier(page)
    before = page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))"
    )
    # The window outlives the test in this module's shared tab: the real setItem goes back after.
    page.evaluate(
        "() => { window.__setItem = Storage.prototype.setItem; Storage.prototype.setItem = "
        "function () { throw new DOMException('full', 'QuotaExceededError'); }; }"
    )
    try:
        page.select_option("#sc-ws-select", label="井口街道 井口村")
        page.wait_for_selector(".sc-dossier-error:has-text('本地存储已满')")
        after = page.evaluate(
            "() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))"
        )
    finally:
        page.evaluate("() => { Storage.prototype.setItem = window.__setItem; }")
    assert after == before


def test_evidence_files_are_kept_per_item_tick_the_evidence_and_go_into_the_package(
    page, standard, tmp_path
):
    seed(page, {})
    open_dossier(page)
    page.fill("#sc-ws-new-town", "土湾街道")
    page.fill("#sc-ws-new-name", "示例社区")
    page.click("text=新建社区档案")
    page.wait_for_selector("#sc-ws-profile")
    page.fill("#sc-ws-population", "3200")
    page.click("text=保存社区情况")
    page.wait_for_selector("text=社区情况已保存")
    item = next(iter(standard.items.values()))
    page.click(f'details[data-item="{item.id}"] summary')
    page.select_option(f'select[aria-label="{item.id} 文件对应的资料"]', index=2)
    page.set_input_files(
        f'input[type=file][data-item="{item.id}"]',
        [
            {
                "name": "会议记录.pdf",
                "mimeType": "application/pdf",
                "buffer": pc.pdf_like("会议记录"),
            },
            {"name": "照片.jpg", "mimeType": "image/jpeg", "buffer": pc.jpeg_like(7, 300_000)},
        ],
    )
    page.wait_for_selector(f'details[data-item="{item.id}"] li[data-file="照片.jpg"]')
    page.reload()
    page.wait_for_selector(READY)
    assert page.locator(f'details[data-item="{item.id}"] li').count() == 2
    assert "2 个文件" in page.text_content("#sc-ws-usage")
    doc = storage(page, "sc-selfcheck-v1")
    draft = doc["drafts"][doc["current"]]["doc"]
    assert draft["evidence"][item.id] == [1] and draft["profile"]["population"] == 3200
    with page.expect_download(timeout=60000) as got:
        page.click("#sc-ws-package")
    download = got.value
    assert download.suggested_filename.startswith(
        "土湾街道-示例社区-"
    ) and download.suggested_filename.endswith("-报送材料包.zip")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    checked = package.verify(path, path.name)
    assert [f["name"] for f in checked["evidence"][item.id]] == ["会议记录.pdf", "照片.jpg"]
    assert {"自评/自评报告.html", "自评/自评结果（含附件2点位信息）.xlsx"} <= set(checked["others"])
    export = json.loads(checked["export"])
    assert export["answers"]["profile"]["site_name"] == "示例社区"
    photo = next(f for f in checked["files"] if f["path"].endswith("照片.jpg"))
    import hashlib

    assert photo["sha256"] == hashlib.sha256(pc.jpeg_like(7, 300_000)).hexdigest()
    assert page.console_errors == []


ROLLUP = "/district/rollup/"
ROLLUP_READY = '[data-sc-feature="dossier/rollup"][data-sc-mounted="1"]'


def check_evaluation_form(page, standard, good, tampered):
    """考评表, reached by a link: prefilled from a package with each item's evidence; a tampered
    package is refused naming the changed file and leaves the form blank."""
    expected = package.verify(good, good.name)
    arrive(page, "/district/")
    click_link(page, 'a.sc-entrance:has-text("考评表")')
    page.wait_for_selector('#sc-evaluation[data-sc-mounted="1"]')
    assert page.evaluate("() => window.__sameDocument") is True, "not an instant navigation"
    page.set_input_files("#sc-eval-file", str(good))
    page.wait_for_selector("#sc-evaluation[data-filled]", timeout=60000)
    assert page.text_content("[data-fill='site_name']") == "示例社区"
    assert "5 个文件与清单一致" in page.text_content("[data-fill='file']")
    first = next(iter(standard.items.values()))
    cell = page.locator(f"[data-evidence='{first.id}']")
    assert [b.text_content() for b in cell.locator("button").all()] == [
        f["name"] for f in expected["evidence"][first.id]
    ]
    assert page.text_content("[data-evidence='1.2']") == "无"
    assert page.text_content(f"[data-self='{first.id}']")
    with page.expect_download() as got:
        cell.locator("button", has_text="照片 1.jpg").click()
    assert Path(got.value.path()).read_bytes() == pc.jpeg_like(1)
    # A tampered package is refused naming the changed file; the form is blank again.
    page.set_input_files("#sc-eval-file", str(tampered))
    page.wait_for_selector(f"#sc-evaluation[data-refused='{tampered.name}']", timeout=60000)
    assert "照片 1.jpg" in page.text_content(".sc-eval-status")
    assert page.text_content(f"[data-evidence='{first.id}']") == ""
    assert page.text_content("[data-fill='site_name']") == ""


def cli_aggregate_started(directory, names):
    """`selfcheck aggregate` on the same files, running while the page works."""
    import subprocess

    from tests.conftest import ROOT

    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "selfcheck"), "aggregate", *names, "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=directory,
    )


def refused_reasons(page):
    return {
        li.get_attribute("data-file"): li.query_selector(".sc-refused-reason").text_content()
        for li in page.query_selector_all("#sc-rollup-refused li")
    }


def test_the_evaluation_form_and_the_rollup_reached_by_links_read_packages_like_the_cli(
    page, standard, tmp_path
):
    """One tab, one Python: 考评表 first, then the roll-up by a nav link (instant navigation keeps
    the dossier worker); the CLI ranks the same files meanwhile."""
    from tests.scoring_cases import full_doc

    good = pc.good_package(standard)
    other = pc.good_package(standard, town="井口街道", site="二号社区", full=False)
    bad = pc.hostile(standard)
    plain = full_doc(standard)
    plain["profile"].update(town="凤凰镇", site_name="三号村", kind="村")
    files = {
        "土湾街道-示例社区-报送材料包.zip": good,
        "井口街道-二号社区-报送材料包.zip": other,
        "三号村-自评导出.json": pc.export_text(standard, plain).encode("utf-8"),
        "改过的-报送材料包.zip": bad["changed"][0],
        "逃逸路径.zip": bad["dotdot"][0],
        "炸弹.zip": bad["ratio_bomb"][0],
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    cli_run = cli_aggregate_started(tmp_path, sorted(files))
    check_evaluation_form(
        page,
        standard,
        tmp_path / "土湾街道-示例社区-报送材料包.zip",
        tmp_path / "改过的-报送材料包.zip",
    )
    click_link(page, '.md-nav__link[href$="rollup/"]')
    page.wait_for_selector(ROLLUP_READY, timeout=20000)
    assert page.evaluate("() => window.__sameDocument") is True, "not an instant navigation"
    # Dropped in two goes, packages and an export mixed: the second (with the tampered copies)
    # changes nothing already loaded.
    page.set_input_files("#sc-rollup-files", [str(tmp_path / "土湾街道-示例社区-报送材料包.zip")])
    page.wait_for_selector("#sc-rollup-table tbody tr", timeout=60000)
    page.set_input_files(
        "#sc-rollup-files", [str(tmp_path / n) for n in sorted(files) if not n.startswith("土湾")]
    )
    page.wait_for_selector("#sc-rollup[data-done='6']", timeout=60000)
    out, err = cli_run.communicate(timeout=120)
    assert cli_run.returncode == 0, err
    cli = json.loads(out)
    rows = page.eval_on_selector_all(
        "#sc-rollup-table tbody tr",
        "trs => trs.map(tr => [...tr.children].slice(0, 5).map(td => td.textContent))",
    )
    expected_rows = [
        [str(r["rank"]), r["town"], r["site_name"], format_number(r["score"]), r["verdict"]]
        for r in cli["communities"]
    ]
    assert rows == expected_rows and len(rows) == 3
    assert refused_reasons(page) == {x["file"]: x["reason"] for x in cli["refused"]}
    assert "照片 1.jpg" in refused_reasons(page)["改过的-报送材料包.zip"]
    # A tampered copy under the accepted package's own name is refused and replaces nothing.
    same = tmp_path / "again" / "土湾街道-示例社区-报送材料包.zip"
    same.parent.mkdir()
    same.write_bytes(bad["changed"][0])
    page.set_input_files("#sc-rollup-files", [str(same)])
    page.wait_for_selector('#sc-rollup-refused li[data-file="土湾街道-示例社区-报送材料包.zip"]')
    assert (
        page.eval_on_selector_all(
            "#sc-rollup-table tbody tr",
            "trs => trs.map(tr => [...tr.children].slice(0, 5).map(td => td.textContent))",
        )
        == expected_rows
    )
    # Evidence per item, and any file opens with its original bytes; a JSON export has none.
    assert "JSON 导出" in page.text_content('#sc-rollup-table tr[data-file="三号村-自评导出.json"]')
    page.click('details[data-file="土湾街道-示例社区-报送材料包.zip"] summary')
    first = next(iter(standard.items.values()))
    cell = page.locator(
        f'details[data-file="土湾街道-示例社区-报送材料包.zip"] tr[data-item="{first.id}"]'
    )
    assert "会议记录.pdf" in cell.text_content() and "照片 1.jpg" in cell.text_content()
    with page.expect_download() as got:
        cell.locator("button", has_text="照片 1.jpg").click()
    assert Path(got.value.path()).read_bytes() == pc.jpeg_like(1)
    assert (
        page.locator('details[data-file="土湾街道-示例社区-报送材料包.zip"] tr[data-item="1.2"] td')
        .nth(3)
        .text_content()
        == "无"
    )
    assert page.console_errors == []


def _one_workspace(page):
    seed(page, {})
    open_dossier(page)
    page.fill("#sc-ws-new-name", "示例社区")
    page.click("text=新建社区档案")
    page.wait_for_selector("#sc-ws-profile")


def test_a_full_evidence_store_refuses_clearly_and_keeps_what_was_stored(page, standard):
    _one_workspace(page)
    item = next(iter(standard.items.values()))
    page.click(f'details[data-item="{item.id}"] summary')
    page.set_input_files(
        f'input[type=file][data-item="{item.id}"]',
        [{"name": "已有.pdf", "mimeType": "application/pdf", "buffer": pc.pdf_like("已有")}],
    )
    page.wait_for_selector('li[data-file="已有.pdf"]')
    page.evaluate(
        "() => { IDBObjectStore.prototype.add = function () { "
        "throw new DOMException('quota', 'QuotaExceededError'); }; }"
    )
    page.set_input_files(
        f'input[type=file][data-item="{item.id}"]',
        [{"name": "新.jpg", "mimeType": "image/jpeg", "buffer": pc.jpeg_like(3)}],
    )
    page.wait_for_selector(".sc-dossier-error:has-text('存储空间已满')")
    message = page.text_content(".sc-dossier-error")
    assert "新.jpg" in message and "以前保存的资料都还在" in message
    page.reload()
    page.wait_for_selector(READY)
    names = page.eval_on_selector_all(
        f'details[data-item="{item.id}"] li', "els => els.map(e => e.dataset.file)"
    )
    assert names == ["已有.pdf"]


def test_a_file_over_the_stated_limit_is_refused_before_anything_is_written(
    page, standard, tmp_path
):
    big = tmp_path / "太大.pdf"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024 + 1)
    _one_workspace(page)
    item = list(standard.items.values())[1]
    page.click(f'details[data-item="{item.id}"] summary')
    page.set_input_files(f'input[type=file][data-item="{item.id}"]', [str(big)])
    page.wait_for_selector(".sc-dossier-error:has-text('超过了上限')")
    assert "太大.pdf" in page.text_content(
        ".sc-dossier-error"
    ) and "单个文件不超过 50 MB" in page.text_content(".sc-dossier-error")
    assert "0 个文件" in page.text_content("#sc-ws-usage")


# The workspace tool has drawn the community its picker shows (it redraws after every change).
RENDERED = """() => { const root = document.querySelector('[data-sc-workspace]');
    const picker = document.querySelector('#sc-ws-select');
    return Boolean(root && picker && root.dataset.scWorkspace === picker.value); }"""


def test_mounted_pages_are_accessible_at_390px_and_1280px_and_by_keyboard(page, standard, tmp_path):
    """axe finds nothing at 390 px and at 1280 px on every page of this helper, each with its tool
    in use (a drop refused and accepted, a form prefilled, records made); the same tab throughout.
    A page's axe run is 3–12 s on a loaded machine: only the badge and the tool are checked here."""
    from tests.browser.test_accessibility import blocking_violations, resize

    def check(what):
        """axe on the community badge and the tool in use; every page as loaded, whole, at both
        widths, is tests/browser/test_accessibility.py's."""
        for width in (390, 1280):
            resize(page, width)
            tool = {"include": [["#sc-ws-badge"], ["[data-sc-feature]"]]}
            assert blocking_violations(page, tool) == [], f"{what} at {width} px"
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, what

    page.set_viewport_size({"width": 390, "height": 800})
    try:
        seed(page, today_drafts(standard))
        open_dossier(page)
        check("社区档案")
        page.set_viewport_size({"width": 390, "height": 800})
        # Keyboard only: reach the community picker and switch with the arrow key.
        page.focus("#sc-ws-select")
        page.keyboard.press("ArrowDown")
        page.wait_for_function(
            "() => document.querySelector('#sc-ws-badge').textContent.includes('井口村')"
        )
        # The tool is redrawn for 井口村 (the picker with it), and the keyboard is still on the picker.
        page.wait_for_function(RENDERED)
        assert page.evaluate("() => document.activeElement.id") == "sc-ws-select"
        # Reach a file input by Tab from its item's summary, opened with Enter.
        item = next(iter(standard.items.values()))
        page.focus(f'details[data-item="{item.id}"] summary')
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.type") == "file"
        arrive(page, "/staff/reserve/")
        page.wait_for_selector('#sc-reserve-mine[data-sc-mounted="1"]')
        page.get_by_label("手提式干粉灭火器（火灾）现有数量").fill("-1")
        page.wait_for_selector("#sc-reserve-mine [data-sc-status]:has-text('不小于 0 的整数')")
        check("物资储备")
        arrive(page, "/staff/calendar/")
        page.wait_for_selector('#sc-calendar-mine[data-sc-mounted="1"]')
        row = page.locator("#sc-calendar-mine tr[data-criterion]").first
        row.get_by_role("button", name="记下").click()  # no date chosen: told to choose one
        page.wait_for_selector("#sc-calendar-mine [data-sc-status]:has-text('请先选择')")
        row.locator("input[type=date]").fill("2024-10-08")
        row.get_by_role("button", name="记下").click()
        row.locator('time[datetime="2024-10-08"]').wait_for()
        # By keyboard: 记下 and 删除 redraw the cell, and the keyboard stays in the row.
        row.locator("input[type=date]").fill("2024-10-09")
        row.get_by_role("button", name="记下").focus()
        page.keyboard.press("Enter")
        row.locator('time[datetime="2024-10-09"]').wait_for()
        focused = (
            "() => document.activeElement.getAttribute('aria-label') || document.activeElement.type"
        )
        assert (page.evaluate(focused) or "").startswith("记下")
        row.get_by_role("button", name="删除 2024-10-09 的记录", exact=False).focus()
        page.keyboard.press("Enter")
        row.locator('time[datetime="2024-10-09"]').wait_for(state="detached")
        assert (page.evaluate(focused) or "").endswith("完成日期")
        check("工作日历")
        page.goto("/district/packages/")  # an old address: a page of its own, not in the sitemap
        # Its only part of the tool is the community badge, which dossier/boot.js imports at
        # DOMContentLoaded: it may come after the load event that goto() waits for.
        page.wait_for_selector("#sc-ws-badge")
        check("报送材料包核验（旧地址）")
        (tmp_path / "a.zip").write_bytes(pc.good_package(standard))
        (tmp_path / "b.zip").write_bytes(pc.hostile(standard)["changed"][0])
        page.click("text=打开自评结果汇总")
        page.wait_for_selector(ROLLUP_READY, timeout=20000)
        page.set_input_files("#sc-rollup-files", [str(tmp_path / "a.zip"), str(tmp_path / "b.zip")])
        page.wait_for_selector("#sc-rollup-refused li", timeout=60000)
        page.click("details.sc-rollup-community summary")
        page.wait_for_selector("details.sc-rollup-community[open] tr[data-item]")
        check("自评结果汇总")
        click_link(page, '.md-nav__link[href$="evaluation-form/"]')
        page.wait_for_selector('#sc-evaluation[data-sc-mounted="1"]')
        page.set_input_files("#sc-eval-file", str(tmp_path / "a.zip"))
        page.wait_for_selector("#sc-evaluation[data-filled]", timeout=60000)
        check("考评表")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_a_draft_made_or_chosen_on_the_selfcheck_page_is_a_workspace_and_switches_every_tool(
    page, standard
):
    data = today_drafts(standard)
    data["sc-residents-cards-community"] = {"name": "土湾社区", "phone": "023-00000000"}
    seed(page, data)
    open_dossier(page)
    assert len(labels(page)) == 2
    # The 自评 page (as it saves today) adds a third draft and makes it current.
    page.evaluate("""() => { const s = JSON.parse(localStorage.getItem('sc-selfcheck-v1'));
        s.drafts.d3 = {name: '草稿 3', updated: '2024-09-03T10:00:00Z', doc: null}; s.current = 'd3';
        localStorage.setItem('sc-selfcheck-v1', JSON.stringify(s)); }""")
    open_dossier(page)
    assert labels(page) == ["土湾街道 土湾社区", "井口街道 井口村", "草稿 3"]
    assert "草稿 3" in page.text_content("#sc-ws-badge")
    assert (
        storage(page, "sc-riskmap:doc") is None
        and storage(page, "sc-residents-cards-community") is None
    )
    switch_to = page.eval_on_selector(
        "#sc-ws-select", "s => [...s.options].find(o => o.textContent.includes('土湾')).value"
    )
    page.select_option("#sc-ws-select", switch_to)
    page.wait_for_function(
        "() => document.querySelector('#sc-ws-badge').textContent.includes('土湾社区')"
    )
    assert storage(page, "sc-riskmap:doc") == data["sc-riskmap:doc"]
    assert storage(page, "sc-residents-cards-community") == data["sc-residents-cards-community"]
    assert storage(page, "sc-selfcheck-v1")["current"] == "d1"


def test_a_residents_device_gets_no_workspace_and_no_badge(page):
    seed(
        page,
        {"sc-residents-cards-community": {"name": "土湾社区"}, "sc-residents-checklist": {"x": 1}},
    )
    arrive(page, "/residents/cards/")
    # Wait until boot.js has run the badge module (the same module URL it imports), not a timer.
    page.evaluate(
        """async () => {
            const boot = [...document.scripts].find((s) => /dossier\\/boot\\.js/.test(s.src));
            await import(new URL('badge.js' + new URL(boot.src).search, boot.src).href);
            await new Promise((r) => setTimeout(r, 0));
        }"""
    )
    assert page.query_selector("#sc-ws-badge") is None
    assert storage(page, "sc-dossier-v1") is None and storage(page, "sc-selfcheck-v1") is None
    assert storage(page, "sc-residents-cards-community") == {"name": "土湾社区"}


def test_reserve_and_calendar_records_made_before_any_workspace_are_kept(page):
    """Quantities typed (or dates recorded) before any community exists: the upgrade makes them a
    workspace; with the store already there, the first workspace created takes them."""
    reserve = {"format": "sc-reserve", "version": 1, "lines": {"fire/手提式干粉灭火器": {"qty": 4}}}
    calendar = {"format": "sc-calendar", "version": 1, "tasks": {}}
    seed(page, {"sc-reserve-v1": reserve})
    open_dossier(page)
    assert labels(page) == ["迁移的社区"]
    assert storage(page, "sc-reserve-v1") == reserve
    seed(
        page,
        {
            "sc-dossier-v1": {"version": 1, "current": None, "workspaces": {}},
            "sc-reserve-v1": reserve,
            "sc-calendar-v1": calendar,
        },
    )
    open_dossier(page)
    page.fill("#sc-ws-new-name", "新社区")
    page.click("text=新建社区档案")
    page.wait_for_selector("#sc-ws-profile")
    assert storage(page, "sc-reserve-v1") == reserve
    assert storage(page, "sc-calendar-v1") == calendar
    arrive(page, "/staff/reserve/")
    page.wait_for_selector('#sc-reserve-mine[data-sc-mounted="1"]')
    assert page.get_by_label("手提式干粉灭火器（火灾）现有数量").input_value() == "4"
    assert "新社区" in page.text_content("#sc-reserve-mine [data-ws-line]")
    assert page.console_errors == []
