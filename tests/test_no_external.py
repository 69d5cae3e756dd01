"""Nothing in the built site makes a browser request another origin (intranets have no internet).

Scanned: every HTML page (attributes a browser fetches by itself: script/img/iframe src, stylesheet
and icon links, srcset, style url()), every CSS file (url(), @import; comments skipped), and every
JS file (string literals that begin with an absolute URL). Plain `<a href>` links to other sites
are not requests and are allowed. Third-party code that merely *contains* an address is listed in
THIRD_PARTY with the reason it is never requested here; each reason is backed by a check below and
by the browser tests, whose `page` fixture fails on any request to another origin.
"""

from __future__ import annotations

import fnmatch
import html.parser
import re
from pathlib import Path

from tests.conftest import ROOT
from tests.site_pages import html_files

ABSOLUTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
FETCHED_LINK_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
    "apple-touch-icon",
    "mask-icon",
    "preconnect",
    "dns-prefetch",
}
FETCHED_ATTRS = {
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("source", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
    ("object", "data"),
    ("image", "href"),
    ("use", "href"),
    ("image", "xlink:href"),
    ("use", "xlink:href"),
}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# Comment lines (`// …`, ` * …` in doc blocks) carry examples and licences, not requests.
JS_COMMENT_LINE = re.compile(r"(?m)^\s*(?://|\*|/\*).*$")
# XML namespace names: identifiers written into SVG and Office files (docx/xlsx exports), which by
# the XML Namespaces spec are never fetched.
XML_NAMESPACES = (
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/2001/XMLSchema-instance",
    "http://www.w3.org/XML/1998/namespace",
    "http://schemas.openxmlformats.org/",
    "http://schemas.microsoft.com/office/",
    "http://purl.org/dc/",
    "http://purl.oclc.org/ooxml/",
)
JS_URL_LITERAL = re.compile(
    r"""["'`]((?:https?:)?//(?:[\w-]+\.)+[\w-]+[^"'`\s]*|https?://\$\{[^"'`\s]*)"""
)

# (file pattern, address prefix, why no page of ours ever requests it)
THIRD_PARTY = [
    (
        "assets/javascripts/bundle.*.min.js",
        "https://unpkg.com/resize-observer-polyfill",
        "Material loads it only where window.ResizeObserver is missing (Chrome < 64, Safari < 13.1, "
        "Firefox < 69); every browser that can run the self-assessment (module workers, WebAssembly) has "
        "it. Chromium tests record every request of every page: none goes there.",
    ),
    (
        "assets/javascripts/bundle.*.min.js",
        "https://unpkg.com/mermaid@",
        "only for ```mermaid diagrams: test_no_page_uses_mermaid checks there are none.",
    ),
    (
        "assets/javascripts/bundle.*.min.js",
        "https://api.github.com/",
        "only with `repo_url`: test_no_repository_widget checks mkdocs.yml sets none.",
    ),
    (
        "assets/javascripts/bundle.*.min.js",
        "https://${e}/api/v4/projects/",
        "GitLab's API, only with a GitLab `repo_url`: see test_no_repository_widget.",
    ),
    (
        "assets/pyodide/*/pyodide.mjs",
        "https://cdn.jsdelivr.net/pyodide/",
        "Pyodide's default package CDN, used for packages loaded by name; py-worker.js loads only "
        "wheels by URL from this site (manifest.json), and the browser tests see no request there.",
    ),
    (
        "assets/pyodide/*/pyodide.asm.mjs",
        "https://${t}",
        "Pyodide's socket emulation for Python code that opens sockets; selfcheck opens none.",
    ),
]


def third_party_reason(rel: str, url: str) -> str | None:
    for pattern, prefix, reason in THIRD_PARTY:
        if fnmatch.fnmatch(rel, pattern) and url.startswith(prefix):
            return reason
    return None


class _Fetched(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in FETCHED_ATTRS:
                self.urls.append((f"{tag}.{name}", value))
            elif name in ("srcset", "imagesrcset"):
                self.urls += [
                    (f"{tag}.{name}", p.strip().split()[0]) for p in value.split(",") if p.strip()
                ]
            elif name == "style":
                self.urls += [(f"{tag}.style", u) for u in CSS_URL.findall(value)]
        if (
            tag == "link"
            and set((a.get("rel") or "").lower().split()) & FETCHED_LINK_RELS
            and a.get("href")
        ):
            self.urls.append((f"link[rel={a.get('rel')}].href", a["href"]))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += [("style", u) for u in CSS_URL.findall(CSS_COMMENT.sub("", data))]


def external_references(site_dir: Path) -> tuple[list[str], set[tuple[str, str]]]:
    """(problems, third-party entries that were seen) for a built site."""
    problems, seen = [], set()
    for page in html_files(site_dir):
        rel = page.relative_to(site_dir).as_posix()
        parser = _Fetched()
        parser.feed(page.read_text(encoding="utf-8"))
        problems += [f"{rel}: {where}={url}" for where, url in parser.urls if ABSOLUTE.match(url)]
    for css in sorted(site_dir.rglob("*.css")):
        rel = css.relative_to(site_dir).as_posix()
        text = CSS_COMMENT.sub("", css.read_text(encoding="utf-8"))
        problems += [f"{rel}: url({u})" for u in CSS_URL.findall(text) if ABSOLUTE.match(u)]
    for js in sorted([*site_dir.rglob("*.js"), *site_dir.rglob("*.mjs")]):
        rel = js.relative_to(site_dir).as_posix()
        code = JS_COMMENT_LINE.sub("", js.read_text(encoding="utf-8", errors="replace"))
        for url in JS_URL_LITERAL.findall(code):
            if url.startswith(XML_NAMESPACES):
                continue
            if third_party_reason(rel, url):
                seen.add((rel, url))
            else:
                problems.append(f"{rel}: {url}")
    return problems, seen


def test_no_built_file_requests_another_origin(built_site):
    problems, _ = external_references(built_site)
    assert problems == [], "会向其他网站发出请求的地址：\n" + "\n".join(problems)


def test_every_listed_third_party_address_still_exists(built_site):
    # An entry that no longer matches means a new Material/Pyodide changed them: review the list.
    _, seen = external_references(built_site)
    for pattern, prefix, _ in THIRD_PARTY:
        assert any(fnmatch.fnmatch(rel, pattern) and url.startswith(prefix) for rel, url in seen), (
            pattern,
            prefix,
        )


def test_no_page_uses_mermaid(built_site):
    for page in html_files(built_site):
        assert 'class="mermaid"' not in page.read_text(encoding="utf-8"), page


def test_no_repository_widget(built_site):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"(?m)^repo_url:", config)
    for page in html_files(built_site):
        assert 'data-md-component="source"' not in page.read_text(encoding="utf-8"), page


def test_no_google_fonts(built_site):
    for page in html_files(built_site):
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8"), page


def test_the_scanner_finds_external_requests(tmp_path):
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="https://cdn.example/x.css"><script src="//cdn.example/x.js"></script>'
        '<img srcset="a.png 1x, https://img.example/b.png 2x"><a href="https://gov.example/">a link</a>'
        '<style>body{background:url("http://img.example/bg.png")}</style>',
        encoding="utf-8",
    )
    (tmp_path / "x.css").write_text(
        '/* https://ok.example */ @import "https://f.example/a.css";', encoding="utf-8"
    )
    (tmp_path / "x.js").write_text(
        '// see "https://docs.example"\n * "https://doc.example"\nfetch("https://api.example/v1");'
        'document.createElementNS("http://www.w3.org/2000/svg", "svg");',
        encoding="utf-8",
    )
    problems, _ = external_references(tmp_path)
    assert len(problems) == 6, problems
    assert not any("gov.example" in p or "ok.example" in p or "docs.example" in p for p in problems)
