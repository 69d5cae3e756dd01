"""How fast the engine is, as ratios against a plain-JSON baseline run side by side.

    .venv/bin/python benchmarks/bench_selfcheck.py [--communities 1000] [--repeat 50]

Absolute times depend on the machine and its load; the ratio to the baseline measured in the same
run is the figure to compare between runs. Baselines:
- scoring one community  vs  json.loads(json.dumps(answers)) of the same document;
- exporting one community vs json.dumps of the finished export document;
- aggregating N exports  vs  parsing each export and checking its SHA-256 only (no scoring).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selfcheck import exports  # noqa: E402
from selfcheck.aggregate import aggregate  # noqa: E402
from selfcheck.datafiles import DATA_DIR, load_standard, load_validated  # noqa: E402
from selfcheck.scoring import ScoringRule, score_community  # noqa: E402
from tests.scoring_cases import NOW, cases  # noqa: E402


def best_of(fn, repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds: the least disturbed by other work on the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def community_docs(standard, n: int) -> list[dict]:
    base = dict(cases(standard))
    kinds = ["full", "boundaries", "records", "village_no_population", "blank"]
    docs = []
    for i in range(n):
        doc = json.loads(json.dumps(base[kinds[i % len(kinds)]]))
        doc["profile"]["site_name"] = f"社区{i:04d}"
        doc["profile"]["town"] = f"街道{i % 21:02d}"
        if "3.2.b" in doc["answers"]:
            doc["answers"]["3.2.b"] = {"value": 5 + i % 10}
        docs.append(doc)
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description="selfcheck 性能测量")
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    standard = load_standard()
    rule = ScoringRule.from_dict(load_validated(DATA_DIR / "scoring.yaml"), standard)
    rows = []

    doc = dict(cases(standard))["records"]
    t = best_of(lambda: score_community(standard, rule, doc, now=NOW), args.repeat)
    b = best_of(lambda: json.loads(json.dumps(doc)), args.repeat)
    rows.append(("评分一个社区（含台账记录）", t, "json 往返同一份填写数据", b))

    export_doc = exports.export_document(standard, rule, doc, now=NOW)
    t = best_of(lambda: exports.json_export(standard, rule, doc, now=NOW), args.repeat)
    b = best_of(
        lambda: json.dumps(exports.file_document(export_doc), ensure_ascii=False, indent=1),
        args.repeat,
    )
    rows.append(("导出一个社区的 JSON（含 SHA-256）", t, "json.dumps 同一份导出", b))

    start = time.perf_counter()
    texts = [
        (f"{i:04d}.json", exports.json_export(standard, rule, d, now=NOW))
        for i, d in enumerate(community_docs(standard, args.communities))
    ]
    made = time.perf_counter() - start
    size = sum(len(t.encode("utf-8")) for _, t in texts)

    def baseline():
        for _, text in texts:
            data = json.loads(text)
            body = {k: v for k, v in data.items() if k != "sha256"}
            hashlib.sha256(
                json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
                    "utf-8"
                )
            ).hexdigest()

    runs = max(1, min(3, args.repeat))
    t = best_of(lambda: aggregate(standard, rule, texts, now=NOW), runs)
    b = best_of(baseline, runs)
    rows.append(
        (f"汇总 {args.communities} 份导出（校验+重新评分+排名）", t, "只解析并校验 SHA-256", b)
    )

    print(
        f"生成 {args.communities} 份导出用时 {made:.2f} 秒，共 {size / 1e6:.1f} MB；Python {sys.version.split()[0]}"
    )
    print(f"{'测量项目':<34}{'用时(毫秒)':>12}  {'基线':<24}{'基线(毫秒)':>12}{'倍数':>8}")
    for name, t, base_name, b in rows:
        print(f"{name:<34}{t * 1000:>12.2f}  {base_name:<24}{b * 1000:>12.2f}{t / b:>8.1f}")


if __name__ == "__main__":
    main()
