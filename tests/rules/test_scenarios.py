"""Scenario files: decided by both engines; every rule covered, every threshold bounded."""

from __future__ import annotations

from collections import defaultdict

import pytest

from rules import Policy
from rules.decide import normalise_for
from rules.language import ORDER_OPERATORS, leaves
from rules.scenario import Scenario, build_facts, load_scenarios, run_scenario

SCENARIOS = load_scenarios()


def test_scenarios_are_found() -> None:
    assert len(SCENARIOS) >= 60
    assert len({(scenario.file, scenario.name) for scenario in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.parametrize(
    "scenario", SCENARIOS, ids=lambda scenario: f"{scenario.file}:{scenario.line}"
)
def test_scenario(policy: Policy, scenario: Scenario) -> None:
    durable, durable_problems = run_scenario(scenario, policy=policy, engine="durable")
    reference, reference_problems = run_scenario(scenario, policy=policy, engine="reference")
    assert durable_problems == [], f"{scenario.name} (durable_rules)"
    assert reference_problems == [], f"{scenario.name} (reference)"
    assert (
        durable.model_copy(update={"engine": "-"}).to_json()
        == reference.model_copy(update={"engine": "-"}).to_json()
    )


def test_every_rule_has_a_scenario(policy: Policy) -> None:
    covered = {rule for scenario in SCENARIOS for rule in scenario.expect.rules}
    assert [rule.id for rule in policy.rules if rule.id not in covered] == []


def test_every_threshold_is_tested_at_and_beyond_its_boundary(policy: Policy) -> None:
    """For each numeric comparison some scenario sits exactly on the threshold and one across it."""
    seen: dict[str, set[float]] = defaultdict(set)
    for scenario in SCENARIOS:
        facts = normalise_for(policy, build_facts(scenario.facts), scenario.context)
        for path, value in facts.values.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                seen[path].add(float(value))
    missing = []
    for rule in policy.rules:
        for leaf in leaves(rule.when):
            if leaf.op not in ORDER_OPERATORS:
                continue
            assert isinstance(leaf.operand, int | float)
            threshold = float(leaf.operand)
            values = seen[leaf.path]
            # At the threshold the test holds for gte/lte and fails for gt/lt; the other
            # outcome must be seen just across it.
            across = (
                any(v < threshold for v in values)
                if leaf.op in ("gte", "lt")
                else any(v > threshold for v in values)
            )
            if not (threshold in values and across):
                missing.append(f"{rule.id}: {leaf.path} {leaf.op} {threshold}")
    assert missing == []


def test_a_broken_expectation_is_reported(policy: Policy) -> None:
    scenario = SCENARIOS[0].model_copy(
        update={
            "expect": SCENARIOS[0].expect.model_copy(
                update={"tier": SCENARIOS[0].expect.tier % 4 + 1, "rules": ["legal.ip_assignment"]}
            )
        }
    )
    _, problems = run_scenario(scenario, policy=policy)
    assert any(problem.startswith("tier:") for problem in problems)
    assert any(problem.startswith("rules:") for problem in problems)
