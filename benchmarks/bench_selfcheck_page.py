"""The 自评 page in Chromium beside bare Pyodide loading the same files (the baseline).

    .venv/bin/python benchmarks/bench_selfcheck_page.py [--site DIR] [--runs N]

Prints a Markdown table; asserts nothing. For each run a fresh browser context (cold cache), then a
reload in the same context (warm cache); the service worker is blocked so only the page is measured.

- ours: `staff/selfcheck/` — time to an interactive form (the page script has initialised the form
  from the saved draft), time to the first live score (Pyodide + wheels started in the worker and
  the first result drawn), bytes transferred (encoded bodies, worker downloads included).
- baseline: a same-origin page that only does `loadPyodide()` from `assets/pyodide/` and
  `loadPackage()` of the same wheels, then `import selfcheck.api`, on the main thread.
- re-score: one field changed → result drawn, with the page's 250 ms debounce subtracted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS  # noqa: E402
from tests.conftest import serve_directory  # noqa: E402

DEBOUNCE_MS = 250
BASELINE_HTML = """<!doctype html><meta charset="utf-8"><title>baseline</title>
<script type="module">
const t0 = performance.now();
const { loadPyodide } = await import("/assets/pyodide/pyodide.mjs");
const py = await loadPyodide({ indexURL: "/assets/pyodide/" });
const manifest = await (await fetch("/assets/wheels/manifest.json")).json();
await py.loadPackage(manifest.wheels.map((w) => "/assets/wheels/" + w));
py.runPython("import selfcheck.api");
window.__ready = performance.now();
</script>"""


def count_bytes(page) -> list[int]:
    sizes: list[int] = []

    def on_finished(request):
        try:
            sizes.append(request.sizes()["responseBodySize"])
        except Exception:  # a request that ended without a body (e.g. cancelled) adds nothing
            pass

    page.on("requestfinished", on_finished)
    return sizes


def measure_ours(page) -> dict:
    sizes = count_bytes(page)
    page.goto("/staff/selfcheck/")
    page.wait_for_selector("#sc-selfcheck[data-init]")
    form_ms = page.evaluate("() => performance.now()")
    page.wait_for_selector("#sc-selfcheck[data-score-state=done]", timeout=180_000)
    score_ms = page.evaluate("() => performance.now()")
    return {"form": form_ms, "score": score_ms, "bytes": sum(sizes)}


def measure_baseline(page) -> dict:
    sizes = count_bytes(page)
    page.goto("/__baseline__.html")
    page.wait_for_function("() => window.__ready", timeout=180_000)
    return {"score": page.evaluate("() => window.__ready"), "bytes": sum(sizes)}


def rescore_ms(page) -> float:
    return page.evaluate(
        """async (debounce) => {
            const root = document.getElementById('sc-selfcheck');
            const input = document.querySelector('[name="ans:3.2.b:value"]');
            input.value = String(Number(input.value || 0) + 1);
            const t0 = performance.now();
            input.dispatchEvent(new Event('input', { bubbles: true }));
            while (root.dataset.scoreState !== 'pending') await new Promise((r) => setTimeout(r, 1));
            while (root.dataset.scoreState !== 'done') await new Promise((r) => requestAnimationFrame(r));
            return performance.now() - t0 - debounce;
        }""",
        DEBOUNCE_MS,
    )


def run(site: Path, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    # A real file, not a Playwright route: routing turns the browser's HTTP cache off.
    baseline_page = site / "__baseline__.html"
    baseline_page.write_text(BASELINE_HTML, encoding="utf-8")
    server, url = serve_directory(site)
    rows: dict[str, list[float]] = {}

    def add(key, value):
        rows.setdefault(key, []).append(value)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        for _ in range(runs):
            for which in ("baseline", "ours"):
                context = browser.new_context(base_url=url, service_workers="block")
                page = context.new_page()
                measure = measure_baseline if which == "baseline" else measure_ours
                cold = measure(page)
                warm = measure(page)
                for label, m in (("cold", cold), ("warm", warm)):
                    add(f"{which} {label} score", m["score"])
                    add(f"{which} {label} bytes", m["bytes"])
                    if "form" in m:
                        add(f"{which} {label} form", m["form"])
                if which == "ours":
                    for _ in range(5):
                        add("rescore", rescore_ms(page))
                context.close()
        browser.close()
    server.shutdown()
    baseline_page.unlink()

    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"\n自评页 vs 裸 Pyodide（同一批文件），Chromium，{runs} 轮中位数\n")
    print("| 指标 | 自评页 | 基线（裸 Pyodide + 同样的 wheel） | 倍数 |")
    print("|---|---:|---:|---:|")
    for label in ("cold", "warm"):
        name = "冷缓存" if label == "cold" else "热缓存"
        ours, base = med[f"ours {label} score"], med[f"baseline {label} score"]
        print(f"| {name}：可填写表单 | {med[f'ours {label} form']:.0f} ms | — | — |")
        print(f"| {name}：首次实时评分 | {ours:.0f} ms | {base:.0f} ms（Python 就绪） | {ours / base:.2f}× |")
        ob, bb = med[f"ours {label} bytes"], med[f"baseline {label} bytes"]
        print(f"| {name}：传输字节 | {ob / 1e6:.2f} MB | {bb / 1e6:.2f} MB | {ob / bb if bb else float('nan'):.2f}× |")
    print(f"| 改一项后重新评分（去掉 {DEBOUNCE_MS} ms 防抖） | {med['rescore']:.0f} ms | — | — |")
    print("\n" + json.dumps({k: round(v, 1) for k, v in med.items()}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    run(args.site, args.runs)


if __name__ == "__main__":
    main()
