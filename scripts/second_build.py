"""A second build of the current sources, from a fresh copy of the project, for the rebuild test
(tests/test_reproducible_build.py, issue 13 §4): every file it writes must hash the same as site/.

    python scripts/second_build.py OUT

copies the sources into OUT/project, with modification times unlike the checkout's (as a fresh
checkout has), builds them into OUT/site with the checkout's build time and a bytecode cache of
its own, and writes OUT/result.json: the inputs it built (scripts/site_state.py), MkDocs' exit
code and error output. scripts/test.sh runs it beside the main build, on the core that build
leaves idle; the test compares when the inputs are still the current ones, else builds itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.reproducible import source_date_epoch  # noqa: E402

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
# Installed by scripts/setup.sh, not part of the sources: shared by both copies, read only. The
# rest of .cache/ is the copy's own, since a build writes there (the search's user dictionary)
# and two builds may run at once.
INSTALLED = ["node_modules", ".cache/wheels"]
# The copy's files are dated a year back: the wheel's zip entries would carry these times if the
# build did not pin them (zip times have a two-second step, so "a little later" could tie).
AGE_SECONDS = 366 * 24 * 3600


def fresh_copy(dest: Path) -> Path:
    dest.mkdir(parents=True)
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
    then = time.time() - AGE_SECONDS
    for path in dest.rglob("*"):
        os.utime(path, (then, then))
    for name in INSTALLED:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).symlink_to(ROOT / name)
    return dest


def current_inputs() -> str:
    """The hash of the build's inputs, as scripts/test.sh records it for site/: computed by the
    script itself, since the Python packages it counts depend on the caller's sys.path."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "site_state.py"), "inputs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return run.stdout.strip()


def checkout_like_build(out: Path) -> subprocess.CompletedProcess:
    """Build a fresh copy into out/site as site/ is built here: the same environment (its address,
    SC_SITE_URL, among it), the checkout's build time (the copy has no git history to read it
    from), the browser's bytecode compiled afresh."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": str(source_date_epoch(ROOT)),
        "SC_BYTECODE_CACHE": str(out / "bytecode"),
    }
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out / "site")],
        cwd=fresh_copy(out / "project"),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def main(out: Path) -> int:
    if out.exists():
        shutil.rmtree(out)
    inputs = current_inputs()
    run = checkout_like_build(out)
    result = {"inputs": inputs, "returncode": run.returncode, "stderr": run.stderr[-4000:]}
    (out / "result.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
