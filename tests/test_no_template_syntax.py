"""No page shows template syntax to a reader: a Jinja comment or tag that leaked through the macros
(`{# … #}`, `{% … %}`, `{{ … }}`) reads as garbage on the page. Code blocks may show such text."""

from __future__ import annotations

import html
import re

from tests.site_pages import html_files

_NOT_READ = re.compile(r"<(script|style|pre|code|template)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_TEMPLATE = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")


def visible_text(raw_html: str) -> str:
    """The page's text as a reader sees it, without scripts, styles and code blocks."""
    return html.unescape(_TAG.sub(" ", _NOT_READ.sub(" ", raw_html)))


def test_visible_text_drops_code_but_keeps_prose():
    raw = "<p>看 {# 注释 #}</p><pre><code>{{ x }}</code></pre><script>a={{b}}</script>"
    assert _TEMPLATE.findall(visible_text(raw)) == ["{#", "#}"]


def test_no_built_page_shows_template_syntax(built_site):
    leaks = []
    for page in html_files(built_site):
        text = visible_text(page.read_text(encoding="utf-8"))
        for m in _TEMPLATE.finditer(text):
            around = " ".join(text[max(0, m.start() - 40) : m.end() + 40].split())
            leaks.append(f"{page.relative_to(built_site)}: …{around}…")
    assert not leaks, "页面上出现了模板语法：\n" + "\n".join(leaks[:20])
