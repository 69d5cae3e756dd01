"""The scoring engine: every criterion kind, every boundary, statuses, scores and the verdict."""

from __future__ import annotations

import copy

import pytest

from selfcheck.answers import AnswerError, normalize_answers, template
from selfcheck.errors import DataError, SelfcheckError
from selfcheck.scoring import ScoringRule, score_community
from tests.scoring_cases import NOW, base_doc, full_doc, rule_data


@pytest.fixture(scope="module")
def rule(standard):
    return ScoringRule.from_dict(rule_data(), standard)


def run(standard, rule, doc, now=NOW):
    return score_community(standard, rule, doc, now=now)


def crit(result, cid):
    return result["criteria"][cid]


# ---- boundaries named in the issue ---------------------------------------------------------


@pytest.mark.parametrize(
    "area, status, words",
    [
        (1500, "met", "应急避难场所人均避难面积 1.5 平方米，标准不小于 1.5 平方米，已达标"),
        (
            1490,
            "not_met",
            (
                "应急避难场所人均避难面积 1.49 平方米，标准不小于 1.5 平方米，还差约 10 平方米避"
                "难面积（按常住人口 1,000 人）"
            ),
        ),
        (
            1210,
            "not_met",
            (
                "应急避难场所人均避难面积 1.21 平方米，标准不小于 1.5 平方米，还差约 290 平方米"
                "避难面积（按常住人口 1,000 人）"
            ),
        ),
        (1499.9, "not_met", "应急避难场所人均避难面积 1.4999 平方米"),
    ],
)
def test_area_per_person_boundary(standard, rule, area, status, words):
    doc = base_doc(standard)
    doc["answers"]["2.5.d"] = {"numerator": area}
    got = crit(run(standard, rule, doc), "2.5.d")
    assert got["status"] == status
    assert got["message"].startswith(words), got["message"]
    assert got["value"] == pytest.approx(area / 1000)


@pytest.mark.parametrize(
    "people, status, tail",
    [(9, "not_met", "差 1 人"), (10, "met", "已达标"), (8, "not_met", "差 2 人")],
)
def test_team_size_boundary(standard, rule, people, status, tail):
    doc = base_doc(standard)
    doc["answers"]["3.2.b"] = {"value": people}
    got = crit(run(standard, rule, doc), "3.2.b")
    assert got["status"] == status
    assert got["message"] == f"应急队伍人数 {people} 人，标准不少于 10 人，{tail}。"


@pytest.mark.parametrize(
    "num, den, status, shown",
    [
        (799, 1000, "not_met", "79.9%"),
        (800, 1000, "met", "80%"),
        (4, 5, "met", "80%"),
        (7999, 10000, "not_met", "79.99%"),
        (1, 3, "not_met", "33.33%"),
    ],
)
def test_online_rate_boundary(standard, rule, num, den, status, shown):
    doc = base_doc(standard)
    doc["answers"]["4.5.a"] = {"numerator": num, "denominator": den}
    got = crit(run(standard, rule, doc), "4.5.a")
    assert got["status"] == status
    assert f"在线率 {shown}，标准不低于 80%" in got["message"]
    if status == "not_met":
        assert "个百分点" in got["message"]


@pytest.mark.parametrize("population", [0, None])
def test_population_zero_or_missing_is_a_clear_message_not_a_crash(standard, rule, population):
    doc = base_doc(standard)
    doc["profile"]["population"] = population
    doc["answers"]["2.5.d"] = {"numerator": 1500}
    result = run(standard, rule, doc)
    got = crit(result, "2.5.d")
    assert got["status"] == "not_answered"
    assert "规划避难人数" in got["message"] and "在基本情况中填写常住人口" in got["message"]
    assert any("常住人口" in w for w in result["warnings"])
    # With 规划避难人数 typed, the population is not needed.
    doc["answers"]["2.5.d"] = {"numerator": 1500, "denominator": 1000}
    result = run(standard, rule, doc)
    assert crit(result, "2.5.d")["status"] == "met"
    assert not any("常住人口" in w for w in result["warnings"])


# ---- readings of the standard (issue 11 §4) -------------------------------------------------


def test_area_per_person_divides_by_planned_evacuees_with_population_as_default(standard, rule):
    doc = base_doc(standard)
    doc["profile"]["population"] = 12000
    doc["answers"]["2.5.d"] = {"numerator": 12814, "denominator": 8600}
    got = crit(run(standard, rule, doc), "2.5.d")
    assert got["status"] == "not_met"
    assert got["message"].startswith(
        "应急避难场所人均避难面积 1.49 平方米，标准不小于 1.5 平方米，还差约 86 平方米避难面"
        "积（按规划避难人数 8,600 人）"
    ), got["message"]
    del doc["answers"]["2.5.d"]["denominator"]
    doc["profile"]["population"] = 8000
    got = crit(run(standard, rule, doc), "2.5.d")
    assert got["status"] == "met" and "取常住人口" in got["message"]
    assert "规划避难人数" in standard.criteria["2.5.d"].threshold_note


def test_online_rate_names_the_companies_still_needed(standard, rule):
    doc = base_doc(standard)
    doc["answers"]["4.5.a"] = {"numerator": 799, "denominator": 1000}
    got = crit(run(standard, rule, doc), "4.5.a")
    assert (
        "在线率 79.9%，标准不低于 80%，差 0.1 个百分点，再有 1 家企业在线即达标" in got["message"]
    )
    doc["answers"]["4.5.a"] = {"numerator": 70, "denominator": 100}
    assert "再有 10 家企业在线即达标" in crit(run(standard, rule, doc), "4.5.a")["message"]


def test_culture_wall_and_notice_board_apply_to_every_community_and_village(standard, rule):
    for kind in ("社区", "村"):
        doc = full_doc(standard)
        doc["profile"]["kind"] = kind
        doc["answers"]["6.2.c"] = {"count": 0}
        result = run(standard, rule, doc)
        assert [crit(result, c)["status"] for c in ("6.2.a", "6.2.b", "6.2.c")] == [
            "met",
            "met",
            "not_met",
        ], kind
    for cid in ("6.2.a", "6.2.b", "6.2.c"):
        assert (
            standard.criteria[cid].applies_if is None
            and "每个社区（村）" in standard.criteria[cid].threshold_note
        )


def test_promotion_is_judged_not_the_rate_and_encouraged_items_never_fail_a_community(
    standard, rule
):
    doc = full_doc(standard)
    doc["answers"]["2.2.a"] = {"numerator": 1, "denominator": 10}
    doc["answers"]["3.3.a"] = {"value": "no"}
    doc["answers"]["3.3.b"] = {"value": "no"}
    result = run(standard, rule, doc)
    rate = crit(result, "2.2.a")
    assert (
        rate["status"] == "info" and rate["status_label"] == "仅供参考" and rate["credit"] is None
    )
    assert "10%" in rate["message"] and "只作参考" in rate["message"]
    assert (
        result["items"]["2.2"]["status"] == "met"
    )  # promotion done and recorded: the rate does not count
    assert (
        result["items"]["3.3"]["status"] == "not_met"
        and "建议项" in result["items"]["3.3"]["status_label"]
    )
    assert result["overall"]["level"] == rule.readiness[0].level
    assert [g["kind"] for g in result["gaps"] if g["item_id"] == "3.3"] == ["advice", "advice"]
    assert all(g["text"].startswith("建议项") for g in result["gaps"] if g["item_id"] == "3.3")
    assert result["categories"][2]["score"] == 100  # 3.3 is left out of the score too


def test_promotion_without_records_keeps_a_community_from_the_top_tier(standard, rule):
    """2.2 says 积极推动: the promotion itself is required (the seed words other required items the
    same way, e.g. 2.3 and 4.4); only the installation rate is for information."""
    assert not standard.items["2.2"].advisory and standard.criteria["2.2.a"].info_only
    doc = full_doc(standard)
    doc["answers"]["2.2.b"] = {"value": "no"}
    result = run(standard, rule, doc)
    assert result["items"]["2.2"]["status"] == "not_met"
    assert result["overall"]["level"] != rule.readiness[0].level
    assert [g["criterion_id"] for g in result["gaps"] if g["item_id"] == "2.2"] == ["2.2.b"]


def test_the_team_patrols_and_the_party_post_leads(standard):
    c = standard.criteria
    assert "带动作用" in c["3.2.c"].label and "巡查" not in c["3.2.c"].label
    assert c["3.2.d"].label.startswith("应急队伍承担") and "巡查" in c["3.2.d"].label
    assert "应急队伍" in c["3.2.c"].threshold_note


# ---- evidence follows applicability (issue 11 §5) -------------------------------------------


def test_village_without_estates_is_not_asked_for_micro_fire_station_papers(standard, rule):
    doc = full_doc(standard)
    doc["profile"]["kind"] = "村"
    doc["profile"]["facts"].update(has_property_estates=False, has_hazchem_sites=False)
    doc["evidence"]["2.5"] = [1, 2]
    doc["evidence"]["4.2"] = [0, 1, 3]
    result = run(standard, rule, doc)
    station = result["items"]["2.5"]["evidence"][0]
    assert station["text"].startswith("微型消防站建设资料") and station["applies"] is False
    hazchem = result["items"]["4.2"]["evidence"][2]
    assert "危化品" in hazchem["text"] and hazchem["applies"] is False
    assert result["items"]["2.5"]["score"] == 1 and result["items"]["4.2"]["score"] == 1
    assert "台账资料已备 2/2 项" in result["items"]["2.5"]["message"]
    assert not [g for g in result["gaps"] if g["kind"] == "evidence"]
    # With estates and hazchem sites the same papers are demanded again.
    doc["profile"]["facts"].update(has_property_estates=True, has_hazchem_sites=True)
    result = run(standard, rule, doc)
    missing = [g["text"] for g in result["gaps"] if g["kind"] == "evidence"]
    assert any("微型消防站建设资料" in t for t in missing) and any(
        "危化品烟花爆竹" in t for t in missing
    )


def test_ticked_evidence_for_a_criterion_that_does_not_apply_is_not_counted(standard, rule):
    doc = full_doc(standard)
    doc["profile"]["facts"]["has_property_estates"] = False
    doc["evidence"]["2.5"] = [0]  # only the micro fire station papers: they prove nothing here
    result = run(standard, rule, doc)
    assert "台账资料已备 0/2 项" in result["items"]["2.5"]["message"]


def test_ratio_zero_over_zero_and_missing_parts(standard, rule):
    doc = base_doc(standard)
    doc["answers"]["4.3.c"] = {"numerator": 0, "denominator": 0}
    doc["answers"]["4.3.b"] = {"numerator": 5}
    result = run(standard, rule, doc)
    assert crit(result, "4.3.c")["status"] == "met"
    assert "为 0" in crit(result, "4.3.c")["message"]
    assert crit(result, "4.3.b")["status"] == "not_answered"
    assert "辖区区域" in crit(result, "4.3.b")["message"]


# ---- statuses ------------------------------------------------------------------------------


def test_missing_answers_are_not_answered_and_items_unfilled(standard, rule):
    result = run(standard, rule, base_doc(standard))
    statuses = {cid: c["status"] for cid, c in result["criteria"].items()}
    assert statuses.pop("2.2.a") == "info"  # the installation rate is shown for information only
    assert set(statuses.values()) == {"not_answered"}
    assert {i["status"] for i in result["items"].values()} == {"not_answered"}
    assert {i["status_label"] for i in result["items"].values()} == {"未填写", "未填写（建议项）"}
    assert result["overall"]["score"] == 0


def test_not_applicable_items_and_criteria(standard, rule):
    doc = full_doc(standard)
    doc["profile"]["facts"]["has_restaurants"] = False
    doc["profile"]["facts"]["has_hazchem_sites"] = False
    result = run(standard, rule, doc)
    assert result["items"]["2.2"]["status_label"] == "不适用"
    assert result["items"]["2.2"]["score"] is None
    assert "辖区内有餐饮场所" in result["items"]["2.2"]["message"]
    assert crit(result, "4.2.c")["status"] == "not_applicable"
    assert crit(result, "4.2.c")["message"].startswith("仅适用于")  # exports add “不适用：” once
    assert not any(g["item_id"] == "2.2" for g in result["gaps"])


def test_unknown_fact_counts_as_applicable(standard, rule):
    doc = base_doc(standard, has_restaurants=None)
    result = run(standard, rule, doc)
    assert crit(result, "2.2.b")["status"] == "not_answered"
    assert any("辖区内有餐饮场所" in w for w in result["warnings"])


def test_boolean_yes_partly_no(standard, rule):
    doc = base_doc(standard)
    doc["answers"].update(
        {"1.2.a": {"value": "yes"}, "1.2.b": {"value": "partly"}, "1.2.c": {"value": "no"}}
    )
    result = run(standard, rule, doc)
    assert [crit(result, c)["status"] for c in ("1.2.a", "1.2.b", "1.2.c", "1.2.d")] == [
        "met",
        "not_met",
        "not_met",
        "not_answered",
    ]
    assert crit(result, "1.2.b")["credit"] == rule.credit["partly"]
    assert "部分做到" in crit(result, "1.2.b")["message"]
    assert result["items"]["1.2"]["status_label"] == "部分达标"
    expected = (1 - rule.evidence_weight) * (1 + rule.credit["partly"]) / 4
    assert result["items"]["1.2"]["score"] == pytest.approx(expected, abs=1e-4)


def test_periodic_and_per_event_typed(standard, rule):
    doc = base_doc(standard)
    doc["answers"].update({"6.1.c": {"count": 3}, "6.1.d": {"min": 100}, "1.1.b": {"count": 2}})
    result = run(standard, rule, doc)
    assert (
        crit(result, "6.1.c")["message"]
        == "志愿者队伍安全宣教：评估期内最少的一个月 3 次，标准每月不少于 4 次，少 1 次。"
    )
    assert crit(result, "6.1.d")["status"] == "met"
    assert crit(result, "1.1.b")["status"] == "met"


# ---- records -------------------------------------------------------------------------------


def records_doc(standard):
    doc = base_doc(standard)
    doc["window"] = {"start": "2024-01-15", "end": "2024-08-31"}
    recs = []
    for month in range(1, 9):
        for day in range(1, (3 if month == 7 else 4) + 1):
            recs.append(
                {
                    "date": f"2024-{month:02d}-{day:02d}",
                    "type": "安全宣教",
                    "people": 86 if (month, day) == (8, 12 % 4) else 120,
                    "note": "",
                }
            )
    recs.append({"date": "2024-08-12", "type": "安全宣教", "people": 86, "note": ""})
    doc["records"] = recs
    doc["answers"]["6.1.c"] = {"count": 9}
    return doc


def test_records_take_precedence_and_name_each_short_period(standard, rule):
    result = run(standard, rule, records_doc(standard))
    got = crit(result, "6.1.c")
    assert got["source"] == "records"
    assert got["status"] == "not_met"
    assert "2024年7月 3 次志愿者队伍安全宣教" in got["shortfalls"]
    assert (
        "个月中" not in got["message"]
        and "未达到的：2024年7月 3 次志愿者队伍安全宣教" in got["message"]
    )
    assert "台账优先于填写的次数 9" in got["message"]
    # January is cut by the window start (15 Jan): not judged.
    assert [p["label"] for p in got["periods"]] == [f"2024年{m}月" for m in range(2, 9)]
    assert got["value"] == 3


def test_per_event_records_name_the_event(standard, rule):
    got = crit(run(standard, rule, records_doc(standard)), "6.1.d")
    assert got["status"] == "not_met"
    assert "2024年8月12日 安全宣教 86 人，少于 100 人" in got["shortfalls"]
    assert got["value"] == 86


def test_records_outside_window_are_ignored_and_typed_count_used(standard, rule):
    doc = base_doc(standard)
    doc["records"] = [{"date": "2022-01-01", "type": "安全宣教", "people": 5, "note": ""}]
    doc["answers"]["6.1.c"] = {"count": 4}
    got = crit(run(standard, rule, doc), "6.1.c")
    assert (got["source"], got["status"]) == ("answer", "met")


@pytest.mark.parametrize(
    "cid, log_type, dates, labels",
    [
        (
            "6.5.a",
            "集中科普宣传",
            ["2023-10-01", "2024-01-05", "2024-04-05"],
            ["2023年第4季度", "2024年第1季度", "2024年第2季度"],
        ),
        ("5.1.c", "应急演练", ["2024-03-01"], ["2024年上半年"]),
    ],
)
def test_quarter_and_half_periods(standard, rule, cid, log_type, dates, labels):
    doc = base_doc(standard)
    doc["window"] = {"start": "2023-09-01", "end": "2024-08-31"}
    doc["records"] = [{"date": d, "type": log_type, "people": None, "note": ""} for d in dates]
    got = crit(run(standard, rule, doc), cid)
    assert [p["label"] for p in got["periods"]] == labels
    assert got["status"] == "met"


def test_year_without_a_whole_year_judges_the_window(standard, rule):
    doc = base_doc(standard)
    doc["records"] = [{"date": "2024-03-01", "type": "专题工作会议", "people": 12, "note": ""}]
    got = crit(run(standard, rule, doc), "1.1.b")
    assert got["periods"][0]["label"].startswith("评估期")
    assert "没有完整的年" in got["message"]
    assert got["status"] == "not_met" and got["shortfalls"][0].endswith(" 1 次专题工作会议")
    assert "个年中" not in got["message"]


def test_quarterly_shortfall_names_the_quarter(standard, rule):
    doc = base_doc(standard)
    doc["records"] = [{"date": "2023-10-01", "type": "宣传栏更新", "people": None, "note": ""}]
    got = crit(run(standard, rule, doc), "6.2.c")
    assert "2024年第1季度 0 次宣传栏安全知识更新" in got["shortfalls"]


def test_monthly_patrol_shortfall_names_the_month(standard, rule):
    doc = base_doc(standard)
    doc["records"] = [
        {
            "date": f"2023-{m:02d}-05" if m >= 9 else f"2024-{m:02d}-05",
            "type": "隐患巡查",
            "people": None,
            "note": "",
        }
        for m in (9, 10, 11, 12, 1, 3, 4, 5, 6, 7, 8)
    ]
    got = crit(run(standard, rule, doc), "4.2.b")
    assert got["shortfalls"] == ["2024年2月 0 次重点场所、重点设施设备安全巡查检查"]


def test_default_window_is_12_whole_months_before(standard, rule):
    doc = base_doc(standard)
    del doc["window"]
    result = run(standard, rule, doc, now="2024-09-15T08:00:00+08:00")
    assert (result["window"]["start"], result["window"]["end"], result["window"]["source"]) == (
        "2023-09-01",
        "2024-08-31",
        "default",
    )
    result = run(standard, rule, doc, now="2025-01-02T08:00:00+08:00")
    assert (result["window"]["start"], result["window"]["end"]) == ("2024-01-01", "2024-12-31")


# ---- scores, verdict, gap list ---------------------------------------------------------------


def test_full_marks_at_every_threshold(standard, rule):
    result = run(standard, rule, full_doc(standard))
    statuses = {cid: c["status"] for cid, c in result["criteria"].items()}
    assert statuses.pop("2.2.a") == "info"
    assert set(statuses.values()) == {"met"}
    assert result["overall"]["score"] == 100
    assert result["overall"]["level"] == rule.readiness[0].level
    assert result["gaps"] == []


def test_one_shortfall_lowers_its_category_only(standard, rule):
    doc = full_doc(standard)
    doc["answers"]["3.2.b"] = {"value": 9}
    result = run(standard, rule, doc)
    cats = {c["id"]: c["score"] for c in result["categories"]}
    n_items = len([i for i in standard.categories[2].items if not i.advisory])
    per_crit = (1 - rule.evidence_weight) / len(standard.items["3.2"].criteria)
    assert cats["3"] == pytest.approx(round(100 * (n_items - per_crit) / n_items, 1))
    assert all(cats[c] == 100 for c in "12456")
    assert [g["criterion_id"] for g in result["gaps"]] == ["3.2.b"]
    assert result["gaps"][0]["text"] == "应急队伍人数 9 人，标准不少于 10 人，差 1 人。"


def test_gap_list_is_ordered_by_category(standard, rule):
    doc = full_doc(standard)
    for cid in ("6.1.a", "1.6.a", "4.2.a", "2.5.b"):
        doc["answers"][cid] = (
            {"value": 0} if standard.criteria[cid].kind == "quantity" else {"value": "no"}
        )
    result = run(standard, rule, doc)
    assert [g["criterion_id"] for g in result["gaps"]] == ["1.6.a", "2.5.b", "4.2.a", "6.1.a"]


def test_the_rule_is_read_from_data_not_code(standard, rule):
    data = copy.deepcopy(rule_data())
    data["credit"]["partly"] = 1
    data["evidence_weight"] = 0
    data["category_weights"] = [
        {"category": c.id, "weight": 1 if c.id == "1" else 0} for c in standard.categories
    ]
    doc = base_doc(standard)
    doc["answers"].update(
        {cid: {"value": "partly"} for cid in ("1.2.a", "1.2.b", "1.2.c", "1.2.d")}
    )
    generous = run(standard, ScoringRule.from_dict(data, standard), doc)
    strict = run(standard, rule, doc)
    assert generous["items"]["1.2"]["score"] == 1
    assert strict["items"]["1.2"]["score"] < 1
    assert generous["overall"]["score"] == generous["categories"][0]["score"] == round(100 / 7, 1)
    assert generous["scoring"]["label"] == data["label"]


def test_readiness_levels_follow_the_rule(standard, rule):
    doc = full_doc(standard)
    for cid in ("1.2.a", "2.1.a", "3.3.a", "4.1.a"):
        doc["answers"][cid] = {"value": "no"}
    result = run(standard, rule, doc)
    assert result["overall"]["level"] != rule.readiness[0].level
    # 3.3 is a 建议项: it is not counted; the other three are.
    assert any("尚未达标的条目 3 条" in u for u in result["overall"]["unmet"])


def test_missed_thresholds_shown_as_partial_never_make_a_community_ready(standard, rule):
    """Issue 11 §6: eight missed numeric thresholds, each 部分达标, used to read 可以报送."""
    doc = full_doc(standard)
    misses = {
        "1.6.a": {"value": 0},
        "2.5.b": {"value": 0},
        "3.2.b": {"value": 9},
        "4.5.a": {"numerator": 79, "denominator": 100},
        "4.3.b": {"numerator": 99, "denominator": 100},
        "4.7.b": {"numerator": 9, "denominator": 10},
        "6.1.a": {"value": 1},
        "6.8.c": {"count": 1},
    }
    doc["answers"].update(misses)
    result = run(standard, rule, doc)
    items = {standard.item_of(cid).id for cid in misses}
    assert all(result["items"][i]["status"] == "partial" for i in items)
    assert result["overall"]["score"] >= rule.readiness[0].min_overall  # the score alone would pass
    assert result["overall"]["level"] != rule.readiness[0].level
    assert sorted(result["overall"]["not_met_items"]) == sorted(items)
    assert any(
        f"尚未达标的条目 {len(items)} 条（部分达标 {len(items)} 条" in u
        for u in result["overall"]["unmet"]
    )


def test_verdict_text_counts_every_item_that_is_not_met(standard, rule):
    doc = full_doc(standard)
    for cid in ("1.2.a", "2.1.a", "3.2.b", "4.1.a", "5.4.a", "6.3.a", "6.9.a", "1.7.a", "2.7.a"):
        doc["answers"][cid] = (
            {"value": 0} if standard.criteria[cid].kind == "quantity" else {"value": "no"}
        )
    result = run(standard, rule, doc)
    line = next(u for u in result["overall"]["unmet"] if "尚未达标的条目" in u)
    assert "尚未达标的条目 9 条（部分达标" in line and "未达标" in line


def test_the_top_tier_must_demand_every_item_met(standard):
    data = copy.deepcopy(rule_data())
    data["readiness"][0]["max_failed_items"] = 1
    with pytest.raises(DataError) as info:
        ScoringRule.from_dict(data, standard)
    assert "每个适用条目都达标" in str(info.value)


def test_result_carries_versions_time_and_label(standard, rule):
    import selfcheck

    result = run(standard, rule, base_doc(standard))
    assert result["standard_version"] == standard.version
    assert result["tool_version"] == selfcheck.__version__
    assert result["scored_at"] == NOW
    assert result["scoring"]["source"] == "本站整理"


# ---- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mutate, words",
    [
        (lambda d: d["answers"].update({"9.9.z": {"value": 1}}), "answers.9.9.z"),
        (lambda d: d["answers"].update({"3.2.b": {"value": -1}}), "不能为负数"),
        (lambda d: d["answers"].update({"3.2.b": {"value": "十"}}), "应为数字"),
        (lambda d: d["answers"].update({"3.2.b": {"count": 3}}), "只能填写“value”"),
        (lambda d: d["answers"].update({"1.2.a": {"value": "maybe"}}), "partly"),
        (lambda d: d["answers"].update({"4.5.a": {"numerator": 9, "denominator": 5}}), "大于"),
        (lambda d: d["answers"].update({"6.1.c": {"count": 2.5}}), "应为整数"),
        (lambda d: d.update(window={"start": "2024-09-01", "end": "2024-01-01"}), "早于"),
        (lambda d: d.update(window={"start": "2024-13-01", "end": "2024-12-01"}), "不存在"),
        (
            lambda d: d["records"].append(
                {"date": "2024/7/1", "type": "安全宣教", "people": 5, "note": ""}
            ),
            "records 第 1 条",
        ),
        (
            lambda d: d["records"].append(
                {"date": "2024-07-01", "type": "学习会", "people": 5, "note": ""}
            ),
            "学习会",
        ),
        (lambda d: d["profile"].update(kind="街道"), "profile.kind"),
        (lambda d: d["profile"].update(population=-3), "常住人口"),
        (lambda d: d["profile"]["facts"].update(has_restaurants="有"), "辖区内有餐饮场所"),
        (lambda d: d["evidence"].update({"2.5": [7]}), "0 到 2"),
        (lambda d: d["answers"].update({"3.2.c": {"value": 3}}), "partly"),
        (lambda d: d["notes"].update({"9.1": "x"}), "notes.9.1"),
        (lambda d: d.update(format="other"), "format"),
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d.update(standard_version="2023.1"), "standard_version"),
    ],
)
def test_bad_answers_raise_typed_errors_naming_the_field(standard, rule, mutate, words):
    doc = base_doc(standard)
    mutate(doc)
    with pytest.raises(AnswerError) as info:
        run(standard, rule, doc)
    assert words in str(info.value)
    assert isinstance(info.value, SelfcheckError)


def test_template_lists_every_criterion_and_scores_as_unanswered(standard, rule):
    doc = template(standard)
    assert set(doc["answers"]) == set(standard.criteria)
    assert doc["answers"]["2.5.d"] == {"numerator": None, "denominator": None}
    assert doc["answers"]["6.1.c"] == {"count": None}
    assert normalize_answers(doc, standard)["answers"] == {}
    assert run(standard, rule, doc)["overall"]["score"] == 0


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda d: d["credit"].update(partly=2), "partly"),
        (lambda d: d.update(category_weights=d["category_weights"][:-1]), "category_weights"),
        (lambda d: d["readiness"][-1].update(min_overall=10), "条件"),
        (lambda d: d.update(evidence_weight="x"), "evidence_weight"),
    ],
)
def test_a_bad_scoring_rule_is_a_data_error(standard, mutate, field):
    data = copy.deepcopy(rule_data())
    mutate(data)
    with pytest.raises(DataError) as info:
        ScoringRule.from_dict(data, standard)
    assert field in str(info.value)


def test_scoring_yaml_is_validated_by_its_schema():
    import json

    from selfcheck.datafiles import DATA_DIR, SCHEMA_DIR, first_schema_error, load_yaml

    schema = json.loads((SCHEMA_DIR / "scoring.schema.json").read_text(encoding="utf-8"))
    data = load_yaml(DATA_DIR / "scoring.yaml")
    assert first_schema_error(data, schema) is None
    data["unknown"] = 1
    assert first_schema_error(data, schema) is not None


def test_answers_saved_before_the_readings_changed_still_score(standard, rule):
    """2.2.a keeps its ratio answer and 3.2.c its yes/no, so saved drafts and exports of 2024.1 load."""
    doc = base_doc(standard)
    doc["answers"].update(
        {
            "2.2.a": {"numerator": 3, "denominator": 4},
            "3.2.c": {"value": "yes"},
            "2.5.d": {"numerator": 1500},
        }
    )
    doc["evidence"]["2.2"] = [0, 1]
    result = run(standard, rule, doc)
    assert crit(result, "2.2.a")["status"] == "info" and crit(result, "3.2.c")["status"] == "met"
    assert (
        crit(result, "2.2.b")["status"] == "not_answered"
        and crit(result, "3.2.d")["status"] == "not_answered"
    )
    assert [e["text"] for e in result["items"]["2.2"]["evidence"][:2]] == [
        "餐饮场所名单及报警装置安装情况表",
        "安装照片",
    ]


def test_a_bare_rate_reads_as_the_seed_gives_it(standard, rule):
    doc = base_doc(standard)
    doc["answers"]["4.3.b"] = {"numerator": 9, "denominator": 10}
    got = crit(run(standard, rule, doc), "4.3.b")
    assert got["message"].startswith(
        "网格化覆盖率 90%，标准要求 100%，差 10 个百分点，再有 1 个区域纳入网格管理即达标。"
    )
