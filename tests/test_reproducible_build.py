"""A rebuild with no change writes the same bytes (issue 13 §4): otherwise the service worker's
version changes and every returning reader is told “本站内容已更新” although nothing changed.

The project is copied into a different folder, its files dated otherwise as a fresh checkout's are,
and built there (scripts/second_build.py); every file must hash the same as in the other build.
The other build is the suite's own site/ when it is exactly what the current sources build
(scripts/site_state.py, as scripts/test.sh checks before it skips a build), else a second copy
built the same way. scripts/test.sh makes the copy's build beside its own (SC_SECOND_BUILD names
its folder), on the core its build leaves idle; it is used only if it built the current inputs."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SITE_DIR

pytestmark = pytest.mark.build

spec = importlib.util.spec_from_file_location("second_build", ROOT / "scripts" / "second_build.py")
second_build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(second_build)


def site_is_current() -> bool:
    """site/ is what a build of the current sources, with this environment, writes."""
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "site_state.py"), "check"], cwd=ROOT
    )
    return check.returncode == 0


def hashes(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def made_beside_the_suite() -> Path | None:
    """The copy's build that scripts/test.sh made, if it built what the sources are now."""
    folder = os.environ.get("SC_SECOND_BUILD")
    result = Path(folder) / "result.json" if folder else None
    if result is None or not result.is_file():
        return None
    made = json.loads(result.read_text(encoding="utf-8"))
    if not made["inputs"] or made["inputs"] != second_build.current_inputs():
        return None
    assert made["returncode"] == 0, made["stderr"]
    return Path(folder) / "site"


def built(out: Path) -> Path:
    run = second_build.checkout_like_build(out)
    assert run.returncode == 0, run.stderr
    return out / "site"


def test_two_fresh_builds_are_identical(tmp_path):
    if site_is_current():
        a = hashes(SITE_DIR)
        b = hashes(made_beside_the_suite() or built(tmp_path / "b"))
    else:
        a = hashes(built(tmp_path / "a"))
        b = hashes(built(tmp_path / "b"))
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    # The files that used to differ are there, so the comparison covered them.
    assert any(n.startswith("assets/wheels/") and "/selfcheck-" in n for n in a)
    assert {"sw.js", "sitemap.xml.gz", "assets/downloads/reserve-ledger.xlsx"} <= set(a)


def test_the_engine_wheel_does_not_change_with_the_commit_time(tmp_path, monkeypatch):
    """The rest of the build takes the last commit's time; the selfcheck wheel does not, so a site
    update that leaves the engine alone keeps assets/wheels/<hash>/ (readers keep their copy, and
    the saved Python, whose `runtime_id` hashes this wheel)."""
    from macros.assets import build_selfcheck_wheel

    built = []
    for epoch in ("1700000000", "1750000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        out = tmp_path / epoch
        out.mkdir()
        built.append(build_selfcheck_wheel(out).read_bytes())
    assert built[0] == built[1]


def test_the_engine_wheel_does_not_change_with_the_readme(tmp_path, monkeypatch):
    """A commit that edits only README.md keeps the wheel's bytes, and so readers' saved Python
    (pyproject.toml's `readme` would otherwise put the README's text into the wheel's METADATA)."""
    import macros.assets as assets

    repo = Path(assets.ROOT)
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copy2(repo / "pyproject.toml", copy / "pyproject.toml")
    (copy / "README.md").write_text("# 另一份说明\n只改了 README。\n", encoding="utf-8")
    for package in assets.WHEEL_PACKAGES:
        shutil.copytree(
            repo / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    built = []
    for root in (repo, copy):
        monkeypatch.setattr(assets, "ROOT", root)
        out = tmp_path / f"out-{len(built)}"
        out.mkdir()
        built.append(assets.build_selfcheck_wheel(out).read_bytes())
    assert built[0] == built[1]
