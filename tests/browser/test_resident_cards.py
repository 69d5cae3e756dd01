"""明白卡 in Chromium: CSV in UTF-8 and GBK, good and bad rows, and the A4 print layout."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import arrive
from tests.browser.resident_helpers import a4_pdf, pdf_pages

# One tab for the module (`page` is `module_page`): each test arrives at the page by a link click.
SHARE_ONE_TAB = True

HEADER = "户主,地址,家庭成员,户主电话,灾害类型,撤离路线,避险场所"
GOOD = [
    "张秀英,沙坪坝区某街道某社区1栋1单元101,张秀英 女 81,13800000001,山体滑坡,沿坡道往东到小学操场,",
    "李国华,沙坪坝区某街道某社区2栋,李国华 男 76；王芳 女 74,13800000002,内涝,走正门到社区广场,社区广场",
    '陈小明,"沙坪坝区某路5号, 附2号",陈小明 男 9,13800000003,火灾,走楼梯下楼,',
    "刘桂兰,沙坪坝区某街道某社区3栋,刘桂兰 女 88,13800000004,山体滑坡,往西到停车场,",
    "赵德明,沙坪坝区某街道某社区4栋,赵德明 男 79,13800000005,内涝,走后门到学校,",
]


def csv_bytes(lines, encoding):
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def open_cards(page):
    arrive(page, "/residents/cards/")
    page.wait_for_selector("#rs-cards-app[data-sc-mounted='1']")


def load_csv(page, data: bytes, name="住户.csv"):
    page.set_input_files("#rs-csv", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    page.wait_for_function("document.querySelector('#rs-messages').textContent.length > 0")


def card_heads(page):
    return page.eval_on_selector_all(
        "#rs-cards-out .rs-card [data-slot='head']", "els => els.map(e => e.textContent)"
    )


@pytest.mark.parametrize(
    "encoding,label", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"), ("gbk", "GBK")]
)
def test_good_csv_in_utf8_and_gbk_gives_one_card_per_household(page, encoding, label):
    open_cards(page)
    load_csv(page, csv_bytes([HEADER, *GOOD], encoding))
    assert card_heads(page) == ["张秀英", "李国华", "陈小明", "刘桂兰", "赵德明"]
    messages = page.inner_text("#rs-messages")
    assert f"{label} 编码" in messages and "生成 5 张卡片" in messages
    # A quoted address keeps its comma.
    third = page.locator("#rs-cards-out .rs-card").nth(2)
    assert third.locator("[data-slot='address']").inner_text() == "沙坪坝区某路5号, 附2号"
    assert third.locator("[data-slot='number']").first.inner_text() == "0003"


def test_bad_rows_are_named_and_the_other_cards_still_render(page):
    open_cards(page)
    lines = [
        HEADER,
        GOOD[0],  # row 2
        ",沙坪坝区某社区5栋,,13800000006,,,",  # row 3: 户主 empty
        "孙建国,沙坪坝区某社区6栋",  # row 4: too few columns
        GOOD[1],  # row 5
        "周红,沙坪坝区某社区7栋,,,,,,多出来的,又多一列",  # row 6: extra columns
        "吴强,,吴强 男 70,,,,",  # row 7: 地址 empty
        "",  # blank line: skipped silently
        GOOD[3],  # row 9
    ]
    load_csv(page, csv_bytes(lines, "gbk"))
    assert card_heads(page) == ["张秀英", "李国华", "刘桂兰"]
    errors = page.eval_on_selector_all(
        "#rs-messages .rs-alert", "els => els.map(e => e.textContent)"
    )
    assert len(errors) == 4, errors
    assert "第 3 行" in errors[0] and "户主" in errors[0]
    assert "第 4 行" in errors[1] and "只有 2 列" in errors[1]
    assert "第 6 行" in errors[2] and "多出 2 列" in errors[2]
    assert "第 7 行" in errors[3] and "（户主：吴强）" in errors[3] and "地址" in errors[3]
    assert "生成 3 张卡片" in page.inner_text("#rs-messages")


def test_missing_required_column_is_named_and_no_stale_cards_remain(page):
    open_cards(page)
    load_csv(page, csv_bytes([HEADER, *GOOD], "utf-8"))
    assert len(card_heads(page)) == 5
    load_csv(
        page, csv_bytes(["户主,家庭成员,不认识的列", "张三,张三 男 70,x"], "utf-8"), name="缺列.csv"
    )
    messages = page.inner_text("#rs-messages")
    assert "第 1 行（列名）缺少必需的列：“地址”" in messages
    assert "不认识的列“不认识的列”" in messages
    assert card_heads(page) == []


def test_csv_text_is_shown_as_text_never_as_markup(page):
    open_cards(page)
    load_csv(page, csv_bytes(["户主,地址", "<img src=x onerror=alert(1)>,<b>某处</b>"], "utf-8"))
    assert card_heads(page) == ["<img src=x onerror=alert(1)>"]
    assert page.locator("#rs-cards-out img, #rs-cards-out b").count() == 0


def test_community_details_fill_every_card_and_stay_in_the_browser(page):
    open_cards(page)
    page.fill("#rs-c-name", "某某社区")
    page.fill("#rs-c-shelter", "某某小学操场")
    page.fill("#rs-c-grid_worker", "网格员甲")
    page.fill("#rs-c-grid_phone", "13900000000")
    load_csv(page, csv_bytes([HEADER, *GOOD[:2]], "utf-8"))
    cards = page.locator("#rs-cards-out .rs-card")
    # Row 1 left 避险场所 empty: the community's shelter fills it; row 2 has its own.
    assert cards.nth(0).locator("[data-slot='shelter']").inner_text() == "某某小学操场"
    assert cards.nth(1).locator("[data-slot='shelter']").inner_text() == "社区广场"
    assert cards.nth(0).locator("[data-slot='c:name']").inner_text() == "某某社区"
    page.reload()
    page.wait_for_selector("#rs-cards-app[data-sc-mounted='1']")
    assert page.input_value("#rs-c-name") == "某某社区"
    # The household list itself is not stored.
    ours = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('sc-')).join()")
    assert ours == "sc-residents-cards-community"


def test_empty_monitor_prints_blank_never_the_grid_worker(page):
    # Issue 11 §1: on a geological-hazard card the 网格员 is often not the 监测人, so an empty
    # 监测人 stays blank for hand-writing instead of printing the wrong person.
    open_cards(page)
    page.fill("#rs-c-grid_worker", "网格员甲")
    page.fill("#rs-c-grid_phone", "13900000000")
    load_csv(
        page,
        csv_bytes(
            [HEADER + ",监测人,监测人电话", GOOD[0] + ",,", GOOD[1] + ",监测员乙,13700000000"],
            "utf-8",
        ),
    )
    cards = page.locator("#rs-cards-out .rs-card")
    first, second = cards.nth(0), cards.nth(1)
    for slot in ("monitor", "monitor_phone"):
        blank = first.locator(f"[data-slot='{slot}']")
        assert blank.inner_text().strip() == "", slot
        assert "rs-blank" in blank.get_attribute("class"), slot
    assert second.locator("[data-slot='monitor']").inner_text() == "监测员乙"
    assert second.locator("[data-slot='monitor_phone']").inner_text() == "13700000000"
    # The 网格员 is still printed where it belongs: the card's side panel.
    assert "网格员甲" in first.locator(".rs-card-side").inner_text()
    assert "网格员甲" not in first.locator(".rs-card-fields").inner_text()
    # The same for a card made from the form.
    page.fill("#rs-h-head", "钱大妈")
    page.fill("#rs-h-address", "某某路1号")
    page.click("#rs-one-card")
    assert page.locator("#rs-cards-out [data-slot='monitor']").first.inner_text().strip() == ""


def test_one_household_card_from_the_form(page):
    open_cards(page)
    page.fill("#rs-h-head", "钱大妈")
    page.click("#rs-one-card")
    assert card_heads(page) == ["钱大妈"]
    assert "“地址”还没有填" in page.inner_text("#rs-messages")
    assert page.locator("#rs-cards-out [data-slot='address'].rs-blank").count() == 1


def test_every_card_carries_the_emergency_numbers_and_the_guide(page):
    open_cards(page)
    card = page.locator("#rs-cards-out .rs-card").first
    text = card.inner_text()
    for number in ("119", "120", "110", "122"):
        assert number in text
    qr = card.locator(".rs-card-qr")
    assert qr.locator("svg").count() == 1 or "/residents/handbook/" in qr.inner_text()


CARD_NO = re.compile(r"编号[:：]\s*(\d{4})")
CARD_END = re.compile(r"卡\s*(\d{4})\s*完")


@pytest.mark.parametrize("count,pages", [(1, 1), (2, 1), (5, 3), (8, 4)])
def test_print_layout_two_cards_per_a4_page_none_split(page, count, pages):
    open_cards(page)
    rows = [GOOD[i % len(GOOD)] for i in range(count)]
    load_csv(page, csv_bytes([HEADER, *rows], "gbk"))
    assert len(card_heads(page)) == count
    text = pdf_pages(a4_pdf(page))
    assert len(text) == pages, f"{count} 张卡打印成 {len(text)} 页，应为 {pages} 页"
    seen = []
    for n, t in enumerate(text, 1):
        t = t.replace("\u3000", " ")
        starts, ends = CARD_NO.findall(t), CARD_END.findall(t)
        assert starts == ends, (
            f"第 {n} 页：卡片开头 {starts} 与结尾 {ends} 不在同一页（卡片被分开了）"
        )
        assert 1 <= len(starts) <= 2
        seen += starts
    assert seen == [f"{i:04d}" for i in range(1, count + 1)]
    # Only cards on paper: no forms, no instructions.
    assert "选择 CSV 文件" not in "".join(text)


def test_printed_cards_are_black_on_white(page):
    open_cards(page)
    page.emulate_media(media="print")
    colours = page.eval_on_selector(
        "#rs-cards-out .rs-card",
        "c => { const s = getComputedStyle(c);"
        " return [s.color, s.backgroundColor, getComputedStyle(c.querySelector('dt')).color]; }",
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(0, 0, 0)"]


def test_cards_page_fits_a_390px_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_cards(page)
    load_csv(page, csv_bytes([HEADER, *GOOD], "utf-8"))
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
