"""What the standard *is*: categories, items, criteria and the facts that decide applicability.

Built from plain dicts (parsed YAML under CPython, parsed JSON in Pyodide), so this module needs
only the standard library. Structural validation against the JSON Schema happens earlier, in
`selfcheck.datafiles`; the checks here are the ones a schema cannot express (unique ids, ids that
match their parent, conditions that name a known fact).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import DataError

PERIOD_LABELS = {"month": "每月", "quarter": "每季度", "half": "每半年", "year": "每年"}
PERIOD_NAMES = {"month": "月", "quarter": "季度", "half": "半年", "year": "年"}
OP_WORDS = {">=": "不少于", "<=": "不多于"}
KIND_LABELS = {
    "boolean": "是否做到",
    "quantity": "数量",
    "periodic": "周期次数",
    "per_event": "每次人数",
    "ratio": "比率",
}


@dataclass(frozen=True)
class Condition:
    fact: str
    equals: str | bool

    def describe(self, facts: dict[str, "ProfileFact"]) -> str:
        fact = facts[self.fact]
        if fact.type == "bool":
            return fact.label if self.equals else "无" + fact.label
        return f"{fact.label}为“{self.equals}”"


@dataclass(frozen=True)
class ProfileFact:
    id: str
    label: str
    type: str
    options: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Part:
    label: str
    unit: str
    profile: str | None = None


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: str
    label: str = ""
    subject: str = ""
    unit: str = ""
    op: str = ">="
    threshold: float | None = None
    threshold_note: str = ""
    period: str | None = None
    log_type: str | None = None
    numerator: Part | None = None
    denominator: Part | None = None
    applies_if: Condition | None = None

    @property
    def name(self) -> str:
        """What the criterion is about, in a few words."""
        return self.label or self.subject

    @property
    def requirement(self) -> str:
        """The requirement in plain words, e.g. “每月不少于 4 次”."""
        if self.kind == "boolean":
            return "做到"
        value = format_number(self.threshold)
        unit = self.unit
        if self.kind == "periodic":
            return f"{PERIOD_LABELS[self.period]}{OP_WORDS[self.op]} {value} {unit}"
        if self.kind == "per_event":
            return f"每次{OP_WORDS[self.op]} {value} {unit}"
        if self.kind == "ratio" and unit == "%" and self.threshold == 100:
            return "100%"
        spacer = "" if unit == "%" else " "
        return f"{OP_WORDS[self.op]} {value}{spacer}{unit}"


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    text: str
    criteria: tuple[Criterion, ...]
    evidence: tuple[str, ...]
    applies_if: Condition | None = None
    category_id: str = ""

    @property
    def number(self) -> int:
        return int(self.id.split(".")[1])


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    method: tuple[str, ...]
    time: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Standard:
    version: str
    title: str
    source: str
    interpretation_source: str
    facts: dict[str, ProfileFact]
    categories: tuple[Category, ...]
    items: dict[str, Item] = field(default_factory=dict)
    criteria: dict[str, Criterion] = field(default_factory=dict)

    def item_of(self, criterion_id: str) -> Item:
        return self.items[criterion_id.rsplit(".", 1)[0]]

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, file: str = "standard.yaml") -> "Standard":
        """Build the model, raising `DataError` for what the schema cannot catch.

        Args:
            data: the parsed standard (already schema-valid).
            file: the file name used in error messages.
        Returns:
            The standard with lookup tables by item and criterion id.
        """
        facts = {f["id"]: _fact(f) for f in data["profile_facts"]}
        items: dict[str, Item] = {}
        criteria: dict[str, Criterion] = {}
        categories = []
        seen_categories: set[str] = set()
        for cat in data["categories"]:
            if cat["id"] in seen_categories:
                raise DataError(file, f"类别 {cat['id']}", "id", "类别序号重复，请改为唯一的序号。")
            seen_categories.add(cat["id"])
            cat_items = []
            for position, raw in enumerate(cat["items"], start=1):
                if raw["id"] in items:
                    raise DataError(file, f"条目 {raw['id']}", "id", "条目编号重复，请改为唯一的编号。")
                item = _item(raw, cat["id"], position, facts, file)
                for crit in item.criteria:
                    if crit.id in criteria:
                        raise DataError(file, f"条目 {item.id}", f"criteria[{crit.id}].id", "指标编号重复。")
                    criteria[crit.id] = crit
                items[item.id] = item
                cat_items.append(item)
            categories.append(
                Category(cat["id"], cat["name"], tuple(cat["method"]), cat["time"], tuple(cat_items))
            )
        return cls(
            version=data["version"],
            title=data["title"],
            source=data["source"],
            interpretation_source=data["interpretation_source"],
            facts=facts,
            categories=tuple(categories),
            items=items,
            criteria=criteria,
        )


def format_number(value: float | int | None) -> str:
    """1.5 → “1.5”, 10.0 → “10”, 1.2066 → “1.21”: the way numbers are shown to users."""
    if value is None:
        return "—"
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


def _fact(raw: dict[str, Any]) -> ProfileFact:
    return ProfileFact(raw["id"], raw["label"], raw["type"], tuple(raw.get("options", ())), raw.get("help", ""))


def _condition(raw: dict[str, Any] | None, facts: dict[str, ProfileFact], file: str, where: str, field_name: str):
    if raw is None:
        return None
    fact = facts.get(raw["fact"])
    if fact is None:
        raise DataError(file, where, field_name, f"未知的社区情况“{raw['fact']}”，请先在 profile_facts 中定义。")
    valid = (True, False) if fact.type == "bool" else fact.options
    if raw["equals"] not in valid or isinstance(raw["equals"], bool) != (fact.type == "bool"):
        raise DataError(file, where, field_name, f"取值“{raw['equals']}”不是“{fact.label}”的可选值。")
    return Condition(raw["fact"], raw["equals"])


def _part(raw: dict[str, Any] | None) -> Part | None:
    if raw is None:
        return None
    return Part(raw["label"], raw["unit"], raw.get("profile"))


def _item(raw: dict[str, Any], category_id: str, position: int, facts, file: str) -> Item:
    item_id = raw["id"]
    expected = f"{category_id}.{position}"
    if item_id != expected:
        raise DataError(file, f"条目 {item_id}", "id", f"条目编号应为 {expected}（按标准中的顺序编号）。")
    crits = []
    for letter_index, c in enumerate(raw["criteria"]):
        expected_cid = f"{item_id}.{chr(ord('a') + letter_index)}"
        if c["id"] != expected_cid:
            raise DataError(file, f"条目 {item_id}", f"criteria[{letter_index}].id", f"指标编号应为 {expected_cid}。")
        crits.append(
            Criterion(
                id=c["id"],
                kind=c["kind"],
                label=c.get("label", ""),
                subject=c.get("subject", ""),
                unit=c.get("unit", ""),
                op=c.get("op", ">="),
                threshold=c.get("threshold"),
                threshold_note=c.get("threshold_note", ""),
                period=c.get("period"),
                log_type=c.get("log_type"),
                numerator=_part(c.get("numerator")),
                denominator=_part(c.get("denominator")),
                applies_if=_condition(c.get("applies_if"), facts, file, f"条目 {item_id}", f"criteria[{c['id']}].applies_if"),
            )
        )
    return Item(
        id=item_id,
        title=raw["title"],
        text=raw["text"],
        criteria=tuple(crits),
        evidence=tuple(raw["evidence"]),
        applies_if=_condition(raw.get("applies_if"), facts, file, f"条目 {item_id}", "applies_if"),
        category_id=category_id,
    )
