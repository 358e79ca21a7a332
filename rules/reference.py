"""The reference evaluator: the policy language in plain Python, the baseline for the C engine."""

from __future__ import annotations

from collections.abc import Iterable

from rules.language import AllOf, AnyOf, Condition, Leaf, Rule
from rules.normalise import NormalisedFacts


def leaf_holds(leaf: Leaf, facts: NormalisedFacts) -> bool:
    """Whether one test holds; any test of a value needs the value to be present."""
    if leaf.op == "status":
        assert isinstance(leaf.operand, tuple)
        return facts.statuses[leaf.fact_path] in leaf.operand
    if leaf.path not in facts.values:
        return False
    value = facts.values[leaf.path]
    operand = leaf.operand
    if isinstance(value, tuple):
        if leaf.op == "contains":
            return operand in value
        assert isinstance(operand, tuple)
        if leaf.op == "contains_any":
            return any(item in value for item in operand)
        return any(item not in operand for item in value)  # any_not_in
    if leaf.op == "eq":
        return value == operand
    if leaf.op == "ne":
        return value != operand
    if leaf.op in ("in", "not_in"):
        assert isinstance(operand, tuple)
        return (value in operand) == (leaf.op == "in")
    assert isinstance(value, int | float) and isinstance(operand, int | float)
    if leaf.op == "gt":
        return value > operand
    if leaf.op == "gte":
        return value >= operand
    if leaf.op == "lt":
        return value < operand
    return value <= operand  # lte


def holds(condition: Condition, facts: NormalisedFacts) -> bool:
    """Whether ``condition`` holds on ``facts``."""
    if isinstance(condition, Leaf):
        return leaf_holds(condition, facts)
    if isinstance(condition, AllOf):
        return all(holds(item, facts) for item in condition.items)
    if isinstance(condition, AnyOf):
        return any(holds(item, facts) for item in condition.items)
    raise TypeError(f"unexpanded {condition!r}")


def explain(condition: Condition, facts: NormalisedFacts) -> list[str]:
    """Fact paths of the tests that made ``condition`` hold, in the order they are written."""
    found = _holding_paths(condition, facts)
    return list(dict.fromkeys(found or ()))


def _holding_paths(condition: Condition, facts: NormalisedFacts) -> list[str] | None:
    """Paths of the holding tests when ``condition`` holds, else ``None`` (one pass)."""
    if isinstance(condition, Leaf):
        return [condition.fact_path] if leaf_holds(condition, facts) else None
    if isinstance(condition, AllOf):
        paths: list[str] = []
        for item in condition.items:
            found = _holding_paths(item, facts)
            if found is None:
                return None
            paths.extend(found)
        return paths
    if isinstance(condition, AnyOf):
        result: list[str] | None = None
        for item in condition.items:
            found = _holding_paths(item, facts)
            if found is not None:
                result = (result or []) + found
        return result
    raise TypeError(f"unexpanded {condition!r}")


def fired_rules(rules: Iterable[Rule], facts: NormalisedFacts) -> set[str]:
    """Ids of the rules whose conditions hold on ``facts``."""
    return {rule.id for rule in rules if holds(rule.when, facts)}
