"""Building a 报送材料包 in Chromium beside zipping the same bytes with the same library (baseline).

    .venv/bin/python benchmarks/bench_package.py [--site DIR] [--items 41] [--photos 3] [--mb 2] [--runs 3]

Prints a Markdown table; asserts nothing. Setup (not measured): one workspace whose evidence store
holds items × photos files of `mb` MB each (random bytes, as incompressible as photos), and a warm
Python worker (its start-up is the 自评 page's benchmark, not this one's).

- ours: `dossier/build.js` `buildForWorkspace` — the 自评 exports from Python (JSON, XLSX, report),
  every part read from IndexedDB, SHA-256 of each, the manifest, fflate's streaming Zip.
- baseline: the same evidence Blobs, taken from IndexedDB before the clock starts, through fflate's
  `Zip` + `ZipPassThrough` into one Blob — no hashing, no manifest, no exports, no other work.

Both run in the same page, alternating, `--runs` times. Time is wall-clock in the page. Peak memory
is sampled two ways while each run is under way: the page's JS heap (`performance.memory`, precise
with --enable-precise-memory-info), and the resident memory of the Chromium processes this script
started, together (read from /proc every 20 ms), both as the rise above the level just before the run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS  # noqa: E402
from tests.conftest import SITE_DIR, serve_directory, sitemap_port  # noqa: E402

SETUP = """async ([items, photos, mb]) => {
  const store = await import("/assets/javascripts/dossier/store.js");
  const evidence = await import("/assets/javascripts/dossier/evidence.js");
  const py = await import("/assets/javascripts/dossier/py.js");
  const standard = await py.loadJson(location.origin + "/", "standard");
  if (!store.current()) store.create({ town: "基准街道", site_name: "基准社区", kind: "社区" }, standard.version);
  const ws = store.current();
  if ((await evidence.list(ws.id)).length < items * photos) {
    const ids = standard.categories.flatMap((c) => c.items.map((i) => i.id)).slice(0, items);
    for (const [n, id] of ids.entries()) {
      const files = [];
      for (let k = 0; k < photos; k++) {
        const bytes = new Uint8Array(mb * 1024 * 1024);
        for (let o = 0; o < bytes.length; o += 65536) crypto.getRandomValues(bytes.subarray(o, o + 65536));
        files.push(new File([bytes], `照片${n}-${k}.jpg`, { type: "image/jpeg" }));
      }
      await evidence.add(ws.id, id, null, files);
    }
  }
  const answers = JSON.stringify(store.answersOf(ws, standard.version));
  await py.call(location.origin + "/", "exports", { answers, now: new Date().toISOString(), xlsx: true });
  return (await evidence.list(ws.id)).length;
}"""

RUN = """async (which) => {
  const root = location.origin + "/";
  const store = await import("/assets/javascripts/dossier/store.js");
  const evidence = await import("/assets/javascripts/dossier/evidence.js");
  const build = await import("/assets/javascripts/dossier/build.js");
  const py = await import("/assets/javascripts/dossier/py.js");
  const standard = await py.loadJson(root, "standard");
  const ws = store.current();
  let blobs = null;
  if (which === "baseline") {
    blobs = [];
    for (const f of await evidence.list(ws.id)) blobs.push([f.name, (await evidence.get(f.id)).blob]);
  }
  const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : 0);
  const heap0 = heap();
  let peak = heap0;
  const timer = setInterval(() => { peak = Math.max(peak, heap()); }, 20);
  const sample = () => { peak = Math.max(peak, heap()); };
  const t0 = performance.now();
  let size = 0;
  if (which === "ours") {
    const got = await build.buildForWorkspace(root, ws, standard, "2024-09-10", sample);
    size = got.blob.size;
  } else {
    const { Zip, ZipPassThrough } = await build.fflate(root);
    const out = [];
    let pending = [];
    let pendingBytes = 0;
    const zip = new Zip((err, chunk, final) => {
      pending.push(chunk); pendingBytes += chunk.length;
      if (pendingBytes >= 8 * 1024 * 1024 || final) { out.push(new Blob(pending)); pending = []; pendingBytes = 0; }
    });
    for (const [name, blob] of blobs) {
      const entry = new ZipPassThrough(name);
      zip.add(entry);
      entry.push(new Uint8Array(await blob.arrayBuffer()), true);
      sample();
    }
    zip.end();
    size = new Blob(out).size;
  }
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  return { ms, heap: peak - heap0, size };
}"""


def chromium_rss() -> int:
    """Resident bytes of the Chromium processes this benchmark started (the browser keeps Blob
    data, the renderer the page): every process descending from this one, so other programs'
    browsers on the same machine are not counted."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/status"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        pid = int(stat.parent.name)
        parent[pid] = int(fields.get("PPid", "0").strip() or 0)
        if "chrom" in fields.get("Name", "") and "VmRSS" in fields:
            rss[pid] = int(fields["VmRSS"].split()[0]) * 1024
    me = os.getpid()

    def ours(pid: int) -> bool:
        seen = set()
        while pid and pid not in seen:
            if pid == me:
                return True
            seen.add(pid)
            pid = parent.get(pid, 0)
        return False

    return sum(v for pid, v in rss.items() if ours(pid))


class RssPeak:
    def __enter__(self):
        self.base = chromium_rss()
        self.peak = self.base
        self.running = True
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()
        return self

    def _poll(self):
        while self.running:
            self.peak = max(self.peak, chromium_rss())
            time.sleep(0.02)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()

    @property
    def rise(self) -> int:
        return self.peak - self.base


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, default=SITE_DIR)
    ap.add_argument("--items", type=int, default=41)
    ap.add_argument("--photos", type=int, default=3)
    ap.add_argument("--mb", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    server, url = serve_directory(args.site, sitemap_port(args.site))
    results = {"ours": [], "baseline": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=LAUNCH_ARGS + ["--enable-precise-memory-info"],
            )
            context = browser.new_context(base_url=url, service_workers="block")
            page = context.new_page()
            page.goto("/staff/dossier/")
            count = page.evaluate(SETUP, [args.items, args.photos, args.mb])
            print(
                f"证明材料：{count} 个文件，每个 {args.mb} MB，共 {count * args.mb} MB。",
                file=sys.stderr,
            )
            for n in range(args.runs):
                for which in ("baseline", "ours") if n % 2 == 0 else ("ours", "baseline"):
                    page.evaluate("() => new Promise((r) => setTimeout(r, 500))")
                    with RssPeak() as rss:
                        got = page.evaluate(RUN, which)
                    got["rss"] = rss.rise
                    results[which].append(got)
            browser.close()
    finally:
        server.shutdown()

    def med(which, key):
        return statistics.median(r[key] for r in results[which])

    mib = 1024 * 1024
    print(
        f"| 报送材料包：{args.items} 条目 × {args.photos} 张 × {args.mb} MB（中位数，{args.runs} 次） "
        "| 我们 | 基线（同一 fflate，只打包） | 倍数 |"
    )
    print("|---|---|---|---|")
    for key, label, unit, scale in (
        ("ms", "耗时", "ms", 1),
        ("heap", "JS 堆峰值增量", "MB", mib),
        ("rss", "本脚本启动的 Chromium 进程常驻内存峰值增量", "MB", mib),
        ("size", "zip 大小", "MB", mib),
    ):
        ours, base = med("ours", key) / scale, med("baseline", key) / scale
        ratio = f"{ours / base:.2f}" if base else "—"
        print(f"| {label} | {ours:.1f} {unit} | {base:.1f} {unit} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
