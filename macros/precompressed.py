"""Gzip copies (`<file>.gz`) beside the site's large text and WebAssembly files.

deploy/nginx/anquan-site.conf turns on `gzip_static`: nginx then sends this prepared copy to a
browser that accepts gzip, instead of compressing the file again for every reader. Compressing the
9.6 MB Python runtime (pyodide.asm.wasm) at the configuration's level 5 takes about 0.3 s of one
core (measured on the 2-core test machine), and an nginx worker answers nothing else meanwhile: in
a trace of a first visit, the runtime's next file (pyodide.asm.mjs) waited about 0.5 s behind it.
Here the build pays once, at level 9 (3.54 MB instead of 3.59).

Servers without `gzip_static` (GitHub Pages, `python -m http.server`) ignore the copies; the
offline copy (sw.js) leaves them out (macros/offline.py). A copy is written only where it saves
something: files already compressed (python_stdlib.zip, wheels, PNG) get none.
"""

from __future__ import annotations

import gzip
from pathlib import Path

SUFFIX = ".gz"
# The types deploy/nginx compresses (its `gzip_types`), by file name.
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".wasm")
# Below this nginx's own gzip costs little; fewer files to copy when deploying.
MIN_BYTES = 16 * 1024
# A copy that saves less than a tenth is not worth a second file.
MAX_RATIO = 0.9


def is_copy(path: Path) -> bool:
    """Whether `path` is a prepared copy of another file of the site (the offline copy skips it)."""
    return path.name.endswith(SUFFIX) and path.with_name(path.name[: -len(SUFFIX)]).is_file()


def gzip_bytes(data: bytes) -> bytes:
    """Gzip at level 9 with no time and no file name in the header: the same bytes on every build."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def write_all(site_dir: str | Path) -> None:
    """Write `<file>.gz` beside each large compressible file."""
    for path in sorted(Path(site_dir).rglob("*")):
        if not path.is_file() or not path.name.endswith(COMPRESSIBLE):
            continue
        data = path.read_bytes()
        if len(data) < MIN_BYTES:
            continue
        packed = gzip_bytes(data)
        if len(packed) > len(data) * MAX_RATIO:
            continue
        path.with_name(path.name + SUFFIX).write_bytes(packed)
