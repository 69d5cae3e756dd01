"""Every page of the built site, found by walking it, so pages added later are checked too."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit


def html_files(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def page_url(site_dir: Path, html: Path) -> str:
    """The path a reader visits: `staff/index.html` → `/staff/`, `404.html` → `/404.html`."""
    rel = html.relative_to(site_dir).as_posix()
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def page_urls(site_dir: Path) -> list[str]:
    return [page_url(site_dir, p) for p in html_files(site_dir)]


def sitemap_paths(site_dir: Path) -> set[str]:
    """The paths the build's sitemap lists: the pages Material's instant navigation opens in place
    (the others, 404.html or an old address kept as a page of its own, a link loads in full)."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.exists():
        return set()
    return {
        urlsplit(u).path
        for u in re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8"))
    }
