"""Convert office files to PDF with LibreOffice headless and read back what a printout shows.

Used by the print tests: every XLSX and DOCX the site and the engine produce is converted, and the
PDF is checked for its page count, for every text being present, for text lines that overprint
one another (wrapped text in a row too low for it runs into the next row) and for a readable size.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


@dataclass(frozen=True)
class Run:
    page: int
    x: float
    y: float
    size: float
    text: str


def convert(files: list[Path], out_dir: Path, profile: Path) -> dict[Path, Path]:
    """Convert `files` to PDF in one LibreOffice run; returns each file's PDF."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        SOFFICE,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    pdfs = {f: out_dir / (f.stem + ".pdf") for f in files}
    missing = [str(f) for f, p in pdfs.items() if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {done.stdout} {done.stderr}"
    return pdfs


def runs(pdf: Path) -> list[Run]:
    """Every text run of the PDF with its page, position and printed size, in drawing order."""
    import pypdf

    out: list[Run] = []
    for n, page in enumerate(pypdf.PdfReader(str(pdf)).pages):

        def visit(text, cm, tm, font, size, n=n):
            if text.strip():
                scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0])
                out.append(
                    Run(
                        n,
                        round(tm[4] * cm[0] + cm[4], 1),
                        round(tm[5] * cm[3] + cm[5], 1),
                        round(size * scale, 2),
                        text,
                    )
                )

        page.extract_text(visitor_text=visit)
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_count(pdf: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(str(pdf)).pages)


def missing_texts(pdf: Path, texts: list[str]) -> list[str]:
    """The texts that do not appear whole in the PDF (lines of one cell are drawn one after another)."""
    body = squeeze("".join(r.text for r in runs(pdf)))
    return [t for t in texts if squeeze(t) and squeeze(t) not in body]


def overprinted(pdf: Path) -> list[tuple[Run, Run]]:
    """Pairs of lines printed over each other: same page and column start, baselines closer than the font."""
    found = []
    by_column: dict[tuple[int, float], list[Run]] = {}
    for r in runs(pdf):
        by_column.setdefault((r.page, r.x), []).append(r)
    for column in by_column.values():
        column.sort(key=lambda r: -r.y)
        for a, b in zip(column, column[1:], strict=False):
            if abs(a.y - b.y) < 0.8 * min(a.size, b.size):
                found.append((a, b))
    return found
