"""Reading a JSON export (or a saved answers document) back, refusing anything not to be trusted.

- malformed JSON, a truncated file, a foreign file, an export whose SHA-256 does not match its
  content (edited after export) are refused with `ImportRefused` saying what is wrong;
- a file made for an older version of the standard is migrated when every answer still fits the
  current standard (each difference is named in `notes`), and refused otherwise, naming exactly
  which answers no longer fit; a file for a newer version is refused.

The hash shows that a file was changed after export; it is not a signature: someone who edits
the content and recomputes the hash is not detected. The district side re-scores every file from
its answers, so edited results cannot raise a score.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from .answers import FORMAT as ANSWERS_FORMAT
from .answers import log_types, normalize_answers
from .errors import AnswerError, ImportRefused, excerpt, excerpt_list
from .exports import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    content_hash,
    criterion_fingerprints,
    standard_summary,
    structure_hash,
    text_fingerprint,
)
from .intake import DOCUMENT_MAX_BYTES, DOCUMENT_MAX_NODES, parse_json
from .model import Standard

_REQUIRED = (
    "standard_version",
    "tool_version",
    "exported_at",
    "scoring",
    "standard",
    "answers",
    "result",
    "sha256",
)
# Exports without a UTC offset (none of ours) are read as Chongqing time.
LOCAL_TIME = timezone(timedelta(hours=8))


def parse_json_text(text: Any, filename: str) -> Any:
    """Parse a JSON file with the shared limits (`selfcheck.intake`), refusing as `ImportRefused`."""
    return parse_json(
        text,
        lambda problem: ImportRefused(filename, problem),
        max_bytes=DOCUMENT_MAX_BYTES,
        max_nodes=DOCUMENT_MAX_NODES,
    )


def export_instant(value: Any) -> datetime | None:
    """`exported_at` as a real instant (offset applied), or None if it is not a date-time."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TIME)


def import_document(
    standard: Standard, text: Any, *, filename: str = "导入的文件"
) -> dict[str, Any]:
    """Read an export (or answers document) back for `standard`.

    Args:
        standard: the current standard.
        text: the file's content (bytes or text).
        filename: shown in messages.
    Returns:
        `{"answers": <answers document for this standard>, "source": "export"|"answers",
        "verified": bool (hash checked), "notes": [migration notes], "exported_at", "tool_version",
        "result": <the result (summary) stored in the export, or None>}`.
    Raises:
        ImportRefused: malformed, truncated, foreign, tampered, or not migratable.
    """
    filename = str(filename)
    doc = parse_json_text(text, filename)
    if not isinstance(doc, dict):
        raise ImportRefused(
            filename,
            "内容不是本工具导出的格式（应为以 { 开头的 JSON 对象）。请选择“导出 JSON”得到的文件。",
        )
    kind = doc.get("format")
    if kind == ANSWERS_FORMAT:
        answers, notes = _migrate(standard, doc, None, filename)
        return {
            "answers": answers,
            "source": "answers",
            "verified": False,
            "notes": notes,
            "exported_at": None,
            "tool_version": None,
            "result": None,
        }
    if kind != EXPORT_FORMAT:
        shown = "缺少 format 字段" if kind is None else f"format 为“{excerpt(kind)}”"
        raise ImportRefused(
            filename, f"这不是本工具导出的自评文件（{shown}）。请选择“导出 JSON”得到的文件。"
        )
    version = doc.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportRefused(
            filename,
            (
                f"导出格式版本“{excerpt(version)}”不对，应为整数（本工具为第 {EXPORT_VERSION} 版"
                "）。文件可能被改动过，请使用原始导出文件。"
            ),
        )
    if version > EXPORT_VERSION:
        raise ImportRefused(
            filename,
            f"文件是第 {version} 版导出格式，比本工具（第 {EXPORT_VERSION} 版）新。请使用新版本的工具打开。",
        )
    missing = [k for k in _REQUIRED if k not in doc]
    if "sha256" in missing:
        raise ImportRefused(
            filename, "缺少校验码（sha256），文件不完整或被改动过。请使用原始导出文件。"
        )
    if doc.get("sha256") != content_hash(doc):
        raise ImportRefused(
            filename,
            "校验码不符：文件在导出后被修改过（或内容不完整）。请使用原始导出文件，或在原处重新导出。",
        )
    if missing:
        raise ImportRefused(
            filename, f"缺少“{excerpt_list(missing)}”部分，文件不完整。请重新导出。"
        )
    moment = export_instant(doc["exported_at"])
    if moment is None or not 2000 <= moment.year <= 2099:
        raise ImportRefused(
            filename,
            f"导出时间“{excerpt(doc['exported_at'])}”不是 2000—2099 年间有效的日期时间，文件可能被改动过。请重新导出。",
        )
    answers = doc["answers"]
    if not isinstance(answers, dict) or answers.get("standard_version") != doc["standard_version"]:
        raise ImportRefused(filename, "文件内的标准版本前后不一致，文件可能被改动过。请重新导出。")
    stamp = doc["standard"] if isinstance(doc["standard"], dict) else None
    if version == 1:
        answers, notes = _migrate(standard, answers, stamp, filename)
    else:
        answers, notes = _migrate_stamped(standard, answers, stamp, filename)
    return {
        "answers": answers,
        "source": "export",
        "verified": True,
        "notes": notes,
        "exported_at": doc["exported_at"],
        "tool_version": doc["tool_version"],
        "result": doc["result"],
    }


def _migrate_stamped(
    standard: Standard, answers: dict[str, Any], stamp: dict[str, Any] | None, filename: str
):
    """Version 2 exports: the stamp hashes the terms of what was answered and the texts ticked."""
    if (
        stamp is None
        or not isinstance(stamp.get("criteria"), dict)
        or not isinstance(stamp.get("evidence"), dict)
    ):
        raise ImportRefused(
            filename, "文件缺少标准信息（standard 部分不完整），可能被改动过。请重新导出。"
        )
    if answers.get("standard_version") == standard.version and stamp.get(
        "structure"
    ) == structure_hash(standard):
        return _migrate(standard, answers, None, filename)
    answered = answers.get("answers") if isinstance(answers.get("answers"), dict) else {}
    terms = criterion_fingerprints(standard)
    notes: list[str] = []
    blockers: list[str] = []
    for cid, mark in stamp["criteria"].items():
        if cid not in terms:
            if answered.get(cid):
                blockers.append(f"指标 {excerpt(cid)} 在新版标准中已删除，但文件中填写了它")
        elif mark != terms[cid]:
            notes.append(
                f"指标 {cid}（{standard.criteria[cid].name}）的要求（填写方式、门槛、单位或"
                "周期）已改变；原填写保留，按新要求重新评分，请核对。"
            )
    ticked = answers.get("evidence") if isinstance(answers.get("evidence"), dict) else {}
    current = {
        iid: [text_fingerprint(t) for t in item.evidence] for iid, item in standard.items.items()
    }
    kept = {}
    for iid, marks in stamp["evidence"].items():
        if not isinstance(marks, str) or not ticked.get(iid):
            continue
        if iid not in current:
            notes.append(f"条目 {excerpt(iid)} 在新版标准中已删除，其已备资料记录不再沿用。")
            continue
        marks = marks.split()
        found = sorted({current[iid].index(m) for m in marks if m in current[iid]})
        if len(found) < len(marks):
            notes.append(
                f"条目 {iid} 有 {len(marks) - len(found)} 项已勾选的资料在新版标准中已改动，请重新勾选。"
            )
        kept[iid] = found
    migrated = {**answers, "evidence": kept}
    return _migrate(standard, migrated, None, filename, extra_notes=notes, extra_blockers=blockers)


def _version_key(version: Any) -> tuple[int, ...] | None:
    if not isinstance(version, str) or len(version) > 20:
        return None
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return None


def _migrate(
    standard: Standard,
    answers: dict[str, Any],
    summary: dict[str, Any] | None,
    filename: str,
    *,
    extra_notes: list[str] | None = None,
    extra_blockers: list[str] | None = None,
):
    """Answers for `standard` from answers made for (possibly) another version.

    `summary` describes the whole old standard (version 1 exports) or is None (an answers document;
    a version 2 export, whose stamp was read by `_migrate_stamped` into `extra_notes/blockers`).
    """
    if not isinstance(answers, dict):
        raise ImportRefused(filename, "自评数据部分不是键值表，文件可能被改动过。请重新导出。")
    version = answers.get("standard_version")
    if version == standard.version and not extra_notes and not extra_blockers:
        try:
            return normalize_answers(answers, standard), []
        except AnswerError as exc:
            raise ImportRefused(filename, str(exc)) from None
    old, new = _version_key(version), _version_key(standard.version)
    if old is None:
        raise ImportRefused(filename, f"标准版本“{excerpt(version, 20)}”无法识别。")
    if new is not None and old > new:
        raise ImportRefused(
            filename,
            f"文件按标准 {excerpt(version, 20)} 版制作，比本工具使用的 {standard.version} 版新。请使用新版本的工具。",
        )
    notes = (
        []
        if version == standard.version
        else [f"文件按标准 {excerpt(version, 20)} 版填写，已迁移到 {standard.version} 版。"]
    )
    notes += extra_notes or []
    blockers: list[str] = list(extra_blockers or [])
    current = standard_summary(standard)
    answered = answers.get("answers") if isinstance(answers.get("answers"), dict) else {}
    migrated = dict(answers)
    migrated["standard_version"] = standard.version
    if summary is None or not isinstance(summary.get("criteria"), dict):
        if version != standard.version and extra_notes is None:
            notes.append("文件没有附带旧版标准的信息，已按新版标准逐项核对。")
        old_criteria = None
    else:
        old_criteria = summary["criteria"]
        for cid, old_c in old_criteria.items():
            new_c = current["criteria"].get(cid)
            name = (
                old_c.get("name")
                if isinstance(old_c, dict) and isinstance(old_c.get("name"), str)
                else new_c["name"]
                if new_c
                else None
            )
            label = f"指标 {excerpt(cid)}（{excerpt(name)}）" if name else f"指标 {excerpt(cid)}"
            has_answer = bool(answered.get(cid))
            if new_c is None:
                (blockers if has_answer else notes).append(
                    f"{label}在新版标准中已删除" + ("，但文件中填写了它" if has_answer else "。")
                )
                continue
            if not isinstance(old_c, dict):
                continue
            if (
                old_c.get("kind") != new_c["kind"]
                or old_c.get("denominator_profile") != new_c["denominator_profile"]
            ):
                (blockers if has_answer else notes).append(
                    f"{label}的填写方式已改变（{excerpt(old_c.get('kind'))} → {new_c['kind']}）"
                    + ("，原填写无法沿用" if has_answer else "。")
                )
                continue
            changes = [
                f"{label}由“{excerpt(old_c.get(key))}”改为“{new_c[key]}”"
                for key, label in (
                    ("op", "比较方式"),
                    ("threshold", "门槛"),
                    ("unit", "单位"),
                    ("period", "周期"),
                )
                if old_c.get(key) != new_c[key]
            ]
            if changes:
                notes.append(
                    f"指标 {cid}（{new_c['name']}）{'，'.join(changes)}；原填写保留，按新要求重新评分。"
                )
        for cid, new_c in current["criteria"].items():
            if cid not in old_criteria:
                notes.append(f"新增指标 {cid}（{new_c['name']}），请补填。")
        migrated["evidence"] = _migrate_evidence(
            answers.get("evidence"), summary.get("evidence"), current["evidence"], notes, blockers
        )
    known_types = set(log_types(standard))
    records = answers.get("records") if isinstance(answers.get("records"), list) else []
    # A hand-edited file may hold any JSON as a type: compare as text, never hash the value itself.
    gone = sorted(
        {
            excerpt(r.get("type"))
            for r in records
            if isinstance(r, dict)
            and not (isinstance(r.get("type"), str) and r["type"] in known_types)
        }
    )
    if gone:
        blockers.append(f"台账记录的类型“{excerpt_list(gone)}”在新版标准中已不存在")
    if isinstance(migrated.get("notes"), dict):
        lost = [
            iid for iid in migrated["notes"] if iid not in standard.items and migrated["notes"][iid]
        ]
        if lost:
            blockers.append(f"条目 {excerpt_list(lost)} 在新版标准中已不存在，但文件中有它们的备注")
    profile = migrated.get("profile")
    if isinstance(profile, dict) and isinstance(profile.get("facts"), dict):
        facts = dict(profile["facts"])
        for fid in list(facts):
            if fid not in standard.facts:
                notes.append(f"社区情况“{excerpt(fid)}”在新版标准中已取消。")
                del facts[fid]
        migrated["profile"] = {**profile, "facts": facts}
    if blockers:
        raise ImportRefused(
            filename,
            f"文件按标准 {excerpt(version, 20)} 版填写，无法自动迁移到 {standard.version} 版："
            + "；".join(blockers)
            + "。请按新版标准重新填写这些项目。",
        )
    try:
        return normalize_answers(migrated, standard), notes
    except AnswerError as exc:
        changed = "".join(n for n in notes if "要求" in n and "已改变" in n)
        raise ImportRefused(
            filename,
            (
                f"文件按标准 {excerpt(version, 20)} 版填写，无法自动迁移到 {standard.version} 版"
                f"：{exc}{('（' + changed + '）') if changed else ''}"
            ),
        ) from None


def _migrate_evidence(
    evidence: Any,
    old_lists: Any,
    new_lists: dict[str, list[str]],
    notes: list[str],
    blockers: list[str],
) -> Any:
    """Carry ticked evidence over by its text, since the indices move when a list changes."""
    if not isinstance(evidence, dict) or not isinstance(old_lists, dict):
        return evidence
    out = {}
    for iid, indices in evidence.items():
        old_list = old_lists.get(iid)
        new_list = new_lists.get(iid)
        if not isinstance(indices, list) or not isinstance(old_list, list):
            out[iid] = indices
            continue
        if new_list is None:
            if indices:
                notes.append(f"条目 {excerpt(iid)} 在新版标准中已删除，其已备资料记录不再沿用。")
            continue
        if old_list == new_list:
            out[iid] = indices
            continue
        kept = []
        for i in indices:
            text = (
                old_list[i]
                if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(old_list)
                else None
            )
            if text in new_list:
                kept.append(new_list.index(text))
            elif text is not None:
                notes.append(
                    f"条目 {excerpt(iid)} 的资料“{excerpt(text)}”在新版标准中已改动，请重新勾选。"
                )
        out[iid] = sorted(set(kept))
    return out
