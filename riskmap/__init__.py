"""The 风险一张图 engine (item 4.1), its own package in the same wheel as `selfcheck`.

`document` checks a map file as it is imported; `ledger` writes its element list (the 台账) as
rows and as XLSX. The browser reaches them only through `selfcheck.bridge` (entries
`riskmap_parse`, `riskmap_xlsx`). Errors stay in `selfcheck.errors` (`MapFileError`), with every
other input error the site reports.
"""

from selfcheck.errors import MapFileError

from .document import MAX_ELEMENTS, MAX_POINTS, load_types, parse_map
from .ledger import element_rows, elements_xlsx

__all__ = [
    "MAX_ELEMENTS",
    "MAX_POINTS",
    "MapFileError",
    "element_rows",
    "elements_xlsx",
    "load_types",
    "parse_map",
]
