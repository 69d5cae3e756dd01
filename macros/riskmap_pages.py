"""风险一张图 (item 4.1): the drawing tool's page, built from `data/risk_map.yaml`."""

from __future__ import annotations

import json

from selfcheck.errors import DataError

from .render import render


def register(env, site) -> None:
    data = site.raw["risk_map"]
    if data["item"] not in site.standard.items:
        raise DataError(
            "risk_map.yaml",
            "整个文件",
            "item",
            f"条目“{data['item']}”不在 standard.yaml 中：请写标准里的条目编号（风险一张图是 4.1）。",
        )
    item = site.standard.items[data["item"]]

    @env.macro
    def risk_map_types() -> str:
        """The element types of item 4.1 with their symbols, as a Markdown table."""
        return render("riskmap_types.md.j2", data=data, item=item)

    @env.macro
    def risk_map_tool() -> str:
        """The drawing tool: controls, the map, the element list. riskmap.js brings it to life."""
        # The types travel inside the page (an attribute: Material's instant navigation re-runs any
        # <script> in the content as JavaScript, even a JSON one), so the tool needs no fetch to start.
        types_json = json.dumps(data, ensure_ascii=False)
        return render("riskmap_tool.html.j2", data=data, item=item, types_json=types_json)
