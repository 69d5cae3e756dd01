"""Fixes to Material's search worker for Chinese queries, applied to the built copy.

Material cuts a Chinese query into words it finds in the index (`segment` in
src/templates/assets/javascripts/integrations/search/query/segment/index.ts). Three slips there
and the way prefix matches are weighed decide most Chinese searches (measured on
tests/search_queries.yaml, see benchmarks/search_compare.py):

1. It never tries a word that ends at the query's last character (`j < query.length`), so a query
   loses its last character: "台账" is searched as "台*", "应急包" as "应急*", "避难所" as
   "避难*". And it stops after the second-to-last character (`q < query.length - 1`).
2. It joins the words with "* " and the query parser adds another "*", so "消防**" never counts
   as a matched word when Material weighs how many of the query's words a result holds; and it
   leaves the words glued to digits and Latin letters next to them ("打120怎么说" is one term).
3. It keeps one-character words of a longer query (the alternatives it tries where two words
   overlap): "应*" then matches every word that starts with 应.
4. Every word is matched only as a prefix, so an entry whose word merely begins with the typed
   one counts as much as an entry holding the word itself, and a rare longer word (地震后) even
   more, by its rarity. Each word is now also searched exact, with EXACT_BOOST (lunr adds the two
   clauses' weights on the word itself).

The fixes change four expressions of the minified worker. Each must be found exactly once: when
Material's code changes, the build stops and says so, instead of shipping an unfixed worker.
"""

from __future__ import annotations

from pathlib import Path

from selfcheck.errors import SelfcheckError

# How much more a word of an entry counts when it is the typed word itself than when it only begins
# with it (lunr adds the exact clause's weight to the wildcard's on that word).
EXACT_BOOST = 2

FIXES = [
    # (what Material ships, what we ship instead, why)
    (
        "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
        "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
        "a word may end at the query's last character",
    ),
    (
        "n[a]&&a<t.length-1&&(i[s++]=a)",
        "n[a]&&a<t.length&&(i[s++]=a)",
        "keep cutting up to the last character",
    ),
    (
        'return r.has("")?new Set([t]):r}',
        'return r.has("")?new Set([t]):[...r].some(x=>x.length>1)?new Set([...r].filter(x=>x.length>1)):r}',
        "no single characters when the query has longer words: 应* would match every word with 应",
    ),
    (
        '[...fe(s,this.index.invertedIndex)].join("* ")',
        f'" "+[...fe(s,this.index.invertedIndex)].map(w=>w+"^{EXACT_BOOST} "+w).join(" ")+" "',
        "one wildcard per word, so matched words are counted; Chinese apart from digits (打120);"
        " and the word itself, exact, weighted EXACT_BOOST: 地震 typed finds the entries about 地震 before"
        " those whose only match is a longer word that begins with it (地震局, 地震后)",
    ),
]


class WorkerFixError(SelfcheckError):
    pass


def fix_search_worker(site_dir: str | Path) -> Path:
    """Patch `assets/javascripts/workers/search.*.min.js` in the built site; return its path."""
    workers = sorted(
        (Path(site_dir) / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    )
    if len(workers) != 1:
        raise WorkerFixError(
            f"搜索：在 site/assets/javascripts/workers/ 里找到 {len(workers)} 个 search.*.min.js，应为 1 个。"
        )
    path = workers[0]
    code = path.read_text(encoding="utf-8")
    for before, after, why in FIXES:
        if code.count(after) == 1 and code.count(before) == 0:
            continue  # already fixed (a rebuild into the same site/)
        if code.count(before) != 1:
            raise WorkerFixError(
                f"搜索：Material 的搜索程序（{path.name}）里找不到要修正的代码（{why}）。"
                "Material 升级后请对照 macros/search_worker_fix.py 重新核对。"
            )
        code = code.replace(before, after)
    path.write_text(code, encoding="utf-8")
    return path
