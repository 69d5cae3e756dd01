"""Whether site/ is exactly what a build of the current sources would write, to skip a rebuild.

`inputs` prints the hash of every input of the build; `record HASH` (after a successful
`mkdocs build` that started with those inputs) stores it with the hash of every file in site/ in
.cache/site-state.json; `check` exits 0 only when both match now.

Inputs are every file git knows or would add (tracked and untracked, minus .gitignore'd ones)
except tests/ and benchmarks/, which the build never reads; plus what setup.sh installed (the
pinned npm packages and browser wheels, the Python packages of .venv), the environment variables
the build reads, and this interpreter. Outside a git checkout nothing is skipped.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
STATE = ROOT / ".cache" / "site-state.json"
NOT_READ_BY_THE_BUILD = ("tests/", "benchmarks/")
ENVIRONMENT = ("SC_SITE_URL", "SC_PUBLIC_URL", "SOURCE_DATE_EPOCH")


def _tree_hash(root: Path, names: list[str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(names):
        path = root / name
        digest.update(name.encode("utf-8") + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(b"<missing>")
    return digest.hexdigest()


def input_hash(root: Path = ROOT) -> str | None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
    )
    if listed.returncode != 0:
        return None
    names = [
        n
        for n in listed.stdout.decode("utf-8").split("\0")
        if n and not n.startswith(NOT_READ_BY_THE_BUILD)
    ]
    installed = [
        p.relative_to(root).as_posix() for p in sorted((root / ".cache" / "wheels").glob("*.whl"))
    ]
    installed += ["node_modules/pyodide/package.json", "node_modules/docx/package.json"]
    # The Python packages the build runs with (this interpreter's environment, .venv).
    packages = "\n".join(
        sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
    )
    digest = hashlib.sha256()
    digest.update(_tree_hash(root, names + installed).encode())
    digest.update(packages.encode())
    digest.update(sys.version.encode())
    digest.update(json.dumps({k: os.environ.get(k) for k in ENVIRONMENT}, sort_keys=True).encode())
    digest.update(
        subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True
        ).stdout.encode()
    )
    return digest.hexdigest()


def site_hash(site: Path = SITE) -> str | None:
    if not (site / "index.html").is_file():
        return None
    return _tree_hash(
        site, [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    )


def main(command: str) -> int:
    if command == "inputs":
        print(input_hash() or "")
        return 0
    if command == "record":
        # The inputs as they were when the build started: an edit made during the build must not
        # be taken for built.
        STATE.parent.mkdir(exist_ok=True)
        STATE.write_text(
            json.dumps({"inputs": sys.argv[2] or None, "site": site_hash()}), encoding="utf-8"
        )
        return 0
    try:
        state = json.loads(STATE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 1
    now = {"inputs": input_hash(), "site": site_hash()}
    return 0 if None not in now.values() and now == state else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "check"))
