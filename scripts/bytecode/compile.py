"""Runs inside Pyodide (scripts/bytecode/run.mjs): bytecode for what the browser's Python imports.

Pyodide's `python_stdlib.zip` holds sources only, so every start compiled each of the ~150
modules Python imports to start and to load the engine: about 2.5 of the 4 CPU-seconds of a start.
The same for the wheels' modules. With the bytecode beside them, Python reads instead of compiles.

/job/job.json: {"stdlib": file name, "wheels": [file names, load order; run.mjs installs them],
"imports": [module names]}. Writes to /job/out/:
- the stdlib zip, where each module the imports (and Pyodide's own start) loaded is replaced by
  its `.pyc` (zipimport reads a `.pyc` with no source; the other modules stay sources, so the
  download grows by only what is used);
- each wheel with `__pycache__/*.pyc` beside its sources (kept for tracebacks)
  and a RECORD that lists them.
The `.pyc` files are "unchecked hash" ones: no file time in them, never compared with a source.
"""

import base64
import hashlib
import importlib
import importlib._bootstrap_external as bootstrap_external
import importlib.util
import json
import sys
import sysconfig
import zipfile

JOB = "/job/"
OUT = "/job/out/"
with open(JOB + "job.json", encoding="utf-8") as f:
    job = json.load(f)
site_packages = sysconfig.get_paths()["purelib"]
stdlib_path = next(p for p in sys.path if p.endswith(".zip"))


def bytecode(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True)
    return bootstrap_external._code_to_hash_pyc(
        code, importlib.util.source_hash(source), checked=False
    )


def entry(name: str, like: zipfile.ZipInfo) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, like.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = like.external_attr
    return info


for module in job["imports"]:
    importlib.import_module(module)

prefix = stdlib_path + "/"
# Frozen modules (os, codecs, ...) name their zip entry as __file__ but start from the bytecode
# inside the interpreter: they need no .pyc.
used = {
    module.__file__[len(prefix) :]
    for module in list(sys.modules.values())
    if (getattr(module, "__file__", None) or "").startswith(prefix)
    and getattr(module.__spec__, "origin", None) != "frozen"
}
with (
    zipfile.ZipFile(JOB + job["stdlib"]) as src,
    zipfile.ZipFile(OUT + job["stdlib"], "w") as out,
):
    for info in src.infolist():
        data = src.read(info)
        if info.filename in used and info.filename.endswith(".py"):
            pyc = bytecode(data, prefix + info.filename)
            out.writestr(entry(info.filename + "c", info), pyc, zipfile.ZIP_DEFLATED, 9)
        else:
            out.writestr(info, data, info.compress_type)


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}\n"


tag = sys.implementation.cache_tag
for name in job["wheels"]:
    with zipfile.ZipFile(JOB + name) as src, zipfile.ZipFile(OUT + name, "w") as out:
        record = None
        added = []
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                record = (info, data.decode("utf-8"))
                continue
            out.writestr(info, data, info.compress_type)
            if info.filename.endswith(".py"):
                folder, _, file = info.filename.rpartition("/")
                pyc_name = f"{folder}/__pycache__/{file[:-3]}.{tag}.pyc"
                pyc = bytecode(data, f"{site_packages}/{info.filename}")
                out.writestr(entry(pyc_name, info), pyc, zipfile.ZIP_DEFLATED, 9)
                added.append(record_line(pyc_name, pyc))
        info, text = record
        out.writestr(info, (text + "".join(added)).encode("utf-8"), info.compress_type)
