"""Helpers for the 居民 browser tests: PDFs as text per page."""

from __future__ import annotations

import io


def pdf_pages(pdf_bytes: bytes) -> list[str]:
    """The text of each page of a PDF made by Chromium's `page.pdf()`."""
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf_bytes)).pages]


def a4_pdf(page) -> bytes:
    page.emulate_media(media="print")
    # 10 mm margins, like a browser's default print settings.
    margin = {side: "10mm" for side in ("top", "right", "bottom", "left")}
    return page.pdf(format="A4", margin=margin, print_background=False)
