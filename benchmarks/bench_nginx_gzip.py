"""What a first visit to the 自评 page costs nginx: the build's gzip copies (gzip_static, as
deploy/nginx/anquan-site.conf has it) beside nginx compressing every response (the baseline: the
same configuration without `gzip_static`).

    .venv/bin/python benchmarks/bench_nginx_gzip.py [--site DIR] [--runs N]

Two nginx servers (Debian's, one worker each, as tests/nginx_server.py runs them) serve the same
built site; the files a first visit asks nginx for, each with `Accept-Encoding: gzip` as a browser
sends it, are fetched from one server and then the other, alternately, `--runs` times. Reported,
medians: the wall time to receive all of them on one connection at a time, and the CPU time the
nginx worker spent (utime + stime from /proc). Prints a Markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.nginx_server import running_nginx  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def first_visit_paths(site: Path) -> list[str]:
    """The page, Material's bundle and stylesheet, the engine's data, the Python
    runtime and the selfcheck wheel: what a first visit's first score needs from the server."""
    manifest = json.loads((site / "assets/wheels/manifest.json").read_text(encoding="utf-8"))
    runtime = "/assets/pyodide/" + manifest["folders"]["pyodide"] + "/"
    own = next(w for w in manifest["wheels"] if w.startswith("selfcheck-"))
    material = [
        "/" + p.relative_to(site).as_posix()
        for pattern in ("assets/javascripts/bundle.*.min.js", "assets/stylesheets/main.*.min.css")
        for p in site.glob(pattern)
    ]
    return [
        "/staff/selfcheck/",
        *material,
        "/assets/data/engine.json",
        *(
            runtime + name
            for name in (
                "pyodide.mjs",
                "pyodide-lock.json",
                "pyodide.asm.mjs",
                "pyodide.asm.wasm",
                "python_stdlib.zip",
            )
        ),
        "/assets/wheels/" + manifest["folders"]["wheels"] + "/" + own,
    ]


def worker_cpu(prefix: Path) -> float:
    """CPU seconds used so far by the nginx workers (children of the master in prefix/nginx.pid)."""
    master = (prefix / "nginx.pid").read_text().strip()
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def fetch_all(url: str, paths: list[str]) -> int:
    got = 0
    for path in paths:
        request = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=60) as r:
            got += len(r.read())
    return got


def without_static(conf: str) -> str:
    if "gzip_static on;" not in conf:
        raise SystemExit("deploy/nginx/anquan-site.conf 没有 gzip_static on;：请更新本基准")
    return conf.replace("gzip_static on;", "gzip_static off;")


def run(site: Path, runs: int) -> None:
    paths = first_visit_paths(site)
    rows: dict[str, dict[str, list[float]]] = {}
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_nginx(site, Path(tmp) / "static") as static_url,
        running_nginx(site, Path(tmp) / "dynamic", edit=without_static) as dynamic_url,
    ):
        servers = {
            "gzip_static（本站配置）": (static_url, Path(tmp) / "static"),
            "每次请求现压缩（基线）": (dynamic_url, Path(tmp) / "dynamic"),
        }
        for i in range(runs):
            order = list(servers) if i % 2 == 0 else list(reversed(servers))
            for name in order:
                url, prefix = servers[name]
                cpu, start = worker_cpu(prefix), time.perf_counter()
                size = fetch_all(url, paths)
                took = time.perf_counter() - start
                row = rows.setdefault(name, {"wall": [], "cpu": [], "bytes": []})
                row["wall"].append(took)
                row["cpu"].append(worker_cpu(prefix) - cpu)
                row["bytes"].append(size)
    print(f"\n首次打开自评页时向 nginx 请求的 {len(paths)} 个文件（gzip），{runs} 轮中位数\n")
    print("| 方式 | 全部收到（逐个请求） | nginx 工作进程 CPU | 传输 |")
    print("|---|---:|---:|---:|")
    med = {name: {k: statistics.median(v) for k, v in row.items()} for name, row in rows.items()}
    for name, m in med.items():
        print(
            f"| {name} | {m['wall'] * 1000:.0f} ms | {m['cpu'] * 1000:.0f} ms"
            f" | {m['bytes'] / 1e6:.2f} MB |"
        )
    static, dynamic = (med[name] for name in servers)
    print(
        f"\n倍数（本站 ÷ 基线）：时间 {static['wall'] / dynamic['wall']:.2f}×，"
        f"CPU {static['cpu'] / dynamic['cpu'] if dynamic['cpu'] else float('nan'):.2f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    run(args.site.resolve(), args.runs)


if __name__ == "__main__":
    main()
