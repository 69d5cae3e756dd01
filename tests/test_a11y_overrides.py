"""Our copy of Material's search partial differs from the installed Material only by the dialog name.

An upgrade of Material that changes the partial fails this test, so the copy is refreshed rather
than silently freezing an old search box.
"""

from __future__ import annotations

from pathlib import Path

import material

from tests.conftest import ROOT

OURS = ROOT / "overrides" / "partials" / "search.html"
THEIRS = Path(material.__file__).parent / "templates" / "partials" / "search.html"
DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">'


def _body(text: str) -> str:
    return text.split("-#}", 1)[1]  # drop the leading Jinja comment


def test_search_partial_is_materials_plus_a_dialog_name():
    theirs = THEIRS.read_text(encoding="utf-8")
    assert DIALOG in theirs, "Material 的 partials/search.html 已改变：请重新复制并加上 aria-label"
    assert _body(OURS.read_text(encoding="utf-8")) == _body(theirs).replace(DIALOG, NAMED)


def test_built_pages_name_the_search_dialog(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'role="dialog" aria-label="查找"' in html  # Material's zh word for search
