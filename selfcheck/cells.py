"""Cell values for the spreadsheets we write (XLSX through openpyxl, and CSV): one helper for every
writer — the self-assessment exports, the roll-up and the 风险一张图 台账 — so they all behave alike.

Two dangers, both from text a user typed:

- Characters XML 1.0 cannot hold (C0 controls other than tab and line breaks) make openpyxl raise
  `IllegalCharacterError`; a lone surrogate cannot be encoded at all. They are replaced by U+FFFD
  (�) so the place stays visible and the export never fails. Intake already refuses them in files;
  this guards text that reaches a writer by any other way.
- Formula injection. Spreadsheets start a formula with = + - @, and:
  * leading whitespace: Excel and WPS skip leading spaces when they parse typed input and CSV
    fields, so “ =1+1” can become a formula; LibreOffice offers trimming on CSV import;
  * full-width signs: Excel and WPS with a Chinese or Japanese input method convert a leading
    full-width ＝ (and ＋ － ＠) to its ASCII form while parsing, so “＝HYPERLINK(…)” runs too.
  We cannot run Excel or WPS in tests, so the decision is the conservative one: text whose first
  character after whitespace (space, tab, CR, LF, NBSP, ideographic space) is one of = + - @ ＝ ＋
  － ＠, or that starts with tab/CR/LF, "looks like a formula". In CSV, which has no cell types and
  is parsed on opening, it gets a leading apostrophe (`safe_cell`); the cost is a visible ' before
  rare text such as “-3 号楼”. In XLSX the exports store it as a text cell in text format “@”
  (`exports.add_sheet`), so it is shown as typed and stays text even when a user edits the cell.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_SIGNS = "=+-@＝＋－＠"
_LEADING_SPACE = " \t\r\n\u00a0\u3000"
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def writable(value: Any) -> Any:
    """The value with every character a workbook cannot hold replaced by U+FFFD."""
    return _UNWRITABLE.sub("\ufffd", value) if isinstance(value, str) else value


def looks_like_formula(value: Any) -> bool:
    """Text a spreadsheet could run as a formula (see the module's note)."""
    if not isinstance(value, str):
        return False
    return value[:1] in ("\t", "\r", "\n") or value.lstrip(_LEADING_SPACE)[:1] in tuple(
        FORMULA_SIGNS
    )


def safe_cell(value: Any) -> Any:
    """A value safe to put in a cell whatever reads it: writable characters only, and text that
    looks like a formula prefixed with an apostrophe."""
    value = writable(value)
    return "'" + value if looks_like_formula(value) else value
