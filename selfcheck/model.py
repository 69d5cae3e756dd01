"""What the standard *is*: categories, items, criteria and the facts that decide applicability.

Built from plain dicts (parsed YAML under CPython, parsed JSON in Pyodide), so this module needs
only the standard library. Structural validation against the JSON Schema happens earlier, in
`selfcheck.datafiles`; the checks here are the ones a schema cannot express (unique ids, ids that
match their parent, conditions that name a known fact).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import judging
from .errors import DataError
from .judging import PERIOD_LABELS, PERIOD_NAMES, PERIOD_ONE, format_number

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "OP_WORDS",
    "PERIOD_LABELS",
    "PERIOD_NAMES",
    "CriterionKind",
    "Condition",
    "ProfileFact",
    "Part",
    "Criterion",
    "Item",
    "Category",
    "Standard",
    "format_number",
]

# The default word for a threshold; a criterion carries the seed's own word in `op_word` where the
# seed says 不低于, 不小于 or 至少 instead.
OP_WORDS = {">=": "不少于", "<=": "不多于"}


@dataclass(frozen=True)
class CriterionKind:
    """One kind of criterion: how it is asked, what its answer holds and who judges it.

    Adding a kind means one row in `KINDS` (plus its judge in `selfcheck.judging`, its schema
    branch in `data/schema/standard.schema.json` and its form field) and its tests.
    """

    id: str
    label: str
    answer_keys: tuple[str, ...]
    integer: bool
    judge: Callable[..., dict[str, Any]]
    # The form's question after the subject, e.g. “评估期内最少的一个月的次数…”; "" for none.
    question: Callable[[Criterion], str] = lambda crit: ""

    def blank(self, crit: Criterion) -> dict[str, None]:
        """The unanswered answer of `crit`, as the template lists it."""
        return {key: None for key in self.answer_keys}


def _periodic_question(crit: Criterion) -> str:
    one = PERIOD_ONE[crit.period]
    each = one[1:]
    return (
        f"评估期内次数最少的{one}的次数（不是整个评估期的合计：逐{each}数一数，填最少的那{each}）"
    )


KINDS: dict[str, CriterionKind] = {
    k.id: k
    for k in (
        CriterionKind("boolean", "是否做到", ("value",), False, judging.judge_boolean),
        CriterionKind("quantity", "数量", ("value",), False, judging.judge_quantity),
        CriterionKind(
            "periodic", "周期次数", ("count",), True, judging.judge_periodic, _periodic_question
        ),
        CriterionKind(
            "per_event",
            "每次人数",
            ("min",),
            True,
            judging.judge_per_event,
            lambda crit: "评估期内人数最少的一次的人数",
        ),
        CriterionKind("ratio", "比率", ("numerator", "denominator"), False, judging.judge_ratio),
    )
}
KIND_LABELS = {k.id: k.label for k in KINDS.values()}


@dataclass(frozen=True)
class Condition:
    fact: str
    equals: str | bool

    def describe(self, facts: dict[str, ProfileFact]) -> str:
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
    """Numerator or denominator of a ratio. `profile` names the profile field used when it is not typed."""

    label: str
    unit: str
    profile: str | None = None
    # What the shortfall is counted in, e.g. “避难面积” in “还差约 86 平方米避难面积”.
    short: str = ""


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
    op_word: str = ""
    info_only: bool = False
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
    def kind_spec(self) -> CriterionKind:
        return KINDS[self.kind]

    @property
    def word(self) -> str:
        """The threshold's word as the seed words this item: 不少于, 不低于, 不小于 or 至少."""
        return self.op_word or OP_WORDS[self.op]

    @property
    def requirement(self) -> str:
        """The requirement in plain words, e.g. “每月不少于 4 次”; the same in every format."""
        if self.kind == "boolean":
            return "做到"
        value = format_number(self.threshold)
        unit = self.unit
        if self.kind == "periodic":
            return f"{PERIOD_LABELS[self.period]}{self.word} {value} {unit}"
        if self.kind == "per_event":
            return f"每次{self.word} {value} {unit}"
        if self.kind == "ratio" and unit == "%" and self.threshold == 100:
            return "100%"
        spacer = "" if unit == "%" else " "
        return f"{self.word} {value}{spacer}{unit}"

    @property
    def question(self) -> str:
        """What the form asks after the subject (periodic: the weakest period's count, said plainly)."""
        return self.kind_spec.question(self)


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    text: str
    criteria: tuple[Criterion, ...]
    evidence: tuple[str, ...]
    applies_if: Condition | None = None
    category_id: str = ""
    # Which criteria each evidence document proves, parallel to `evidence`; () means the whole item.
    evidence_proves: tuple[tuple[str, ...], ...] = ()
    # 建议项: why the seed only encourages this item (its own words); "" for a requirement.
    advisory: str = ""

    @property
    def number(self) -> int:
        return int(self.id.split(".")[1])

    def evidence_applies(self, index: int, applicable: set[str]) -> bool:
        """Whether document `index` is demanded, given the ids of the criteria that apply."""
        proves = self.evidence_proves[index] if index < len(self.evidence_proves) else ()
        return bool(applicable) and (not proves or any(cid in applicable for cid in proves))


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
    def from_dict(cls, data: dict[str, Any], *, file: str = "standard.yaml") -> Standard:
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
                    raise DataError(
                        file, f"条目 {raw['id']}", "id", "条目编号重复，请改为唯一的编号。"
                    )
                item = _item(raw, cat["id"], position, facts, file)
                for crit in item.criteria:
                    if crit.id in criteria:
                        raise DataError(
                            file, f"条目 {item.id}", f"criteria[{crit.id}].id", "指标编号重复。"
                        )
                    criteria[crit.id] = crit
                items[item.id] = item
                cat_items.append(item)
            categories.append(
                Category(
                    cat["id"], cat["name"], tuple(cat["method"]), cat["time"], tuple(cat_items)
                )
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


def _fact(raw: dict[str, Any]) -> ProfileFact:
    return ProfileFact(
        raw["id"], raw["label"], raw["type"], tuple(raw.get("options", ())), raw.get("help", "")
    )


def _condition(
    raw: dict[str, Any] | None,
    facts: dict[str, ProfileFact],
    file: str,
    where: str,
    field_name: str,
):
    if raw is None:
        return None
    fact = facts.get(raw["fact"])
    if fact is None:
        raise DataError(
            file, where, field_name, f"未知的社区情况“{raw['fact']}”，请先在 profile_facts 中定义。"
        )
    valid = (True, False) if fact.type == "bool" else fact.options
    if raw["equals"] not in valid or isinstance(raw["equals"], bool) != (fact.type == "bool"):
        raise DataError(
            file, where, field_name, f"取值“{raw['equals']}”不是“{fact.label}”的可选值。"
        )
    return Condition(raw["fact"], raw["equals"])


def _part(raw: dict[str, Any] | None) -> Part | None:
    if raw is None:
        return None
    return Part(raw["label"], raw["unit"], raw.get("profile"), raw.get("short", ""))


def _item(raw: dict[str, Any], category_id: str, position: int, facts, file: str) -> Item:
    item_id = raw["id"]
    expected = f"{category_id}.{position}"
    if item_id != expected:
        raise DataError(
            file, f"条目 {item_id}", "id", f"条目编号应为 {expected}（按标准中的顺序编号）。"
        )
    crits = []
    if raw["criteria"] and all(c.get("info_only") for c in raw["criteria"]):
        raise DataError(
            file,
            f"条目 {item_id}",
            "criteria",
            "至少要有一项指标不是“只作参考”（info_only），否则这一条无法判定。",
        )
    for letter_index, c in enumerate(raw["criteria"]):
        expected_cid = f"{item_id}.{chr(ord('a') + letter_index)}"
        if c["id"] != expected_cid:
            raise DataError(
                file,
                f"条目 {item_id}",
                f"criteria[{letter_index}].id",
                f"指标编号应为 {expected_cid}。",
            )
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
                op_word=c.get("op_word", ""),
                info_only=bool(c.get("info_only", False)),
                period=c.get("period"),
                log_type=c.get("log_type"),
                numerator=_part(c.get("numerator")),
                denominator=_part(c.get("denominator")),
                applies_if=_condition(
                    c.get("applies_if"),
                    facts,
                    file,
                    f"条目 {item_id}",
                    f"criteria[{c['id']}].applies_if",
                ),
            )
        )
    ids = {k.id for k in crits}
    texts, proves = [], []
    for n, e in enumerate(raw["evidence"]):
        if isinstance(e, str):
            texts.append(e)
            proves.append(())
            continue
        unknown = [cid for cid in e["proves"] if cid not in ids]
        if unknown:
            raise DataError(
                file,
                f"条目 {item_id}",
                f"evidence[{n}].proves",
                f"指标“{'、'.join(unknown)}”不属于这一条，请改为本条的指标编号。",
            )
        texts.append(e["text"])
        proves.append(tuple(e["proves"]))
    return Item(
        id=item_id,
        title=raw["title"],
        text=raw["text"],
        criteria=tuple(crits),
        evidence=tuple(texts),
        applies_if=_condition(raw.get("applies_if"), facts, file, f"条目 {item_id}", "applies_if"),
        category_id=category_id,
        evidence_proves=tuple(proves),
        advisory=raw.get("advisory", ""),
    )
