"""Run a Python job inside real Pyodide under Node (tests/pyodide_runner.mjs), offline, with the
very runtime and wheels the built site ships in site/assets/pyodide/<hash>/ and
site/assets/wheels/<hash>/
(its stdlib zip and the selfcheck wheel carry the bytecode macros/bytecode.py adds).

The shipped wheels, not a wheel built for the test: what runs in readers' browsers is what is
tested, and a run needs no second `pip wheel`. A wheel older than the sources it was built from
fails the test with what to do, so an edited engine is never tested through a stale build.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

from macros.assets import WHEEL_PACKAGES
from tests.conftest import ROOT

PYODIDE = ROOT / "node_modules" / "pyodide"
RUNNER = ROOT / "tests" / "pyodide_runner.mjs"
# The wheels with the engine and openpyxl for XLSX: what the site's worker loads.
ENGINE_AND_XLSX = ("selfcheck", "openpyxl", "et_xmlfile")


def _stale_modules(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        shipped = {
            n: zf.read(n)
            for n in zf.namelist()
            if n.split("/")[0] in WHEEL_PACKAGES and n.endswith(".py")
        }
    sources = {
        p.relative_to(ROOT).as_posix(): p.read_bytes()
        for package in WHEEL_PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "__pycache__" not in p.parts
    }
    return sorted(n for n in shipped.keys() | sources.keys() if shipped.get(n) != sources.get(n))


def release_dirs(site_dir: Path) -> tuple[Path, Path]:
    """The built site's runtime and wheels folders, assets/pyodide/<hash>/ and
    assets/wheels/<hash>/, as its manifest names them (macros/assets.py)."""
    manifest = site_dir / "assets" / "wheels" / "manifest.json"
    folders = json.loads(manifest.read_text(encoding="utf-8"))["folders"]
    assets = site_dir / "assets"
    return assets / "pyodide" / folders["pyodide"], assets / "wheels" / folders["wheels"]


def release_urls(site_dir: Path) -> tuple[str, str]:
    """The same two folders as URL paths on the site ("/assets/pyodide/<hash>", ...)."""
    return tuple("/" + d.relative_to(site_dir).as_posix() for d in release_dirs(site_dir))


def shipped_wheels(site_dir: Path) -> list[Path]:
    """The site's wheels in load order (dependencies first, selfcheck last)."""
    manifest = site_dir / "assets" / "wheels" / "manifest.json"
    names = json.loads(manifest.read_text(encoding="utf-8"))["wheels"]
    wheels = [release_dirs(site_dir)[1] / n for n in names]
    selfcheck = [w for w in wheels if w.name.startswith("selfcheck-")]
    assert selfcheck, f"site/assets/wheels/ 中没有 selfcheck 的 wheel：{names}"
    stale = _stale_modules(selfcheck[0])
    assert not stale, (
        "site/ 中的 selfcheck wheel 与源码不一致（"
        + "、".join(stale[:5])
        + "）：请用 bash scripts/test.sh 运行测试，它会先重新生成网站。"
    )
    return wheels


def run_in_pyodide(
    wheels: list[Path],
    script: str,
    job_input: str,
    work: Path,
    expect: tuple[str, ...] = ("selfcheck",),
) -> dict:
    """Run `script` (reads `job_input`, sets `job_output`) in Pyodide; returns the runner's output
    ({"output", "loaded", "version"}). Fails, never skips, when Node or Pyodide is missing."""
    node = shutil.which("node")
    assert node, "需要 Node（node 不在 PATH 中）：Pyodide 测试不能跳过。"
    # The site the wheels come from (site/assets/wheels/<hash>/x.whl), and its runtime folder.
    runtime = release_dirs(Path(wheels[0].as_posix().rsplit("/assets/wheels/", 1)[0]))[0]
    assert (runtime / "pyodide.mjs").exists(), (
        f"缺少 {runtime}/pyodide.mjs：请用 bash scripts/test.sh 运行测试，它会先生成网站。"
    )
    job = {
        "indexURL": str(runtime) + "/",
        "wheels": [str(w) for w in wheels],
        "expect": list(expect),
        "script": script,
        "input": job_input,
    }
    (work / "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    got = subprocess.run(
        [node, str(RUNNER), str(work / "job.json"), str(work / "out.json")],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert got.returncode == 0, f"Pyodide 运行失败（{got.returncode}）：{got.stderr[-3000:]}"
    return json.loads((work / "out.json").read_text(encoding="utf-8"))


def run_job_module(wheels: list[Path], job_module, job_input: str, work: Path) -> dict:
    """Run a job module of tests/ (its `run(text) -> text`) in Pyodide with the engine and
    openpyxl loaded, as the page's worker has them; returns the runner's output."""
    script = (
        Path(job_module.__file__).read_text(encoding="utf-8") + "\njob_output = run(job_input)\n"
    )
    return run_in_pyodide(wheels, script, job_input, work, expect=ENGINE_AND_XLSX)
