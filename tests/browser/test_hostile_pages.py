"""The hostile corpus once through the 自评 page's import and the district roll-up in Chromium:
the page shows the very sentence the CLI prints, and nothing already entered changes."""

from __future__ import annotations

import json

from selfcheck.errors import ImportRefused
from selfcheck.importer import import_document
from tests import hostile_corpus as corpus
from tests.browser.test_selfcheck_page import fill, open_selfcheck, page_state, weak_community

# The page hands Python the file's bytes, so encoding faults are named as the CLI names them.
IMPORTS = [
    "gbk",
    "utf16-no-bom",
    "cut-in-char",
    "trailing-comma-end",
    "nan",
    "5000-digits",
    "deep",
    "duplicate-key",
    "site-esc",
    "site-rlo",
    "format-version-true",
    "format-version-future",
    "window-9999",
    "old-type-list",
    "stamp-missing",
]


def cli_sentence(name: str, data: bytes) -> str:
    try:
        import_document(corpus.STANDARD, data, filename=name)
    except ImportRefused as exc:
        return str(exc)
    raise AssertionError(f"{name} should be refused")


def test_import_of_hostile_files_shows_the_cli_sentence_and_changes_nothing(
    page, standard, tmp_path
):
    open_selfcheck(page)
    doc = weak_community(standard)
    fill(page, standard, doc)
    before = page_state(page)
    entries = dict(corpus.json_corpus())
    for name in IMPORTS:
        path = tmp_path / f"{name}.json"
        path.write_bytes(entries[name])
        page.set_input_files("#sc-import-file", str(path))
        page.wait_for_selector("#sc-io-message.sc-message--error")
        shown = page.inner_text("#sc-io-message")
        assert cli_sentence(path.name, entries[name]) in shown, (name, shown)
        assert page.input_value('[name="ans:3.2.b:value"]') == "9"
        assert page.eval_on_selector("#sc-draft-select", "s => s.options.length") == 1
        assert page_state(page) == before
        page.evaluate("document.querySelector('#sc-io-message').className = ''")
    assert page.console_errors == []


def test_roll_up_ranks_the_good_files_and_lists_each_hostile_one_with_the_cli_reason(
    page, tmp_path
):
    from selfcheck.aggregate import aggregate

    good = [
        ("01-甲社区.json", corpus.export_text(town="石井坡街道", site_name="甲社区").encode()),
        (
            "02-乙社区.json",
            corpus.export_text("boundaries", town="童家桥街道", site_name="乙社区").encode(),
        ),
    ]
    entries = dict(corpus.json_corpus())
    hostile = [(f"{name}.json", entries[name]) for name in IMPORTS]
    files = good + hostile
    for name, data in files:
        (tmp_path / name).write_bytes(data)
    expected = aggregate(corpus.STANDARD, corpus.RULE, files)
    page.goto("/district/rollup/")
    page.wait_for_selector('#sc-rollup[data-sc-mounted="1"]')
    page.set_input_files("#sc-rollup-files", [str(tmp_path / name) for name, _ in files])
    page.wait_for_function(
        f"() => document.getElementById('sc-rollup').dataset.done === '{len(files)}'",
        timeout=90_000,
    )
    sites = page.evaluate(
        "() => Array.from(document.querySelectorAll('.sc-rank-table tbody tr')).map((tr) => tr.dataset.site)"
    )
    assert sorted(sites) == ["乙社区", "甲社区"]
    reasons = {
        li.get_attribute("data-file"): li.inner_text() for li in page.locator(".sc-refused").all()
    }
    assert set(reasons) == {name for name, _ in hostile}
    for item in expected["refused"]:
        assert item["reason"] in reasons[item["file"]], json.dumps(
            [item, reasons[item["file"]]], ensure_ascii=False
        )
    assert page.console_errors == []
