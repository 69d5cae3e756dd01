"""Bytecode beside the Python the browser runs: Pyodide's stdlib and the site's wheels.

Pyodide's npm package ships its standard library as sources, and every start in a reader's
browser compiled the ~150 modules it imports; the same for the wheels' modules (selfcheck at every
start, openpyxl at the first XLSX export). Measured in Chromium on 2 cores, warm cache, from
the worker's start to `import selfcheck.api`: 4.6 CPU-s and 4.4 s before, 2.3 CPU-s and 2.1 s with
the bytecode.
`add_bytecode` runs scripts/bytecode/compile.py in Pyodide itself, under Node, because bytecode
is only read by the Python version that wrote it, and the build machine's Python is not 3.14.

The results are kept in `.cache/bytecode/<key>/`, keyed by every input (the two scripts, the
stdlib zip, the wheels, the module list), so a rebuild with no Python change reuses them; the
outputs of one input set are the same bytes on every machine (PYTHONHASHSEED fixed, no file
times in the .pyc files, the zip entries keep their given times).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts" / "bytecode"
# SC_BYTECODE_CACHE: another folder, e.g. an empty one to compile afresh (the rebuild test does).
CACHE = Path(os.environ.get("SC_BYTECODE_CACHE") or ROOT / ".cache" / "bytecode")
KEEP = 3  # cached input sets kept: a switch between two branches rebuilds nothing


class BytecodeError(RuntimeError):
    pass


def browser_imports(packages: tuple[str, ...]) -> list[str]:
    """Every module of our packages (what the bridge may reach) and openpyxl (XLSX exports)."""
    names = []
    for package in packages:
        for path in sorted((ROOT / package).glob("*.py")):
            if path.stem == "__main__":
                continue  # importing it would run the command line
            names.append(package if path.stem == "__init__" else f"{package}.{path.stem}")
    return [*names, "openpyxl"]


def _key(files: list[Path], imports: list[str]) -> str:
    digest = hashlib.sha256()
    for path in [SCRIPTS / "run.mjs", SCRIPTS / "compile.py", *files]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(json.dumps(imports).encode())
    return digest.hexdigest()[:24]


def add_bytecode(pyodide_dir: Path, stdlib: Path, wheels: list[Path], imports: list[str]) -> None:
    """Replace `stdlib` and each of `wheels` (in load order) in place by their copies with
    bytecode."""
    targets = [stdlib, *wheels]
    cached = CACHE / _key(targets, imports)
    if not all((cached / t.name).is_file() for t in targets):
        _compile(pyodide_dir, stdlib, wheels, imports, cached)
    for target in targets:
        shutil.copyfile(cached / target.name, target)
    cached.touch()
    kept = [p for p in CACHE.iterdir() if not p.name.startswith(".")]
    for old in sorted(kept, key=lambda p: p.stat().st_mtime)[:-KEEP]:
        shutil.rmtree(old, ignore_errors=True)


def _compile(pyodide_dir, stdlib, wheels, imports, cached: Path) -> None:
    node = shutil.which("node")
    if not node:
        raise BytecodeError(
            "需要 Node（node 不在 PATH 中）来为浏览器端的 Python 预编译字节码：请先运行 scripts/setup.sh。"
        )
    with tempfile.TemporaryDirectory() as tmp:
        job = Path(tmp)
        for path in [stdlib, *wheels]:
            shutil.copyfile(path, job / path.name)
        spec = {
            "stdlib": stdlib.name,
            "wheels": [w.name for w in wheels],
            "imports": imports,
        }
        (job / "job.json").write_text(json.dumps(spec), encoding="utf-8")
        try:
            done = subprocess.run(
                [node, str(SCRIPTS / "run.mjs"), str(pyodide_dir), str(job)],
                capture_output=True,
                text=True,
                timeout=600,
            )
        except subprocess.TimeoutExpired:
            raise BytecodeError(
                "为浏览器端的 Python 预编译字节码超过 10 分钟仍未完成，已停止。"
            ) from None
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["（无输出）"])[-1]
            raise BytecodeError(
                f"为浏览器端的 Python 预编译字节码失败（scripts/bytecode/compile.py 在 Pyodide 中出错：{last}）。"
                "请确认 scripts/setup.sh 装好了 node_modules/pyodide，且 selfcheck 在 Python 3.14 下能导入。"
            )
        # Staged beside the cache and renamed: an interrupted build never leaves half a file there.
        CACHE.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(dir=CACHE, prefix=".staged-"))
        for path in [stdlib, *wheels]:
            shutil.copyfile(job / "out" / path.name, staged / path.name)
    shutil.rmtree(cached, ignore_errors=True)
    staged.rename(cached)
