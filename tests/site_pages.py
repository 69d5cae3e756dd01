"""Every page of the built site, found by walking it, so pages added later are checked too."""

from __future__ import annotations

from pathlib import Path


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
