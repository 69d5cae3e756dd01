"""The 自评 page: the whole form rendered at build time from the standard, usable before Python loads.

The browser script (docs/assets/javascripts/selfcheck-page.js) reads and writes these fields by
their data attributes; scoring itself happens in `selfcheck`, run in the Python worker.
"""

from __future__ import annotations

from .render import render

# What the form asks for each kind of criterion (answer key, question) comes from the kind
# registry, `selfcheck.model.KINDS`, through `Criterion.kind_spec` and `Criterion.question`.


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
        )
