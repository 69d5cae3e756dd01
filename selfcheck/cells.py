"""Cell values for the spreadsheets we write (XLSX through openpyxl, and CSV): one helper for every
writer — the self-assessment exports, the roll-up and the 风险一张图 台账 — so they all behave alike.

Two dangers, both from text a user typed:

- Characters XML 1.0 cannot hold (C0 controls other than tab and line breaks) make openpyxl raise
  `IllegalCharacterError`; a lone surrogate cannot be encoded at all. They are replaced by U+FFFD
  (�) so the place stays visible and the export never fails. Intake already refuses them in files;
  this guards text that reaches a writer by any other way.
- Formula injection. Text is stored as text in XLSX, but a user who edits the cell (F2, Enter) has
  it parsed again, and CSV is parsed on opening. Spreadsheets start a formula with = + - @, and:
  * leading whitespace: Excel and WPS skip leading spaces when they parse typed input and CSV
    fields, so “ =1+1” can become a formula; LibreOffice offers trimming on CSV import;
  * full-width signs: Excel and WPS with a Chinese or Japanese input method convert a leading
    full-width ＝ (and ＋ － ＠) to its ASCII form while parsing, so “＝HYPERLINK(…)” runs too.
  We cannot run Excel or WPS in tests, so the decision is the conservative one: any text whose
  first character after whitespace (space, tab, CR, LF, NBSP, ideographic space) is one of
  = + - @ ＝ ＋ － ＠, or that starts with tab/CR/LF, gets a leading apostrophe. The cost is a
  visible ' before rare text such as “-3 号楼”; the alternative risk is a formula run on a staff
  member's computer.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_SIGNS = "=+-@＝＋－＠"
_LEADING_SPACE = " \t\r\n\u00a0\u3000"
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def safe_cell(value: Any) -> Any:
    """A value safe to put in a spreadsheet cell: writable characters only, never a formula."""
    if not isinstance(value, str):
        return value
    value = _UNWRITABLE.sub("\ufffd", value)
    if value[:1] in ("\t", "\r", "\n") or value.lstrip(_LEADING_SPACE)[:1] in tuple(FORMULA_SIGNS):
        return "'" + value
    return value
