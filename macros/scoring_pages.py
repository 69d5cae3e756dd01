"""The 评分口径 page: the tool's own scoring rule from `data/scoring.yaml`, shown as it is applied.

The rule is read through `selfcheck.rule.ScoringRule`, the same model the engine scores with,
so the page cannot describe a rule other than the one in use.
"""

from __future__ import annotations

from selfcheck.rule import ScoringRule
from selfcheck.scoring import CRITERION_STATUS, ITEM_STATUS

from .render import render


def register(env, site) -> None:
    standard = site.standard

    @env.macro
    def scoring_page() -> str:
        """Weights, credit, item and category rules and the readiness levels, labelled 本站整理."""
        rule = ScoringRule.from_dict(site.raw["scoring"], standard)
        total = sum(rule.weights.values())
        return render(
            "scoring.md.j2",
            rule=rule,
            standard=standard,
            total_weight=total,
            item_status=ITEM_STATUS,
            criterion_status=CRITERION_STATUS,
        )
