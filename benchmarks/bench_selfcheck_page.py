"""The 自评 page in Chromium beside bare Pyodide loading the same wheel (the baseline).

    .venv/bin/python benchmarks/bench_selfcheck_page.py [--site DIR] [--runs N] [--profiles desktop,phone]

Prints a Markdown table; asserts nothing. Both sides are served by Debian's nginx with the
project's own configuration (deploy/nginx/anquan-site.conf, gzip on). For each run and profile,
ours, the baseline and the variants below alternate (in the reverse order every other run), each
in a fresh browser context (cold cache) and then reloaded in that context (warm cache); the service
worker is blocked so only the page is measured (but see "offline").

- ours: `staff/selfcheck/`.
  - form typeable: a real keystroke lands and stays, in a field the person can see. A promise in
    the page resolves as soon as the 单位名称 field is in the page, focusing it (as a tap would);
    the benchmark then types one character through the browser's input pipeline (CDP
    `Input.insertText`, sent at once on the same CDP session). Typeable is the later of: the page
    handled that keystroke's `input` event, and the first frame drawn with the field in the page
    (a `requestAnimationFrame` after it appeared, then a task after that frame). Both are
    `performance.now()` in the page. After the first score the field must still show what it
    showed right after the keystroke, and the saved draft must hold the same (the mount and the
    draft restore must not wipe it), else the run fails. Also reported: when the feature was
    mounted (`data-sc-mounted="1"`).
    Why not Playwright's `wait_for_selector`, `focus` and `keyboard.type`: each is a round trip
    through Playwright's driver, and on a 2-core host the three added 150-250 ms after the field
    was already in the page (measured: keystroke handled at 355-426 ms against 100-158 ms this
    way, same build, warm desktop), so they measured the harness, not the page.
  - first live score: `#sc-selfcheck[data-score-state="done"]` (Python started in the worker, the
    draft scored and drawn), timed in the page by a MutationObserver when the attribute changes,
    as the baseline's time is taken in its page (not when Playwright's polling notices it, which
    added 50-300 ms to ours alone on a busy machine).
  - before Python: whether the form was typeable before nginx had even received the request for
    any Python file (the runtime, assets/pyodide/<hash>/, and the wheels,
    assets/wheels/<hash>/*.whl), so before its first byte arrived. The manifest
    (assets/wheels/manifest.json, about 500 bytes naming the release's files) holds no Python and
    is not counted; the page loaded directly carries it and does not ask for it.
  - bytes: the response bodies nginx sent (its access log: compressed, as on the wire) for the
    requests of the load, its workers' included.
  - worker steps (JSON line only): epoch times the worker reports in its init answer.
  - warm is a return visit: the HTTP cache, and the saved Python (py-worker.js keeps a copy of
    Python's memory after the engine's imports in IndexedDB, after the first visit's first score;
    the benchmark waits until it is kept, as a person's next visit would find it). The table says
    whether the warm load restored it.
- baseline: a same-origin page whose **module worker** does only `loadPyodide()` from
  `assets/pyodide/<hash>/`, `loadPackage()` of the selfcheck wheel, then `import selfcheck.api`. A worker,
  like ours: CPU throttling slows the main thread only, so a main-thread baseline would be unfair.
- the page alone (floor): the 自评 page's own HTML with every script of ours taken out (the feature,
  the site's scripts, the early worker), so that only MkDocs Material draws and runs it, and the
  baseline's worker started where and as our early worker starts (from a Blob). What is left
  between it and ours is our own code (mount, data, glue, the score, its drawing); what is between
  it and the baseline is the page and Material, on the same cores as Python. Timed like the
  baseline, and the same keystroke is typed into it: how soon the page is typeable without
  anything of ours.
- the page drawn only (cold only, a counterfactual): the page alone without Material's bundle
  either, so no script file runs in the page (only Material's few inline lines, which read
  settings): its HTML and stylesheets are parsed, laid out and drawn while the baseline's worker
  starts Python as in the page alone. It bounds what any script on the page could achieve:
  drawing this form on the same cores already costs Python this much.
- eager (cold only, a counterfactual): the 自评 page with its early worker not waiting for the form:
  Python's downloads begin as soon as the worker starts, as they did before py-worker.js's "A
  first visit waits for the form". Issue 14 asks for the form to be typeable before any Python
  byte arrives on the phone profile, and for the worker to start while the page is still parsed;
  this row shows what the wait buys (the form typeable sooner, before Python's bytes) and costs
  (the first score later).
- offline (cold only): ours in a context that allows service workers, as a reader's first visit
  over https (or localhost) has them: sw-register.js installs the offline copy (sw.js downloads
  the whole site). Every other measurement blocks them, so it is the page alone that is timed.
- re-score: one field changed (value set, `input` dispatched) → `data-score-state` back to "done"
  (seen by a MutationObserver, so no frame wait is added). The page asks for every edit's score at
  once; two ways:
  - a single change after a pause (drawn as soon as its score is back): timed from the edit
    itself, so it includes the edit's own handling (autosave, progress), and from the score's
    start (the page's `sc:score-start` mark; its worker round trip up to `sc:score-back` shown
    beside it);
  - a change in the middle of a burst (right after the previous score): its score is held until
    the burst pauses, 250 ms, and drawn then. Timed from the edit with the debounce subtracted:
    what the page adds after the pause (the timer firing late on a busy machine, the drawing, and
    any part of the worker round trip that the pause did not cover).
- profiles: desktop (no throttling, 1280 px) and phone (390 px; CDP CPU slowed 4×, network
  10 Mbit/s down, 5 Mbit/s up, 40 ms latency).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, wait_for_saved_python  # noqa: E402
from tests.nginx_server import running_nginx  # noqa: E402

DEBOUNCE_MS = 250


def is_python(uri: str) -> bool:
    """A request for Python: the runtime or a wheel (not the manifest that names them)."""
    path = uri.split("?")[0]
    return path.startswith("/assets/pyodide/") or (
        path.startswith("/assets/wheels/") and path.endswith(".whl")
    )


BASELINE_HTML = """<!doctype html><meta charset="utf-8"><title>baseline</title>
<script>
const worker = new Worker("/__baseline_worker__.js", { type: "module" });
worker.onmessage = () => { window.__ready = performance.now(); };
</script>"""
# PYODIDE_FOLDER, WHEELS_FOLDER: the built site's folders (manifest.json), filled in by `run`.
BASELINE_WORKER = """const { loadPyodide } = await import("/assets/pyodide/PYODIDE_FOLDER/pyodide.mjs");
const py = await loadPyodide({ indexURL: "/assets/pyodide/PYODIDE_FOLDER/" });
const manifest = await (await fetch("/assets/wheels/manifest.json")).json();
const own = manifest.wheels.filter((w) => w.startsWith("selfcheck-"));
await py.loadPackage(own.map((w) => "/assets/wheels/WHEELS_FOLDER/" + w));
py.runPython("import selfcheck.api");
postMessage("ready");
"""
FLOOR_URL = "/staff/__floor__/"  # the 自评 page's depth: its relative URLs resolve alike
EAGER_URL = "/staff/__eager__/"
DRAWN_URL = "/staff/__drawn__/"


# Started as ours is: from a Blob, so that the worker's own script is not a request queued behind
# the page's stylesheets (a Blob's base URL cannot resolve "/assets/…": the origin is prefixed).
def baseline_worker(folders: dict[str, str]) -> str:
    worker = BASELINE_WORKER.replace("PYODIDE_FOLDER", folders["pyodide"])
    return worker.replace("WHEELS_FOLDER", folders["wheels"])


def floor_start(folders: dict[str, str]) -> str:
    worker = baseline_worker(folders)
    worker = worker.replace('"/assets/', 'self.location.origin + "/assets/')
    return (
        "<script>const w = new Worker(URL.createObjectURL(new Blob(["
        + json.dumps(worker)
        + '], { type: "text/javascript" })), { type: "module" });\n'
        + "w.onmessage = () => { window.__ready = performance.now(); };</script>"
    )


EARLY_WORKER = re.compile(
    r"<script>(?:(?!</script>).)*?new Worker\((?:(?!</script>).)*?</script>", re.S
)
OUR_INLINE = re.compile(r"<script>(?:(?!</script>).)*?\bSC\.(?:(?!</script>).)*?</script>", re.S)
OUR_FILES = re.compile(
    r'<script (?:async )?src="[^"]*/assets/javascripts/(?!bundle\.)[^"]*"></script>'
    r'|<link rel="modulepreload"[^>]*>'
)


def floor_html(page_html: str, folders: dict[str, str]) -> str:
    """The 自评 page without our scripts, the baseline's worker started where ours starts."""
    html, early = EARLY_WORKER.subn(lambda _: floor_start(folders), page_html, count=1)
    html, inline = OUR_INLINE.subn("", html)
    html, files = OUR_FILES.subn("", html)
    if early != 1 or inline < 1 or files < 3 or "bundle." not in html:
        raise SystemExit(
            "staff/selfcheck/index.html 的脚本与预期不同：请更新 bench_selfcheck_page.py 的 floor_html"
        )
    return html


MATERIAL_BUNDLE = re.compile(r'<script src="[^"]*/assets/javascripts/bundle\.[^"]*"></script>')


def drawn_html(page_html: str, folders: dict[str, str]) -> str:
    """The page alone without Material's bundle: no script file, the baseline's worker started inline."""
    html, bundles = MATERIAL_BUNDLE.subn("", floor_html(page_html, folders))
    if bundles != 1:
        raise SystemExit(
            "staff/selfcheck/index.html 的脚本与预期不同：请更新 bench_selfcheck_page.py 的 drawn_html"
        )
    return html


# Where the early worker (overrides/main.html; py-worker.js in the page) starts, holding a first
# visit's downloads until the page has drawn its form.
HOLDING_START = "startPromise = init(self.scRoot, true);"


def eager_html(page_html: str) -> str:
    """The 自评 page with its early worker not waiting for the form: Python's downloads begin as
    soon as the worker starts."""
    if page_html.count(HOLDING_START) != 1:
        raise SystemExit(
            "staff/selfcheck/index.html 的脚本与预期不同：请更新 bench_selfcheck_page.py 的 eager_html"
        )
    return page_html.replace(HOLDING_START, HOLDING_START.replace("true", "false"))


PROFILES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}, "cpu": 1, "network": None},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "cpu": 4,
        "network": {
            "offline": False,
            "latency": 40,
            "downloadThroughput": 10e6 / 8,
            "uploadThroughput": 5e6 / 8,
        },
    },
}


class Wire:
    """What went over the wire, read from nginx's access log (tests/nginx_server.py's
    ACCESS_LOG_FORMAT): every request of the page and of its workers, however early a worker makes
    it (Playwright reports a worker's requests only once it has attached to the worker, and a worker
    that starts Python as soon as it runs has made its first requests by then)."""

    def __init__(self, path: Path):
        self.path = path

    def since(self, page) -> dict:
        """Bytes of the responses to requests received since `page` began to load (epoch ms
        `timeOrigin`), and when the first request for a Python file was received: its first byte
        arrived later still."""
        origin = page.evaluate("() => performance.timeOrigin")
        seen = {"bytes": 0, "python_first_byte": None}
        for line in self.path.read_text(encoding="utf-8").splitlines():
            done, took, size, _status, uri = line.split(" ", 4)
            received = (float(done) - float(took)) * 1000
            if received < origin - 1:  # $msec has millisecond resolution
                continue
            seen["bytes"] += int(size)
            if is_python(uri):
                first = seen["python_first_byte"]
                seen["python_first_byte"] = received if first is None else min(first, received)
        return seen


def throttle(context, page, profile) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
    if profile["network"]:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", profile["network"])


# Installed before any page script: when the typed key's input event and the markers happened.
MARKS_SCRIPT = """
window.__bench = {};
document.addEventListener("input", (e) => {
  if (e.isTrusted && !("typed" in __bench)) {
    __bench.typed = performance.now();
    __bench.shown = e.target.value; // what the person sees right after the keystroke
  }
}, true);
new MutationObserver(() => {
  const el = document.getElementById("sc-selfcheck");
  if (!el) return;
  if (el.dataset.scMounted === "1" && !("mounted" in __bench)) __bench.mounted = performance.now();
  if (el.dataset.scoreState === "done" && !("score" in __bench)) __bench.score = performance.now();
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-sc-mounted", "data-score-state"] });
"""
TYPED_FIELD = '[name="profile.site_name"]'


# Resolves when the field is in the page, focused; notes when a frame has been drawn with it.
FOCUS_WHEN_THERE = """new Promise((resolve) => {
  const take = () => {
    const field = document.querySelector(FIELD);
    if (!field) return false;
    field.focus();
    requestAnimationFrame(() => {
      const after = new MessageChannel();
      after.port1.onmessage = () => { window.__bench.drawn = performance.now(); };
      after.port2.postMessage(0);
    });
    resolve(true);
    return true;
  };
  if (!take()) new MutationObserver((_, seen) => { if (take()) seen.disconnect(); })
    .observe(document, { childList: true, subtree: true });
})""".replace("FIELD", json.dumps(TYPED_FIELD))


# Waits poll in the page itself, through CDP: Playwright's `wait_for_function` and
# `wait_for_selector` first put its selector engine into the page (a 330 KB script: one task of
# about 50 ms on the phone profile's main thread, measured in a trace), in the middle of the load
# being measured. The page polls every 20 ms, a few microseconds each.
WAIT_IN_PAGE = """new Promise((resolve, reject) => {
  const end = performance.now() + TIMEOUT;
  const poll = () => {
    let met = false;
    try { met = !!(CONDITION); } catch (e) { met = false; }
    if (met) resolve(true);
    else if (performance.now() > end) reject(new Error("timed out: " + CONDITION_TEXT));
    else setTimeout(poll, 20);
  };
  poll();
})"""


def wait_in_page(page, condition: str, timeout_ms: int = 300_000) -> None:
    """Until the JavaScript expression `condition` is true in the page (see WAIT_IN_PAGE)."""
    expression = (
        WAIT_IN_PAGE.replace("TIMEOUT", str(timeout_ms))
        .replace("CONDITION_TEXT", json.dumps(condition))
        .replace("CONDITION", condition)
    )
    cdp = page.context.new_cdp_session(page)
    try:
        answer = cdp.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True})
    finally:
        cdp.detach()
    if "exceptionDetails" in answer:
        raise SystemExit(
            f"页面里的等待没有完成：{answer['exceptionDetails'].get('text')}：{condition}"
        )


SCORED = "document.querySelector('#sc-selfcheck[data-score-state=done]')"


def load_and_type(page, url: str) -> float:
    """Open `url`, type one key into the 单位名称 field as soon as it is in the page; return when
    it was typeable (ms since navigation): the keystroke handled, and the field drawn."""
    cdp = page.context.new_cdp_session(page)
    page.goto(url, wait_until="commit")
    cdp.send("Runtime.evaluate", {"expression": FOCUS_WHEN_THERE, "awaitPromise": True})
    cdp.send("Input.insertText", {"text": "键"})
    cdp.detach()
    wait_in_page(page, "'typed' in window.__bench && 'drawn' in window.__bench", 180_000)
    return page.evaluate("() => Math.max(window.__bench.typed, window.__bench.drawn)")


def measure_ours(page, wire: Wire, url: str = "/staff/selfcheck/") -> dict:
    typeable = load_and_type(page, url)
    wait_in_page(page, SCORED)
    marks = page.evaluate("() => window.__bench")
    score_ms = marks["score"]
    kept = page.evaluate(
        """([sel, want]) => {
            const store = JSON.parse(localStorage.getItem("sc-selfcheck-v1") || "null");
            const doc = store && store.drafts[store.current].doc;
            return document.querySelector(sel).value === want && !!doc && doc.profile.site_name === want;
        }""",
        [TYPED_FIELD, marks["shown"]],
    )
    if not kept:
        raise SystemExit(
            "a keystroke typed before the first score was lost: the form is not typeable"
        )
    typed_epoch = page.evaluate("(t) => performance.timeOrigin + t", typeable)
    worker = page.evaluate("() => (SC.py.state.info || {}).timings || null")
    restored = page.evaluate("() => (SC.py.state.info || {}).python") == "restored"
    origin = page.evaluate("() => performance.timeOrigin")
    seen = wire.since(page)
    first = seen["python_first_byte"]
    out = {
        "form": typeable,
        "mounted": marks.get("mounted", float("nan")),
        "score": score_ms,
        "bytes": seen["bytes"],
        "before_python": 1.0 if first is None or typed_epoch < first else 0.0,
        "restored": 1.0 if restored else 0.0,
    }
    for step, at in (worker or {}).items():
        out[f"worker {step}"] = at - origin
    return out


def measure_baseline(page, wire: Wire) -> dict:
    page.goto("/__baseline__.html")
    wait_in_page(page, "window.__ready")
    return {"score": page.evaluate("() => window.__ready"), "bytes": wire.since(page)["bytes"]}


def measure_floor(page, wire: Wire, url: str = FLOOR_URL) -> dict:
    typeable = load_and_type(page, url)
    wait_in_page(page, "window.__ready")
    ready = page.evaluate("() => window.__ready")
    return {"score": ready, "form": typeable, "bytes": wire.since(page)["bytes"]}


def measure_drawn(page, wire: Wire) -> dict:
    return measure_floor(page, wire, DRAWN_URL)


def measure_eager(page, wire: Wire) -> dict:
    return measure_ours(page, wire, EAGER_URL)


# Measured in a context where service workers are allowed (`run`), as a reader's first visit over
# https or localhost has them: the page's sw-register.js installs the offline copy.
measure_offline = measure_ours


MEASURE = {
    "baseline": measure_baseline,
    "floor": measure_floor,
    "drawn": measure_drawn,
    "eager": measure_eager,
    "offline": measure_offline,
    "ours": measure_ours,
}
# Cold-load counterfactuals and variants: no warm load, no re-score.
COLD_ONLY = ("drawn", "eager", "offline")


def rescore_ms(page, pause: bool) -> dict:
    """One edit, after a pause (`pause`: drawn at once) or right after the previous score (in a
    burst: drawn after the debounce). "rescore": from the score's start (the page's
    "sc:score-start" mark) to the marker; "edit": from the edit itself, the debounce subtracted
    when there is one; "engine": start to the answer's arrival (worker, Python, transfer)."""
    return page.evaluate(
        """async ([debounce, pause]) => {
            if (pause) await new Promise((r) => setTimeout(r, debounce + 50));
            return await new Promise((resolve) => {
              const root = document.getElementById('sc-selfcheck');
              const input = document.querySelector('[name="ans:3.2.b:value"]');
              let t0 = 0;
              const seen = new MutationObserver(() => {
                  if (root.dataset.scoreState !== 'done') return;
                  const t = performance.now();
                  seen.disconnect();
                  const start = performance.getEntriesByName('sc:score-start').pop().startTime;
                  const back = performance.getEntriesByName('sc:score-back').pop().startTime;
                  resolve({ rescore: t - start, edit: t - t0 - (pause ? 0 : debounce), engine: back - start });
              });
              seen.observe(root, { attributes: true, attributeFilter: ['data-score-state'] });
              input.value = String(Number(input.value || 0) + 1);
              t0 = performance.now();
              input.dispatchEvent(new Event('input', { bubbles: true }));
            });
        }""",
        [DEBOUNCE_MS, pause],
    )


def run(site: Path, runs: int, profiles: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    # Real files, not Playwright routes: routing turns the browser's HTTP cache off.
    page_html = (site / "staff" / "selfcheck" / "index.html").read_text(encoding="utf-8")
    manifest = site / "assets" / "wheels" / "manifest.json"
    folders = json.loads(manifest.read_text(encoding="utf-8"))["folders"]
    # The variants of the 自评 page, each in a folder of its own (removed afterwards).
    variant_pages = {
        site / url.strip("/") / "index.html": html
        for url, html in (
            (FLOOR_URL, floor_html(page_html, folders)),
            (EAGER_URL, eager_html(page_html)),
            (DRAWN_URL, drawn_html(page_html, folders)),
        )
    }
    extra = {
        site / "__baseline__.html": BASELINE_HTML,
        site / "__baseline_worker__.js": baseline_worker(folders),
        **variant_pages,
    }
    for page in variant_pages:
        page.parent.mkdir(exist_ok=True)
    for path, text in extra.items():
        path.write_text(text, encoding="utf-8")
    rows: dict[str, list[float]] = {}

    def add(key, value):
        rows.setdefault(key, []).append(value)

    try:
        with (
            tempfile.TemporaryDirectory() as prefix,
            running_nginx(site, Path(prefix), Path(prefix) / "access.log") as url,
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
            )
            wire = Wire(Path(prefix) / "access.log")
            for run_no in range(runs):
                # Every other run in the reverse order, so that no variant always comes first
                # or last on a machine whose speed drifts.
                order = list(MEASURE) if run_no % 2 == 0 else list(reversed(MEASURE))
                for name in profiles:
                    profile = PROFILES[name]
                    for which in order:
                        context = browser.new_context(
                            base_url=url,
                            service_workers="allow" if which == "offline" else "block",
                            viewport=profile["viewport"],
                        )
                        context.add_init_script(MARKS_SCRIPT)
                        page = context.new_page()
                        throttle(context, page, profile)
                        measure = MEASURE[which]
                        # Cold only: a warm load has a saved Python, so it starts at once either
                        # way (eager), and finds the offline copy installed (offline).
                        for label in ("cold",) if which in COLD_ONLY else ("cold", "warm"):
                            for key, value in measure(page, wire).items():
                                add(f"{name} {which} {label} {key}", value)
                            if which == "ours" and label == "cold":
                                wait_for_saved_python(page)
                        if which == "ours":
                            for _ in range(5):
                                for mode in ("single", "burst"):
                                    for key, value in rescore_ms(page, mode == "single").items():
                                        add(f"{name} {mode} {key}", value)
                        context.close()
            browser.close()
    finally:
        for path in extra:
            path.unlink(missing_ok=True)
        for page in variant_pages:
            page.parent.rmdir()

    med = {k: statistics.median(v) for k, v in rows.items()}
    print(
        "\n自评页 vs 裸 Pyodide（同一个 selfcheck wheel，均在模块 Worker 中），"
        f"nginx（gzip），Chromium，{runs} 轮中位数\n"
    )
    print("| 配置 | 指标 | 自评页 | 基线 | 倍数 | 同一页面去掉我方脚本 | 自评页 ÷ 它 |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name in profiles:
        for label in ("cold", "warm"):
            word = "冷缓存" if label == "cold" else "热缓存"
            ours, base = med[f"{name} ours {label} score"], med[f"{name} baseline {label} score"]
            before = min(rows[f"{name} ours {label} before_python"]) == 1.0
            floor = med[f"{name} floor {label} score"]
            print(
                f"| {name} | {word}：首次实时评分（基线与去掉我方脚本的页面：Python 就绪）"
                f" | {ours / 1000:.2f} s | {base / 1000:.2f} s | {ours / base:.2f}×"
                f" | {floor / 1000:.2f} s | {ours / floor:.2f}× |"
            )
            restored = rows[f"{name} ours {label} restored"]
            print(
                f"| {name} | {word}：Python 从本机保存的副本恢复 | {sum(restored):.0f} / {len(restored)} 次"
                " | — | — | — | — |"
            )
            typed, floor_typed = med[f"{name} ours {label} form"], med[f"{name} floor {label} form"]
            print(
                f"| {name} | {word}：表单可填写（按键落下并保留） | {typed:.0f} ms"
                f"{'（早于任何 Python 字节）' if before else ''} | — | — | {floor_typed:.0f} ms | — |"
            )
            mounted = med[f"{name} ours {label} mounted"]
            print(
                f"| {name} | {word}：功能挂载（data-sc-mounted） | {mounted:.0f} ms | — | — | — | — |"
            )
            ob, bb = med[f"{name} ours {label} bytes"], med[f"{name} baseline {label} bytes"]
            print(
                f"| {name} | {word}：传输 | {ob / 1e6:.2f} MB | {bb / 1e6:.2f} MB"
                f" | {ob / bb if bb else float('nan'):.2f}× | — | — |"
            )
            if label == "cold":
                eager_typed, eager = med[f"{name} eager cold form"], med[f"{name} eager cold score"]
                eager_before = min(rows[f"{name} eager cold before_python"]) == 1.0
                print(
                    f"| {name} | 冷缓存，对照：Python 不等表单画出就开始下载：表单可填写 / 首次实时评分"
                    f" | {eager_typed:.0f} ms{'（早于任何 Python 字节）' if eager_before else ''}"
                    f" / {eager / 1000:.2f} s | {base / 1000:.2f} s | {eager / base:.2f}× | — | — |"
                )
                drawn = med[f"{name} drawn cold score"]
                print(
                    f"| {name} | 冷缓存，对照：同一页面只画出、不运行任何脚本（连 Material 的也去掉），"
                    f"基线的 Worker：Python 就绪 | {drawn / 1000:.2f} s | {base / 1000:.2f} s"
                    f" | {drawn / base:.2f}× | — | — |"
                )
                offline = med[f"{name} offline cold score"]
                print(
                    f"| {name} | 冷缓存，允许 service worker（https 首次访问，安装离线副本）：首次实时评分"
                    f" | {offline / 1000:.2f} s | {base / 1000:.2f} s | {offline / base:.2f}× | — | — |"
                )
        single = {k: med[f"{name} single {k}"] for k in ("edit", "rescore", "engine")}
        burst = {k: med[f"{name} burst {k}"] for k in ("edit", "engine")}
        print(
            f"| {name} | 停顿后改一项，重新评分（立即评分；从改动起，至标记更新） | {single['edit']:.0f} ms"
            f"（评分开始起 {single['rescore']:.0f} ms，其中 Worker 往返 {single['engine']:.0f} ms）"
            " | — | — | — | — |"
        )
        print(
            f"| {name} | 连续改动中改一项（立即评分，停顿 {DEBOUNCE_MS} ms 后显示；从改动起去掉防抖，"
            f"至标记更新） | {burst['edit']:.0f} ms（Worker 往返 {burst['engine']:.0f} ms，"
            "在防抖期间） | — | — | — | — |"
        )
    print("\n" + json.dumps({k: round(v, 1) for k, v in med.items()}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profiles", default="desktop,phone")
    args = parser.parse_args()
    run(args.site.resolve(), args.runs, [p for p in args.profiles.split(",") if p])


if __name__ == "__main__":
    main()
