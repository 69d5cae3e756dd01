"""The 风险一张图 engine as its own package, shipped in the same wheel as `selfcheck`.

The browser reaches it only through `selfcheck.bridge` (entries `riskmap_parse`, `riskmap_xlsx`).
For now the code itself stays in `selfcheck/riskmap.py`, where its parsing is being hardened in
parallel work; this package is the name the rest of the site uses, so moving the module here later
is a move and nothing else.
"""

from selfcheck.riskmap import MapFileError, element_rows, elements_xlsx, load_types, parse_map

__all__ = ["MapFileError", "element_rows", "elements_xlsx", "load_types", "parse_map"]
