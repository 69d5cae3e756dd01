"""The plan-drafting page in Chromium: autosave, the 要素齐全 check, DOCX and printable HTML."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from selfcheck.datafiles import DATA_DIR, load_validated
from tests.browser.conftest import arrive, click_link

# One tab for the module (`page` is `module_page`): each test arrives at the page by a link click.
SHARE_ONE_TAB = True


@pytest.fixture(scope="module")
def elements():
    return load_validated(DATA_DIR / "plan_elements.yaml")


def required_labels(elements):
    labels = [
        f"{s['heading']} › {f['label']}"
        for s in elements["sections"]
        for f in s["fields"]
        if f["required"]
    ]
    return labels + [a["heading"] for a in elements["appendices"] if a["required"]]


def test_check_lists_every_missing_required_element(page, elements):
    arrive(page, "/staff/plan-drafting/")
    page.get_by_role("button", name="检查要素是否齐全").click()
    box = page.locator(".sc-draft-check")
    assert "要素不齐全" in box.inner_text()
    listed = box.locator("li").all_inner_texts()
    assert listed == required_labels(elements)
    page.get_by_label("社区（村）名称").fill("磁器口社区")
    page.get_by_role("button", name="检查要素是否齐全").click()
    assert "一、总则 › 社区（村）名称" not in box.locator("li").all_inner_texts()
    assert page.console_errors == []


def test_a_missing_element_link_moves_focus_to_its_field(page):
    arrive(page, "/")
    click_link(page, "a.md-tabs__link:has-text('社区工作人员')")
    click_link(page, "a.md-nav__link[href$='plan-drafting/']")
    page.wait_for_selector("#sc-plan-draft[data-sc-mounted='1']")
    page.get_by_role("button", name="检查要素是否齐全").click()
    links = page.locator(".sc-draft-check li a")
    assert links.count() > 3
    for n in (0, links.count() - 1):  # a text field and a table (appendix)
        link = links.nth(n)
        href = link.get_attribute("href")
        assert href.startswith("#") and len(href) > 1, href
        link.click()
        focused = page.evaluate("() => document.activeElement.id")
        assert "#" + focused == href
        # The list is still there and the page did not jump to its top.
        assert links.count() > 3 and page.evaluate("() => window.scrollY") > 0
    assert page.evaluate("() => window.__sameDocument") is True
    assert page.console_errors == []


def test_typing_is_kept_across_reloads(page):
    arrive(page, "/staff/plan-drafting/")
    page.get_by_label("编制目的").fill("保障居民生命财产安全。")
    page.locator("[data-key='appendix.contacts'] tbody input").first.fill("镇街值班室")
    page.reload()
    assert page.get_by_label("编制目的").input_value() == "保障居民生命财产安全。"
    assert (
        page.locator("[data-key='appendix.contacts'] tbody input").first.input_value()
        == "镇街值班室"
    )
    assert "已恢复" in page.locator(".sc-draft-saved").inner_text()


def fill_everything(page, elements):
    for s in elements["sections"]:
        for f in s["fields"]:
            if f["type"] == "table":
                page.locator(f"[data-key='{s['id']}.{f['id']}'] tbody input").first.fill(
                    f"{f['label']}甲"
                )
            else:
                page.locator(f"[name='{s['id']}.{f['id']}']").fill(f"{f['label']}的内容")
    for a in elements["appendices"]:
        field = page.locator(f"[data-key='appendix.{a['id']}']")
        field.locator("tbody input").first.fill(f"{a['heading']}第一行")
        field.get_by_role("button", name="添加一行").click()
        field.locator("tbody tr").nth(1).locator("input").first.fill(f"{a['heading']}第二行")


def test_docx_opens_with_python_docx_and_holds_every_element(page, elements):
    from docx import Document

    arrive(page, "/staff/plan-drafting/")
    fill_everything(page, elements)
    page.get_by_label("社区（村）名称").fill("磁器口社区")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 Word 文档（DOCX）").click()
    download = info.value
    assert download.suggested_filename == "磁器口社区突发事件应急预案.docx"
    assert "要素齐全" in page.locator(".sc-draft-check").inner_text()
    doc = Document(io.BytesIO(Path(download.path()).read_bytes()))
    headings = {p.text: p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")}
    for s in elements["sections"]:
        assert headings.get(s["heading"]) == "Heading 1"
        for f in s["fields"]:
            assert headings.get(f["label"]) == "Heading 2"
    for a in elements["appendices"]:
        assert headings.get(a["heading"]) == "Heading 1"
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "编制目的的内容" in body and "【待填写】" not in body
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in doc.tables}
    for a in elements["appendices"]:
        table = tables[tuple(a["columns"])]
        assert [r.cells[0].text for r in table.rows[1:]] == [
            f"{a['heading']}第一行",
            f"{a['heading']}第二行",
        ]
    assert doc.paragraphs[0].text == "磁器口社区突发事件应急预案"
    assert "应急厅函〔2023〕231号" in body
    assert any(u.endswith("assets/vendor/docx/docx.iife.js") for u in page.requests)


def test_printable_version_shows_the_plan(page, elements):
    arrive(page, "/staff/plan-drafting/")
    page.get_by_label("编制目的").fill("保障安全。")
    page.get_by_role("button", name="生成可打印版本").click()
    preview = page.locator(".sc-draft-preview")
    preview.wait_for()
    text = preview.inner_text()
    for s in elements["sections"]:
        assert s["heading"] in text
    assert "保障安全。" in text and "【待填写】" in text


def test_usable_at_390px_by_keyboard(browser, site_url):
    from tests.browser.conftest import foreign_requests, new_recorded_page

    context, pg = new_recorded_page(browser, site_url, viewport={"width": 390, "height": 844})
    try:
        pg.goto("/staff/plan-drafting/")
        width = pg.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390
        pg.get_by_label("社区（村）名称").focus()
        pg.keyboard.type("歌乐山社区")
        for _ in range(60):
            pg.keyboard.press("Tab")
            if pg.evaluate("() => document.activeElement.dataset.action") == "check":
                break
        pg.keyboard.press("Enter")
        assert "要素不齐全" in pg.locator(".sc-draft-check").inner_text()
        assert foreign_requests(pg.requests, site_url) == []
    finally:
        context.close()


def test_page_scripts_start_after_instant_navigation(page):
    arrive(page, "/staff/")
    page.locator("article").get_by_role("link", name="应急预案编制").click()
    page.wait_for_url("**/staff/plan-drafting/")
    page.locator("[data-key='appendix.contacts'] tbody input").first.wait_for(timeout=10_000)
    arrive(page, "/district/")
    page.locator("article").get_by_role("link", name="自评结果汇总").first.click()
    page.wait_for_url("**/district/rollup/")
    # Instant navigation changes the address before it swaps the content in: wait for the element.
    page.wait_for_selector("#sc-rollup[data-sc-mounted='1']", timeout=10_000)
