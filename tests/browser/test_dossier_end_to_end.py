"""Issue 16 end to end in Chromium: two community workspaces; fill the 自评; attach generated photos
and PDFs to several items; draw on the risk map; draft a plan; export both packages; drop them with
a tampered copy on the roll-up; the result equals the CLI's. The page is reloaded after every step
and nothing is lost.

Kept quick without skipping a step: the 自评 saves on every keystroke, so it is filled and reloaded
with its Python held back, as on a slow network (`open_selfcheck`); both packages are built in one
visit of 社区档案 (one Python start), and the roll-up is reached from there by a link (Material's
instant navigation keeps that Python); the CLI ranks the same files while the page does."""

from __future__ import annotations

import io
import subprocess
import zipfile

import docx

from selfcheck import package
from selfcheck.model import format_number
from tests import package_cases as pc
from tests.browser.conftest import follow_link, hold_python, release_python
from tests.conftest import ROOT

DOSSIER = "/staff/dossier/"
READY = '[data-sc-feature="dossier/workspace"][data-sc-mounted="1"]'


def open_map(page):
    page.goto("/staff/risk-map/")
    page.wait_for_selector("#sc-riskmap[data-state=ready]")
    page.locator("#sc-rm-svg").scroll_into_view_if_needed()


def map_click(page, x: float, y: float) -> None:
    """Click the map at image coordinates (x, y), wherever the map sits on the screen."""
    point = page.evaluate(
        """([x, y]) => { const svg = document.getElementById('sc-rm-svg');
             const at = () => new DOMPoint(x, y).matrixTransform(svg.getScreenCTM());
             window.scrollBy(0, at().y - innerHeight / 2);
             const p = at(); return [p.x, p.y]; }""",
        [x, y],
    )
    page.mouse.click(*point)


def open_dossier(page):
    page.goto(DOSSIER)
    page.wait_for_selector(READY, timeout=20000)


def reload_dossier(page):
    page.reload()
    page.wait_for_selector(READY, timeout=20000)


def create(page, town, name, kind):
    page.fill("#sc-ws-new-town", town)
    page.fill("#sc-ws-new-name", name)
    page.select_option("#sc-ws-new-kind", kind)
    page.click("text=新建社区档案")
    page.wait_for_function(
        "(n) => document.querySelector('#sc-ws-site_name') && document.querySelector('#sc-ws-site_name').value === n",
        arg=name,
    )


def switch(page, label):
    page.select_option("#sc-ws-select", label=label)
    page.wait_for_function(
        "(l) => document.querySelector('#sc-ws-badge').textContent.includes(l)", arg=label
    )


def attach(page, item_id, files, entry=1):
    details = page.locator(f'details[data-item="{item_id}"]')
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    page.select_option(f'select[aria-label="{item_id} 文件对应的资料"]', index=entry)
    page.set_input_files(f'input[type=file][data-item="{item_id}"]', files)
    page.wait_for_selector(f'details[data-item="{item_id}"] li[data-file="{files[-1]["name"]}"]')


def photo(n, size=250_000):
    return {"name": f"演练照片{n}.jpg", "mimeType": "image/jpeg", "buffer": pc.jpeg_like(n, size)}


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": pc.pdf_like(name)}


def open_selfcheck(page):
    """The 自评 page with its Python held back (as on a slow network: the form is filled, saved and
    reloaded before Python arrives). The test leaves each of its six visits within a second or
    two; Python started at each only to be stopped. Scoring in the page is
    tests/browser/test_selfcheck_page.py's; 社区档案 and the roll-up start their own Python."""
    hold_python(page)
    page.goto("/staff/selfcheck/")
    page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']", timeout=90_000)


def fill_selfcheck(page, answers):
    """Fill and reload: the page saves on every input, Python or not (scoring: test_selfcheck_page)."""
    open_selfcheck(page)
    for name, value in answers.items():
        page.fill(f'[name="{name}"]', value)
    page.reload()
    page.wait_for_selector("#sc-selfcheck[data-sc-mounted='1']", timeout=90_000)
    for name, value in answers.items():
        assert page.input_value(f'[name="{name}"]') == value
    release_python(page)


def build_package(page, tmp_path):
    """The package of the open community, built on the 社区档案 page already open."""
    with page.expect_download(timeout=90_000) as got:
        page.click("#sc-ws-package")
    path = tmp_path / got.value.suggested_filename
    got.value.save_as(path)
    return path


RESERVE_LINE = "手提式干粉灭火器"


def record_reserve_and_calendar(page, site, qty, day):
    page.goto("/staff/")
    follow_link(page, "/staff/reserve/")
    page.wait_for_selector('#sc-reserve-mine[data-sc-mounted="1"]')
    assert site in page.text_content("#sc-reserve-mine [data-ws-line]")
    page.get_by_label(f"{RESERVE_LINE}（火灾）现有数量").fill(qty)
    page.get_by_label(f"{RESERVE_LINE}（火灾）备注").fill("放在社区仓库")
    follow_link(page, "/staff/calendar/")
    page.wait_for_selector('#sc-calendar-mine[data-sc-mounted="1"]')
    assert site in page.text_content("#sc-calendar-mine [data-ws-line]")
    row = page.locator("#sc-calendar-mine tr[data-criterion]").first
    row.locator("input[type=date]").fill(day)
    row.get_by_role("button", name="记下").click()
    row.locator(f'time[datetime="{day}"]').wait_for()
    page.reload()
    page.wait_for_selector('#sc-calendar-mine[data-sc-mounted="1"]')
    assert own_records(page)[1] == [day]


def own_records(page):
    """(quantity of the first reserve line, dates of the first calendar task) of the open community."""
    if not page.url.endswith("/staff/calendar/"):
        page.goto("/staff/calendar/")
        page.wait_for_selector('#sc-calendar-mine[data-sc-mounted="1"]')
    dates = page.eval_on_selector_all(
        "#sc-calendar-mine tr[data-criterion]:first-child time", "ts => ts.map(t => t.dateTime)"
    )
    follow_link(page, "/staff/reserve/")
    page.wait_for_selector('#sc-reserve-mine[data-sc-mounted="1"]')
    qty = page.get_by_label(f"{RESERVE_LINE}（火灾）现有数量").input_value()
    return qty, dates


def test_two_communities_from_workspace_to_rollup(page, standard, tmp_path):
    items = list(standard.items.values())
    # 1. Two workspaces.
    open_dossier(page)
    create(page, "土湾街道", "甲社区", "社区")
    reload_dossier(page)
    create(page, "井口街道", "乙村", "村")
    reload_dossier(page)
    assert page.eval_on_selector_all("#sc-ws-select option", "o => o.map(x => x.textContent)") == [
        "土湾街道 甲社区",
        "井口街道 乙村",
    ]

    # 2. 甲社区: the 自评 shows its profile; fill answers; draw a map; draft a plan.
    switch(page, "土湾街道 甲社区")
    fill_selfcheck(page, {"ans:3.2.b:value": "12", "note:3.2": "队员名册在档案柜"})
    assert page.input_value('[name="profile.site_name"]') == "甲社区"
    open_map(page)
    page.click("button[data-tool=hazard]")
    map_click(page, 120, 120)
    page.fill("#sc-rm-name", "老旧电线")
    page.reload()
    page.wait_for_selector("#sc-riskmap[data-state=ready]")
    assert "老旧电线" in page.text_content("#sc-rm-list")
    page.goto("/staff/plan-drafting/")
    page.get_by_label("编制目的").fill("保障甲社区居民生命财产安全。")
    page.reload()
    assert page.get_by_label("编制目的").input_value() == "保障甲社区居民生命财产安全。"
    # 物资储备 and 工作日历, reached by links as a reader would: the community's own records.
    record_reserve_and_calendar(page, "甲社区", qty="12", day="2024-10-08")

    # 3. Evidence for several items of 甲社区.
    open_dossier(page)
    attach(page, items[0].id, [pdf("专题会议记录.pdf"), photo(1)])
    attach(page, items[3].id, [pdf("三级网格名册.pdf")], entry=0)
    attach(page, items[27].id, [photo(2), photo(3)])
    reload_dossier(page)
    assert "5 个文件" in page.text_content("#sc-ws-usage")

    # 4. 乙村: its own answers and one file; 甲社区's map and plan are not there.
    switch(page, "井口街道 乙村")
    fill_selfcheck(page, {"ans:3.2.b:value": "6"})
    assert page.input_value('[name="profile.site_name"]') == "乙村"
    open_map(page)
    assert "老旧电线" not in page.text_content("#sc-rm-list")
    assert own_records(page) == ("", [])
    open_dossier(page)
    assert "0 个文件" in page.text_content("#sc-ws-usage")
    attach(page, items[1].id, [pdf("工作机制.pdf")])

    # 5. Back to 甲社区: everything is still there; its package.
    open_dossier(page)
    switch(page, "土湾街道 甲社区")
    reload_dossier(page)
    assert "5 个文件" in page.text_content("#sc-ws-usage")
    open_selfcheck(page)
    assert page.input_value('[name="ans:3.2.b:value"]') == "12"
    # The evidence ticks come from the attached files, and say so; the rest can still be ticked by hand.
    page.wait_for_selector("#sc-selfcheck[data-sc-evidence-files='5']", timeout=30_000)
    box = page.locator(
        f'input[name="ev:{items[0].id}"][value="0"]'
    )  # option 1 of the select is evidence 0
    assert box.is_checked()
    assert "已附 2 个文件" in box.locator("xpath=..").text_content()
    hand = page.locator(f'input[name="ev:{items[5].id}"][value="0"]')
    hand.check()
    page.reload()
    page.wait_for_selector("#sc-selfcheck[data-sc-evidence-files='5']", timeout=90_000)
    assert page.locator(f'input[name="ev:{items[5].id}"][value="0"]').is_checked()
    release_python(page)
    open_map(page)
    assert "老旧电线" in page.text_content("#sc-rm-list")
    assert own_records(page) == ("12", ["2024-10-08"])
    # Both packages from one visit of 社区档案.
    open_dossier(page)
    first = build_package(page, tmp_path)
    switch(page, "井口街道 乙村")
    second = build_package(page, tmp_path)
    assert first.name.startswith("土湾街道-甲社区-") and second.name.startswith("井口街道-乙村-")

    checked = package.verify(first, first.name)
    assert [f["name"] for f in checked["evidence"][items[0].id]] == [
        "专题会议记录.pdf",
        "演练照片1.jpg",
    ]
    assert len(checked["evidence"][items[27].id]) == 2
    assert {
        "风险一张图/风险一张图.json",
        "风险一张图/风险一张图.svg",
        "风险一张图/风险一张图.png",
        "预案/预案草稿.json",
        "预案/预案.docx",
    } <= set(checked["others"])
    assert "没有生成" not in page.text_content(".sc-dossier-status")
    with zipfile.ZipFile(first) as zf:
        assert "老旧电线" in zf.read("风险一张图/风险一张图.svg").decode("utf-8")
        assert zf.read("风险一张图/风险一张图.png").startswith(b"\x89PNG")
        plan_text = "\n".join(
            p.text for p in docx.Document(io.BytesIO(zf.read("预案/预案.docx"))).paragraphs
        )
    assert "保障甲社区居民生命财产安全。" in plan_text
    # 乙村 drew no map, drafted no plan and recorded nothing: its package has none of them.
    assert not any(
        p.startswith(("风险一张图/", "预案/", "物资储备/", "工作日历/"))
        for p in package.verify(second, second.name)["others"]
    )
    with zipfile.ZipFile(first) as zf:
        reserve_csv = zf.read("物资储备/本社区储备.csv").decode("utf-8-sig")
        calendar_csv = zf.read("工作日历/完成记录.csv").decode("utf-8-sig")
    assert RESERVE_LINE in reserve_csv and ",12,放在社区仓库" in reserve_csv
    assert "2024-10-08" in calendar_csv and calendar_csv.startswith("条目,指标,任务,周期,完成日期")

    # 6. The roll-up: both packages and a tampered copy; the same result as the CLI.
    tampered = tmp_path / "改过的-报送材料包.zip"
    tampered.write_bytes(
        pc.rewrite(
            first.read_bytes(),
            lambda entries: [
                (
                    n,
                    c.replace(b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", 1)
                    if n.endswith("演练照片1.jpg")
                    else c,
                )
                for n, c in entries
            ],
        )
    )
    names = [first.name, second.name, tampered.name]
    cli_run = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "selfcheck"), "aggregate", *names, "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    # Reached by the nav link, as a reader would: the same document, Python already running.
    follow_link(page, "/district/rollup/")
    page.wait_for_selector('[data-sc-feature="dossier/rollup"][data-sc-mounted="1"]', timeout=20000)
    page.set_input_files("#sc-rollup-files", [str(tmp_path / n) for n in names])
    page.wait_for_selector("#sc-rollup-refused li", timeout=90_000)
    out, err = cli_run.communicate(timeout=120)
    assert cli_run.returncode == 0, err
    import json

    expected = json.loads(out)
    rows = page.eval_on_selector_all(
        "#sc-rollup-table tbody tr",
        "trs => trs.map(tr => [...tr.children].slice(0, 5).map(td => td.textContent))",
    )
    assert rows == [
        [str(r["rank"]), r["town"], r["site_name"], format_number(r["score"]), r["verdict"]]
        for r in expected["communities"]
    ]
    refused = {
        li.get_attribute("data-file"): li.query_selector(".sc-refused-reason").text_content()
        for li in page.query_selector_all("#sc-rollup-refused li")
    }
    assert (
        refused == {x["file"]: x["reason"] for x in expected["refused"]}
        and "演练照片1.jpg" in refused[tampered.name]
    )
    page.click(f'details[data-file="{first.name}"] summary')
    row = page.locator(f'details[data-file="{first.name}"] tr[data-item="{items[27].id}"]')
    assert "演练照片2.jpg" in row.text_content() and "演练照片3.jpg" in row.text_content()
    assert page.console_errors == []
