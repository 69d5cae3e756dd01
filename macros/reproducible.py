"""One fixed build time, so that a rebuild with no change writes the same bytes (issue 13 §4).

Generated files carry timestamps from three places: MkDocs (the sitemap's `lastmod`, the gzip header
of `sitemap.xml.gz`), the `selfcheck` wheel (its zip entries take the files' modification times,
which a fresh checkout sets to the clock) and openpyxl (`dcterms:created`/`modified` and the zip
entries' times are the clock time). MkDocs and the `wheel` package read `SOURCE_DATE_EPOCH`
(reproducible-builds.org); openpyxl does not, so workbooks go through `workbook_bytes`.
"""

from __future__ import annotations

import io
import os
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

# Used only outside a git checkout (a source tarball): the day 沙安办〔2024〕30号 was issued.
FALLBACK_EPOCH = int(datetime(2024, 5, 23, tzinfo=UTC).timestamp())


def source_date_epoch(project: Path) -> int:
    """`SOURCE_DATE_EPOCH` if set, else the time of the checkout's last commit (the same on every
    fresh clone of it), else `FALLBACK_EPOCH`."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        run = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError:  # no git installed
        return FALLBACK_EPOCH
    return int(run.stdout.strip()) if run.returncode == 0 and run.stdout.strip() else FALLBACK_EPOCH


def pin_build_time(project: Path) -> int:
    """Set `SOURCE_DATE_EPOCH` for the rest of this build (MkDocs reads it when it creates pages,
    after the plugins' `on_config`), and for the wheel build this process starts."""
    epoch = source_date_epoch(project)
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    return epoch


def build_moment() -> datetime:
    """The pinned build time as a naive UTC datetime (what openpyxl writes)."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or FALLBACK_EPOCH)
    return datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)


def workbook_bytes(book) -> bytes:
    """An openpyxl workbook as .xlsx bytes with every timestamp pinned to `build_moment()`.

    `Workbook.save` sets `modified` to the clock time after we set it, and `ZipFile.writestr`
    stamps each entry with the clock: so write with openpyxl's writer, then re-stamp the entries.
    """
    from openpyxl.writer.excel import ExcelWriter

    moment = build_moment()
    book.properties.created = moment
    book.properties.modified = moment
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return restamp_zip(raw.getvalue(), moment)


def restamp_zip(data: bytes, moment: datetime) -> bytes:
    """The same zip, entries in the same order, each dated `moment` (zip times start in 1980)."""
    stamp = max(moment, datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for entry in src.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            dst.writestr(info, src.read(entry.filename))
    return out.getvalue()
