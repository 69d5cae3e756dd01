"""The scoring rule (评分口径), typed: what `data/scoring.yaml` holds, as `selfcheck.model` is for the standard.

Everything about points (the credit for “部分做到”, the weight of evidence and of each category)
and the readiness tiers comes from the data file: the tool's own 口径, not the official document,
which gives no points. One thing is not left to the data: the first tier (“可以报送”) must require
every applicable item to be 达标 and none unanswered (`max_failed_items: 0`,
`max_unanswered_items: 0`), because the seed gives the title only to communities that 符合标准.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import DataError
from .model import Standard


@dataclass(frozen=True)
class ReadinessLevel:
    level: str
    label: str
    text: str
    min_overall: float | None = None
    min_category: float | None = None
    max_unanswered_items: int | None = None
    max_failed_items: int | None = None


@dataclass(frozen=True)
class ScoringRule:
    version: str
    label: str
    source: str
    note: str
    credit: dict[str, float]
    evidence_weight: float
    weights: dict[str, float]
    readiness: tuple[ReadinessLevel, ...]

    @classmethod
    def from_dict(cls, data: Any, standard: Standard, *, file: str = "scoring.yaml") -> ScoringRule:
        """Build the rule and check it fits `standard` (the browser has no JSON Schema validator).

        Raises:
            DataError: naming the field that is wrong.
        """
        if not isinstance(data, dict):
            raise DataError(file, "整个文件", "（顶层）", "应为键值表。")
        for key in ("version", "label", "source", "note"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise DataError(file, "顶层", key, "缺少或不是文字。")
        credit = data.get("credit")
        if not isinstance(credit, dict) or set(credit) != {
            "met",
            "partly",
            "not_met",
            "not_answered",
        }:
            raise DataError(
                file, "顶层", "credit", "应含 met、partly、not_met、not_answered 四项。"
            )
        for key, value in credit.items():
            if not _is_number(value) or not 0 <= value <= 1:
                raise DataError(file, "credit", key, "应为 0 到 1 之间的数。")
        ew = data.get("evidence_weight")
        if not _is_number(ew) or not 0 <= ew <= 1:
            raise DataError(file, "顶层", "evidence_weight", "应为 0 到 1 之间的数。")
        weights: dict[str, float] = {}
        for n, row in enumerate(data.get("category_weights") or []):
            if not isinstance(row, dict) or not _is_number(row.get("weight")) or row["weight"] < 0:
                raise DataError(file, f"category_weights[{n}]", "weight", "应为不小于 0 的数。")
            weights[str(row.get("category"))] = row["weight"]
        cats = [c.id for c in standard.categories]
        if sorted(weights) != sorted(cats):
            raise DataError(
                file,
                "顶层",
                "category_weights",
                f"应为标准的每个类别（{'、'.join(cats)}）各给一个权重。",
            )
        if sum(weights.values()) <= 0:
            raise DataError(file, "顶层", "category_weights", "权重之和应大于 0。")
        levels = []
        for n, row in enumerate(data.get("readiness") or []):
            if not isinstance(row, dict) or not all(
                isinstance(row.get(k), str) for k in ("level", "label", "text")
            ):
                raise DataError(file, f"readiness[{n}]", "level/label/text", "缺少或不是文字。")
            extra = set(row) - {
                "level",
                "label",
                "text",
                "min_overall",
                "min_category",
                "max_unanswered_items",
                "max_failed_items",
            }
            if extra:
                raise DataError(file, f"readiness[{n}]", "、".join(sorted(extra)), "未知字段。")
            for key in ("min_overall", "min_category", "max_unanswered_items", "max_failed_items"):
                if key in row and not _is_number(row[key]):
                    raise DataError(file, f"readiness[{n}]", key, "应为数字。")
            levels.append(ReadinessLevel(**row))
        if not levels:
            raise DataError(file, "顶层", "readiness", "至少要有一档结论。")
        top = levels[0]
        if top.max_failed_items != 0 or top.max_unanswered_items != 0:
            raise DataError(
                file,
                "readiness[0]",
                "max_failed_items/max_unanswered_items",
                "第一档结论要求每个适用条目都达标、没有未填写的条目，请把这两项都设为 0。",
            )
        last = levels[-1]
        if any(
            v is not None
            for v in (
                last.min_overall,
                last.min_category,
                last.max_unanswered_items,
                last.max_failed_items,
            )
        ):
            raise DataError(
                file,
                f"readiness[{len(levels) - 1}]",
                "（条件）",
                "最后一档不能设条件，保证总能得出结论。",
            )
        return cls(
            data["version"],
            data["label"],
            data["source"],
            data["note"],
            dict(credit),
            ew,
            weights,
            tuple(levels),
        )

    def describe(self) -> dict[str, str]:
        return {
            "version": self.version,
            "label": self.label,
            "source": self.source,
            "note": self.note,
        }


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
