"""The durable_rules sharp edges are handled: threads, sessions, actions, errors, odd values."""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

import pytest

from extractors.facts import FactRecord
from rules import (
    EngineError,
    FactsError,
    InvalidPolicyError,
    Policy,
    decide,
    durable_engine,
    load_policy,
)
from rules.decide import normalise_for
from rules.durable_engine import DurableEvaluator, Keys, describe_engine_error, engine_error_code
from rules.language import Leaf, Rule
from rules.normalise import normalise_number, normalise_text
from rules.sampling import RandomChooser, sample_case
from rules.scenario import build_facts


def test_unknown_engine_is_refused(policy: Policy) -> None:
    with pytest.raises(Exception, match="unknown engine"):
        decide(FactRecord(), policy=policy, engine="drools")


def test_a_value_of_the_wrong_type_is_refused(policy: Policy) -> None:
    record = build_facts({"commercial.payment_terms_days": 30})
    broken = record.model_copy(
        update={
            "commercial": record.commercial.model_copy(
                update={
                    "payment_terms_days": record.commercial.payment_terms_days.model_copy(
                        update={"value": True}
                    )
                }
            )
        }
    )
    with pytest.raises(FactsError, match="payment_terms_days"):
        decide(broken, policy=policy)


def test_no_background_threads_are_started() -> None:
    before = threading.active_count()
    policy = load_policy()
    decide(build_facts({"legal.non_compete": True}), policy=policy)
    assert threading.active_count() == before


def test_thousands_of_cases_do_not_exhaust_sessions(policy: Policy) -> None:
    # More than 1,024 live sessions crash the engine: each case's session must be deleted.
    facts = build_facts({"commercial.annual_contract_value": {"amount": 10000, "currency": "USD"}})
    for _ in range(3000):
        assert decide(facts, policy=policy).fired_rules == []


def test_no_state_leaks_between_cases(policy: Policy) -> None:
    risky = build_facts(
        {
            "legal.uncapped_liability": True,
            "commercial.annual_contract_value": {"amount": 1, "currency": "USD"},
        }
    )
    plain = build_facts({"commercial.annual_contract_value": {"amount": 1, "currency": "USD"}})
    assert decide(risky, policy=policy).approvals
    assert decide(plain, policy=policy).approvals == []


def test_an_exception_in_an_action_is_raised(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    evaluator = policy.durable
    name = next(
        name for name, rule_id in evaluator.rule_of.items() if rule_id == "legal.liquidated_damages"
    )
    action = evaluator._host.get_ruleset(evaluator._name)._actions[name]

    def explode(c: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(action, "_func", explode)
    with pytest.raises(EngineError, match=r"legal\.liquidated_damages"):
        decide(build_facts({"legal.liquidated_damages": True}), policy=policy)
    monkeypatch.undo()
    assert decide(build_facts({"legal.liquidated_damages": True}), policy=policy).approvals


def test_a_rule_the_engine_refuses_is_named(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = durable_engine._leaf_terms

    def refused_for_discounts(leaf: Leaf, keys: Keys) -> list[dict[str, Any]]:
        if leaf.path == "commercial.discount_percent":
            return [{"$iany": {keys.value[leaf.path]: {"$eq": 1}}}]  # error 102 in durable_rules
        return original(leaf, keys)

    monkeypatch.setattr(durable_engine, "_leaf_terms", refused_for_discounts)
    with pytest.raises(InvalidPolicyError) as raised:
        DurableEvaluator(policy.rules, policy.durable._keys)
    rule = policy.by_id["finance.discount"]
    issue = raised.value.issues[0]
    assert (issue.file, issue.line) == (rule.file, rule.line)
    assert "finance.discount" in issue.message and "error 102" in issue.message


def test_engine_error_numbers_are_translated() -> None:
    error = RuntimeError("Could not create ruleset, error code: 113")
    assert engine_error_code(error) == 113
    assert "expression too large" in describe_engine_error(error)


@pytest.mark.parametrize("value", [1e-05, 1e-7, 3.0e20, -0.0, 45.00001, math.inf])
def test_numbers_never_reach_the_engine_in_exponent_form(value: float) -> None:
    normalised = normalise_number(value)
    assert normalised is not None
    assert "e" not in repr(normalised).lower()


def test_nan_is_dropped_and_booleans_are_not_numbers() -> None:
    assert normalise_number(math.nan) is None
    with pytest.raises(FactsError):
        normalise_number(True)


def test_text_is_normalised() -> None:
    assert normalise_text("  New\tYORK\x00 ") == "new york"


def test_only_the_used_paths_reach_the_engine(policy: Policy) -> None:
    facts, context = sample_case(RandomChooser(5), policy)
    normalised = normalise_for(policy, facts, context)
    fact = policy.durable._keys.fact(normalised, "x")
    assert len(fact) < 250
    assert set(normalised.values) <= set(policy.paths)


def test_policy_directory_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(InvalidPolicyError, match="does not exist"):
        load_policy(tmp_path / "missing")


def test_rules_are_compiled_once_per_conjunction(policy: Policy) -> None:
    assert policy.durable.engine_rule_count >= len(policy.rules)
    executive: Rule = policy.by_id["executive.large_non_standard_deal"]
    assert sum(1 for rule_id in policy.durable.rule_of.values() if rule_id == executive.id) > 10
