"""The built pages about the standard say which readings are ours, and the form asks plainly."""

from __future__ import annotations

import html
import re


def page_text(built_site, path: str) -> str:
    raw = (built_site / path / "index.html").read_text(encoding="utf-8")
    raw = raw[raw.index("<article") :]
    # Markup and spaces removed: a bold label and its text read as one string.
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", raw)))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_reading_beyond_the_seed_is_labelled_on_its_category_page(built_site, standard):
    for cat in standard.categories:
        text = page_text(built_site, f"standard/{cat.id}")
        for item in cat.items:
            for k in item.criteria:
                if k.threshold_note:
                    assert squeezed(f"本站解读：{k.threshold_note}") in text, k.id
            if item.advisory:
                assert squeezed(f"建议项（本站解读）：{item.advisory}") in text, item.id


def test_category_page_says_which_evidence_is_needed_only_under_a_condition(built_site):
    text = page_text(built_site, "standard/2")
    assert (
        "微型消防站建设资料（人员、器材清单、值守制度）（仅当辖区内有物业管理的小区时需要）" in text
    )
    assert "未填写规划避难人数时取常住人口" in text
    text = page_text(built_site, "standard/4")
    assert "危化品烟花爆竹重点关注场所季度排查记录（仅当辖区内有危险化学品" in text


def test_scoring_page_states_the_top_tier_rule(built_site):
    text = page_text(built_site, "staff/scoring")
    assert "每一个适用条目都达标、没有未填写的条目" in text
    assert "不是全年合计" in text and "规划避难人数" in text and "建议项" in text


def test_the_form_asks_for_the_weakest_period_and_the_planned_evacuees(built_site, standard):
    raw = (built_site / "staff" / "selfcheck" / "index.html").read_text(encoding="utf-8")
    for k in standard.criteria.values():
        if k.kind == "periodic":
            assert html.escape(k.question, quote=False) in raw or k.question in raw, k.id
    assert "评估期内次数最少的一个月的次数（不是整个评估期的合计" in raw
    assert (
        'name="ans:2.5.d:denominator"' in raw
        and "规划避难人数（不填则取“基本信息”中的常住人口）" in raw
    )
