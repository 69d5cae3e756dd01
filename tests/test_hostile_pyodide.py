"""The hostile corpus inside real Pyodide (Node, offline): every entry gives the same outcome and
the same sentence as in CPython, and nothing else escapes. Fails, never skips, without Node."""

from __future__ import annotations

import base64
import json

import pytest

from selfcheck.datafiles import DATA_DIR, load_validated
from tests import hostile_corpus as corpus
from tests import pyodide_hostile_job
from tests.pyodide_node import run_job_module
from tests.scoring_cases import NOW, rule_data, standard_data


def entries() -> list[list[str]]:
    out = []
    good = corpus.export_text().encode()
    out.append(["json", "好.json", good])
    out += [["json", f"{n}.json", d] for n, d in corpus.json_corpus()]
    out += [["records", f"{n}.xlsx", d] for n, d in corpus.xlsx_corpus()]
    out += [["records", f"{n}.csv", d] for n, d in corpus.csv_corpus()]
    out += [
        ["map", n, d if isinstance(d, bytes) else d.encode("utf-8")] for n, d in corpus.map_corpus()
    ]
    return [[k, n, base64.b64encode(d).decode("ascii")] for k, n, d in out]


@pytest.fixture(scope="module")
def both(shipped_wheels, tmp_path_factory):
    text = json.dumps(
        {
            "standard": json.dumps(standard_data(), ensure_ascii=False),
            "scoring": json.dumps(rule_data(), ensure_ascii=False),
            "types": load_validated(DATA_DIR / "risk_map.yaml"),
            "now": NOW,
            "entries": entries(),
        },
        ensure_ascii=False,
    )
    got = run_job_module(
        shipped_wheels, pyodide_hostile_job, text, tmp_path_factory.mktemp("pyodide-hostile")
    )
    return json.loads(got["output"]), json.loads(pyodide_hostile_job.run(text))


def test_every_entry_gives_the_same_sentence_in_pyodide_as_in_cpython(both):
    in_browser, cpython = both
    assert in_browser["entries"] == cpython["entries"]
    outcomes = list(cpython["entries"].values())
    assert not [o for o in outcomes if o.startswith("BUG")]
    assert (
        outcomes.count("accepted") == 2
    )  # the good export, and the dimension bomb read within its caps
    assert cpython["entries"]["好.json"] == "accepted"


def test_the_roll_up_in_pyodide_ranks_the_good_file_and_lists_every_other(both):
    in_browser, cpython = both
    assert in_browser["aggregate"]["communities"] == cpython["aggregate"]["communities"]
    assert in_browser["aggregate"]["refused"] == cpython["aggregate"]["refused"]
    assert [r["file"] for r in in_browser["aggregate"]["communities"]] == ["好.json"]
    assert len(in_browser["aggregate"]["refused"]) == len(corpus.json_corpus())
