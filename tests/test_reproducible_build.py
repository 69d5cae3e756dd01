"""A rebuild with no change writes the same bytes (issue 13 §4): otherwise the service worker's
version changes and every returning reader is told “本站内容已更新” although nothing changed.

The project is copied into a different folder, its files with new modification times as a fresh
checkout has, and built there; every file must hash the same as in the other build. The other build
is the suite's own site/ when it is exactly what the current sources build (scripts/site_state.py,
as scripts/test.sh checks before it skips a build), else a second copy built the same way."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SITE_DIR

pytestmark = pytest.mark.build

SOURCES = [
    "mkdocs.yml",
    "pyproject.toml",
    "README.md",
    "docs",
    "macros",
    "overrides",
    "data",
    "selfcheck",
    "riskmap",
    "scripts",
]
# Installed by scripts/setup.sh, not part of the sources: shared by both copies.
INSTALLED = ["node_modules", ".cache"]


def fresh_copy(dest: Path) -> Path:
    dest.mkdir()
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src,
                dest / name,
                copy_function=shutil.copyfile,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        else:
            shutil.copyfile(src, dest / name)
    for name in INSTALLED:
        (dest / name).symlink_to(ROOT / name)
    return dest


def build(project: Path, out: Path, **env_vars: str) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SC_SITE_URL": "http://127.0.0.1:8000/"}
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(env_vars)
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr


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


def test_two_fresh_builds_are_identical(tmp_path):
    if site_is_current():
        # The same build time as site/'s (its checkout's last commit, or the variable if set):
        # the copy has no git history to read it from.
        from macros.reproducible import source_date_epoch

        env = {
            "SC_SITE_URL": os.environ.get("SC_SITE_URL", ""),
            "SOURCE_DATE_EPOCH": str(source_date_epoch(ROOT)),
            # The browser's bytecode compiled afresh, not taken from site/'s cached compile.
            "SC_BYTECODE_CACHE": str(tmp_path / "bytecode"),
        }
        build(fresh_copy(tmp_path / "b"), tmp_path / "site-b", **env)
        a, b = hashes(SITE_DIR), hashes(tmp_path / "site-b")
    else:
        build(
            fresh_copy(tmp_path / "a"), tmp_path / "site-a", SC_BYTECODE_CACHE=str(tmp_path / "ca")
        )
        time.sleep(2.1)  # zip times have a two-second step: the second copy's mtimes must differ
        build(
            fresh_copy(tmp_path / "b"), tmp_path / "site-b", SC_BYTECODE_CACHE=str(tmp_path / "cb")
        )
        a, b = hashes(tmp_path / "site-a"), hashes(tmp_path / "site-b")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    # The files that used to differ are there, so the comparison covered them.
    assert any(n.startswith("assets/wheels/selfcheck-") for n in a)
    assert {"sw.js", "sitemap.xml.gz", "assets/downloads/reserve-ledger.xlsx"} <= set(a)
