"""The search index's data and build steps (macros/search_index.py, macros/search_worker_fix.py).

What a real search finds is tested in Chromium (tests/browser/test_search.py); these tests check
the generated jieba dictionary, the rules' error messages, the worker fix and the built index.
"""

from __future__ import annotations

import glob
import json
import shutil
from pathlib import Path

import pytest
import yaml

from macros import search_index
from macros.search_worker_fix import FIXES, WorkerFixError, fix_search_worker
from macros.site_data import load_all
from selfcheck.datafiles import load_validated
from selfcheck.errors import DataError
from tests.conftest import DATA_DIR, ROOT


@pytest.fixture(scope="module")
def site():
    return load_all(DATA_DIR)


def test_user_dictionary_is_generated_from_the_data(site, tmp_path):
    path = search_index.write_userdict(tmp_path, site)
    words = path.read_text(encoding="utf-8").split()
    # item titles, criterion subjects, the standard's quoted short names, handbook and article
    # headings, glossary terms and synonyms
    for w in [
        "微型消防站",
        "避难场所",
        "应急队伍人数",
        "九小场所",
        "一站多点",
        "屏栏牌",
        "坡坎崖",
        "燃气泄漏",
        "台账",
        "电瓶车",
        "电动自行车",
    ]:
        assert w in words, w
    assert all(2 <= len(w) <= search_index.MAX_WORD for w in words)
    assert not (DATA_DIR / "search_userdict.txt").exists(), "词典由数据生成，不再手工维护"


def test_mkdocs_writes_the_dictionary_before_the_search_plugin_reads_it():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert names.index("macros") < names.index("search"), "macros 的 on_config 要先写出词典"
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    assert Path(search["jieba_dict_user"]) == search_index.USERDICT


def test_every_item_has_keywords_from_its_criteria_and_short_names(site):
    terms = search_index.gather_terms(site)
    assert len(terms.item_words) == 41
    assert "一站多点" in terms.short_names["standard/3/#item-3-3"]
    assert any("应急队伍人数" in w for w in terms.item_words["standard/3/#item-3-2"])


def test_rule_naming_a_missing_section_stops_the_build(site):
    site.raw["search_index"] = {
        "exclude": [{"starts_with": "staff/nothing/#", "why": "x"}],
        "boost": [],
    }
    try:
        with pytest.raises(DataError) as exc:
            search_index.check_rules(site.raw["search_index"], ["", "staff/selfcheck/"])
    finally:
        site.raw["search_index"] = load_validated(DATA_DIR / "search_index.yaml")
    assert "search_index.yaml" in str(exc.value) and "staff/nothing/#" in str(exc.value)


def test_see_naming_a_missing_section_stops_the_build(site):
    terms = search_index.gather_terms(site)
    with pytest.raises(DataError) as exc:
        search_index.check_see(terms, ["", "standard/2/"])
    assert "search_synonyms.yaml" in str(exc.value) and "see" in str(exc.value)


def test_synonyms_schema_refuses_unknown_fields(tmp_path):
    data = yaml.safe_load((DATA_DIR / "search_synonyms.yaml").read_text(encoding="utf-8"))
    data["synonyms"][0]["weight"] = 3
    bad = tmp_path / "search_synonyms.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_validated(bad, DATA_DIR / "schema" / "search_synonyms.schema.json")
    assert "search_synonyms.yaml" in str(exc.value)


def test_nav_trails_name_the_sections():
    nav = [
        {"首页": "index.md"},
        {"建设标准": ["standard/index.md", {"2 硬件设施": "standard/2.md"}]},
    ]
    trails = search_index.nav_trails(nav)
    assert trails["standard/2/"] == ("建设标准", "2 硬件设施")
    assert trails["standard/"] == ("建设标准",)
    assert trails[""] == ("首页",)


def test_improved_entries(site, tmp_path):
    import jieba

    jieba.load_userdict(str(search_index.write_userdict(tmp_path, site)))
    entries = [
        {"location": "", "title": "首页", "text": ""},
        {"location": "standard/2/", "title": "2. 硬件设施", "text": "考评方式"},
        {
            "location": "standard/2/#item-2-5",
            "title": "2.5 微型消防站、避难场所与储备点",
            "text": "应急避难场所，燃气",
        },
        {
            "location": "staff/selfcheck/#sc-cat-title-2",
            "title": "2. 硬件设施",
            "text": "微型消防站",
        },
        {
            "location": "district/evaluation-form/#eval-2",
            "title": "2. 硬件设施",
            "text": "微型消防站",
        },
        {"location": "staff/archive/#folder-2", "title": "2 硬件设施", "text": "微型消防站"},
    ]
    rules = {
        "exclude": [r for r in site.raw["search_index"]["exclude"]],
        "boost": [{"location": "standard/2/", "boost": 0.2, "why": "x"}],
    }
    site.raw["search_index"], saved = rules, site.raw["search_index"]
    saved_see = site.raw["search_synonyms"]
    site.raw["search_synonyms"] = {
        **saved_see,
        "glossary": [],
        "synonyms": [s for s in saved_see["synonyms"] if "see" not in s],
    }
    try:
        nav = [
            {"首页": "index.md"},
            {"建设标准": ["standard/index.md", {"2 硬件设施": "standard/2.md"}]},
        ]
        out = search_index.improve_entries(entries, site, nav, tmp_path, jieba)
    finally:
        site.raw["search_index"], site.raw["search_synonyms"] = saved, saved_see
    by = {e["location"]: e for e in out}
    assert set(by) == {"", "standard/2/", "standard/2/#item-2-5"}  # the repeated sections are gone
    item = by["standard/2/#item-2-5"]
    assert item["title"].startswith(
        '<span class="sc-where" data-where="建设标准 › 2 硬件设施 ›"></span>'
    )
    keywords = item["keywords"].split(search_index.ZWSP)
    assert {"微型消防站", "消防站"} <= set(keywords)
    # 消防 begins 消防站: the browser's 消防* finds it there, and would count it twice
    assert "消防" not in keywords and len(keywords) == len(set(keywords))
    assert "避难所" in keywords  # a synonym of the title's 避难场所
    assert "煤气" in item["also"].split(search_index.ZWSP)  # a synonym of the text's 燃气
    assert by["standard/2/"]["boost"] == 0.2
    assert "消" in by[""]["chars"].split(search_index.ZWSP)


def test_keywords_hold_each_word_once_and_no_word_that_begins_another():
    words = ["应急", "应急预案", "演练", "应急演练", "应急预案", "预案", "演"]
    assert search_index.distinct_words(words) == ["应急预案", "演练", "应急演练", "预案"]


def test_a_chapter_holds_its_sections_words(site, tmp_path):
    """A chapter (h2) with sections (h3) gets their text in `within`: 余震 is in 地震's 事后."""
    import jieba

    page = tmp_path / "residents" / "handbook" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<h1 id="top">手册</h1><h2 id="earthquake">5 地震</h2><h3 id="earthquake-after">事后</h3>'
        '<h2 id="heat">9 高温</h2>',
        encoding="utf-8",
    )
    entries = [
        {"location": "", "title": "首页", "text": ""},
        {"location": "residents/handbook/", "title": "手册", "text": ""},
        {"location": "residents/handbook/#earthquake", "title": "5 地震", "text": "记住"},
        {
            "location": "residents/handbook/#earthquake-after",
            "title": "事后",
            "text": "小心\u200b余震",
        },
        {"location": "residents/handbook/#heat", "title": "9 高温", "text": "多喝水"},
    ]
    saved = site.raw["search_index"], site.raw["search_synonyms"]
    site.raw["search_index"] = {}
    site.raw["search_synonyms"] = {"synonyms": [], "glossary": [], "question_words": []}
    try:
        out = search_index.improve_entries(entries, site, [], tmp_path, jieba)
    finally:
        site.raw["search_index"], site.raw["search_synonyms"] = saved
    by = {e["location"]: e for e in out}
    assert by["residents/handbook/#earthquake"]["within"] == "小心\u200b余震"
    assert "within" not in by["residents/handbook/#heat"]
    assert "within" in search_index.EXTRA_FIELDS


def material_worker() -> Path:
    import material

    found = glob.glob(
        str(Path(material.__file__).parent / "templates/assets/javascripts/workers/search.*.min.js")
    )
    assert len(found) == 1
    return Path(found[0])


def test_worker_fix_applies_to_materials_worker_once(tmp_path):
    workers = tmp_path / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True)
    shutil.copy2(material_worker(), workers)
    path = fix_search_worker(tmp_path)
    code = path.read_text(encoding="utf-8")
    for before, after, _ in FIXES:
        assert before not in code and code.count(after) == 1
    assert (
        fix_search_worker(tmp_path).read_text(encoding="utf-8") == code
    )  # a rebuild changes nothing


def test_worker_fix_stops_the_build_when_materials_code_changed(tmp_path):
    workers = tmp_path / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True)
    (workers / "search.00000000.min.js").write_text("function fe(t,e){}", encoding="utf-8")
    with pytest.raises(WorkerFixError) as exc:
        fix_search_worker(tmp_path)
    assert "Material" in str(exc.value) and "search_worker_fix.py" in str(exc.value)


def test_built_index_has_every_item_and_none_of_the_repeated_sections(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"] for d in index["docs"]}
    items = {
        f"standard/{c}/#item-{c}-{n}"
        for c, n in [(i.split(".")[0], i.split(".")[1]) for i in load_all(DATA_DIR).standard.items]
    }
    assert len(items) == 41 and items <= locations
    assert not any(
        loc.startswith(
            (
                "staff/selfcheck/#sc-cat-title-",
                "district/evaluation-form/#eval-",
                "staff/archive/#folder-",
            )
        )
        for loc in locations
    )
    assert {"keywords", "also", "see", "chars"} <= set(index["config"]["fields"])
    worker = next((built_site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert all(after in worker.read_text(encoding="utf-8") for _, after, _ in FIXES)
