"""The standard as data: complete, verbatim, every number captured."""

from __future__ import annotations

import re

from tests.conftest import SEED

EXPECTED_IDS = (
    [f"1.{i}" for i in range(1, 8)]
    + [f"2.{i}" for i in range(1, 8)]
    + [f"3.{i}" for i in range(1, 5)]
    + [f"4.{i}" for i in range(1, 9)]
    + [f"5.{i}" for i in range(1, 6)]
    + [f"6.{i}" for i in range(1, 11)]
)


def seed_text() -> str:
    # The seed carries a Word editing artefact before item 4.5; it is not part of the text.
    return SEED.read_text(encoding="utf-8").replace("[bookmark: _GoBack]", "")


def test_41_items_in_the_standards_order(standard):
    assert [i for c in standard.categories for i in (it.id for it in c.items)] == EXPECTED_IDS
    assert [c.name for c in standard.categories] == [
        "组织管理",
        "硬件设施",
        "队伍建设",
        "风险管控",
        "应急处置",
        "科普宣教",
    ]


def test_every_item_text_is_verbatim_in_the_seed(standard):
    seed = seed_text()
    for item in standard.items.values():
        assert f"（{item.number}）{item.text}" in seed, item.id


def test_every_category_keeps_method_and_time(standard):
    seed = seed_text()
    for c in standard.categories:
        assert c.time == "9月"
        block = seed.split(f"\t{c.id}\n\t{c.name}\n", 1)[1]
        method_cell = block.split("\n\t", 2)[1]
        assert "\n".join(c.method) == method_cell.strip(), c.id


def numbers_in(text: str) -> set[float]:
    # A document number such as 沙减委〔2022〕1号 is a reference, not a requirement.
    text = re.sub(r"〔\d{4}〕\d+号", "", text)
    return {float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)}


def test_every_number_in_an_item_is_a_criterion_threshold(standard):
    for item in standard.items.values():
        thresholds = {k.threshold for k in item.criteria if k.threshold is not None}
        missing = numbers_in(item.text) - thresholds
        assert not missing, f"{item.id} 的数字 {missing} 没有对应的指标"


def test_periodic_criteria_keep_their_period(standard):
    expected = {
        "1.1.b": ("year", 2),
        "4.2.b": ("month", 1),
        "4.2.c": ("quarter", 1),
        "4.2.d": ("month", 1),
        "5.1.c": ("half", 1),
        "6.1.c": ("month", 4),
        "6.2.c": ("quarter", 1),
        "6.5.a": ("quarter", 1),
        "6.6.a": ("month", 10),
        "6.7.a": ("year", 2),
        "6.8.a": ("year", 1),
        "6.8.c": ("year", 2),
    }
    for cid, (period, threshold) in expected.items():
        k = standard.criteria[cid]
        assert (k.kind, k.period, k.threshold) == ("periodic", period, threshold), cid


def test_named_thresholds_from_the_issue(standard):
    c = standard.criteria
    assert (c["1.6.a"].threshold, c["1.6.a"].unit) == (1, "名")
    assert c["2.5.b"].threshold == 1 and c["2.5.c"].threshold == 1
    assert (c["2.5.d"].kind, c["2.5.d"].threshold, c["2.5.d"].denominator.profile) == (
        "ratio",
        1.5,
        "population",
    )
    assert (c["3.2.b"].threshold, c["3.2.b"].unit) == (10, "人")
    assert (c["4.3.b"].threshold, c["4.3.c"].threshold, c["4.3.b"].unit) == (100, 100, "%")
    assert c["4.5.a"].threshold == 80
    assert (c["6.1.d"].kind, c["6.1.d"].threshold) == ("per_event", 100)


def test_applicability_conditions(standard):
    assert standard.items["2.2"].applies_if.fact == "has_restaurants"
    assert standard.items["3.3"].applies_if.fact == "has_enterprise_cluster"
    # 6.2: the seed says “每个社区（村）” for the wall and for the notice board (issue 11 §4).
    assert all(standard.criteria[c].applies_if is None for c in ("6.2.a", "6.2.b", "6.2.c"))
    assert standard.criteria["2.5.a"].applies_if.fact == "has_property_estates"
    assert standard.criteria["4.2.c"].applies_if.fact == "has_hazchem_sites"


def test_every_reading_beyond_the_seed_is_labelled(standard):
    """Issue 11 §4: our own readings carry a `threshold_note`, shown on the category page."""
    notes = {
        cid: standard.criteria[cid].threshold_note
        for cid in ("2.5.d", "6.2.a", "6.2.b", "6.2.c", "2.2.a", "3.2.c")
    }
    assert all(notes.values()), notes
    # 2.2 (积极推动): the promotion is required, the rate is for information; 3.3 (鼓励) is 建议项.
    assert (
        not standard.items["2.2"].advisory
        and "积极推动" in standard.criteria["2.2.a"].threshold_note
    )
    assert standard.items["3.3"].advisory and "鼓励" in standard.items["3.3"].advisory
    assert standard.criteria["2.2.a"].info_only and not standard.criteria["2.2.b"].info_only


def test_evidence_names_the_criteria_it_proves(standard):
    """Issue 11 §5: documents for a conditional criterion are tied to it, so they follow its applicability."""
    for item in standard.items.values():
        assert len(item.evidence_proves) == len(item.evidence)
        ids = {k.id for k in item.criteria}
        assert all(set(p) <= ids for p in item.evidence_proves), item.id
    assert standard.items["2.5"].evidence_proves[0] == ("2.5.a",)
    assert standard.items["4.2"].evidence_proves[2] == ("4.2.c",)


def test_ids_are_strings_in_the_yaml():
    import yaml

    from tests.conftest import DATA_DIR

    raw = yaml.safe_load((DATA_DIR / "standard.yaml").read_text(encoding="utf-8"))
    ids = [it["id"] for c in raw["categories"] for it in c["items"]]
    assert all(isinstance(i, str) for i in ids)
    assert "6.10" in ids
