"""Every XLSX and DOCX the site and the engine produce, printed: converted to PDF by LibreOffice headless.

Staff print these files. A row too low for its wrapped text prints with the text running into the
rows below (issue 11 §7), a sheet wider than the paper spills onto extra pages, and a repeated
header keeps a long table readable. Each PDF is checked for its page count, for every cell's text
being present whole, for lines printed over one another and for a readable printed size.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from riskmap import elements_xlsx
from selfcheck import exports
from selfcheck.aggregate import aggregate, aggregate_xlsx
from selfcheck.scoring import ScoringRule
from tests.browser.test_staff_plan import fill_everything
from tests.pdf_check import convert, missing_texts, overprinted, page_count, runs
from tests.scoring_cases import NOW, cases, full_doc, plan_data, rule_data
from tests.test_exports import gap_case
from tests.test_riskmap import good_doc as riskmap_doc

# Smallest printed size we accept, in points: fitting a wide sheet to the page width must not
# shrink its text below what can be read on paper.
MIN_SIZE = 6.0


def xlsx_texts(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    texts = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    texts.append(
                        exports.format_number(cell.value)
                        if isinstance(cell.value, float)
                        else str(cell.value)
                    )
    return texts


@pytest.fixture(scope="module")
def produced(tmp_path_factory, built_site, standard, browser, site_url):
    """The files, as the engine writes them and as the site serves or builds them in the browser."""
    from selfcheck.datafiles import DATA_DIR, load_validated
    from tests.browser.conftest import new_recorded_page

    out = tmp_path_factory.mktemp("print")
    rule = ScoringRule.from_dict(rule_data(), standard)
    files: dict[str, Path] = {}

    files["self"] = out / "self-assessment.xlsx"
    files["self"].write_bytes(
        exports.xlsx_export(standard, rule, plan_data(), gap_case(standard), now=NOW)
    )

    texts = [
        ("a.json", exports.json_export(standard, rule, doc, now=NOW))
        for _, doc in cases(standard)[:2]
    ]
    second = full_doc(standard)
    second["profile"].update(site_name="第二个示例社区", town="童家桥街道")
    texts.append(("b.json", exports.json_export(standard, rule, second, now=NOW)))
    texts.append(("broken.json", "{"))
    files["district"] = out / "district-ranking.xlsx"
    files["district"].write_bytes(
        aggregate_xlsx(aggregate(standard, rule, texts, now=NOW), plan_data())
    )

    files["ledger"] = out / "reserve-ledger.xlsx"
    files["ledger"].write_bytes(
        (built_site / "assets" / "downloads" / "reserve-ledger.xlsx").read_bytes()
    )

    files["riskmap"] = out / "risk-map-elements.xlsx"
    files["riskmap"].write_bytes(
        elements_xlsx(
            json.dumps(riskmap_doc(), ensure_ascii=False),
            load_validated(DATA_DIR / "risk_map.yaml"),
        )
    )

    context, page = new_recorded_page(browser, site_url)
    try:
        page.goto("/staff/plan-drafting/")
        fill_everything(page, load_validated(DATA_DIR / "plan_elements.yaml"))
        page.get_by_label("社区（村）名称").fill("磁器口社区")
        with page.expect_download() as info:
            page.get_by_role("button", name="下载 Word 文档（DOCX）").click()
        files["plan"] = out / "plan.docx"
        info.value.save_as(files["plan"])
    finally:
        context.close()

    pdfs = convert(list(files.values()), out / "pdf", out / "lo-profile")
    return {key: (path, pdfs[path]) for key, path in files.items()}


@pytest.mark.parametrize(
    "key, pages",
    [("self", (4, 14)), ("district", (2, 8)), ("ledger", (2, 12)), ("riskmap", (1, 2))],
)
def test_workbooks_print_whole_and_readable(produced, key, pages):
    source, pdf = produced[key]
    assert pages[0] <= page_count(pdf) <= pages[1], page_count(pdf)
    assert missing_texts(pdf, xlsx_texts(source)) == []
    assert overprinted(pdf) == []
    assert min(r.size for r in runs(pdf)) >= MIN_SIZE


def test_the_self_assessment_header_is_repeated_on_every_page_of_its_table(produced, standard):
    source, pdf = produced["self"]
    pages: dict[int, str] = {}
    for r in runs(pdf):
        pages[r.page] = pages.get(r.page, "") + r.text
    with_items = [
        n
        for n, text in pages.items()
        if any(f"（{i.number}）{i.text[:6]}" in text for i in standard.items.values())
    ]
    assert len(with_items) >= 2
    assert all("具体内容" in pages[n] and "考评方式" in pages[n] for n in with_items)


def test_the_plan_docx_prints_every_heading(produced):
    from docx import Document

    source, pdf = produced["plan"]
    doc = Document(str(source))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells if c.text.strip()]
    assert 1 <= page_count(pdf) <= 30
    assert missing_texts(pdf, texts) == []
    assert overprinted(pdf) == []
