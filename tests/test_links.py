"""No broken internal link or missing asset anywhere in the built site.

Every `href`, `src`, `srcset`, `data`, `poster` of every HTML page, and every `url(...)` of every
CSS file, that points into the site must name a file that exists; a `#fragment` must name an id
(or `name`) on the target page. External addresses are test_no_external.py's business.
"""

from __future__ import annotations

import html.parser
import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.pyodide_node import release_dirs
from tests.site_pages import html_files

BASE = "http://site.invalid/"
URL_ATTRS = {"href", "src", "data", "poster"}
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "sms:")


class _Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []  # (tag.attr, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id",) or (name == "name" and tag == "a"):
                self.ids.add(value)
            if name in URL_ATTRS:
                # <link rel=canonical>/<a> both count: a reader follows them.
                self.refs.append((f"{tag}.{name}", value.strip()))
            elif name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.refs.append((f"{tag}.srcset", part.strip().split()[0]))
            elif name == "style":
                for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", value):
                    self.refs.append((f"{tag}.style", u))


@cache
def parse(path: Path) -> _Refs:
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(site_dir: Path, url_path: str) -> Path | None:
    """The file a URL path (already inside the site) would be served from, or None."""
    rel = unquote(url_path.lstrip("/"))
    candidate = site_dir / rel
    if rel == "" or url_path.endswith("/"):
        candidate = candidate / "index.html"
    if candidate.is_file():
        return candidate
    if (candidate / "index.html").is_file():  # a directory without its slash: the server redirects
        return candidate / "index.html"
    return None


def internal(page_url: str, ref: str) -> str | None:
    """The absolute URL of `ref` if it stays inside the site, else None."""
    if not ref or ref.lower().startswith(SKIP_SCHEMES):
        return None
    absolute = urljoin(page_url, ref)
    return absolute if absolute.startswith(BASE) else None


def broken_refs(site_dir: Path) -> list[str]:
    problems = []
    for html_path in html_files(site_dir):
        rel = html_path.relative_to(site_dir).as_posix()
        page_url = BASE + rel
        for where, ref in parse(html_path).refs:
            url = internal(page_url, ref)
            if url is None:
                continue
            parts = urlsplit(url)
            found = target_file(site_dir, parts.path[len(urlsplit(BASE).path) - 1 :])
            if found is None:
                problems.append(f"{rel}: {where}={ref!r} → 文件不存在")
            elif parts.fragment and found.suffix == ".html":
                fragment = unquote(parts.fragment)
                if fragment not in parse(found).ids and fragment not in ("", "top"):
                    problems.append(f"{rel}: {where}={ref!r} → 目标页没有 id “{fragment}”")
    for css in sorted(site_dir.rglob("*.css")):
        rel = css.relative_to(site_dir).as_posix()
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            url = internal(BASE + rel, ref)
            if url is not None and target_file(site_dir, urlsplit(url).path) is None:
                problems.append(f"{rel}: url({ref}) → 文件不存在")
    return problems


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site


def test_every_internal_link_and_asset_exists(site):
    problems = broken_refs(site)
    assert problems == [], "站内链接或资源缺失：\n" + "\n".join(problems)


def test_the_checker_sees_pages_and_assets(site):
    # Guard against a checker that silently checks nothing.
    refs = [r for p in html_files(site) for r in parse(p).refs]
    assert len(html_files(site)) >= 10
    assert any(where == "script.src" for where, _ in refs)
    assert any(where == "link.href" and ref.endswith(".css") for where, ref in refs)


def test_the_checker_reports_a_missing_file_and_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="b/">missing</a><img src="x.png"><a href="a/#sec">ok</a>'
        '<a href="a/#nope">bad anchor</a><a href="https://example.org/">external</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="sec">s</h2>', encoding="utf-8")
    problems = broken_refs(tmp_path)
    assert len(problems) == 3, problems
    assert any("'b/'" in p for p in problems) and any("x.png" in p for p in problems)
    assert any("nope" in p for p in problems)


def test_files_the_python_worker_loads_exist(site):
    # py-worker.js builds these URLs in code, so no HTML names them.
    manifest = json.loads((site / "assets/wheels/manifest.json").read_text(encoding="utf-8"))
    runtime, wheels = release_dirs(site)
    for wheel in manifest["wheels"]:
        assert (wheels / wheel).is_file(), wheel
    for name in [
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
    ]:
        assert (runtime / name).is_file(), name
    assert (site / "assets/javascripts/py-worker.js").is_file()
