"""One Jinja2 environment for every template in `macros/templates/`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from selfcheck.model import KIND_LABELS, PERIOD_LABELS, format_number

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        # HTML templates escape by default; Markdown templates hold our own data, and Markdown
        # pages still escape user-visible text through the `e` filter where it could hold markup.
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown's attr_list writes heading ids as `{#id}`, which Jinja would read as a comment.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["num"] = format_number
    env.globals["PERIOD_LABELS"] = PERIOD_LABELS
    env.globals["KIND_LABELS"] = KIND_LABELS
    return env


def render(template: str, **context) -> str:
    """Render `macros/templates/<template>` with `context`."""
    return environment().get_template(template).render(**context)
