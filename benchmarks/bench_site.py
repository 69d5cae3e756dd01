"""Page weight and load times (home page, self-assessment), and build time against plain Material.

    .venv/bin/python benchmarks/bench_site.py [--site DIR] [--runs N]

Prints Markdown tables; asserts nothing (timings belong here, never in tests).

- Page figures: the built site served by Debian's nginx with deploy/nginx/anquan-site.conf (gzip,
  as on the intranet; Python's http.server if nginx is missing), a fresh Chromium context per run
  (cold cache), service worker blocked so that only the page itself is measured; then a warm reload.
  Bytes are what crossed the wire (compressed bodies, headers excluded), the Python worker's
  downloads included. The self-assessment is `staff/selfcheck/` once it exists; until then the home
  page plus starting Python (`SC.py.ready()`), which is what the self-assessment waits for.
- Build: `mkdocs build --strict` of this project (macros, data, wheels, Pyodide copy, sw.js) versus
  a plain Material build of the same `docs/` (theme material + search only; macro calls stay text).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS  # noqa: E402
from tests.conftest import serve_directory  # noqa: E402

PLAIN_CONFIG = """site_name: baseline
docs_dir: {docs}
site_dir: {out}
theme:
  name: material
  language: zh
  font: false
plugins:
  - search
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - def_list
  - pymdownx.details
  - pymdownx.superfences
"""


def timed_build(args: list[str], cwd: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run(
        args, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def build_times(runs: int) -> tuple[list[float], list[float]]:
    mkdocs = str(ROOT / ".venv" / "bin" / "mkdocs")
    ours, plain = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "plain.yml").write_text(
            PLAIN_CONFIG.format(docs=ROOT / "docs", out=tmp / "plain"), encoding="utf-8"
        )
        for _ in range(runs):
            ours.append(
                timed_build([mkdocs, "build", "--strict", "-q", "-d", str(tmp / "ours")], ROOT)
            )
            plain.append(timed_build([mkdocs, "build", "-q", "-f", str(tmp / "plain.yml")], tmp))
    return ours, plain


def serve(site: Path):
    """(base URL, stop function): nginx with our configuration, or http.server without nginx."""
    try:
        from tests.nginx_server import running_nginx

        prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        cm = running_nginx(site, prefix)
        url = cm.__enter__()
        return url, "nginx (gzip)", lambda: cm.__exit__(None, None, None)
    except (RuntimeError, AssertionError):
        server, url = serve_directory(site)
        return url, "python http.server (no gzip)", server.shutdown


def measure(browser, url: str, path: str, python: bool) -> dict:
    context = browser.new_context(service_workers="block", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sizes = []
    page.on("requestfinished", lambda r: sizes.append(max(0, r.sizes()["responseBodySize"])))
    result = {}
    for label in ("cold", "warm"):
        sizes.clear()
        start = time.perf_counter()
        if label == "cold":
            page.goto(url + path, wait_until="load")
        else:
            page.reload(wait_until="load")
        nav = page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return [n.domContentLoadedEventEnd, n.loadEventEnd]; }"
        )
        if python:
            page.evaluate("() => SC.py.ready()")
        page.wait_for_timeout(300)  # let late requests finish so they are counted
        result[label] = {
            "bytes": sum(sizes),
            "requests": len(sizes),
            "dcl_ms": nav[0],
            "load_ms": nav[1],
            "ready_s": time.perf_counter() - start,
        }
    context.close()
    return result


HANDBOOK = "/residents/handbook/"


def handbook_vs(old_site: Path, new_site: Path, runs: int) -> None:
    """The resident handbook's cold transfer here against another build, side by side."""
    from playwright.sync_api import sync_playwright

    cold = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        for name, site in (("before", old_site), ("now", new_site)):
            url, server_name, stop = serve(site)
            try:
                cold[name] = statistics.median(
                    measure(browser, url, HANDBOOK, False)["cold"]["bytes"] for _ in range(runs)
                )
            finally:
                stop()
        browser.close()
    print(f"## {HANDBOOK} 冷缓存传输（{server_name}，{runs} 次中位数）\n")
    print("| 构建 | 传输字节 |\n|---|---:|")
    print(f"| 对照（{old_site}） | {cold['before']:,.0f} |")
    print(f"| 本构建 | {cold['now']:,.0f} |")
    print(f"| 比值 | {cold['now'] / cold['before']:.0%} |\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--site", type=Path, default=Path(os.environ.get("SC_SITE_DIR", ROOT / "site"))
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--against",
        type=Path,
        help="another build (e.g. of main) to compare the handbook's bytes with",
    )
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        sys.exit(f"{args.site} 里没有生成的网站：先运行 mkdocs build --strict")

    from playwright.sync_api import sync_playwright

    selfcheck = "/staff/selfcheck/" if (args.site / "staff/selfcheck/index.html").exists() else None
    url, server_name, stop = serve(args.site)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
            )
            cases = [
                ("首页 /", "/", False),
                (f"居民手册 {HANDBOOK}", HANDBOOK, False),
                (
                    f"自评 {selfcheck}" if selfcheck else "首页 + 启动 Python（自评页尚未加入）",
                    selfcheck or "/",
                    True,
                ),
            ]
            for name, path, python in cases:
                runs = [measure(browser, url, path, python) for _ in range(args.runs)]
                for label in ("cold", "warm"):

                    def pick(k, label=label, runs=runs):
                        return statistics.median(r[label][k] for r in runs)

                    rows.append(
                        (
                            name,
                            label,
                            pick("bytes"),
                            pick("requests"),
                            pick("dcl_ms"),
                            pick("load_ms"),
                            pick("ready_s") if python else None,
                        )
                    )
            browser.close()
    finally:
        stop()

    if args.against:
        handbook_vs(args.against, args.site, args.runs)

    print(f"## 页面（{server_name}，Chromium 390 px，{args.runs} 次取中位数）\n")
    print("| 页面 | 缓存 | 传输字节 | 请求数 | DOMContentLoaded ms | load ms | Python 就绪 s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, label, b, n, dcl, load, ready in rows:
        print(
            f"| {name} | {label} | {b:,.0f} | {n:.0f} | {dcl:.0f} | {load:.0f}"
            f" | {'' if ready is None else f'{ready:.2f}'} |"
        )

    ours, plain = build_times(args.runs)
    print(f"\n## 全站构建（{args.runs} 次取中位数）\n")
    print("| 构建 | 秒 |\n|---|---:|")
    print(f"| 本项目 mkdocs build --strict | {statistics.median(ours):.2f} |")
    print(f"| 基线：同一 docs/ 的纯 Material 构建 | {statistics.median(plain):.2f} |")
    print(f"| 比值 | {statistics.median(ours) / statistics.median(plain):.2f} × |")


if __name__ == "__main__":
    main()
