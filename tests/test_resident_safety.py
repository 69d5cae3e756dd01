"""Resident advice that could hurt when misapplied: one test per fix of issue 11 §1.

Each test reads the YAML (the advice as written) and the built page (the advice as residents see it),
so a fix that never reaches the page, or a page that drifts from the data, fails here. The 明白卡's
empty 监测人 is tested in Chromium (tests/browser/test_resident_cards.py), since the card is filled in
by the page's script.
"""

from __future__ import annotations

import html
import re

import yaml

from tests.conftest import DATA_DIR


def data(stem):
    return yaml.safe_load((DATA_DIR / f"{stem}.yaml").read_text(encoding="utf-8"))


def chapter(cid):
    return next(c for c in data("handbook")["chapters"] if c["id"] == cid)


def page_text(built_site, path) -> str:
    """The visible text of a built page: tags removed, entities decoded, whitespace collapsed."""
    raw = (built_site / path / "index.html").read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", raw))
    return re.sub(r"\s+", " ", text)


def test_fire_has_shelter_in_place_when_the_stairwell_is_full_of_smoke(built_site):
    fire = chapter("fire")
    shelter = [p for p in fire["during"] if p.startswith("关门避险：")]
    assert len(shelter) == 1, "火灾一章要有一条以“关门避险：”开头的做法"
    p = shelter[0]
    for needed in (
        "楼道",
        "浓烟",
        "不要往里冲",
        "退回屋里",
        "关紧门",
        "湿毛巾",
        "门缝",
        "窗口",
        "119",
    ):
        assert needed in p, f"关门避险缺少“{needed}”：{p}"
    # The low-posture escape now says when it applies: only with little or no smoke.
    down = next(p for p in fire["during"] if "弯腰低姿" in p)
    assert "没有烟或烟很少" in down
    assert "关门避险" in fire["summary"]
    text = page_text(built_site, "residents/handbook")
    assert p in text and down in text


def test_heat_stroke_is_call_120_and_no_drink_unless_fully_awake(built_site):
    heat = chapter("heat")
    points = heat["before"] + heat["during"] + heat["after"]
    stroke = [p for p in points if "皮肤发烫" in p]
    assert len(stroke) == 1
    s = stroke[0]
    assert "不出汗" in s and "120" in s and "降温" in s
    assert "不完全清醒时，不要喂水" in s
    assert "淡盐水" not in s, "热射病那一条不能让人喝淡盐水"
    # Salted water is offered only for the early, fully awake case, never next to the heat-stroke signs.
    salted = [p for p in points if "淡盐水" in p]
    assert salted and all("完全清醒" in p and "皮肤发烫" not in p for p in salted)
    text = page_text(built_site, "residents/handbook")
    assert s in text
    article = next(a for a in data("articles")["articles"] if a["id"] == "heat-stroke")
    assert "120" in article["body"] and "不要喂水" in article["body"]


def test_flood_cuts_power_before_water_comes_in_and_never_while_standing_in_water(built_site):
    flood = chapter("flood")
    during = flood["during"]
    assert not any("屋里进水时，先拉下电闸" in p for p in during)
    before_water = next(p for p in during if "水还没进屋" in p)
    assert "电源总闸" in before_water
    assert before_water.index("水还没进屋") < before_water.index("拉下电源总闸")
    in_water = next(p for p in during if "站在水里" in p)
    assert "泡水" in in_water and "不要再去碰电闸" in in_water and "马上离开" in in_water
    text = page_text(built_site, "residents/handbook")
    assert before_water in text and in_water in text


def test_window_breaker_is_for_cars_and_low_floors_never_climbing_out_of_a_high_rise(built_site):
    item = next(i for i in data("household_supplies")["items"] if i["id"] == "window-breaker")
    assert "车" in item["why"] and "低楼层" in item["why"]
    assert "高楼" in item["note"] and "不要爬出窗外" in item["note"] and "不要跳楼" in item["note"]
    assert "本站整理" in item["note_source"] and "用于室内和车内" in item["note_source"]
    text = page_text(built_site, "residents/supplies")
    assert item["why"] in text and item["note"] in text and item["note_source"] in text
    # The handbook says the same for a fire in a high-rise.
    assert any("千万不要跳楼" in p and "不要爬出窗外" in p for p in chapter("fire")["during"])


def test_monitor_has_no_default_from_the_grid_worker():
    fields = {f["key"]: f for f in data("cards")["fields"]}
    for key in ("monitor", "monitor_phone"):
        assert "default_from" not in fields[key], f"{key} 不能默认填网格员"
        assert "留空" in fields[key]["hint"]


def test_entrance_and_handbook_agree_on_escaping_before_calling(built_site):
    rule = data("handbook")["first_rule"]["text"]
    assert rule.index("先离开危险") < rule.index("打电话") and "关门避险" in rule
    entrance = page_text(built_site, "residents")
    handbook = page_text(built_site, "residents/handbook")
    assert rule in entrance and rule in handbook
    assert "先打电话" not in entrance and "先打电话" not in handbook
    # The fire chapter and the calling-help chapter say the same order.
    assert "跑到安全的地方马上打 119" in chapter("fire")["summary"]
    assert any(
        p.startswith("先离开危险的地方，到了安全的地方马上打电话")
        for p in chapter("calling-help")["during"]
    )
