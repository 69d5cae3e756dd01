"""Chinese search: Material's search with jieba (what the site ships) against Pagefind's extended
build, on the same built pages and the same query set (tests/search_queries.yaml).

    .venv/bin/pip install -e ".[bench]"   # pagefind[extended], pinned; only for this comparison
    .venv/bin/python benchmarks/search_compare.py [--site DIR]

Prints hit rates (a hit: an expected page among the first 10 results) and the index sizes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS  # noqa: E402
from tests.browser.test_search import QUERIES, search  # noqa: E402
from tests.conftest import serve_directory  # noqa: E402

PAGEFIND_QUERY = """async (q) => {
    window.__pf = window.__pf || await import('/pagefind/pagefind.js');
    const found = await window.__pf.search(q);
    const top = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    return top.map((d) => d.url);
}"""


def hit(results: list[str], pages: list[str]) -> bool:
    return any(r.startswith(p) for r in results[:10] for p in pages)


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.site, site)
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server, url = serve_directory(site)
        material_hits, pagefind_hits, misses = 0, 0, []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
            page = browser.new_page(base_url=url)
            page.goto("/")
            page.locator("input.md-search__input").click()
            for case in QUERIES:
                m = search(page, case["q"])
                f = [urlsplit(u).path.lstrip("/") for u in page.evaluate(PAGEFIND_QUERY, case["q"])]
                material_hits += hit(m, case["pages"])
                pagefind_hits += hit(f, case["pages"])
                if not (hit(m, case["pages"]) and hit(f, case["pages"])):
                    misses.append((case["q"], "Material" if not hit(m, case["pages"]) else "", "Pagefind" if not hit(f, case["pages"]) else ""))
            browser.close()
        server.shutdown()
        n = len(QUERIES)
        print(f"\n{n} 个查询，前 10 条结果中有应找到的页面即算命中\n")
        print("| 搜索 | 命中 | 命中率 | 索引大小 |")
        print("|---|---:|---:|---:|")
        print(f"| Material + jieba（本站使用） | {material_hits} | {material_hits / n:.0%} | {folder_bytes(site / 'search') / 1e3:.0f} KB |")
        print(f"| Pagefind extended | {pagefind_hits} | {pagefind_hits / n:.0%} | {folder_bytes(site / 'pagefind') / 1e3:.0f} KB（含界面） |")
        print("\n未命中：", misses)


if __name__ == "__main__":
    main()
