"""Property-based: any input gives a result or a typed, clear error; never a traceback."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcheck import api, exports
from selfcheck.datafiles import load_standard
from selfcheck.errors import SelfcheckError
from selfcheck.importer import import_document
from selfcheck.records import read_records
from selfcheck.scoring import ScoringRule, score_community
from tests.scoring_cases import NOW, base_doc, full_doc, rule_data

# Independent properties sharing nothing costly: spread over the workers (tests/conftest.py).
SPREAD_OVER_WORKERS = True

STANDARD = load_standard()
RULE = ScoringRule.from_dict(rule_data(), STANDARD)
STANDARD_JSON = json.dumps(
    __import__("tests.scoring_cases", fromlist=["x"]).standard_data(), ensure_ascii=False
)
SCORING_JSON = json.dumps(rule_data(), ensure_ascii=False)
EXPORT = exports.json_export(STANDARD, RULE, full_doc(STANDARD), now=NOW)
# max_examples comes from the hypothesis profile (tests/conftest.py: "dev" locally, "ci" in CI).
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["yes", "partly", "no", "社区", "村", "2024-07-01", "2024-02-30", "安全宣教"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
finite_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=10,
)
criterion_ids = st.sampled_from(sorted(STANDARD.criteria))
item_ids = st.sampled_from(sorted(STANDARD.items))


def assert_clear(error: SelfcheckError) -> None:
    message = str(error)
    assert message and "Traceback" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@st.composite
def mutated_answers(draw):
    doc = draw(st.sampled_from([base_doc(STANDARD), full_doc(STANDARD)]))
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(
            st.sampled_from(
                [
                    "answer",
                    "answer_key",
                    "profile",
                    "fact",
                    "record",
                    "evidence",
                    "note",
                    "top",
                    "window",
                ]
            )
        )
        value = draw(json_values)
        if where == "answer":
            doc["answers"][draw(criterion_ids)] = value
        elif where == "answer_key":
            cid = draw(criterion_ids)
            entry = doc["answers"].get(cid)
            entry = entry if isinstance(entry, dict) else {}
            entry[draw(st.sampled_from(["value", "count", "min", "numerator", "denominator"]))] = (
                value
            )
            doc["answers"][cid] = entry
        elif where == "profile":
            doc["profile"][
                draw(st.sampled_from(["town", "kind", "population", "facts", "site_name"]))
            ] = value
        elif where == "fact":
            if isinstance(doc["profile"].get("facts"), dict):
                doc["profile"]["facts"][draw(st.sampled_from(sorted(STANDARD.facts)))] = value
        elif where == "record":
            doc["records"].append(
                {
                    "date": draw(st.one_of(st.dates().map(str), st.text(max_size=10))),
                    "type": draw(st.sampled_from(["安全宣教", "应急演练", "x"])),
                    "people": value,
                    "note": "",
                }
            )
        elif where == "evidence":
            doc["evidence"][draw(item_ids)] = value
        elif where == "note":
            doc["notes"][draw(item_ids)] = value
        elif where == "window":
            doc["window"] = value
        else:
            doc[
                draw(
                    st.sampled_from(
                        ["format", "format_version", "standard_version", "answers", "records"]
                    )
                )
            ] = value
            break  # a replaced top-level container cannot be mutated further by the steps above
    return doc


@SETTINGS
@given(mutated_answers())
def test_scorer_gives_a_result_or_a_typed_error(doc):
    try:
        result = score_community(STANDARD, RULE, doc, now=NOW)
    except SelfcheckError as exc:
        assert_clear(exc)
        return
    assert 0 <= result["overall"]["score"] <= 100
    for c in result["categories"]:
        assert c["score"] is None or 0 <= c["score"] <= 100
    assert set(result["criteria"]) == set(STANDARD.criteria)
    json.dumps(result, allow_nan=False)


@SETTINGS
@given(st.one_of(st.text(max_size=200), json_values.map(lambda v: json.dumps(v))))
def test_api_score_on_any_text(text):
    try:
        json.loads(api.score(STANDARD_JSON, SCORING_JSON, text, NOW))
    except SelfcheckError as exc:
        assert_clear(exc)


@SETTINGS
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300), json_values.map(json.dumps)))
def test_importer_on_any_input(data):
    try:
        import_document(STANDARD, data, filename="x.json")
    except SelfcheckError as exc:
        assert_clear(exc)


@SETTINGS
@given(st.integers(0, len(EXPORT) - 1), st.characters(codec="utf-8"))
def test_one_changed_character_is_refused_or_harmless(position, char):
    text = EXPORT[:position] + char + EXPORT[position + 1 :]
    try:
        got = import_document(STANDARD, text, filename="x.json")
    except SelfcheckError as exc:
        assert_clear(exc)
        return
    # Accepted only if the content is unchanged (e.g. whitespace between tokens).
    assert exports.content_hash(json.loads(text)) == json.loads(EXPORT)["sha256"]
    assert got["answers"] == json.loads(EXPORT)["answers"]


@SETTINGS
@given(st.integers(0, len(EXPORT) - 2))
def test_any_truncation_is_refused(cut):
    with pytest.raises(SelfcheckError):
        import_document(STANDARD, EXPORT[:cut], filename="x.json")


@SETTINGS
@given(
    st.one_of(
        st.binary(max_size=300),
        st.lists(st.lists(st.text(max_size=8), max_size=4), max_size=6).map(
            lambda rows: "\n".join(",".join(r) for r in [["日期", "类型", "人数"]] + rows).encode(
                "utf-8"
            )
        ),
    )
)
def test_records_reader_on_any_bytes(data):
    try:
        records = read_records(data, "x.csv")
    except SelfcheckError as exc:
        assert_clear(exc)
        return
    for r in records:
        assert set(r) == {"date", "type", "people", "note"}


@SETTINGS
@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_ratio_judgement_matches_exact_arithmetic(num, den):
    num = min(num, den)
    doc = base_doc(STANDARD)
    doc["answers"]["4.5.a"] = {"numerator": num, "denominator": den}
    got = score_community(STANDARD, RULE, doc, now=NOW)["criteria"]["4.5.a"]
    assert (got["status"] == "met") == (Fraction(num * 100, den) >= 80)


@SETTINGS
@given(st.integers(0, 10**7), st.integers(1, 10**6))
def test_area_judgement_matches_exact_arithmetic(area, population):
    doc = base_doc(STANDARD)
    doc["profile"]["population"] = population
    doc["answers"]["2.5.d"] = {"numerator": area}
    got = score_community(STANDARD, RULE, doc, now=NOW)["criteria"]["2.5.d"]
    assert (got["status"] == "met") == (Fraction(area, population) >= Fraction(3, 2))


def assert_rehashed_export_is_handled(doc: dict) -> None:
    """Hash the edited export again, as a careful forger would: import refuses it with a clear
    message or reads it, and aggregate either ranks or refuses it, never crashing."""
    from selfcheck.aggregate import aggregate

    doc["sha256"] = exports.content_hash(doc)
    text = json.dumps(doc, ensure_ascii=False)
    try:
        import_document(STANDARD, text, filename="x.json")
    except SelfcheckError as exc:
        assert_clear(exc)
    summary = aggregate(STANDARD, RULE, [("x.json", text)], now=NOW)
    assert len(summary["communities"]) + len(summary["refused"]) == 1


@SETTINGS
@given(
    st.sampled_from(
        [
            "answers",
            "result",
            "standard",
            "exported_at",
            "standard_version",
            "tool_version",
            "scoring",
        ]
    ),
    finite_json,
)
def test_a_rehashed_crafted_export_is_handled(key, value):
    """Someone edits an export and recomputes the hash: import and aggregate still never crash."""
    doc = json.loads(EXPORT)
    doc[key] = value
    assert_rehashed_export_is_handled(doc)


NESTED = [
    ("answers", "answers"),
    ("answers", "evidence"),
    ("answers", "records"),
    ("answers", "profile"),
    ("answers", "notes"),
    ("standard", "criteria"),
    ("standard", "evidence"),
    ("result", "overall"),
    ("answers", "window"),
]


@SETTINGS
@given(st.sampled_from(NESTED), finite_json, st.booleans())
def test_a_rehashed_export_with_nested_edits_and_old_version_is_handled(path, value, old_version):
    doc = json.loads(EXPORT)
    doc[path[0]][path[1]] = value
    if old_version:
        doc["standard_version"] = doc["answers"]["standard_version"] = "2023.1"
    assert_rehashed_export_is_handled(doc)


# ---- the verdict (issue 11 §6) -------------------------------------------------------------


def _near(crit, draw):
    """An answer around the criterion's threshold: exactly at it, a little below, far below, or none."""
    t = crit.threshold
    if crit.kind == "boolean":
        return {"value": draw(st.sampled_from(["yes", "yes", "partly", "no"]))}
    if crit.kind == "ratio":
        den = draw(st.integers(1, 20000))
        scale = 100 if crit.unit == "%" else 1
        share = draw(st.sampled_from([1.0, 0.999, 0.9, 0.5, 0.0, 1.2]))
        num = round(min(t * den / scale * share, den if crit.unit == "%" else 10**9))
        answer = {"numerator": num}
        if crit.denominator.profile is None or draw(st.booleans()):
            answer["denominator"] = den
        return answer
    (key,) = crit.kind_spec.answer_keys
    value = draw(st.sampled_from([t, t, t + 1, max(t - 1, 0), 0]))
    return {key: int(value) if crit.kind_spec.integer else value}


@st.composite
def communities(draw):
    """Valid communities, mostly close to the top tier, so that the top tier is often at stake."""
    doc = full_doc(STANDARD)
    doc["profile"]["kind"] = draw(st.sampled_from(["社区", "村"]))
    doc["profile"]["population"] = draw(st.sampled_from([1000, 1000, 1000, None, 0, 999, 20000]))
    for fact in doc["profile"]["facts"]:
        doc["profile"]["facts"][fact] = draw(st.sampled_from([True, True, False, None]))
    for cid in draw(
        st.lists(criterion_ids, max_size=draw(st.sampled_from([0, 1, 2, 6])), unique=True)
    ):
        if draw(st.integers(0, 4)) == 0:
            doc["answers"].pop(cid, None)
        else:
            doc["answers"][cid] = _near(STANDARD.criteria[cid], draw)
    for iid in draw(st.lists(item_ids, max_size=4, unique=True)):
        n = len(STANDARD.items[iid].evidence)
        doc["evidence"][iid] = sorted(draw(st.sets(st.integers(0, n - 1), max_size=n)))
    return doc


@SETTINGS
@given(communities())
def test_the_top_tier_only_when_every_applicable_requirement_is_met(doc):
    result = score_community(STANDARD, RULE, doc, now=NOW)
    required = {iid: e for iid, e in result["items"].items() if not STANDARD.items[iid].advisory}
    not_done = sorted(
        iid for iid, e in required.items() if e["status"] not in ("met", "not_applicable")
    )
    assert (
        sorted(result["overall"]["not_met_items"] + result["overall"]["unanswered_items"])
        == not_done
    )
    if result["overall"]["level"] == RULE.readiness[0].level:
        for cid, c in result["criteria"].items():
            if not STANDARD.item_of(cid).advisory:
                assert c["status"] in ("met", "not_applicable", "info"), (cid, c["message"])
        assert not not_done
    else:
        failed, unanswered = (
            result["overall"]["not_met_items"],
            result["overall"]["unanswered_items"],
        )
        unmet = " ".join(result["overall"]["unmet"])
        if failed:
            assert f"尚未达标的条目 {len(failed)} 条" in unmet
        if unanswered:
            assert f"未填写的条目 {len(unanswered)} 条" in unmet


@SETTINGS
@given(communities())
def test_evidence_for_criteria_that_do_not_apply_is_never_demanded(doc):
    result = score_community(STANDARD, RULE, doc, now=NOW)
    for iid, entry in result["items"].items():
        item = STANDARD.items[iid]
        applicable = {
            c for c in entry["criteria"] if result["criteria"][c]["status"] != "not_applicable"
        }
        for n, e in enumerate(entry["evidence"]):
            assert e["applies"] == item.evidence_applies(n, applicable)
            if not e["applies"]:
                assert not any(
                    g["kind"] == "evidence"
                    and g["text"].endswith(e["text"])
                    and g["item_id"] == iid
                    for g in result["gaps"]
                )


@st.composite
def rules(draw):
    """Any scoring rule the data file may hold: weights, credit and thresholds all vary."""
    data = json.loads(json.dumps(rule_data()))
    data["credit"]["partly"] = draw(st.sampled_from([0, 0.5, 1]))
    data["evidence_weight"] = draw(st.sampled_from([0, 0.2, 1]))
    data["category_weights"] = [
        {"category": c.id, "weight": draw(st.integers(0, 5)) or 1} for c in STANDARD.categories
    ]
    top = data["readiness"][0]
    top["min_overall"] = draw(st.sampled_from([0, 50, 90]))
    top["min_category"] = draw(st.sampled_from([0, 80]))
    return ScoringRule.from_dict(data, STANDARD)


@SETTINGS
@given(communities(), rules())
def test_no_rule_the_data_file_accepts_gives_the_top_tier_with_a_requirement_missed(doc, rule):
    result = score_community(STANDARD, rule, doc, now=NOW)
    if result["overall"]["level"] == rule.readiness[0].level:
        for cid, c in result["criteria"].items():
            if not STANDARD.item_of(cid).advisory:
                assert c["status"] in ("met", "not_applicable", "info"), (cid, c["message"])
