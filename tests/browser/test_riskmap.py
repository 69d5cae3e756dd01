"""风险一张图 (item 4.1) in real Chromium: draw, autosave, export, import, keyboard, phone width;
undo/redo, vertex editing, labels that avoid each other and can be dragged, axe, unmounting.

Most tests share one tab (`module_page`): each opens the tool by a link click (`arrive`), and
storage is cleared after each test, so nothing carries over but the browser's cache and the
tab's Python worker."""

from __future__ import annotations

import base64
import io
import json
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
import yaml

from tests.browser.conftest import (
    arrive,
    click_link,
    foreign_requests,
    new_recorded_page,
    somewhere_on_the_site,
)

TYPES = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "data" / "risk_map.yaml").read_text(encoding="utf-8")
)["types"]
SVG_NS = "{http://www.w3.org/2000/svg}"
URL = "/staff/risk-map/"


def png_bytes(width: int, height: int) -> bytes:
    """A small RGB PNG (a grey-blue gradient), written with the standard library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 200)) for x in range(width))
        for y in range(height)
    )
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def open_map(page):
    arrive(page, URL)
    page.wait_for_selector("#sc-riskmap[data-state=ready]")
    page.locator("#sc-rm-svg").scroll_into_view_if_needed()


def map_click(page, x: float, y: float) -> None:
    """Click the map at image coordinates (x, y), wherever the map sits on the screen."""
    page.mouse.click(*screen_point(page, x, y))


def screen_point(page, x: float, y: float) -> list[float]:
    """Scroll image point (x, y) to the middle of the window; return its place on the screen."""
    return page.evaluate(
        """([x, y]) => { const svg = document.getElementById('sc-rm-svg');
             const at = () => new DOMPoint(x, y).matrixTransform(svg.getScreenCTM());
             window.scrollBy(0, at().y - innerHeight / 2);
             const p = at(); return [p.x, p.y]; }""",
        [x, y],
    )


def load_base(page, width=400, height=300):
    page.set_input_files(
        "#sc-rm-image",
        files=[{"name": "底图.png", "mimeType": "image/png", "buffer": png_bytes(width, height)}],
    )
    page.wait_for_function(
        "document.getElementById('sc-rm-status').textContent.includes('底图已加载并保存')"
    )


def place_every_type(page):
    """One element of each type of item 4.1, each named after its type; returns the names."""
    names = []
    for n, t in enumerate(TYPES):
        page.click(f"button[data-tool={t['id']}]")
        x, y = 20 + 30 * n, 40 + 20 * (n % 3)
        if t["geometry"] == "point":
            map_click(page, x, y)
        else:
            spots = [(x, 200), (x + 60, 210), (x + 50, 270)]
            for sx, sy in spots:
                map_click(page, sx, sy)
            page.click("#sc-rm-finish")
        name = f"{t['label']}甲"
        page.fill("#sc-rm-name", name)
        page.fill("#sc-rm-note", f"负责人 {n} 号")
        names.append(name)
    page.click("button[data-tool='']")
    return names


def list_rows(page):
    return page.eval_on_selector_all(
        "#sc-rm-list tr[data-id]",
        "rows => rows.map(r => [...r.cells].slice(1, 4).map(c => c.textContent))",
    )


PYTHON_WAIT = 240_000  # ms: Pyodide starts in a few seconds, far slower on a busy test machine


def download(page, selector: str, timeout: float = 30_000):
    with page.expect_download(timeout=timeout) as info:
        page.click(selector)
    return info.value


def export_json(page) -> dict:
    return json.loads(Path(download(page, "#sc-rm-export-json").path()).read_text(encoding="utf-8"))


def saved(page) -> dict:
    """The autosaved document (read without touching the page, so keyboard focus stays put)."""
    return page.evaluate("() => JSON.parse(localStorage.getItem('sc-riskmap:doc'))")


def import_json(page, content: bytes, name="map.json"):
    page.set_input_files(
        "#sc-rm-import-file",
        files=[{"name": name, "mimeType": "application/json", "buffer": content}],
    )


def every_type() -> list[dict]:
    """One element of each type, named after it, where `place_every_type` puts them by hand."""
    out = []
    for n, t in enumerate(TYPES):
        x, y = 20 + 30 * n, 40 + 20 * (n % 3)
        points = [[x, y]] if t["geometry"] == "point" else [[x, 200], [x + 60, 210], [x + 50, 270]]
        name, note = f"{t['label']}甲", f"负责人 {n} 号"
        out.append(
            {"id": f"e{n + 1}", "type": t["id"], "name": name, "note": note, "points": points}
        )
    return out


@pytest.fixture
def drawn_by_hand(module_page):
    """A map with a base picture, the title block filled in and one element of every type."""
    page = module_page
    open_map(page)
    load_base(page)
    page.fill("#sc-rm-community", "示例社区")
    page.fill("#sc-rm-author", "张三")
    page.fill("#sc-rm-date", "2024-08-01")
    names = place_every_type(page)
    return page, names


@pytest.fixture
def drawn(module_page):
    """The same map as `drawn_by_hand`, as autosave keeps it (quicker than drawing it again)."""
    page = module_page
    picture = "data:image/png;base64," + base64.b64encode(png_bytes(400, 300)).decode("ascii")
    somewhere_on_the_site(page)
    page.evaluate("(href) => localStorage.setItem('sc-riskmap:image', href)", picture)
    elements = every_type()
    elements[5]["label_offset"] = [30, -25]  # a label dragged by hand (important_area)
    seed(page, elements, image={"width": 400, "height": 300}, community="示例社区", author="张三")
    page.wait_for_selector("#sc-rm-svg image")
    return page, [e["name"] for e in elements]


def test_draw_every_type_and_autosave_restores_it(drawn_by_hand):
    page, names = drawn_by_hand
    rows = list_rows(page)
    assert [r[1] for r in rows] == names
    assert [r[0] for r in rows] == [t["label"] for t in TYPES]
    assert page.locator("#sc-rm-svg .sc-rm-el").count() == len(TYPES)
    before = export_json(page)
    assert {e["type"] for e in before["elements"]} == {t["id"] for t in TYPES}
    by_type = {e["type"]: e for e in before["elements"]}
    for n, t in enumerate(TYPES):  # each landed where it was placed, even beside another's label
        first = by_type[t["id"]]["points"][0]
        expected = (
            (20 + 30 * n, 40 + 20 * (n % 3)) if t["geometry"] == "point" else (20 + 30 * n, 200)
        )
        assert first == pytest.approx(expected, abs=1.5), t["id"]
    assert (
        len(by_type["important_area"]["points"]) == 3
        and len(by_type["evacuation_route"]["points"]) == 3
    )
    # The route is drawn with arrows; areas with their pattern.
    assert page.locator("#sc-rm-svg .sc-rm-overlay path[marker-end]").count() == 1

    page.reload()
    page.wait_for_selector("#sc-riskmap[data-state=ready]")
    assert list_rows(page) == rows
    assert page.input_value("#sc-rm-community") == "示例社区"
    assert page.get_attribute("#sc-rm-svg image", "href").startswith("data:image/png;base64,")
    assert export_json(page) == before


BROKEN = [
    (b'{"format": "sc-riskmap", "version": 1, "elements": [', "文件不完整"),
    (b'{"type": "FeatureCollection", "features": []}', "不是“风险一张图”文件"),
    ("\x89PNG not json at all".encode("latin-1"), "不能导入"),
    (
        b'{"format": "sc-riskmap", "version": 1, "meta": {"community": "", "date": "", "author": ""}, "image": null,'
        b' "elements": [{"id": "a", "type": "volcano", "name": "", "note": "", "points": [[1, 2]]}]}',
        "第 1 个要素的类型",
    ),
]


def test_python_refuses_broken_imports_brings_back_an_export_and_writes_the_xlsx(drawn):
    """Everything that needs Python in one page visit: Pyodide starts once."""
    from openpyxl import load_workbook

    page, names = drawn
    exported = export_json(page)
    labels = label_boxes(page)
    assert exported["elements"][5]["label_offset"] == [30, -25]
    assert exported["image"]["width"] == 400 and exported["image"]["href"].startswith(
        "data:image/png;base64,"
    )
    dialogs = []

    def on_dialog(d):
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    alert = page.locator("#sc-rm-alert")
    for content, words in BROKEN:
        page.evaluate("() => { document.getElementById('sc-rm-alert').hidden = true; }")
        import_json(page, content, name="坏文件.json")
        alert.wait_for(state="visible", timeout=PYTHON_WAIT)
        assert words in alert.text_content() and "当前的图没有改动" in alert.text_content()
        assert dialogs == []  # refused before asking anything
        assert export_json(page) == exported

    # Change the map, then bring the exported version back; declining keeps the current map.
    page.locator("#sc-rm-list tr[data-id] button", has_text="删除").first.click()
    assert len(list_rows(page)) == len(TYPES) - 1
    import_json(page, json.dumps(exported).encode("utf-8"))
    page.wait_for_function(
        "document.getElementById('sc-rm-status').textContent.includes('已取消导入')",
        timeout=PYTHON_WAIT,
    )
    assert "替换" in dialogs[0]
    assert len(list_rows(page)) == len(TYPES) - 1
    page.remove_listener("dialog", on_dialog)
    page.once("dialog", lambda d: d.accept())
    import_json(page, json.dumps(exported).encode("utf-8"))
    page.wait_for_function(
        "document.getElementById('sc-rm-status').textContent.includes('已导入')",
        timeout=PYTHON_WAIT,
    )
    assert export_json(page) == exported
    assert label_boxes(page) == labels  # the hand-placed label is back where it was

    # The 台账 as XLSX, written by Python: text never becomes a formula.
    page.locator("#sc-rm-list tr[data-id]").first.locator("button", has_text="选中").click()
    page.fill("#sc-rm-name", '=HYPERLINK("http://x")')
    dl = download(page, "#sc-rm-export-xlsx", timeout=PYTHON_WAIT)
    assert dl.suggested_filename.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(Path(dl.path()).read_bytes())).active
    rows = [r for r in ws.iter_rows(values_only=True)]
    header = rows.index(("序号", "要素类型", "名称", "备注", "图上位置"))
    body = rows[header + 1 :]
    assert [r[1] for r in body] == [t["label"] for t in TYPES]
    assert [r[2] for r in body] == ['\'=HYPERLINK("http://x")'] + names[1:]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert "示例社区" in rows[0][0]

    page.reload()
    page.wait_for_selector("#sc-riskmap[data-state=ready]")
    assert export_json(page)["elements"][1:] == exported["elements"][1:]


def test_svg_export_holds_every_element_the_legend_and_the_title_block(drawn):
    page, names = drawn
    doc = export_json(page)
    text = Path(download(page, "#sc-rm-export-svg").path()).read_text(encoding="utf-8")
    svg = ET.fromstring(text.encode("utf-8"))
    assert svg.tag == f"{SVG_NS}svg" and svg.get("viewBox") and svg.get("width")
    ids = {g.get("data-id") for g in svg.iter(f"{SVG_NS}g") if g.get("data-id")}
    assert ids == {e["id"] for e in doc["elements"]}
    texts = [t.text or "" for t in svg.iter(f"{SVG_NS}text")]
    for name in names:
        assert name in texts
    legend = {
        g.get("data-type")
        for g in svg.iter(f"{SVG_NS}g")
        if "sc-rm-legend-item" in (g.get("class") or "")
    }
    assert legend == {t["id"] for t in TYPES}
    for t in TYPES:
        assert t["label"] in texts
    assert any("示例社区" in t and "风险一张图" in t for t in texts)
    assert any("2024-08-01" in t and "张三" in t for t in texts)
    image = next(svg.iter(f"{SVG_NS}image"))
    assert image.get("href") == doc["image"]["href"]  # embedded, not linked
    assert image.get("{http://www.w3.org/1999/xlink}href") == doc["image"]["href"]
    # Editing aids stay on screen only; every pattern and marker the drawing uses is inside the file.
    assert "tabindex" not in text and "sc-rm-handle" not in text
    defined = {n.get("id") for n in svg.iter() if n.get("id")}
    used = {v[5:-1] for n in svg.iter() for k, v in n.attrib.items() if v.startswith("url(#")}
    assert used and used <= defined


def test_png_export_is_a4_and_a3_landscape(drawn):
    page, _ = drawn
    for selector, size in (
        ("#sc-rm-export-png-a4", (1754, 1240)),
        ("#sc-rm-export-png-a3", (2480, 1754)),
    ):
        data = Path(download(page, selector).path()).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == size


def test_keyboard_alone_adds_moves_and_deletes(module_page):
    page = module_page
    open_map(page)
    page.locator("button[data-tool=safe_place]").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next type button …
    page.locator("#sc-rm-add-centre").focus()
    page.keyboard.press("Enter")
    focused = page.evaluate("() => document.activeElement.closest('.sc-rm-el')?.dataset.type")
    assert focused == "safe_place"
    start = saved(page)["elements"][0]["points"][0]
    page.locator(".sc-rm-el[data-type=safe_place]").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowUp")
    moved = saved(page)["elements"][0]["points"][0]
    unit = 1414 / 1000  # the blank sheet: steps are 10 and 50 thousandths of its longer side
    assert moved == pytest.approx([start[0] + 20 * unit, start[1] - 50 * unit], abs=0.2)

    # An area by keyboard: placed at the centre, then one vertex moved on its own.
    page.locator("button[data-tool=vulnerable_area]").focus()
    page.keyboard.press("Enter")
    page.locator("#sc-rm-add-centre").focus()
    page.keyboard.press("Enter")
    area = saved(page)["elements"][1]
    assert area["type"] == "vulnerable_area" and len(area["points"]) == 4
    assert (
        page.evaluate("() => document.activeElement.closest('.sc-rm-el')?.dataset.type")
        == "vulnerable_area"
    )
    page.keyboard.press("Tab")  # from the area to its first vertex handle
    assert page.evaluate("() => document.activeElement.dataset.vertex") == "0"
    page.keyboard.press("ArrowDown")
    after = saved(page)["elements"][1]["points"]
    assert after[0] == pytest.approx(
        [area["points"][0][0], area["points"][0][1] + 10 * unit], abs=0.2
    )
    assert after[1:] == area["points"][1:]

    # Every element is reachable from the map with Tab, and Delete removes the focused one.
    page.locator("#sc-rm-svg").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('sc-rm-el')")
    page.locator(".sc-rm-el[data-type=safe_place]").focus()
    page.keyboard.press("Delete")
    assert [e["type"] for e in saved(page)["elements"]] == ["vulnerable_area"]
    assert (
        page.evaluate("() => document.activeElement.closest('.sc-rm-el')?.dataset.type")
        == "vulnerable_area"
    )
    page.keyboard.press("Delete")
    assert saved(page)["elements"] == []
    # The list's buttons reach elements too.
    assert page.locator("#sc-rm-list").text_content().strip() == "图上还没有要素。"


def test_dragging_moves_an_element(module_page):
    page = module_page
    open_map(page)
    page.click("button[data-tool=hazard]")
    map_click(page, 300, 300)
    page.click("button[data-tool='']")
    start = export_json(page)["elements"][0]["points"][0]
    cx, cy = screen_point(page, *start)
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 30, cy + 10, steps=5)
    page.mouse.move(cx + 60, cy + 20, steps=5)
    page.mouse.up()
    end = export_json(page)["elements"][0]["points"][0]
    assert end[0] > start[0] + 50 and end[1] > start[1] + 15
    assert (
        len(export_json(page)["elements"]) == 1
    )  # the drag did not also add or select-click anything away


def test_a_phone_can_draw_at_390px(browser, site_url):
    context, page = new_recorded_page(
        browser, site_url, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    try:
        open_map(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        box = page.locator("#sc-rm-svg").bounding_box()
        assert box["width"] <= 390 and box["height"] > 150
        page.locator("button[data-tool=hazard]").tap()
        page.touchscreen.tap(*screen_point(page, 700, 500))
        doc = export_json(page)
        assert [e["type"] for e in doc["elements"]] == ["hazard"]
        assert doc["elements"][0]["points"][0] == pytest.approx([700, 500], abs=6)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert page.console_errors == []
    finally:
        context.close()
    assert foreign_requests(page.requests, site_url) == []


def test_the_page_makes_no_foreign_requests_and_no_errors(module_page):
    page = module_page
    open_map(page)
    assert page.console_errors == []
    assert page.locator(".sc-rm-icon[data-type] svg").count() >= 2 * len(TYPES)


def test_reached_by_instant_navigation_the_tool_starts(module_page, site_url):
    page = module_page
    arrive(page, "/staff/")
    click_link(page, ".md-sidebar--primary a[href$='risk-map/']")
    page.wait_for_url(f"**{URL}")
    page.wait_for_selector("#sc-riskmap[data-state=ready]", timeout=20000)
    assert page.evaluate("window.__sameDocument === true"), "没有经过即时导航（整页重新加载了）"
    page.click("button[data-tool=hazard]")
    map_click(page, 500, 500)
    # Away and back, still in the same document: the tool starts again and restores the map.
    click_link(page, ".md-sidebar--primary a[href$='staff/']")
    page.wait_for_url("**/staff/")
    click_link(page, ".md-sidebar--primary a[href$='risk-map/']")
    page.wait_for_selector("#sc-riskmap[data-state=ready]", timeout=20000)
    assert page.evaluate("window.__sameDocument === true")
    assert page.locator("#sc-rm-svg .sc-rm-el[data-type=hazard]").count() == 1


def test_the_ledger_prints_alone(drawn):
    page, names = drawn
    page.emulate_media(media="print")
    try:
        page.evaluate("() => document.documentElement.classList.add('sc-rm-print-ledger')")
        assert page.locator("#sc-rm-ledger").is_visible()
        assert not page.locator("#sc-rm-svg").is_visible()
        assert not page.locator("#sc-rm-export-json").is_visible()
        assert not page.locator("#sc-rm-list button").first.is_visible()
        ledger = page.locator("#sc-rm-list")
        assert all(ledger.get_by_text(n, exact=True).is_visible() for n in names)
        page.evaluate("() => document.documentElement.classList.remove('sc-rm-print-ledger')")
        assert page.locator("#sc-rm-svg").is_visible()  # an ordinary print: the map and the list
    finally:
        page.emulate_media(media="screen")


# ---- the editor: undo/redo, vertices, labels ---------------------------------------------------

UNIT = 1414 / 1000  # the blank sheet's unit: arrow steps are 10 (50 with Shift) of them


def seed(page, elements, image=None, **meta):
    """Open the tool on a saved map (as autosave left it), without drawing it by hand."""
    doc = {
        "format": "sc-riskmap",
        "version": 1,
        "meta": {"community": "", "date": "2024-08-01", "author": "", **meta},
        "image": image,
        "elements": elements,
    }
    somewhere_on_the_site(page)
    page.evaluate("(d) => localStorage.setItem('sc-riskmap:doc', JSON.stringify(d))", doc)
    open_map(page)


def focused(page) -> dict:
    return page.evaluate(
        "() => { const a = document.activeElement; return {...a.dataset, cls: a.getAttribute('class') || ''}; }"
    )


def points_of(page, n: int = 0) -> list:
    return saved(page)["elements"][n]["points"]


def test_undo_and_redo_by_keys_and_buttons(module_page):
    page = module_page
    open_map(page)
    undo = page.get_by_role("button", name="撤销", exact=True)
    redo = page.get_by_role("button", name="重做", exact=True)
    assert undo.is_disabled() and redo.is_disabled()
    assert undo.get_attribute("aria-keyshortcuts") == "Control+Z"
    # Add a point by keyboard, move it, name it, delete it: four steps.
    page.locator("button[data-tool=hazard]").focus()
    page.keyboard.press("Enter")
    page.locator("#sc-rm-add-centre").focus()
    page.keyboard.press("Enter")
    placed = points_of(page)[0]
    assert undo.is_enabled() and redo.is_disabled() and "添加隐患点" in undo.get_attribute("title")
    page.keyboard.press("ArrowRight")
    moved = points_of(page)[0]
    assert moved[0] == pytest.approx(placed[0] + 10 * UNIT, abs=0.2)
    page.locator("#sc-rm-name").press_sequentially("楼道堆物")
    assert saved(page)["elements"][0]["name"] == "楼道堆物"
    page.locator(".sc-rm-el[data-type=hazard]").focus()
    page.keyboard.press("Delete")
    assert saved(page)["elements"] == []

    # Ctrl+Z takes back one step at a time; every state is autosaved as it appears.
    page.keyboard.press("Control+z")
    assert saved(page)["elements"][0]["name"] == "楼道堆物"  # typing one name is one step
    assert "已撤销：删除隐患点" in page.text_content("#sc-rm-status")
    page.keyboard.press("Control+z")
    assert saved(page)["elements"][0]["name"] == ""
    page.keyboard.press("Control+z")
    assert points_of(page)[0] == placed
    assert redo.is_enabled()
    page.keyboard.press("Control+y")
    assert points_of(page)[0] == moved
    page.keyboard.press("Control+Shift+Z")
    assert saved(page)["elements"][0]["name"] == "楼道堆物"

    # The buttons do the same, and Enter on them works (keyboard only).
    undo.click()
    undo.click()
    assert points_of(page)[0] == placed
    undo.focus()
    page.keyboard.press("Enter")
    assert saved(page)["elements"] == []
    assert undo.is_disabled() and redo.is_enabled()
    # The button that went disabled hands the focus on instead of dropping it.
    assert page.evaluate("() => document.activeElement.id") == "sc-rm-redo"
    page.keyboard.press("Enter")
    assert len(saved(page)["elements"]) == 1
    # Inside a text field Ctrl+Z is the field's own undo, not the map's.
    page.locator("#sc-rm-list tr[data-id] button", has_text="选中").click()
    page.locator("#sc-rm-name").fill("甲")
    page.locator("#sc-rm-name").press("Control+z")
    assert len(saved(page)["elements"]) == 1

    # After a reload the map is the autosaved one and there is nothing to undo.
    state = saved(page)
    page.reload()
    page.wait_for_selector("#sc-riskmap[data-state=ready]")
    assert saved(page) == state and undo.is_disabled() and redo.is_disabled()
    assert page.console_errors == []


def test_vertices_are_added_removed_and_dragged_with_a_floor(module_page):
    page = module_page
    seed(
        page,
        [
            {
                "id": "e1",
                "type": "vulnerable_area",
                "name": "老旧小区",
                "note": "",
                "points": [[400, 300], [800, 300], [800, 600], [400, 600]],
            },
            {
                "id": "e2",
                "type": "evacuation_route",
                "name": "",
                "note": "",
                "points": [[100, 800], [300, 800], [500, 800]],
            },
        ],
    )
    page.locator("#sc-rm-list tr[data-id=e1] button", has_text="选中").click()
    # "+" between vertices 1 and 2 (the first edge) adds a vertex at the edge's middle.
    mids = page.locator(".sc-rm-mid[data-id=e1]")
    assert mids.count() == 4  # an area is closed: four edges
    mids.first.click()
    assert points_of(page) == [[400, 300], [600, 300], [800, 300], [800, 600], [400, 600]]
    assert focused(page).get("vertex") == "1"

    # Drag that new vertex with the mouse.
    x, y = screen_point(page, 600, 300)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y - 30, steps=4)
    page.mouse.up()
    dragged = points_of(page)[1]
    assert dragged[1] < 300 - 10 and points_of(page)[0] == [400, 300]

    # Keyboard: arrow keys move the focused vertex; Delete removes it, down to 3 and no further.
    page.locator(".sc-rm-handle[data-id=e1][data-vertex='0']").focus()
    page.keyboard.press("ArrowDown")
    assert points_of(page)[0] == pytest.approx([400, 300 + 10 * UNIT], abs=0.2)
    page.keyboard.press("Delete")
    page.keyboard.press("Delete")
    assert len(points_of(page)) == 3
    alert = page.locator("#sc-rm-alert")
    assert alert.is_hidden()
    page.locator(".sc-rm-handle[data-id=e1][data-vertex='0']").focus()
    page.keyboard.press("Delete")
    assert len(points_of(page)) == 3
    assert alert.is_visible()
    assert "至少要有 3 个顶点，不能再删除" in alert.text_content()
    # The button in the form refuses the same way, and undo brings vertices back.
    page.click("#sc-rm-delete-vertex")
    assert len(points_of(page)) == 3
    page.keyboard.press("Control+z")
    assert len(points_of(page)) == 4
    # Dragging straight from a "+" adds and moves a vertex: one step, one undo.
    box = page.locator(".sc-rm-mid[data-id=e1][data-edge='0']").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 40, box["y"] - 40, steps=4)
    page.mouse.up()
    assert len(points_of(page)) == 5
    page.keyboard.press("Control+z")
    assert len(points_of(page)) == 4
    assert page.get_attribute("#sc-rm-undo", "title") == "撤销：删除顶点"  # no empty step left

    # A route keeps at least 2 points; a "+" can be added by keyboard (Enter).
    page.locator("#sc-rm-list tr[data-id=e2] button", has_text="选中").click()
    page.locator(".sc-rm-mid[data-id=e2][data-edge='0']").focus()
    page.keyboard.press("Enter")
    assert points_of(page, 1)[1] == [200, 800] and len(points_of(page, 1)) == 4
    for _ in range(3):
        page.locator(".sc-rm-handle[data-id=e2][data-vertex='0']").focus()
        page.keyboard.press("Delete")
    assert len(points_of(page, 1)) == 2
    assert "至少要有 2 个点" in alert.text_content()
    assert page.console_errors == []


LONG = [
    "沙坪坝区某某街道某某社区第一加油站（中石化）",
    "某某化工有限公司危险化学品储存仓库",
    "某某小学及附属幼儿园人员密集区域",
    "某某医院放射科放射性物品存放点",
    "某某农贸市场液化石油气瓶存放处",
    "老旧小区电动自行车集中充电点",
]


def label_boxes(page) -> dict:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#sc-rm-svg .sc-rm-label')].map((t) => {
            const b = t.getBBox(); return [t.dataset.labelFor, [b.x, b.y, b.x + b.width, b.y + b.height,
            +t.getAttribute('x'), +t.getAttribute('y')]]; }))"""
    )


def overlapping(boxes: dict) -> list:
    found = []
    items = list(boxes.items())
    for i, (a, p) in enumerate(items):
        for b, q in items[i + 1 :]:
            if min(p[2], q[2]) > max(p[0], q[0]) and min(p[3], q[3]) > max(p[1], q[1]):
                found.append((a, b))
    return found


def crowded() -> list:
    """Six points with long names close together, and an area in the same place."""
    out = [
        {
            "id": f"e{n + 1}",
            "type": "hazard" if n % 2 else "key_chemical",
            "name": name,
            "note": "",
            "points": [[650 + 12 * n, 450 + 9 * n]],
        }
        for n, name in enumerate(LONG)
    ]
    out.append(
        {
            "id": "e9",
            "type": "important_area",
            "name": "某某社区党群服务中心及周边应急避难广场",
            "note": "",
            "points": [[600, 400], [760, 400], [760, 540], [600, 540]],
        }
    )
    return out


def test_long_labels_do_not_overlap_on_screen_or_in_the_svg_export(module_page):
    page = module_page
    types = {t["id"] for t in TYPES}
    assert {"hazard", "key_chemical", "important_area"} <= types
    seed(page, crowded())
    boxes = label_boxes(page)
    assert len(boxes) == 7
    assert overlapping(boxes) == []
    # The exported SVG places every label exactly where the screen does (PNG is drawn from it).
    text = Path(download(page, "#sc-rm-export-svg").path()).read_text(encoding="utf-8")
    svg = ET.fromstring(text.encode("utf-8"))
    exported = {
        t.get("data-label-for"): [float(t.get("x")), float(t.get("y"))]
        for t in svg.iter(f"{SVG_NS}text")
        if t.get("data-label-for")
    }
    assert exported == {k: v[4:] for k, v in boxes.items()}


def test_a_dragged_label_stays_through_reload_and_undo(module_page):
    page = module_page
    seed(page, crowded())
    before = label_boxes(page)["e9"]
    label = page.locator(".sc-rm-label[data-label-for=e9]")
    box = label.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 60, steps=4)
    page.mouse.up()
    offset = saved(page)["elements"][6]["label_offset"]
    after = label_boxes(page)["e9"]
    assert after[5] > before[5] + 20 and after[4] > before[4] + 10
    # Keyboard: the selected element's label handle moves with the arrow keys.
    page.locator(".sc-rm-label-handle[data-id=e9]").focus()
    page.keyboard.press("ArrowLeft")
    nudged = saved(page)["elements"][6]["label_offset"]
    assert nudged == pytest.approx([offset[0] - 10 * UNIT, offset[1]], abs=0.2)
    moved = label_boxes(page)

    page.reload()
    page.wait_for_selector("#sc-riskmap[data-state=ready]")
    assert label_boxes(page) == moved
    exported = export_json(page)
    assert exported["elements"][6]["label_offset"] == nudged
    assert all("label_offset" not in e for e in exported["elements"][:6])

    # Back to automatic; undo brings the hand placement back. (Export → import of a dragged
    # label: test_python_refuses_broken_imports_brings_back_an_export_and_writes_the_xlsx.)
    page.locator("#sc-rm-list tr[data-id=e9] button", has_text="选中").click()
    page.click("#sc-rm-label-auto")
    assert "label_offset" not in saved(page)["elements"][6]
    assert label_boxes(page)["e9"] == before
    page.keyboard.press("Control+z")
    assert label_boxes(page) == moved
    assert saved(page)["elements"][6]["label_offset"] == nudged
    assert page.console_errors == []


def test_axe_finds_nothing_on_the_editor_at_390_and_1280(module_page):
    from tests.browser.test_accessibility import blocking_violations, resize

    page = module_page
    seed(page, crowded())
    page.locator("#sc-rm-list tr[data-id=e9] button", has_text="选中").click()
    page.locator(".sc-rm-handle[data-id=e9][data-vertex='0']").focus()
    try:
        for width in (390, 1280):
            resize(page, width)
            assert blocking_violations(page) == [], width
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_listeners_stay_flat_across_navigations(page):
    from tests.browser.conftest import follow_link
    from tests.browser.test_features import COUNT_LISTENERS

    page.add_init_script(f"({COUNT_LISTENERS})()")
    open_map(page)
    counts = []
    for _ in range(5):
        follow_link(page, "/staff/")
        follow_link(page, URL)
        page.wait_for_selector("#sc-riskmap[data-sc-mounted='1'][data-state=ready]")
        counts.append(page.evaluate("() => [window.__listeners(), SC.mountedCount()]"))
    assert counts[-1] == counts[1], counts
    # Ctrl+Z still reaches the one mounted map (and only it: one step is undone).
    page.click("button[data-tool=hazard]")
    map_click(page, 500, 500)
    map_click(page, 600, 500)
    page.click("button[data-tool='']")
    page.keyboard.press("Control+z")
    assert len(saved(page)["elements"]) == 1
