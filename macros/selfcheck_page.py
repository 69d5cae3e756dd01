"""The 自评 page: the whole form rendered at build time from the standard, usable before Python loads.

The browser script (docs/assets/javascripts/selfcheck-page.js) reads and writes these fields by
their data attributes; scoring itself happens in `selfcheck`, run in the Python worker.
"""

from __future__ import annotations

from selfcheck.model import PERIOD_NAMES

from .render import render

# What the form asks for each kind of criterion: which answer key, and how the question reads.
PERIODIC_QUESTION = "评估期内最少的一个{period}的次数"
PER_EVENT_QUESTION = "评估期内人数最少的一次的人数"


def register(env, site) -> None:
    standard = site.standard
    plan = site.raw["plan"]

    @env.macro
    def selfcheck_form() -> str:
        """The self-assessment form, its toolbar and its (empty) result panels."""
        return render(
            "selfcheck_form.html",
            standard=standard,
            site_form=plan["site_form"],
            scoring=site.raw["scoring"],
            period_names=PERIOD_NAMES,
            periodic_question=PERIODIC_QUESTION,
            per_event_question=PER_EVENT_QUESTION,
        )
