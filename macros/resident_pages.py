"""Pages for residents: supplies list and self-check, handbook, 明白卡, 科普, and their entrance.

Every text comes from `data/household_supplies.yaml`, `data/handbook.yaml`, `data/cards.yaml` and
`data/articles.yaml`, already schema-checked by `site_data`. This module adds the checks a schema
cannot express (references between entries) and the QR code, made here at build time with segno.
"""

from __future__ import annotations

import math
from typing import Any

from selfcheck.errors import DataError

from .render import render

SUPPLIES, HANDBOOK, CARDS, ARTICLES = "household_supplies", "handbook", "cards", "articles"


def quantity(rule: dict[str, Any], *, people: int, days: int) -> int:
    """The suggested count of one item for a household.

    Args:
        rule: an item's `quantity` from `household_supplies.yaml` (`basis`, `amount`).
        people: household size.
        days: days to prepare for.
    Returns:
        `amount` × 1, × people or × people × days, rounded up (the YAML's `rounding: up`).
    """
    factor = {"household": 1, "person": people, "person_day": people * days}[rule["basis"]]
    # Tolerance: 0.1 × 3 must give 1, not 2, after floating-point error.
    return math.ceil(rule["amount"] * factor - 1e-9)


def check_references(raw: dict[str, Any]) -> None:
    """Cross-file and cross-entry references the JSON Schemas cannot check; raise `DataError`."""
    supplies = raw[SUPPLIES]
    for item in supplies["items"]:
        if item["category"] not in supplies["categories"]:
            raise DataError(
                f"{SUPPLIES}.yaml",
                f"物品 {item['id']}",
                "category",
                f"类别“{item['category']}”不在 categories 列表中。",
            )
    _unique(f"{SUPPLIES}.yaml", "items", [i["id"] for i in supplies["items"]])
    _unique(f"{HANDBOOK}.yaml", "chapters", [c["id"] for c in raw[HANDBOOK]["chapters"]])
    cards = raw[CARDS]
    community = {c["key"] for c in cards["community"]}
    for f in cards["fields"]:
        if f.get("default_from") and f["default_from"] not in community:
            raise DataError(
                f"{CARDS}.yaml",
                f"栏目 {f['key']}",
                "default_from",
                f"社区信息里没有“{f['default_from']}”。",
            )
    _unique(f"{CARDS}.yaml", "fields", [f["key"] for f in cards["fields"]])
    _unique(f"{CARDS}.yaml", "fields.columns", [c for f in cards["fields"] for c in f["columns"]])
    art = raw[ARTICLES]
    tags, dates = {t["id"] for t in art["tags"]}, {d["id"] for d in art["key_dates"]}
    _unique(f"{ARTICLES}.yaml", "articles", [a["id"] for a in art["articles"]])
    for a in art["articles"]:
        for t in a["tags"]:
            if t not in tags:
                raise DataError(
                    f"{ARTICLES}.yaml", f"文章 {a['id']}", "tags", f"标签“{t}”不在 tags 列表中。"
                )
        for d in a["dates"]:
            if d not in dates:
                raise DataError(
                    f"{ARTICLES}.yaml",
                    f"文章 {a['id']}",
                    "dates",
                    f"节点“{d}”不在 key_dates 列表中。",
                )


def _unique(file: str, field: str, values: list[str]) -> None:
    seen = set()
    for v in values:
        if v in seen:
            raise DataError(file, "整个文件", field, f"“{v}”重复出现，每个编号只能用一次。")
        seen.add(v)


def qr_svg(url: str) -> str:
    """An inline, black-on-white SVG QR code for `url` (sized by CSS)."""
    import segno

    qr = segno.make(url, error="m")
    return qr.svg_inline(
        scale=1, border=2, dark="#000", light="#fff", omitsize=True, title=f"二维码：{url}"
    )


def guide_url(public_url: str, path: str) -> str:
    """The absolute URL a card's QR code points to, or "" when the site's address is not set."""
    public_url = (public_url or "").strip()
    return f"{public_url.rstrip('/')}/{path}" if public_url else ""


def register(env, site) -> None:
    raw = site.raw
    check_references(raw)
    supplies, handbook, cards, articles = raw[SUPPLIES], raw[HANDBOOK], raw[CARDS], raw[ARTICLES]
    # Only the explicit public address (extra.public_url, from SC_PUBLIC_URL): site_url falls back
    # to the local preview address, which must never be printed on a household's card.
    public_url = (env.conf.get("extra") or {}).get("public_url") or ""

    def checklist_data() -> dict[str, Any]:
        # Only what the browser needs to recompute quantities and read expiry dates.
        return {
            "rules": {k: supplies["rules"][k] for k in ("people", "days", "expiry_warning_days")},
            "items": [
                {
                    "id": i["id"],
                    "name": i["name"],
                    "level": i["level"],
                    "quantity": i["quantity"],
                    "expires": i["expires"],
                }
                for i in supplies["items"]
            ],
        }

    @env.macro
    def residents_entrance() -> str:
        """The residents' start page: emergency numbers and the five sections."""
        return render(
            "resident_entrance.md.j2", handbook=handbook, supplies=supplies, articles=articles
        )

    @env.macro
    def supplies_page() -> str:
        """The 基础版 and 扩充版 lists with every item's source."""
        return render("resident_supplies.md.j2", s=supplies, quantity=quantity)

    @env.macro
    def checklist_page() -> str:
        """The interactive self-check; quantities pre-filled for the default household."""
        return render(
            "resident_checklist.md.j2", s=supplies, quantity=quantity, data=checklist_data()
        )

    @env.macro
    def handbook_page() -> str:
        return render("resident_handbook.md.j2", h=handbook)

    @env.macro
    def cards_page() -> str:
        """The 明白卡 maker: community details, one household, a CSV batch, print."""
        url = guide_url(public_url, cards["guide_page"]["path"])
        return render(
            "resident_cards.md.j2",
            c=cards,
            numbers=handbook["numbers"],
            guide_url=url,
            guide_path="/" + cards["guide_page"]["path"],
            qr=qr_svg(url) if url else "",
            data={
                "fields": cards["fields"],
                "community": cards["community"],
                "notes": [n["text"] for n in cards["notes"]],
                "numbers": [
                    {"number": n["number"], "name": n["name"]} for n in handbook["numbers"]
                ],
                "per_page": cards["per_page"],
                "title": cards["title"],
                "source": cards["source"],
            },
        )

    @env.macro
    def kepu_page() -> str:
        """Articles, indexed by topic and by the year's key dates."""
        by_id = {a["id"]: a for a in articles["articles"]}
        by_tag = {
            t["id"]: [a for a in articles["articles"] if t["id"] in a["tags"]]
            for t in articles["tags"]
        }
        dates = sorted(articles["key_dates"], key=lambda d: (d["month"], d.get("day", 0)))
        by_date = {
            d["id"]: [a for a in articles["articles"] if d["id"] in a["dates"]] for d in dates
        }
        return render(
            "resident_kepu.md.j2",
            a=articles,
            by_id=by_id,
            by_tag=by_tag,
            dates=dates,
            by_date=by_date,
        )
