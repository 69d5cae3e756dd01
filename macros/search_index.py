"""Search: the jieba user dictionary and the extra fields of Material's search index, from data.

Material's search plugin (lunr in the browser) indexes every heading section as an entry with a
`title` (boost 1000) and a `text` (boost 1). The browser cuts a Chinese query into words it finds in
the index and matches each as a prefix (`消防*`). This module adds, per entry:

- `keywords` (boost KEYWORD_BOOST): the search-mode words of the entry's title (`微型消防站` also
  gives 微型, 消防, 消防站), for items also their criterion subjects and the standard's quoted short
  names (九小场所, 一站多点, 屏栏牌); and the colloquial words of `data/search_synonyms.yaml` whose
  meaning is in the title;
- `also` (boost 1): the colloquial words whose meaning is only in the entry's text, as often as it is;
- `see` (boost SEE_BOOST): the words a synonym or glossary entry points at this entry with `see`;
- `within` (boost 1, like the text): for a chapter (h2) with sections (h3…), its sections' text.
  Material gives each heading its own entry, so a handbook chapter's entry held only its one-line
  summary: "地震后余震" found the 科普 article, whose one entry holds all its text, before the
  chapter whose 余震 sits in its section "事后";
- a "where" line in the title ("建设标准 › 2 硬件设施 ›"), written in an attribute that the index
  does not read and `search.css` shows, so a resident can tell a requirement from a tool.

It leaves out the sections that only repeat the standard (`data/search_index.yaml`), and sets the
boosts listed there. The browser code is Material's own; only the index changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from macros import site_data
from selfcheck.errors import DataError

SYNONYMS = "search_synonyms"
RULES = "search_index"
SEARCH_PLUGIN = "material/search"
USERDICT = Path(".cache") / "search" / "userdict.txt"  # mkdocs.yml: search.jieba_dict_user

KEYWORD_BOOST = 1000.0
SEE_BOOST = 2000.0
CHAR_BOOST = 0.1
EXTRA_FIELDS = {
    "keywords": {"boost": KEYWORD_BOOST},
    "also": {"boost": 1.0},
    "within": {"boost": 1.0},
    "see": {"boost": SEE_BOOST},
    "chars": {"boost": CHAR_BOOST},
}

ZWSP = "\u200b"
HAN = re.compile(r"[\u3400-\u9fff]+")
WORD = re.compile(r"[0-9A-Za-z\u3400-\u9fff]*[\u3400-\u9fff][0-9A-Za-z\u3400-\u9fff]*")
COMMON_CHARACTERS = 4000  # the most frequent single-character words of jieba's dictionary
# Conjunctions and punctuation inside titles and criterion subjects: the parts between are words.
PHRASE_BREAK = re.compile(r"[^\u3400-\u9fff]+|[与和及的、]")
MIN_WORD, MAX_WORD = 2, 6  # longer compounds would hide their tails from prefix matching
TITLE_BREAK = re.compile(
    r"[\s\u3000\-、。，．？！；：“”（）《》]+"
)  # mkdocs.yml's search separator
QUOTED = re.compile(r"“([\u3400-\u9fff]{2,8})”")
MAX_ALSO_REPEAT = 3
HEADING = re.compile(r'<h([1-6])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
TAG = re.compile(r"<[^>]+>")


# ---- the jieba user dictionary --------------------------------------------------------------


def phrase_words(phrase: str) -> list[str]:
    """'微型消防站、避难场所与储备点' → ['微型消防站', '避难场所', '储备点']."""
    return [w for w in PHRASE_BREAK.split(phrase) if MIN_WORD <= len(w) <= MAX_WORD]


def userdict_words(site) -> list[str]:
    """Every domain word the data names: item titles, criterion subjects, quoted short names,
    handbook headings, glossary terms and synonyms; sorted, without repeats. A 科普 article's title
    is a sentence ("地震来了：伏地、遮挡、手抓牢"), not a term: as a word of its own, "地震来了" would
    draw the query 地震 (matched as 地震*) to the article with the weight of a rare word."""
    words: set[str] = set()
    for item in site.standard.items.values():
        words.update(phrase_words(item.title))
        words.update(w for w in QUOTED.findall(item.text) if len(w) <= MAX_WORD)
        for k in item.criteria:
            words.update(phrase_words(k.subject))
    handbook = site.raw.get("handbook", {})
    for chapter in handbook.get("chapters", []):
        words.update(phrase_words(chapter["title"]))
        for topic in chapter.get("topics", []):
            words.update(phrase_words(topic["title"]))
    data = site.raw.get(SYNONYMS, {})
    for entry in data.get("glossary", []):
        words.update(phrase_words(entry["term"]))
    for entry in data.get("synonyms", []):
        for w in [*entry["words"], *entry["means"]]:
            words.update(phrase_words(w))
    return sorted(words)


def write_userdict(project_dir: Path, site) -> Path:
    """Write the dictionary where mkdocs.yml's `jieba_dict_user` reads it. Runs in macros'
    on_config, which comes before the search plugin's (macros is listed first in mkdocs.yml)."""
    path = project_dir / USERDICT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{w}\n" for w in userdict_words(site)), encoding="utf-8")
    return path


# ---- where each page sits in the navigation -------------------------------------------------


def page_url(doc_path: str) -> str:
    """'standard/2.md' → 'standard/2/', 'residents/index.md' → 'residents/', 'index.md' → ''."""
    stem = doc_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


def nav_trails(nav, trail: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """{page url: (nav section titles…, the page's own nav title)} from mkdocs.yml's `nav`."""
    out: dict[str, tuple[str, ...]] = {}
    for entry in nav or []:
        if isinstance(entry, str):  # a section's index page: the section's title is its title
            out[page_url(entry)] = trail
            continue
        for title, value in entry.items():
            if isinstance(value, str):
                out[page_url(value)] = (*trail, title)
            else:
                out.update(nav_trails(value, (*trail, title)))
    return out


# ---- the index ------------------------------------------------------------------------------


@dataclass
class Terms:
    """What this module adds to the entries, gathered from the data once per build."""

    item_words: dict[str, list[str]] = field(default_factory=dict)  # "standard/2/#item-2-5" → words
    short_names: dict[str, list[str]] = field(default_factory=dict)  # the item's “九小场所” …
    names: dict[str, list[str]] = field(default_factory=dict)  # the item's title, in whole parts
    synonyms: list[dict] = field(default_factory=list)
    see: dict[str, list[str]] = field(default_factory=dict)  # location → words pointing at it
    ignore_in_titles: list[str] = field(default_factory=list)


def item_location(item) -> str:
    return f"standard/{item.category_id}/#item-{item.id.replace('.', '-')}"


def gather_terms(site) -> Terms:
    data = site.raw.get(SYNONYMS, {})
    terms = Terms(
        synonyms=data.get("synonyms", []), ignore_in_titles=data.get("question_words", [])
    )
    for item in site.standard.items.values():
        # The standard's quoted short names ("一站多点") stay whole: their parts (多点) would
        # answer unrelated questions ("多少").
        terms.short_names[item_location(item)] = QUOTED.findall(item.text)
        words = []
        for k in item.criteria:
            words.extend([*phrase_words(k.subject), k.subject, k.label])
        terms.item_words[item_location(item)] = words
        # An item's title is its name: typed whole, it finds the item first. The parts between
        # punctuation stay single words (the index and the query both split at punctuation).
        terms.names[item_location(item)] = [
            w for w in TITLE_BREAK.split(item.title) if WORD.fullmatch(w)
        ]
    # A `see` lists the best entry first: it gets the words twice, to win a tie.
    for entry in data.get("synonyms", []):
        for n, loc in enumerate(entry.get("see", [])):
            terms.see.setdefault(loc, []).extend(entry["words"] * (2 if n == 0 else 1))
    for entry in data.get("glossary", []):
        for n, loc in enumerate(entry.get("see", [])):
            terms.see.setdefault(loc, []).extend([entry["term"]] * (2 if n == 0 else 1))
    return terms


def plain(segmented: str) -> str:
    """An index title or text without jieba's word breaks and markup."""
    return TAG.sub("", segmented.replace(ZWSP, ""))


def search_words(jieba, phrase: str) -> list[str]:
    """The phrase in jieba's search mode (the whole words and the shorter words inside them), and
    the phrase itself when it is one short word ("30号文")."""
    words = [w for w in jieba.cut_for_search(phrase) if WORD.fullmatch(w)]
    if len(phrase) <= MAX_WORD and WORD.fullmatch(phrase) and phrase not in words:
        words.append(phrase)
    return words


def distinct_words(words: list[str]) -> list[str]:
    """Each word once, and no word that begins another word of the list: the browser matches a
    typed word as the start of longer words (消防*), so 消防 next to 消防站 would count the same
    match twice, and an entry listing many compounds of one word (应急预案, 应急演练, 应急队伍 …)
    would outrank the entry about the thing typed (应急包)."""
    unique = list(dict.fromkeys(words))
    return [w for w in unique if not any(o != w and o.startswith(w) for o in unique)]


def join_words(words: list[str]) -> str:
    return ZWSP.join(words)


def glue_question_words(title: str, words: list[str]) -> str:
    """'数量是怎么算的' is not an answer to every "怎么…" question: join such words to their
    neighbours in the title (the zero-width breaks only), so that they are no word of the title."""
    for w in words:
        title = (
            title.replace(f"{ZWSP}{w}{ZWSP}", w).replace(f"{ZWSP}{w}", w).replace(f"{w}{ZWSP}", w)
        )
    return title


def heading_levels(site_dir: Path, url: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the headings of a built page, in order."""
    page = site_dir / url / "index.html"
    if not page.exists():
        return []
    html = page.read_text(encoding="utf-8")
    return [(int(lv), hid, TAG.sub("", text).strip()) for lv, hid, text in HEADING.findall(html)]


def chapter_of(levels: list[tuple[int, str, str]]) -> dict[str, tuple[str, str]]:
    """{h3+ id: (id, text) of the h2 above it} — 'earthquake-during' → ('earthquake', '5 地震')."""
    out: dict[str, tuple[str, str]] = {}
    current = None
    for level, hid, text in levels:
        if level == 2:
            current = (hid, text)
        elif level > 2 and current:
            out[hid] = current
    return out


def where_markup(trail: tuple[str, ...]) -> str:
    if not trail:
        return ""
    return f'<span class="sc-where" data-where="{escape(" › ".join(trail), quote=True)} ›"></span>'


def matches_rule(location: str, rule: dict) -> bool:
    if "location" in rule:
        return location == rule["location"]
    return location.startswith(rule["starts_with"])


def check_rules(rules: dict, locations: list[str]) -> None:
    """A rule that matches no entry names a page or section that no longer exists."""
    for group in ("exclude", "boost"):
        for i, rule in enumerate(rules.get(group, []), 1):
            if not any(matches_rule(loc, rule) for loc in locations):
                where = rule.get("location", rule.get("starts_with"))
                raise DataError(
                    f"{RULES}.yaml",
                    f"{group} 第 {i} 条",
                    "location",
                    f"搜索索引里没有“{where}”：页面或小节改了名，请改成现在的地址。",
                )


def check_see(terms: Terms, locations: list[str]) -> None:
    for loc in terms.see:
        if loc not in locations:
            raise DataError(
                f"{SYNONYMS}.yaml",
                f"指向“{loc}”的条目",
                "see",
                f"搜索索引里没有“{loc}”：请写成现在的页面地址（如 standard/2/#item-2-5）。",
            )


def improve_entries(entries: list[dict], site, nav, site_dir: Path, jieba) -> list[dict]:
    """The index entries with the repeated sections left out and the fields above added."""
    rules = site.raw.get(RULES, {})
    terms = gather_terms(site)
    locations = [e["location"] for e in entries]
    check_rules(rules, locations)
    check_see(terms, locations)
    trails = nav_trails(nav)
    chapters: dict[str, dict[str, tuple[str, str]]] = {}
    within: dict[str, list[str]] = {}  # a chapter's location → its sections' texts

    kept = []
    for entry in entries:
        loc = entry["location"]
        if any(matches_rule(loc, r) for r in rules.get("exclude", [])):
            continue
        url, _, anchor = loc.partition("#")
        title = plain(entry["title"])
        text = plain(entry["text"])

        keywords = search_words(jieba, title)
        for w in terms.item_words.get(loc, []):
            keywords.extend(search_words(jieba, w))
        keywords.extend(terms.short_names.get(loc, []))
        also: list[str] = []
        for syn in terms.synonyms:
            if any(m in title for m in syn["means"]):
                keywords.extend(syn["words"])
            else:
                count = sum(text.count(m) for m in syn["means"])
                also.extend(syn["words"] * min(count, MAX_ALSO_REPEAT))
        trail = trails.get(url, ())
        parent = None
        if anchor:
            if url not in chapters:
                chapters[url] = chapter_of(heading_levels(site_dir, url))
            chapter = chapters[url].get(anchor)
            if chapter:
                chapter_id, chapter_title = chapter
                keywords.extend(search_words(jieba, chapter_title))
                trail = (*trail, chapter_title)
                parent = f"{url}#{chapter_id}"
        elif trail:
            trail = trail[:-1]  # a page's own title is the result's heading already

        entry["title"] = where_markup(trail) + glue_question_words(
            entry["title"], terms.ignore_in_titles
        )
        entry["text"] = glue_question_words(entry["text"], terms.ignore_in_titles)
        if parent:
            within.setdefault(parent, []).append(entry["text"])
        # The item's name parts join after the pruning: "应急预案与应急演练" must not take the place
        # of 应急预案, which the browser weighs more when typed whole.
        keywords = distinct_words([w for w in keywords if w not in terms.ignore_in_titles])
        keywords.extend(w for w in terms.names.get(loc, []) if w not in keywords)
        entry["keywords"] = join_words(keywords)
        if also:
            entry["also"] = join_words(also)
        # Whole words only: a part of a pointed word (在线 of 企业在线率) must not get its weight.
        see = terms.see.get(loc, [])
        if see:
            entry["see"] = join_words(see)
        for rule in rules.get("boost", []):
            if matches_rule(loc, rule):
                entry["boost"] = rule["boost"]
        kept.append(entry)
    for entry in kept:
        if entry["location"] in within:
            entry["within"] = ZWSP.join(within[entry["location"]])
    add_every_character(kept)
    return kept


def add_every_character(entries: list[dict]) -> None:
    """Material's browser code cuts a query only at words that are in the index and stops at the
    first character that is none: "楼里着火" finds nothing if 楼 is no word of any entry, and
    "一年搞几次演练" stops before 演练 if 搞 is none. Every character of the site and the commonest
    ones of jieba's dictionary become words of the home page's `chars` field, whose boost is too
    small to move any ranking. (Question words stay out: a query "备多少水" must not end on the home page.)"""
    import jieba

    jieba.initialize()
    singles = sorted(
        ((f, w) for w, f in jieba.dt.FREQ.items() if f > 0 and len(w) == 1 and HAN.fullmatch(w)),
        reverse=True,
    )
    every: set[str] = {w for _, w in singles[:COMMON_CHARACTERS]}
    for e in entries:
        every |= set("".join(HAN.findall(plain(e["title"]) + plain(e["text"]))))
    home = next((e for e in entries if e["location"] == ""), None)
    if home is not None:
        home["chars"] = join_words(sorted(every))


def rewrite_index(config, site) -> None:
    """Improve the search plugin's entries in place and write the index file now, so that the
    offline copy (written next) lists it; the search plugin writes the same bytes again after."""
    plugin = config["plugins"].get(SEARCH_PLUGIN)
    if plugin is None or not plugin.config.enabled:
        return
    import jieba

    index = plugin.search_index
    index.entries = improve_entries(
        index.entries, site, config["nav"], Path(config["site_dir"]), jieba
    )
    for name, spec in EXTRA_FIELDS.items():
        index.config["fields"].setdefault(name, spec)
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(index.generate_search_index(plugin.search_index_prev), encoding="utf-8")


def register(env, site) -> None:
    write_userdict(site_data.project_dir_of(env.conf), site)
