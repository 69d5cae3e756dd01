"""The strict build's output: every item of the standard is on its category page."""

from __future__ import annotations

import html
import json
import re

from macros.assets import MANIFEST_SLOT
from tests.conftest import SEED


def page_text(path) -> str:
    raw = path.read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def test_every_item_id_and_verbatim_text_is_on_its_category_page(built_site, standard):
    for category in standard.categories:
        text = page_text(built_site / "standard" / category.id / "index.html")
        raw = (built_site / "standard" / category.id / "index.html").read_text(encoding="utf-8")
        for item in category.items:
            assert f'id="item-{item.id.replace(".", "-")}"' in raw, item.id
            assert item.text in text, item.id
            for k in item.criteria:
                assert k.name in text, k.id


def test_overview_lists_every_threshold(built_site, standard):
    text = page_text(built_site / "standard" / "index.html")
    for k in standard.criteria.values():
        if k.kind != "boolean":
            assert k.requirement in text, k.id


def test_plan_page_has_the_four_stages_and_dates(built_site):
    text = page_text(built_site / "plan" / "index.html")
    for phrase in (
        "动员部署阶段",
        "组织实施阶段",
        "考评验收阶段",
        "提升推广阶段",
        "2024-05-29",
        "2024-08-20",
        "授牌期为两年",
    ):
        assert phrase in text, phrase
    seed = SEED.read_text(encoding="utf-8")
    assert "安全发展社区（村）建设行动由属地镇街牵头组织实施，区安委办、区减灾办指导建设。" in seed
    assert "安全发展社区（村）建设行动由属地镇街牵头组织实施，区安委办、区减灾办指导建设。" in text


def test_home_page_has_three_entrances(built_site):
    raw = (built_site / "index.html").read_text(encoding="utf-8")
    for label, href in (
        ("居民", "residents/"),
        ("社区工作人员", "staff/"),
        ("镇街与区安委办", "district/"),
    ):
        assert re.search(
            rf'<a class="sc-entrance" href="{href}">\s*<strong>{label}</strong>', raw
        ), label


def test_the_page_that_starts_python_carries_the_manifest_of_its_build(built_site):
    """overrides/main.html hands the early worker the release's manifest (no round trip for
    manifest.json before Python's first request): it must be the very manifest the build wrote."""
    manifest = json.loads((built_site / "assets/wheels/manifest.json").read_text(encoding="utf-8"))
    texts = {p: p.read_text(encoding="utf-8") for p in built_site.rglob("*.html")}
    carrying = sorted(
        p.relative_to(built_site).as_posix() for p, t in texts.items() if "self.scManifest=" in t
    )
    assert carrying == ["staff/selfcheck/index.html"]
    given = re.search(r",m=(\{.*?\}),w=new Worker\(", texts[built_site / carrying[0]])
    assert given and json.loads(given.group(1)) == manifest
    assert [p for p, t in texts.items() if MANIFEST_SLOT in t] == [], "有页面的程序清单没有填入"
