"""Pages about the standard itself: overview, one page per category, the action plan, home."""

from __future__ import annotations

from .render import render


def register(env, site) -> None:
    standard = site.standard

    @env.macro
    def standard_overview() -> str:
        """The six categories, their item counts and every threshold at a glance."""
        return render("standard_overview.md.j2", standard=standard)

    @env.macro
    def category_page(category_id: str) -> str:
        """Every item of one category: verbatim text, criteria, evidence, how it is judged."""
        by_id = {c.id: c for c in standard.categories}
        if category_id not in by_id:
            raise KeyError(f"标准中没有类别 {category_id}")
        return render("category.md.j2", standard=standard, category=by_id[category_id])

    @env.macro
    def plan_page() -> str:
        return render("plan.md.j2", plan=site.raw["plan"], standard=standard)

    @env.macro
    def item_link(item_id: str) -> str:
        """A relative link target to an item's section on its category page."""
        item = standard.items[item_id]
        return f"standard/{item.category_id}.md#item-{item_id.replace('.', '-')}"
