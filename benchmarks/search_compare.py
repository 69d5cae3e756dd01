"""Chinese search: Material's search with jieba (what the site ships) against Pagefind's extended
build, on the same built pages and the same query set (tests/search_queries.yaml), judged the same
way (tests/search_ranking.py): top-1 and top-3, one result per page, standing for its best section.

    .venv/bin/pip install -e ".[bench]"   # pagefind[extended], pinned; only for this comparison
    .venv/bin/python benchmarks/search_compare.py [--site DIR]

Pagefind runs twice: on the pages as built, and with the same index work Material gets from
macros/search_index.py (each section's keywords, colloquial words and glossary pointers added as
weighted text after its heading; the 自评/考评表/台账目录 sections that repeat the standard removed).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS  # noqa: E402
from tests.browser.test_search import load_search, search_all  # noqa: E402
from tests.conftest import serve_directory  # noqa: E402
from tests.search_ranking import QUERIES, address, report  # noqa: E402

# The page's result stands for its sub-result with the most matched words (ties: the first).
PAGEFIND_QUERY = """async ([q, bundle]) => {
    window.__pf = window.__pf || {};
    window.__pf[bundle] = window.__pf[bundle] || await import('/' + bundle + '/pagefind.js');
    const found = await window.__pf[bundle].search(q);
    const top = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    return top.map((d) => {
        let best = null;
        for (const s of d.sub_results || []) if (best === null || s.locations.length > best.locations.length) best = s;
        return best ? best.url : d.url;
    });
}"""
ZWSP = "\u200b"
WEIGHTS = {"keywords": 7, "see": 10, "also": 1}


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def page_file(site: Path, url: str) -> Path:
    return site / url / "index.html"


def same_index_work(site: Path) -> None:
    """Give Pagefind's copy of the pages what macros/search_index.py gave Material's index."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    kept = {e["location"]: e for e in index["docs"]}
    by_page: dict[str, list[str]] = {}
    for path in site.rglob("index.html"):
        url = path.parent.relative_to(site).as_posix()
        by_page[url + "/" if url != "." else ""] = []
    for url in by_page:
        f = page_file(site, url)
        html = f.read_text(encoding="utf-8")
        # Sections whose entries the index left out: drop them up to the next heading of level ≤ 2.
        for hid in re.findall(r'<h2[^>]*\bid="([^"]+)"', html):
            if f"{url}#{hid}" not in kept and any(
                k.startswith(url + "#") or k == url for k in kept
            ):
                html = re.sub(
                    rf'<h2[^>]*\bid="{re.escape(hid)}".*?(?=<h[12][ >]|</article>)',
                    "",
                    html,
                    flags=re.S,
                )
        for loc, entry in kept.items():
            if not loc.startswith(url) or loc.partition("#")[0] != url:
                continue
            anchor = loc.partition("#")[2]
            extra = "".join(
                f'<span data-pagefind-weight="{w}">{escape(entry[name].replace(ZWSP, " "))}</span>'
                for name, w in WEIGHTS.items()
                if entry.get(name)
            )
            if not extra:
                continue
            pattern = (
                rf'(<h[1-6][^>]*\bid="{re.escape(anchor)}"[^>]*>.*?</h[1-6]>)'
                if anchor
                else r"(<h1[^>]*>.*?</h1>)"
            )
            html = re.sub(
                pattern,
                lambda m, extra=extra: m.group(1) + f"<p>{extra}</p>",
                html,
                count=1,
                flags=re.S,
            )
        f.write_text(html, encoding="utf-8")


def run_pagefind(site: Path, out: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", out],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def line(name: str, rep: dict, size: str) -> str:
    n = rep["n"]
    return f"| {name} | {rep['top1']} ({rep['top1'] / n:.1%}) | {rep['top3']} ({rep['top3'] / n:.1%}) | {size} |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.site, site)
        run_pagefind(site, "pagefind")
        worked = Path(tmp) / "worked"
        shutil.copytree(args.site, worked)
        same_index_work(worked)
        run_pagefind(worked, "pagefind-worked")
        shutil.copytree(worked / "pagefind-worked", site / "pagefind-worked")
        server, url = serve_directory(site)
        ranked = {"material": [], "pagefind": [], "pagefind-worked": []}
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
            )
            page = browser.new_page(base_url=url)
            load_search(page)
            ranked["material"] = search_all(page, [case["q"] for case in QUERIES])
            for case in QUERIES:
                for bundle in ("pagefind", "pagefind-worked"):
                    ranked[bundle].append(
                        [address(u) for u in page.evaluate(PAGEFIND_QUERY, [case["q"], bundle])]
                    )
            browser.close()
        server.shutdown()
        reps = {k: report(QUERIES, v) for k, v in ranked.items()}
        print(
            f"\n{len(QUERIES)} 个查询；第 1 条 / 前 3 条命中（每页一条结果，代表该页得分最高的小节）\n"
        )
        print("| 搜索 | 第 1 条命中 | 前 3 条命中 | 索引大小 |")
        print("|---|---:|---:|---:|")
        print(
            line(
                "Material + jieba（本站使用，含索引加工）",
                reps["material"],
                f"{folder_bytes(site / 'search') / 1e3:.0f} KB",
            )
        )
        print(
            line(
                "Pagefind extended（页面原样）",
                reps["pagefind"],
                f"{folder_bytes(site / 'pagefind') / 1e3:.0f} KB（含界面）",
            )
        )
        print(
            line(
                "Pagefind extended（同样的索引加工）",
                reps["pagefind-worked"],
                f"{folder_bytes(site / 'pagefind-worked') / 1e3:.0f} KB（含界面）",
            )
        )
        for name, rep in reps.items():
            print(
                f"\n{name} 第 1 条未命中 {len(rep['misses1'])} 个：",
                *[m[0] for m in rep["misses1"]],
            )


if __name__ == "__main__":
    main()
