"""考评表: generated from the standard; pre-filled in Chromium from a community's export."""

from __future__ import annotations

import json

from selfcheck import api
from tests.browser.conftest import held_module
from tests.browser.test_district_rollup import NOW, answers_for, data_json


def test_blank_form_lists_every_item_with_method_and_expert_columns(standard, built_site):
    html = (built_site / "district" / "evaluation-form" / "index.html").read_text(encoding="utf-8")
    for item in standard.items.values():
        assert f'data-item="{item.id}"' in html
        assert item.text in html
    for cat in standard.categories:
        assert "、".join(cat.method) in html
    assert html.count('<th scope="col">专家核查情况</th>') == len(standard.categories)
    assert html.count('<th scope="col">备注</th>') == len(standard.categories)


def test_form_is_prefilled_from_an_export(page, standard, tmp_path):
    std, scoring = data_json("standard"), data_json("scoring")
    answers = answers_for(standard, "磁器口街道", "乙社区", "社区", 0.7)
    export = api.export_json(std, scoring, answers, NOW)
    path = tmp_path / "乙社区.json"
    path.write_text(export, encoding="utf-8")
    result = json.loads(
        api.score(
            std,
            scoring,
            json.loads(export)["answers"]
            if isinstance(json.loads(export)["answers"], str)
            else json.dumps(json.loads(export)["answers"], ensure_ascii=False),
            NOW,
        )
    )

    # The file is chosen while the page is still loading (its module held back): the form fills
    # all the same once the module mounts (core.js hands the chosen file on, for every feature).
    release = held_module(page, "**/assets/javascripts/evaluation/index.js*")
    page.goto("/district/evaluation-form/")
    page.set_input_files("#sc-eval-file", str(path))
    assert page.get_attribute("#sc-evaluation", "data-sc-mounted") is None
    release()
    page.wait_for_function(
        "() => document.getElementById('sc-evaluation').dataset.filled", timeout=90_000
    )
    assert page.locator("[data-fill='site_name']").inner_text() == "乙社区"
    assert "校验码核对无误" in page.locator("[data-fill='file']").inner_text()
    for item_id, item in result["items"].items():
        assert (
            page.locator(f"[data-self='{item_id}']").inner_text().startswith(item["status_label"])
        )

    broken = tmp_path / "坏文件.json"
    broken.write_text("{not json", encoding="utf-8")
    page.set_input_files("#sc-eval-file", str(broken))
    # “正在读取…” names the file too: wait for the verdict, not the progress line.
    page.wait_for_function(
        "() => document.querySelector('.sc-eval-status').textContent.includes('无法使用文件')",
        timeout=30_000,
    )
    assert "无法使用文件“坏文件.json”" in page.locator(".sc-eval-status").inner_text()
    assert page.locator("[data-self='1.1']").inner_text() == ""
