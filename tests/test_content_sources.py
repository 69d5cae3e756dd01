"""Content sources (issue 11 §2): only real documents are cited, each claim names what it rests on,
and every source is printed on the page the resident or staff member reads.

`KNOWN_TITLES` is the list of document titles the content may cite. Each was seen in public material
(the seed, or a named report of the document); a title added to the YAML without being added here, with
where it was seen, fails the test. Our own guides (家庭应急指导手册 etc.) are not documents and may not
appear in 《》 in a `source`.
"""

from __future__ import annotations

import html
import re

import pytest
import yaml

from tests.conftest import DATA_DIR

OWN_FILES = ["household_supplies", "handbook", "cards", "articles", "plan_elements", "risk_map"]

KNOWN_TITLES = {
    # The seed, 沙安办〔2024〕30号 (data/source/shaanban-2024-30.txt).
    "沙坪坝区安全发展社区（村）建设行动方案": "seed",
    "安全发展社区（村）建设标准": "seed, 附件1",
    "重庆市沙坪坝区应急物资储备保障能力建设工作方案（试行）": "seed, 5.2/5.3 (沙减委〔2022〕1号; text not found)",
    "村（社区）突发事件应急预案编制参考": "seed 5.1; 应急厅函〔2023〕231号",
    "乡镇（街道）突发事件应急预案编制参考": "issued with 应急厅函〔2023〕231号 (shared/CONTENT-SOURCES.md)",
    "村（社区）应急预案编制导则": "天津 DB12/T 1452-2025, title as given in issue 11 §2",
    "家庭应急物资储备建议清单": "重庆市应急管理局 2023 (news report 2023-05-14)",
    "重庆市应急物资储备保障能力建设指导意见（征求意见稿）": "重庆市减灾委员会办公室 (重庆晨报 2021-12-14)",
    "家庭应急物资储备包清单": "annex of the above (重庆晨报 2021-12-14)",
    "家用防灾应急包": "GB/T 36750—2025",
    "公众高温中暑预防与紧急处理指南（2014版）": "中国疾控中心卫生应急中心, 2014-06 (reprint of 中国CDC网站)",
    "关于进一步优化地方政务服务便民热线的指导意见": "国务院办公厅 (新华社 2021-01-06)",
    "关于开通安全生产举报投诉特服电话“12350”的通知": "安监总厅〔2009〕155号 (reprint)",
    # Newspapers named as where a fact was reported.
    "重庆晨报": "newspaper",
    "陇东报": "newspaper",
    "安徽日报": "newspaper",
}

TITLE = re.compile(r"《([^》]+)》")


def data(stem):
    return yaml.safe_load((DATA_DIR / f"{stem}.yaml").read_text(encoding="utf-8"))


def strings(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)
    elif isinstance(node, str):
        yield node


def page_text(built_site, path) -> str:
    raw = (built_site / path / "index.html").read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", raw)))


@pytest.mark.parametrize("stem", OWN_FILES)
def test_content_cites_only_known_documents(stem):
    own_pages = {"家庭应急指导手册", "家庭应急物资储备清单", "防灾减灾明白卡"}
    unknown = set()
    for text in strings(data(stem)):
        for title in TITLE.findall(text):
            if title not in KNOWN_TITLES and title not in own_pages:
                unknown.add(title)
    assert not unknown, (
        f"{stem}.yaml 引用了未核实的文件名：{sorted(unknown)}（核实后加入 KNOWN_TITLES 并写明在哪里看到）"
    )


def test_a_made_up_title_would_be_caught():
    # The check above is only as good as its pattern: a title in full-width brackets is found.
    assert TITLE.findall("依据《某某市家庭防灾手册》（2020）") == ["某某市家庭防灾手册"]
    assert "某某市家庭防灾手册" not in KNOWN_TITLES


def test_chongqing_2021_draft_is_named_as_issued():
    ref = next(r for r in data("household_supplies")["references"] if r["id"] == "cq2021draft")
    assert ref["name"].startswith(
        "重庆市减灾委员会办公室《重庆市应急物资储备保障能力建设指导意见（征求意见稿）》"
    )
    assert "《家庭应急物资储备包清单》" in ref["name"]
    assert (
        "2021-12-14" in ref["what_we_have"]
        and "沙减委〔2022〕1号" in ref["what_we_have"]
        and "很可能" in ref["what_we_have"]
    )
    items = [
        i
        for i in data("household_supplies")["items"]
        if i["id"] in ("aerosol-extinguisher", "descent-device", "multi-tool")
    ]
    assert len(items) == 3 and all(
        "重庆市减灾委员会办公室《家庭应急物资储备包清单》" in i["source"] for i in items
    )
    assert not any("建议清单 2021 年征求意见稿" in s for s in strings(data("household_supplies")))


def test_medicines_say_what_the_2023_list_says_and_seven_days_for_chronic_patients(built_site):
    items = {i["id"]: i for i in data("household_supplies")["items"]}
    assert items["common-medicine"]["name"] == "常用药（抗感染、抗感冒、抗腹泻类非处方药）"
    rx = items["prescription"]
    assert "至少备够 7 天" in rx["why"] and "7 天" in rx["quantity"]["unit"]
    assert "3 天" not in rx["why"] + rx["quantity"]["unit"]
    # The 7 days are ours: the page says so and that no official text gives a number.
    assert "本站的建议" in rx["note_source"] and "没有找到规定天数的官方文字" in rx["note_source"]
    text = page_text(built_site, "residents/supplies")
    assert items["common-medicine"]["name"] in text and rx["note_source"] in text


def test_gbt36750_extended_kits_are_named_as_the_standard_names_them():
    ref = next(r for r in data("household_supplies")["references"] if r["id"] == "gbt36750")
    assert "洪涝灾害、火灾、地震地质灾害" in ref["what_we_have"]
    assert "防汛、防火、防震" not in ref["what_we_have"]


def test_plan_appendices_cite_only_the_township_standard_and_the_village_title_is_real(built_site):
    el = data("plan_elements")
    sources = {s["id"]: s["name"] for s in el["sources"]}
    assert "tianjin" not in sources
    township = sources["tianjin_township"]
    assert (
        "DB12/T 1451-2025" in township
        and "《村（社区）应急预案编制导则》" in township
        and "未能确认" in township
    )
    assert {a["source"] for a in el["appendices"]} == {"tianjin_township"}
    for text in strings(el):
        if "DB12/T 1452" in text:
            assert "DB12/T 1452-2025《村（社区）应急预案编制导则》" in text, text
    page = page_text(built_site, "staff/plan-drafting")
    assert township in page and el["official_reference"]["availability"] in page


def test_plan_example_time_is_labelled_and_reporting_starts_with_the_emergency_numbers():
    fields = {f["id"]: f for s in data("plan_elements")["sections"] for f in s["fields"]}
    warning = fields["warning_receive"]["hint"]
    assert "30 分钟" in warning and "本站示例" in warning
    chain = fields["report_procedure"]["hint"]
    assert chain.startswith("发现人先打 119、120 或 110")
    assert fields["report_phones"]["hint"].startswith("119、120、110")


def test_risk_map_definitions_are_labelled_ours_not_the_seeds(built_site):
    rm = data("risk_map")
    assert "本站整理" in rm["descriptions_source"]
    assert all(t["source"]["description"] == "本站整理" for t in rm["types"])
    text = page_text(built_site, "staff/risk-map")
    assert rm["descriptions_source"] in text and "说明（本站整理）" in text


def test_reporting_is_called_baosong_never_shenbao():
    for stem in OWN_FILES:
        assert not any("申报" in s for s in strings(data(stem))), stem


# ---- every source is on the page


def test_every_handbook_source_is_printed(built_site):
    h = data("handbook")
    text = page_text(built_site, "residents/handbook")
    for entry in [
        h,
        h["first_rule"],
        h["hotlines_note"],
        *h["numbers"],
        *h["hotlines"],
        *h["chapters"],
    ]:
        assert entry["source"] in text, entry["source"][:40]
    for c in h["chapters"]:
        for t in c.get("topics", []):
            assert t["source"] in text


def test_every_article_source_is_printed(built_site):
    a = data("articles")
    text = page_text(built_site, "residents/kepu")
    for art in a["articles"]:
        assert art["source"] in text, art["id"]


def test_every_supply_source_is_printed(built_site):
    s = data("household_supplies")
    text = page_text(built_site, "residents/supplies")
    for i in s["items"]:
        assert i["source"] in text, i["id"]
        if "note_source" in i:
            assert i["note_source"] in text, i["id"]
    for u in s["unavailable"]:
        assert u["source"] in text


def test_every_card_field_source_is_printed(built_site):
    c = data("cards")
    text = page_text(built_site, "residents/cards")
    for f in c["fields"] + c["community"] + c["notes"]:
        assert f["source"] in text


@pytest.mark.parametrize(
    "chapter", ["extinguisher", "forest-fire", "river-flood", "landslide", "hotlines"]
)
def test_each_new_topic_has_a_chapter_and_an_article_with_a_dated_source(chapter):
    chapters = {c["id"]: c for c in data("handbook")["chapters"]}
    c = chapters[chapter]
    assert re.search(r"20\d\d", c["source"]) and "本站整理" in c["source"]
    words = {
        "extinguisher": "提、拔、握、压",
        "forest-fire": "12119",
        "river-flood": "嘉陵江",
        "landslide": "崩塌",
        "hotlines": "12350",
    }
    articles = [a for a in data("articles")["articles"] if words[chapter] in a["title"] + a["body"]]
    assert articles, f"{chapter} 没有对应的科普文章"
    assert all(re.search(r"20\d\d", a["source"]) for a in articles)


# ---- §7b: pages for residents and staff speak to them, not to maintainers


def test_cards_page_has_no_maintainer_instructions(built_site):
    text = page_text(built_site, "residents/cards")
    for word in ("data/cards.yaml", "mkdocs.yml", "extra.public_url", "SC_PUBLIC_URL", "环境变量"):
        assert word not in text, word


def test_rollup_page_does_not_name_the_command(built_site):
    text = page_text(built_site, "district/rollup")
    assert "selfcheck aggregate" not in text and "命令行" not in text
    assert "本工具" in text
