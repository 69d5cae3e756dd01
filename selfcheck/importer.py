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

import json
from typing import Any

from .answers import FORMAT as ANSWERS_FORMAT, AnswerError, log_types, normalize_answers
from .errors import SelfcheckError
from .exports import EXPORT_FORMAT, EXPORT_VERSION, content_hash, standard_summary
from .model import Standard

MAX_BYTES = 20 * 1024 * 1024
_REQUIRED = ("standard_version", "tool_version", "exported_at", "scoring", "standard", "answers", "result", "sha256")


class ImportRefused(SelfcheckError):
    """A file cannot be imported. The message says why and what to do."""

    def __init__(self, filename: str, problem: str):
        self.filename, self.problem = filename, problem
        super().__init__(f"文件“{filename}”无法导入：{problem}")


def parse_json_text(text: str | bytes, filename: str) -> Any:
    """Parse JSON, telling a truncated file apart from a malformed one."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        if len(text) > MAX_BYTES:
            raise ImportRefused(filename, f"文件太大（超过 {MAX_BYTES // 1024 // 1024} MB），不是本工具导出的文件。")
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(filename, "不是 UTF-8 文本文件，不是本工具导出的 JSON 文件。") from None
    if not isinstance(text, str):
        raise ImportRefused(filename, "没有收到文件内容。")
    text = text.lstrip("\ufeff")
    if len(text) > MAX_BYTES:
        raise ImportRefused(filename, f"文件太大（超过 {MAX_BYTES // 1024 // 1024} MB），不是本工具导出的文件。")
    if not text.strip():
        raise ImportRefused(filename, "文件是空的。")

    def bad_constant(name: str):
        raise ValueError(name)

    try:
        return json.loads(text, parse_constant=bad_constant)
    except json.JSONDecodeError as exc:
        at_end = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        if at_end and text.lstrip()[:1] in "{[":
            raise ImportRefused(filename, f"文件不完整（在第 {exc.lineno} 行就中断了），可能下载或复制时被截断。请重新导出后再导入。") from None
        raise ImportRefused(filename, f"不是有效的 JSON 文件（第 {exc.lineno} 行第 {exc.colno} 列：{_json_problem(exc.msg)}）。请使用本工具导出的 .json 文件。") from None
    except (ValueError, RecursionError):
        raise ImportRefused(filename, "含有无法识别的数值或嵌套过深，不是本工具导出的文件。") from None


def _json_problem(msg: str) -> str:
    words = {
        "Expecting value": "缺少值",
        "Expecting property name enclosed in double quotes": "键名应使用双引号",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Extra data": "结尾有多余内容",
        "Unterminated string starting at": "引号没有闭合",
        "Invalid control character at": "含有控制字符",
    }
    for en, zh in words.items():
        if msg.startswith(en):
            return zh
    return "格式错误"


def import_document(standard: Standard, text: str | bytes, *, filename: str = "导入的文件") -> dict[str, Any]:
    """Read an export (or answers document) back for `standard`.

    Args:
        standard: the current standard.
        text: the file's content.
        filename: shown in messages.
    Returns:
        `{"answers": <answers document for this standard>, "source": "export"|"answers",
        "verified": bool (hash checked), "notes": [migration notes], "exported_at", "tool_version",
        "result": <the result stored in the export, or None>}`.
    Raises:
        ImportRefused: malformed, truncated, foreign, tampered, or not migratable.
    """
    doc = parse_json_text(text, filename)
    if not isinstance(doc, dict):
        raise ImportRefused(filename, "内容不是本工具导出的格式（应为 JSON 对象）。")
    kind = doc.get("format")
    if kind == ANSWERS_FORMAT:
        answers, notes = _migrate(standard, doc, None, filename)
        return {"answers": answers, "source": "answers", "verified": False, "notes": notes, "exported_at": None, "tool_version": None, "result": None}
    if kind != EXPORT_FORMAT:
        shown = "缺少 format 字段" if kind is None else f"format 为“{str(kind)[:40]}”"
        raise ImportRefused(filename, f"这不是本工具导出的自评文件（{shown}）。请选择“导出 JSON”得到的文件。")
    if doc.get("format_version") != EXPORT_VERSION:
        raise ImportRefused(filename, f"导出格式版本“{str(doc.get('format_version'))[:20]}”本工具不认识（本工具为第 {EXPORT_VERSION} 版）。请用相应版本的工具打开。")
    missing = [k for k in _REQUIRED if k not in doc]
    if "sha256" in missing:
        raise ImportRefused(filename, "缺少校验码（sha256），文件不完整或被改动过。请使用原始导出文件。")
    expected = content_hash(doc)
    if doc.get("sha256") != expected:
        raise ImportRefused(filename, "校验码不符：文件在导出后被修改过（或内容不完整）。请使用原始导出文件，或在原处重新导出。")
    if missing:
        raise ImportRefused(filename, f"缺少“{'、'.join(missing)}”部分，文件不完整。请重新导出。")
    answers = doc["answers"]
    if not isinstance(answers, dict) or answers.get("standard_version") != doc["standard_version"]:
        raise ImportRefused(filename, "文件内的标准版本前后不一致，文件可能被改动过。请重新导出。")
    summary = doc["standard"] if isinstance(doc["standard"], dict) else None
    answers, notes = _migrate(standard, answers, summary, filename)
    return {
        "answers": answers,
        "source": "export",
        "verified": True,
        "notes": notes,
        "exported_at": doc["exported_at"],
        "tool_version": doc["tool_version"],
        "result": doc["result"],
    }


def _version_key(version: Any) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in str(version).split("."))
    except ValueError:
        return None


def _migrate(standard: Standard, answers: dict[str, Any], summary: dict[str, Any] | None, filename: str):
    version = answers.get("standard_version")
    if version == standard.version:
        try:
            return normalize_answers(answers, standard), []
        except AnswerError as exc:
            raise ImportRefused(filename, str(exc)) from None
    old, new = _version_key(version), _version_key(standard.version)
    if old is None:
        raise ImportRefused(filename, f"标准版本“{str(version)[:20]}”无法识别。")
    if new is not None and old > new:
        raise ImportRefused(filename, f"文件按标准 {version} 版制作，比本工具使用的 {standard.version} 版新。请使用新版本的工具。")
    notes = [f"文件按标准 {version} 版填写，已迁移到 {standard.version} 版。"]
    blockers: list[str] = []
    current = standard_summary(standard)
    answered = answers.get("answers") if isinstance(answers.get("answers"), dict) else {}
    migrated = dict(answers)
    migrated["standard_version"] = standard.version
    if summary is None or not isinstance(summary.get("criteria"), dict):
        notes.append("文件没有附带旧版标准的信息，已按新版标准逐项核对。")
        old_criteria = None
    else:
        old_criteria = summary["criteria"]
        for cid, old_c in old_criteria.items():
            new_c = current["criteria"].get(cid)
            name = old_c.get("name", cid) if isinstance(old_c, dict) else cid
            has_answer = bool(answered.get(cid))
            if new_c is None:
                (blockers if has_answer else notes).append(f"指标 {cid}（{name}）在新版标准中已删除" + ("，但文件中填写了它" if has_answer else "。"))
                continue
            if not isinstance(old_c, dict):
                continue
            if old_c.get("kind") != new_c["kind"] or old_c.get("denominator_profile") != new_c["denominator_profile"]:
                (blockers if has_answer else notes).append(f"指标 {cid}（{name}）的填写方式已改变（{old_c.get('kind')} → {new_c['kind']}）" + ("，原填写无法沿用" if has_answer else "。"))
                continue
            changes = [
                f"{label}由“{old_c.get(key)}”改为“{new_c[key]}”"
                for key, label in (("op", "比较方式"), ("threshold", "门槛"), ("unit", "单位"), ("period", "周期"))
                if old_c.get(key) != new_c[key]
            ]
            if changes:
                notes.append(f"指标 {cid}（{new_c['name']}）{'，'.join(changes)}；原填写保留，按新要求重新评分。")
        for cid, new_c in current["criteria"].items():
            if cid not in old_criteria:
                notes.append(f"新增指标 {cid}（{new_c['name']}），请补填。")
        migrated["evidence"] = _migrate_evidence(answers.get("evidence"), summary.get("evidence"), current["evidence"], notes, blockers)
    known_types = set(log_types(standard))
    records = answers.get("records") if isinstance(answers.get("records"), list) else []
    gone = sorted({r.get("type") for r in records if isinstance(r, dict) and r.get("type") not in known_types}, key=str)
    if gone:
        blockers.append(f"台账记录的类型“{'、'.join(map(str, gone))}”在新版标准中已不存在")
    if isinstance(migrated.get("notes"), dict):
        lost = [iid for iid in migrated["notes"] if iid not in standard.items and migrated["notes"][iid]]
        if lost:
            blockers.append(f"条目 {'、'.join(lost)} 在新版标准中已不存在，但文件中有它们的备注")
    profile = migrated.get("profile")
    if isinstance(profile, dict) and isinstance(profile.get("facts"), dict):
        facts = dict(profile["facts"])
        for fid in list(facts):
            if fid not in standard.facts:
                notes.append(f"社区情况“{fid}”在新版标准中已取消。")
                del facts[fid]
        migrated["profile"] = {**profile, "facts": facts}
    if blockers:
        raise ImportRefused(
            filename,
            f"文件按标准 {version} 版填写，无法自动迁移到 {standard.version} 版：" + "；".join(blockers) + "。请按新版标准重新填写这些项目。",
        )
    try:
        return normalize_answers(migrated, standard), notes
    except AnswerError as exc:
        raise ImportRefused(filename, f"文件按标准 {version} 版填写，迁移到 {standard.version} 版时发现：{exc}") from None


def _migrate_evidence(evidence: Any, old_lists: Any, new_lists: dict[str, list[str]], notes: list[str], blockers: list[str]) -> Any:
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
                notes.append(f"条目 {iid} 在新版标准中已删除，其已备资料记录不再沿用。")
            continue
        if old_list == new_list:
            out[iid] = indices
            continue
        kept = []
        for i in indices:
            text = old_list[i] if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(old_list) else None
            if text in new_list:
                kept.append(new_list.index(text))
            elif text is not None:
                notes.append(f"条目 {iid} 的资料“{text}”在新版标准中已改动，请重新勾选。")
        out[iid] = sorted(set(kept))
    return out
