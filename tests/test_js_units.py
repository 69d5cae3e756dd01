"""Pure browser modules run in Node: the 自评 form ⇄ answers mapping (selfcheck/mapping.js)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

MAPPING = ROOT / "docs" / "assets" / "javascripts" / "selfcheck" / "mapping.js"

SCRIPT = """
import { readForm, writeForm, hasContent } from %s;
const f = (name, type, value, checked = false) => ({ name, type, value, checked });
const fields = () => [
  f("profile.site_name", "text", ""), f("profile.population", "number", ""),
  f("profile.kind", "radio", "社区"), f("profile.kind", "radio", "村"),
  f("fact:has_restaurants", "radio", "true"), f("fact:has_restaurants", "radio", "false"),
  f("window.start", "date", ""), f("window.end", "date", ""),
  f("ans:1.1.a", "radio", "yes"), f("ans:1.1.a", "radio", "no"),
  f("ans:3.2.b:value", "number", ""), f("ans:2.5.d:numerator", "number", ""),
  f("ev:1.1", "checkbox", "0"), f("ev:1.1", "checkbox", "1"),
  f("note:1.1", "textarea", ""), f("", "button", ""),
];
const blank = readForm(fields(), "2024.1", []);
const doc = {
  standard_version: "2024.1",
  profile: { site_name: "甲社区", population: 5000, kind: "村", facts: { has_restaurants: false } },
  window: { start: "2025-01-01", end: "2025-12-31" },
  answers: { "1.1.a": { value: "no" }, "3.2.b": { value: 9 }, "2.5.d": { numerator: 1.5 } },
  evidence: { "1.1": [1] }, notes: { "1.1": "名册" },
  records: [{ date: "2025-03-01", type: "演练", people: 3, note: "" }],
};
const form = fields();
writeForm(form, doc);
const back = readForm(form, "2024.1", doc.records);
const typed = fields();
typed[10].value = "abc";   // not a number: unanswered, never NaN
console.log(JSON.stringify({ blank, back, content: [hasContent(blank), hasContent(back)],
  typed: readForm(typed, "2024.1", []).answers["3.2.b"] }));
"""


@pytest.fixture(scope="module")
def run():
    node = shutil.which("node")
    if not node:
        pytest.fail("找不到 node：请运行 scripts/setup.sh。")
    out = subprocess.run(
        [node, "--input-type=module", "-e", SCRIPT % json.dumps(MAPPING.as_uri())],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_a_blank_form_is_an_unanswered_document(run):
    blank = run["blank"]
    assert blank["format"] == "selfcheck-answers" and blank["standard_version"] == "2024.1"
    assert blank["profile"]["kind"] is None and blank["profile"]["population"] is None
    assert blank["profile"]["facts"] == {"has_restaurants": None}
    assert blank["answers"] == {
        "1.1.a": {"value": None},
        "3.2.b": {"value": None},
        "2.5.d": {"numerator": None},
    }
    assert blank["evidence"] == {"1.1": []} and blank["notes"] == {} and "window" not in blank
    assert run["content"][0] is False


def test_a_document_written_to_the_form_reads_back_the_same(run):
    back = run["back"]
    assert back["profile"] == {
        "town": "",
        "site_name": "甲社区",
        "address": "",
        "kind": "村",
        "population": 5000,
        "facts": {"has_restaurants": False},
    }
    assert back["window"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert back["answers"] == {
        "1.1.a": {"value": "no"},
        "3.2.b": {"value": 9},
        "2.5.d": {"numerator": 1.5},
    }
    assert back["evidence"] == {"1.1": [1]} and back["notes"] == {"1.1": "名册"}
    assert back["records"][0]["type"] == "演练"
    assert run["content"][1] is True


def test_text_in_a_number_field_is_unanswered(run):
    assert run["typed"] == {"value": None}
