"""The bytecode the build adds for the browser's Python (macros/bytecode.py): nothing lost from
Pyodide's stdlib, and Python in Pyodide reads it instead of compiling at start."""

from __future__ import annotations

import json
import zipfile

from macros.assets import PYODIDE_DIR, WHEEL_PACKAGES
from macros.bytecode import browser_imports
from tests.pyodide_node import ENGINE_AND_XLSX, release_dirs, run_in_pyodide

# What the test runs in Pyodide: the browser's imports, then where each module came from.
JOB = """
import importlib, json, sys
job = json.loads(job_input)
for name in job["imports"]:
    importlib.import_module(name)
zip_path = next(p for p in sys.path if p.endswith(".zip")) + "/"
wheels_path = next(p for p in sys.path if p.endswith("site-packages")) + "/"
def pyc_flags(module):
    with open(module.__cached__, "rb") as f:
        return int.from_bytes(f.read(8)[4:8], "little")
# Frozen modules start from bytecode inside the interpreter, whatever their __file__ says.
files = {
    name: getattr(m, "__file__", None) or ""
    for name, m in list(sys.modules.items())
    if getattr(getattr(m, "__spec__", None), "origin", None) != "frozen"
}
job_output = json.dumps({
    "stdlib": {n: f[len(zip_path):] for n, f in files.items() if f.startswith(zip_path)},
    "wheels": {n: pyc_flags(sys.modules[n]) for n, f in files.items() if f.startswith(wheels_path)},
})
"""


def test_the_stdlib_zip_keeps_every_file_and_adds_bytecode_only_for_what_is_used(built_site):
    with (
        zipfile.ZipFile(PYODIDE_DIR / "python_stdlib.zip") as npm,
        zipfile.ZipFile(release_dirs(built_site)[0] / "python_stdlib.zip") as ours,
    ):
        before, after = npm.namelist(), ours.namelist()
        compiled = [n for n in after if n.endswith(".pyc")]
        # Every file is there, in the same order, a used module as its .pyc instead of its source.
        assert [n[:-1] if n.endswith(".pyc") else n for n in after] == before
        for name in after:
            if not name.endswith(".pyc"):
                assert ours.read(name) == npm.read(name), name
    assert {"json/__init__.pyc", "dataclasses.pyc", "asyncio/base_events.pyc"} <= set(compiled)
    # Modules nothing imports stay sources, so the download grows only by what is used.
    assert {"smtplib.py", "imaplib.py", "turtle.py"} & set(after)
    assert len(compiled) < len(before) / 2


def test_python_in_pyodide_reads_the_bytecode_and_compiles_nothing_to_start(
    shipped_wheels, tmp_path
):
    got = run_in_pyodide(
        shipped_wheels,
        JOB,
        json.dumps({"imports": browser_imports(WHEEL_PACKAGES)}),
        tmp_path,
        expect=ENGINE_AND_XLSX,
    )
    out = json.loads(got["output"])
    from_source = sorted(n for n, f in out["stdlib"].items() if not f.endswith(".pyc"))
    assert len(out["stdlib"]) > 100
    assert from_source == []
    # Every module of the wheels was read from its __pycache__: an "unchecked hash" .pyc (flags
    # 0b01), which is what the build writes; a .pyc Python wrote itself would carry a file time (0).
    assert set(out["wheels"]) >= {"selfcheck.api", "selfcheck.bridge", "riskmap", "openpyxl"}
    assert {n: f for n, f in out["wheels"].items() if f != 1} == {}
