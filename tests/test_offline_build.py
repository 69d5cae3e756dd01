"""The build's service worker (site/sw.js) lists every file of the site, and changes with any of them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from macros import offline


def precache_of(site_dir: Path) -> dict:
    head = (site_dir / "sw.js").read_text(encoding="utf-8").splitlines()[1]
    match = re.fullmatch(r"const PRECACHE = (\{.*\});", head)
    assert match, head[:200]
    return json.loads(match.group(1))


def test_every_file_of_the_site_is_precached_with_its_hash(built_site):
    files = precache_of(built_site)["files"]
    on_disk = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    # Not sw.js itself, source maps, nor a server's gzip copy of a file that is listed.
    expected = {
        p
        for p in on_disk
        if p != "sw.js" and not p.endswith(".map") and not (p.endswith(".gz") and p[:-3] in on_disk)
    }
    assert set(files) == expected, (
        "sw.js 与构建结果不一致：macros/offline.py 必须在所有文件写完后最后运行"
    )
    for rel, digest in files.items():
        assert digest == offline.integrity(built_site / rel), rel


def test_the_self_assessment_runtime_is_precached(built_site):
    files = precache_of(built_site)["files"]
    manifest = json.loads((built_site / "assets/wheels/manifest.json").read_text(encoding="utf-8"))
    needed = [
        "index.html",
        "404.html",
        "assets/javascripts/py-client.js",
        "assets/javascripts/py-worker.js",
        f"assets/pyodide/{manifest['folders']['pyodide']}/pyodide.asm.wasm",
        f"assets/pyodide/{manifest['folders']['pyodide']}/python_stdlib.zip",
        "assets/wheels/manifest.json",
        "assets/data/standard.json",
    ] + [f"assets/wheels/{manifest['folders']['wheels']}/{w}" for w in manifest["wheels"]]
    assert [n for n in needed if n not in files] == []


def test_a_changed_file_changes_the_version_and_nothing_else_does(built_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    first = offline.write_service_worker(copy)
    assert offline.write_service_worker(copy) == first  # a rebuild of the same content: no update
    index = copy / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace("</body>", "<p>新内容</p></body>"),
        encoding="utf-8",
    )
    second = offline.write_service_worker(copy)
    assert second != first
    assert precache_of(copy)["version"] == second
    assert precache_of(copy)["files"]["index.html"] == offline.integrity(index)
