"""Plain functions for the browser: JSON strings in, a JSON/HTML/CSV string or XLSX bytes out.

The Web Worker loads this package in Pyodide and passes the site's data files as the JSON the build
writes (`assets/data/standard.json`, `scoring.json`, `plan.json`). Every function raises only
`selfcheck.errors.SelfcheckError` (or a subclass) on bad input; `str(error)` is a complete Chinese
message for the user. `now_iso` is the time to stamp (e.g. `new Date().toISOString()`, or with
+08:00); it also fixes the default assessment window (the 12 whole months before that month).

Functions (all arguments positional; str unless noted):

- `score(standard_json, scoring_json, answers_json, now_iso=None) -> result_json`
- `export_json(standard_json, scoring_json, answers_json, now_iso) -> export_text` (with SHA-256)
- `export_csv(standard_json, scoring_json, answers_json, now_iso) -> csv_text` (UTF-8 BOM included)
- `export_xlsx(standard_json, scoring_json, plan_json, answers_json, now_iso) -> bytes`
- `report_html(standard_json, scoring_json, answers_json, now_iso) -> html_text`
- `import_json(standard_json, text) -> answers_json` (verified, migrated to the current standard)
- `import_details(standard_json, text) -> json` `{"answers", "source", "verified", "notes",
  "exported_at", "tool_version"}`; `notes` name each migration step
- `compare(standard_json, scoring_json, old_export_text, new_answers_json, now_iso=None) -> json`
  `{"old": {"score", "verdict", "scored_at", "categories": [{"id", "name", "score"}]},
  "new": {...}, "items": [{"id", "title", "old_status", "new_status", "old_label", "new_label",
  "old_score", "new_score", "change": "improved"|"regressed"|"same"}],
  "improved": n, "regressed": n}`
- `aggregate(standard_json, scoring_json, texts, filenames, now_iso=None) -> json` (see
  `selfcheck.aggregate.aggregate`)
- `aggregate_xlsx(standard_json, scoring_json, plan_json, texts, filenames, now_iso=None) -> bytes`
- `blank_template(standard_json) -> answers_json` (every criterion listed, unanswered)
- `format_number(n) -> text` (the engine's rounding, for a check that Python runs)
- `export_formats() -> json` `[{"id", "label", "suffix", "mime", "binary"}]`, the registry
  `selfcheck.exports.FORMATS` the CLI's `--format` choices come from
- `parse_records(data_bytes, filename, standard_json=None) -> json` list of records
  `{"date", "type", "people", "note"}`; with the standard, unknown 类型 are refused

`texts`/`filenames` are lists (or JSON strings of lists); `data_bytes` is bytes. Arguments from
the browser are converted to these Python types once, in `selfcheck.bridge`, which is also the
only list of functions a page may call.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from .answers import AnswerError, template
from .errors import DataError, SelfcheckError
from .intake import DOCUMENT_MAX_BYTES, DOCUMENT_MAX_NODES, parse_json
from .model import Standard, format_number
from .page_view import page_view
from .records import read_records
from .rule import ScoringRule
from .scoring import CRITERION_STATUS, ITEM_STATUS, score_community

# Exports, import, comparison and the roll-up (selfcheck.exports, .importer, .compare, .aggregate,
# with zipfile, hashlib and the report) are imported by the functions that use them, on first use:
# the 自评 page's first score needs only the scoring modules, and in Pyodide `import
# selfcheck.bridge` took about half as long without them (benchmarks/bench_selfcheck_page.py).

__all__ = [
    "score",
    "export_json",
    "export_csv",
    "export_xlsx",
    "report_html",
    "import_json",
    "import_details",
    "compare",
    "aggregate",
    "aggregate_xlsx",
    "blank_template",
    "parse_records",
    "export_formats",
    "format_number",
    "SelfcheckError",
]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _load(text: Any, what: str, error=AnswerError) -> Any:
    """JSON from the page through the shared intake (`selfcheck.intake`): the same limits and
    the same sentences as a file read by the CLI."""
    return parse_json(
        text,
        lambda problem: error(what, problem),
        max_bytes=DOCUMENT_MAX_BYTES,
        max_nodes=DOCUMENT_MAX_NODES,
    )


def _DataJsonError(what: str, problem: str) -> DataError:  # noqa: N802  used where an error class is
    return DataError(what, "整个文件", "（顶层）", problem)


@lru_cache(maxsize=4)
def _standard(standard_json: str) -> Standard:
    data = _load(standard_json, "standard.json", _DataJsonError)
    try:
        return Standard.from_dict(data, file="standard.json")
    except SelfcheckError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError):
        raise DataError(
            "standard.json", "整个文件", "（结构）", "不是网站生成的标准数据，请刷新页面后重试。"
        ) from None


@lru_cache(maxsize=4)
def _rule(standard_json: str, scoring_json: str) -> ScoringRule:
    return ScoringRule.from_dict(
        _load(scoring_json, "scoring.json", _DataJsonError),
        _standard(standard_json),
        file="scoring.json",
    )


def _plan(plan_json: str) -> dict[str, Any]:
    plan = _load(plan_json, "plan.json", _DataJsonError)
    fields = plan.get("site_form", {}).get("fields") if isinstance(plan, dict) else None
    if not isinstance(fields, list) or not all(
        isinstance(f, dict) and "id" in f and "label" in f for f in fields
    ):
        raise DataError(
            "plan.json", "site_form", "fields", "缺少附件2点位信息的字段定义，请刷新页面后重试。"
        )
    return plan


def _answers(answers_json: Any) -> Any:
    return _load(answers_json, "整个文件")


def _list(value: Any, what: str) -> list[Any]:
    if isinstance(value, str):
        value = _load(value, what)
    if not isinstance(value, (list, tuple)):
        raise AnswerError(what, "应为列表。")
    return list(value)


def score(
    standard_json: str, scoring_json: str, answers_json: str, now_iso: str | None = None
) -> str:
    """Score one community; returns the result JSON (see `selfcheck.scoring`).

    A form whose 类型 (社区/村) is not chosen yet (every blank form) is still scored as far as it
    can be: see `_score_before_kind`.
    """
    return _dumps(_score(standard_json, scoring_json, answers_json, now_iso))


def score_page(
    standard_json: str, scoring_json: str, answers_json: str, now_iso: str | None = None
) -> str:
    """`score`, cut to what the 自评 page draws (`selfcheck.page_view`): the page scores on every
    edit, and the full result's JSON (108 KB for a blank form) cost most of that time."""
    return _dumps(page_view(_score(standard_json, scoring_json, answers_json, now_iso)))


def _score(
    standard_json: str, scoring_json: str, answers_json: str, now_iso: str | None
) -> dict[str, Any]:
    standard, rule, answers = (
        _standard(standard_json),
        _rule(standard_json, scoring_json),
        _answers(answers_json),
    )
    profile = answers.get("profile") if isinstance(answers, dict) else None
    if isinstance(profile, dict) and profile.get("kind") in (None, "") and "kind" in standard.facts:
        return _score_before_kind(standard, rule, answers, now_iso)
    return score_community(standard, rule, answers, now=now_iso)


KIND_FIRST = (
    "请先在“基本情况”里选择类型（社区或村）：有的条目只适用于社区或只适用于村，"
    "选好后给出总分和结论。下面先评判与类型无关的条目。"
)
KIND_NEEDED = "请先在“基本情况”里选择类型（社区或村）：导出和报送的点位信息需要它。"


def _score_before_kind(
    standard: Standard, rule: ScoringRule, answers: dict[str, Any], now_iso: str | None
) -> dict[str, Any]:
    """Score what does not depend on the 类型, and say what to fill in first.

    One pass, as a 社区/村 of the first kind; the items whose applicability depends on the 类型
    (an `applies_if` on the kind, for the item or one of its criteria) then show 未填写 with the
    reason. Category scores that include such an item, the total and the verdict wait for the
    类型. `needs_first` says what to fill in first either way (the export needs the 类型).
    """
    kind = standard.facts["kind"]
    out = score_community(
        standard,
        rule,
        {**answers, "profile": {**answers["profile"], "kind": kind.options[0]}},
        now=now_iso,
    )
    on_kind = lambda c: c is not None and c.fact == "kind"  # noqa: E731
    undecided = {
        item.id
        for item in standard.items.values()
        if on_kind(item.applies_if) or any(on_kind(c.applies_if) for c in item.criteria)
    }
    waiting = "先选择类型（社区或村）再评判。"
    for iid in undecided:
        entry = out["items"][iid]
        out["overall"]["counts"][entry["status"]] -= 1
        out["overall"]["counts"]["not_answered"] += 1
        entry.update(
            status="not_answered",
            status_label=ITEM_STATUS["not_answered"],
            score=None,
            message=waiting,
        )
        for cid in entry["criteria"]:
            out["criteria"][cid].update(
                status="not_answered",
                status_label=CRITERION_STATUS["not_answered"],
                message=waiting,
            )
    for cat in out["categories"]:
        if any(
            item.id in undecided
            for c in standard.categories
            if c.id == cat["id"]
            for item in c.items
        ):
            cat["score"] = None
    out["gaps"] = [g for g in out["gaps"] if g["item_id"] not in undecided]
    out["profile"]["kind"] = None
    if undecided:
        out["overall"].update(
            score=None, level="pending", verdict="待选择类型", text=KIND_FIRST, unmet=[]
        )
    message = KIND_FIRST if undecided else KIND_NEEDED
    out["needs_first"] = [
        {"field": "profile.kind", "label": "类型（社区或村）", "message": message}
    ]
    return out


def export_json(
    standard_json: str, scoring_json: str, answers_json: str, now_iso: str | None = None
) -> str:
    """The JSON export with its SHA-256."""
    from . import exports

    return exports.json_export(
        _standard(standard_json),
        _rule(standard_json, scoring_json),
        _answers(answers_json),
        now=now_iso,
    )


def export_csv(
    standard_json: str, scoring_json: str, answers_json: str, now_iso: str | None = None
) -> str:
    """The CSV export (text starting with a UTF-8 BOM)."""
    from . import exports

    return exports.csv_export(
        _standard(standard_json),
        _rule(standard_json, scoring_json),
        _answers(answers_json),
        now=now_iso,
    )


def export_xlsx(
    standard_json: str,
    scoring_json: str,
    plan_json: str,
    answers_json: str,
    now_iso: str | None = None,
) -> bytes:
    """The XLSX export (needs the openpyxl and et_xmlfile wheels loaded)."""
    from . import exports

    return exports.xlsx_export(
        _standard(standard_json),
        _rule(standard_json, scoring_json),
        _plan(plan_json),
        _answers(answers_json),
        now=now_iso,
    )


def report_html(
    standard_json: str, scoring_json: str, answers_json: str, now_iso: str | None = None
) -> str:
    """The printable HTML report (a complete document)."""
    from . import exports

    return exports.report_html(
        _standard(standard_json),
        _rule(standard_json, scoring_json),
        _answers(answers_json),
        now=now_iso,
    )


def import_details(standard_json: str, text: Any, filename: str = "导入的文件") -> str:
    """Import with details: answers, whether the hash was verified, migration notes."""
    from .importer import import_document

    got = import_document(_standard(standard_json), text, filename=filename)
    return _dumps(
        {
            k: got[k]
            for k in ("answers", "source", "verified", "notes", "exported_at", "tool_version")
        }
    )


def import_json(standard_json: str, text: Any, filename: str = "导入的文件") -> str:
    """Read an export (or saved answers) back; returns the answers document for the current standard."""
    from .importer import import_document

    return _dumps(import_document(_standard(standard_json), text, filename=filename)["answers"])


def compare(
    standard_json: str,
    scoring_json: str,
    old_export_text: Any,
    new_answers_json: str,
    now_iso: str | None = None,
) -> str:
    """Item by item, what improved and what regressed since an earlier export (`selfcheck.compare`).

    Both sides are scored with the current standard and 口径, so a change of rule is not a change.
    """
    from .compare import compare_results
    from .importer import import_document

    standard, rule = _standard(standard_json), _rule(standard_json, scoring_json)
    old_doc = import_document(standard, old_export_text, filename="上次导出的文件")
    old = score_community(standard, rule, old_doc["answers"], now=old_doc["exported_at"] or now_iso)
    new = score_community(standard, rule, _answers(new_answers_json), now=now_iso)
    return _dumps({**compare_results(old, new), "notes": old_doc["notes"]})


def export_formats() -> str:
    """The export formats (`selfcheck.exports.FORMATS`) as JSON: [{"id", "label", "suffix", "mime", "binary"}]."""
    from . import exports

    return _dumps([f.describe() for f in exports.FORMATS.values()])


def _files(texts: Any, filenames: Any) -> list[tuple[str, Any]]:
    texts = _list(texts, "文件列表")
    names = (
        _list(filenames, "文件名列表")
        if filenames is not None
        else [f"文件{n}" for n in range(1, len(texts) + 1)]
    )
    if len(names) != len(texts):
        raise AnswerError(
            "文件名列表", f"文件 {len(texts)} 个，文件名 {len(names)} 个，数目不一致。"
        )
    return [(str(name), text) for name, text in zip(names, texts, strict=True)]


def aggregate(
    standard_json: str,
    scoring_json: str,
    texts: Any,
    filenames: Any = None,
    now_iso: str | None = None,
) -> str:
    """Verify, re-score and rank many exports; lists refused files with the reason."""
    from . import aggregate as _aggregate

    standard = _standard(standard_json)
    return _dumps(
        _aggregate.aggregate(
            standard, _rule(standard_json, scoring_json), _files(texts, filenames), now=now_iso
        )
    )


def aggregate_xlsx(
    standard_json: str,
    scoring_json: str,
    plan_json: str,
    texts: Any,
    filenames: Any = None,
    now_iso: str | None = None,
) -> bytes:
    """The ranking as XLSX (ranking, refused files, 附件2 for every site, notes)."""
    from . import aggregate as _aggregate

    standard = _standard(standard_json)
    summary = _aggregate.aggregate(
        standard, _rule(standard_json, scoring_json), _files(texts, filenames), now=now_iso
    )
    return _aggregate.aggregate_xlsx(summary, _plan(plan_json))


def blank_template(standard_json: str) -> str:
    """A blank answers document listing every criterion, unanswered."""
    return _dumps(template(_standard(standard_json)))


def parse_records(data_bytes: Any, filename: str, standard_json: str | None = None) -> str:
    """Read a 台账 CSV/XLSX file into records (JSON list)."""
    if isinstance(data_bytes, str):
        data_bytes = data_bytes.encode("utf-8")
    types = None
    if standard_json is not None:
        from .answers import log_types

        types = log_types(_standard(standard_json))
    return _dumps(
        read_records(
            bytes(data_bytes) if isinstance(data_bytes, (bytearray, memoryview)) else data_bytes,
            str(filename),
            types=types,
        )
    )
