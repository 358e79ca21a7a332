"""The policy language: conditions over fact paths, effects and rules, for any engine."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rules.decision import ApprovalRole, InformationKind, OnboardingPath
from rules.paths import Kind, path_table

Scalar = bool | int | float | str
Operand = Scalar | tuple[Scalar, ...]

# Operators by the kinds of value they apply to.
STATUS_OPERATOR = "status"
EQUALITY_OPERATORS = ("eq", "ne")
ORDER_OPERATORS = ("gt", "gte", "lt", "lte")
MEMBERSHIP_OPERATORS = ("in", "not_in")
LIST_OPERATORS = ("contains", "contains_any", "any_not_in")
OPERATORS: tuple[str, ...] = (
    STATUS_OPERATOR,
    *EQUALITY_OPERATORS,
    *ORDER_OPERATORS,
    *MEMBERSHIP_OPERATORS,
    *LIST_OPERATORS,
)
LIST_OPERANDS = frozenset({STATUS_OPERATOR, *MEMBERSHIP_OPERATORS, "contains_any", "any_not_in"})

OPERATOR_KINDS: dict[str, frozenset[Kind]] = {
    "eq": frozenset({Kind.BOOL, Kind.INT, Kind.NUMBER, Kind.STRING, Kind.DATE}),
    "ne": frozenset({Kind.BOOL, Kind.INT, Kind.NUMBER, Kind.STRING, Kind.DATE}),
    **{op: frozenset({Kind.INT, Kind.NUMBER, Kind.DATE}) for op in ORDER_OPERATORS},
    **{
        op: frozenset({Kind.INT, Kind.NUMBER, Kind.STRING, Kind.DATE})
        for op in MEMBERSHIP_OPERATORS
    },
    **{op: frozenset({Kind.STRINGS}) for op in LIST_OPERATORS},
}


@dataclass(frozen=True)
class Leaf:
    """One test of one path: ``path op operand`` (operands already resolved and normalised)."""

    path: str
    op: str
    operand: Operand
    fact_path: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fact_path", path_table()[self.path].fact_path)


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Tagged:
    """True when any rule carrying ``tag`` would fire on the same facts (expanded at load)."""

    tag: str


Condition = Leaf | AllOf | AnyOf | Tagged


@dataclass(frozen=True)
class ApprovalEffect:
    role: ApprovalRole
    reason: str
    due_business_hours: int


@dataclass(frozen=True)
class InformationEffect:
    kind: InformationKind
    facts: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Effects:
    """What a rule asks for when it fires; combining them across rules is order-independent."""

    min_path: OnboardingPath | None = None
    tier: int | None = None
    approval: ApprovalEffect | None = None
    flag: str | None = None
    needs_information: InformationEffect | None = None


@dataclass(frozen=True)
class Rule:
    """A rule of the policy, with where it was written so messages can point at it."""

    id: str
    description: str
    file: str
    line: int
    tags: tuple[str, ...]
    when: Condition
    then: Effects


def leaves(condition: Condition) -> Iterator[Leaf]:
    """Every leaf of ``condition``, depth first."""
    if isinstance(condition, Leaf):
        yield condition
    elif isinstance(condition, AllOf | AnyOf):
        for item in condition.items:
            yield from leaves(item)


def tags_used(condition: Condition) -> Iterator[str]:
    """Tags referred to by ``rules_with_tag`` inside ``condition``."""
    if isinstance(condition, Tagged):
        yield condition.tag
    elif isinstance(condition, AllOf | AnyOf):
        for item in condition.items:
            yield from tags_used(item)


class TooComplexError(Exception):
    """A condition whose disjunctive normal form is larger than the engine can take."""


MAX_CONJUNCTIONS = 256


def to_dnf(condition: Condition, limit: int = MAX_CONJUNCTIONS) -> list[tuple[Leaf, ...]]:
    """``condition`` as a list of conjunctions of leaves (an empty list never holds)."""
    if isinstance(condition, Leaf):
        return [(condition,)]
    if isinstance(condition, Tagged):
        raise ValueError(f"rules_with_tag {condition.tag!r} must be expanded before evaluation")
    if isinstance(condition, AnyOf):
        result: list[tuple[Leaf, ...]] = []
        for item in condition.items:
            result.extend(to_dnf(item, limit))
            if len(result) > limit:
                raise TooComplexError
        return result
    product: list[tuple[Leaf, ...]] = [()]
    for item in condition.items:
        parts = to_dnf(item, limit)
        if len(product) * len(parts) > limit:
            raise TooComplexError
        product = [left + right for left, right in itertools.product(product, parts)]
    return product


# ---- satisfiability, for finding rules that can never fire ---------------------------


def _as_tuple(operand: Operand) -> tuple[Scalar, ...]:
    return operand if isinstance(operand, tuple) else (operand,)


@dataclass
class _Range:
    low: float = -math.inf
    low_open: bool = False
    high: float = math.inf
    high_open: bool = False

    def narrow(self, op: str, bound: float) -> None:
        if op in ("gt", "gte") and (bound > self.low or (bound == self.low and op == "gt")):
            self.low, self.low_open = bound, op == "gt"
        if op in ("lt", "lte") and (bound < self.high or (bound == self.high and op == "lt")):
            self.high, self.high_open = bound, op == "lt"

    def admits(self, value: float) -> bool:
        above = value > self.low or (value == self.low and not self.low_open)
        below = value < self.high or (value == self.high and not self.high_open)
        return above and below

    def empty(self, integer: bool) -> bool:
        low, high = self.low, self.high
        if integer and math.isfinite(low) and math.isfinite(high):
            first = math.floor(low) + 1 if self.low_open else math.ceil(low)
            last = math.ceil(high) - 1 if self.high_open else math.floor(high)
            return first > last
        return low > high or (low == high and (self.low_open or self.high_open))


def _values_possible(kind: Kind, tests: Sequence[Leaf]) -> bool:
    if kind is Kind.STRINGS:
        return all(leaf.operand != () for leaf in tests if leaf.op == "contains_any")
    allowed: set[Scalar] | None = None
    excluded: set[Scalar] = set()
    span = _Range()
    for leaf in tests:
        if leaf.op in ("eq", "in"):
            values = set(_as_tuple(leaf.operand))
            allowed = values if allowed is None else allowed & values
        elif leaf.op in ("ne", "not_in"):
            excluded |= set(_as_tuple(leaf.operand))
        elif leaf.op in ORDER_OPERATORS:
            assert isinstance(leaf.operand, int | float)
            span.narrow(leaf.op, float(leaf.operand))
    if allowed is not None:
        return any(
            value not in excluded and (isinstance(value, str | bool) or span.admits(float(value)))
            for value in allowed
        )
    if kind is Kind.BOOL:
        return not {True, False} <= excluded
    if kind in (Kind.INT, Kind.NUMBER, Kind.DATE):
        return not span.empty(integer=kind is not Kind.NUMBER)
    return True


def unsatisfiable_path(conjunction: Sequence[Leaf]) -> str | None:
    """The first path whose tests in ``conjunction`` cannot all hold, or ``None``."""
    table = path_table()
    statuses: dict[str, set[str]] = {}
    by_path: dict[str, list[Leaf]] = defaultdict(list)
    for leaf in conjunction:
        allowed = set(_as_tuple(leaf.operand)) if leaf.op == STATUS_OPERATOR else {"present"}
        current = statuses.get(leaf.fact_path, {"present", "excluded", "not_found", "not_checked"})
        statuses[leaf.fact_path] = current & {str(status) for status in allowed}
        if leaf.op != STATUS_OPERATOR:
            by_path[leaf.path].append(leaf)
    for fact_path, possible in statuses.items():
        if not possible:
            return fact_path
    for path, tests in by_path.items():
        if not _values_possible(table[path].kind, tests):
            return path
    return None
