"""Handbook, supplies and 科普 pages as built: sources shown, honest gaps stated, printable."""

from __future__ import annotations

import yaml

from tests.browser.resident_helpers import a4_pdf, pdf_pages
from tests.conftest import DATA_DIR


def data(stem):
    return yaml.safe_load((DATA_DIR / f"{stem}.yaml").read_text(encoding="utf-8"))


def html(built_site, path):
    return (built_site / path / "index.html").read_text(encoding="utf-8")


def test_handbook_chapters_have_before_during_after_and_a_source(built_site):
    page = html(built_site, "residents/handbook")
    for c in data("handbook")["chapters"]:
        for suffix in ("", "-before", "-during", "-after"):
            assert f'id="{c["id"]}{suffix}"' in page, f"{c['id']}{suffix}"
        assert c["source"] in page
    assert 'id="fire-ebike"' in page
    # 12345 and 12350 are hotlines, kept apart from the emergency numbers (which stay 119/120/110/122).
    assert 'id="hotline-numbers"' in page and "12350" in page
    numbers = page.split('class="rs-numbers"', 1)[1].split("</div>", 1)[0]
    assert "12350" not in numbers and "12345" not in numbers


def test_supplies_page_says_what_is_not_available_and_marks_unverified(built_site):
    page = html(built_site, "residents/supplies")
    assert "沙减委〔2022〕1号" in page and "没有找到它的公开全文" in page
    assert "GB/T 36750—2025" in page and "拓展版" in page
    assert "未核实" in page
    for item in data("household_supplies")["items"]:
        assert item["name"] in page


def test_kepu_indexes_every_article_by_topic_and_key_date(built_site):
    page = html(built_site, "residents/kepu")
    a = data("articles")
    for art in a["articles"]:
        assert f'id="{art["id"]}"' in page and page.count(f'href="#{art["id"]}"') >= 2
    for d in a["key_dates"]:
        assert d["name"] in page and d["when"] in page


def test_handbook_prints_as_a_booklet_one_chapter_per_page_start(page, site_url):
    page.goto(f"{site_url}/residents/handbook/")
    pages = pdf_pages(a4_pdf(page))
    chapters = data("handbook")["chapters"]
    assert len(pages) >= len(chapters) + 1
    starts = [
        next(i for i, t in enumerate(pages) if f"{n} {c['title']}" in t.replace("\n", " "))
        for n, c in enumerate(chapters, 1)
    ]
    assert starts == sorted(starts) and len(set(starts)) == len(chapters)
    assert "打印整本手册" not in "".join(pages)


def test_one_kepu_article_prints_alone(page, site_url):
    page.goto(f"{site_url}/residents/kepu/")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("button[data-rs-print='article-gas-leak']")
    assert page.evaluate("window.__printed")
    text = "".join(pdf_pages(a4_pdf(page)))
    assert "闻到燃气味，先关阀门再开窗" in text and "来源" in text
    assert "电动自行车充电，记住" not in text and "按话题找" not in text
