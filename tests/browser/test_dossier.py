"""社区档案 in real Chromium: migration of today's drafts and map, switching, evidence in IndexedDB,
the 报送材料包 built in the browser and checked by the Python verifier."""

from __future__ import annotations

import json

import pytest

from selfcheck import package
from tests import package_cases as pc

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
        "sc-selfcheck-v1": {"current": "d1", "drafts": {
            "d1": {"name": "草稿 1", "updated": "2024-09-01T10:00:00Z", "doc": a},
            "d2": {"name": "草稿 2", "updated": "2024-09-02T10:00:00Z", "doc": b},
        }},
        "sc-riskmap:doc": {"format": "sc-riskmap", "meta": {"community": "土湾社区"}, "features": [{"type": "hazard", "name": "老旧电线"}]},
        "sc-plan-draft-v1": {"saved": "2024-09-01T10:00:00Z", "data": {"title": "土湾社区综合应急预案"}},
    }


def seed(page, values: dict):
    page.goto("/")
    page.evaluate("(v) => { localStorage.clear(); for (const [k, x] of Object.entries(v)) localStorage.setItem(k, JSON.stringify(x)); }", values)


def storage(page, key):
    return page.evaluate("(k) => JSON.parse(localStorage.getItem(k))", key)


def open_dossier(page):
    page.goto(DOSSIER)
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
    page.goto("/standard/")
    page.wait_for_selector("#sc-ws-badge")
    assert "土湾社区" in page.text_content("#sc-ws-badge")
    assert page.console_errors == []


def test_a_full_storage_loses_nothing_when_switching(page, standard):
    seed(page, today_drafts(standard))
    open_dossier(page)
    before = page.evaluate("() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))")
    page.evaluate("() => { Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }; }")
    page.select_option("#sc-ws-select", label="井口街道 井口村")
    page.wait_for_selector(".sc-dossier-error:has-text('本地存储已满')")
    after = page.evaluate("() => Object.fromEntries(Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]))")
    assert after == before


def test_evidence_files_are_kept_per_item_tick_the_evidence_and_go_into_the_package(page, standard, tmp_path):
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
    page.set_input_files(f'input[type=file][data-item="{item.id}"]', [
        {"name": "会议记录.pdf", "mimeType": "application/pdf", "buffer": pc.pdf_like("会议记录")},
        {"name": "照片.jpg", "mimeType": "image/jpeg", "buffer": pc.jpeg_like(7, 300_000)},
    ])
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
    assert download.suggested_filename.startswith("土湾街道-示例社区-") and download.suggested_filename.endswith("-报送材料包.zip")
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
