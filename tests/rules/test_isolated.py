"""durable_rules in a worker process: a crash or a hang costs one worker, never the service."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractors.facts import FactRecord
from rules import CaseContext, EngineError, Policy, decide, load_policy
from rules.isolated import IsolatedDecider
from rules.sampling import REALISTIC, RandomChooser, sample_case


def crash_worker(*_: object) -> str:
    """Stands in for the engine and dies the way a C crash does."""
    os.kill(os.getpid(), signal.SIGSEGV)
    return ""  # pragma: no cover


def hang_worker(*_: object) -> str:
    """Stands in for an engine stuck in a loop."""
    time.sleep(60)
    return ""  # pragma: no cover


@pytest.fixture
def decider(policy: Policy) -> Iterator[IsolatedDecider]:
    isolated = IsolatedDecider(policy, timeout_s=5.0)
    yield isolated
    isolated.close()


def _cases(policy: Policy, count: int) -> list[tuple[FactRecord, CaseContext]]:
    chooser = RandomChooser(7)
    return [sample_case(chooser, policy, REALISTIC) for _ in range(count)]


def test_decisions_in_the_worker_are_byte_identical_to_in_process(
    policy: Policy, decider: IsolatedDecider
) -> None:
    for facts, context in _cases(policy, 30):
        isolated = decider.decide(facts, context)
        assert isolated.engine == "durable"
        expected = decide(facts, policy=policy, context=context)
        assert isolated.to_json() == expected.to_json()
    assert decider.fallbacks == []


def test_a_crashed_engine_is_replaced_and_the_case_decided_by_the_reference_evaluator(
    policy: Policy,
) -> None:
    (facts, context), (later_facts, later_context) = _cases(policy, 2)
    decider = IsolatedDecider(policy, timeout_s=5.0, task=crash_worker)
    try:
        decision = decider.decide(facts, context)
        assert decision.engine == "reference"
        reference = decide(facts, policy=policy, context=context, engine="reference")
        assert decision.to_json() == reference.to_json()
        assert len(decider.fallbacks) == 1
        assert "crashed" in decider.fallbacks[0]
        # The service goes on: the next case is decided too.
        assert decider.decide(later_facts, later_context).path is not None
    finally:
        decider.close()


def test_a_hung_engine_is_killed_at_its_budget(policy: Policy) -> None:
    ((facts, context),) = _cases(policy, 1)
    decider = IsolatedDecider(policy, timeout_s=1.0, task=hang_worker)
    try:
        started = time.monotonic()
        decision = decider.decide(facts, context)
        assert time.monotonic() - started < 15
        assert decision.engine == "reference"
        assert "1 s" in decider.fallbacks[0]
    finally:
        decider.close()


def test_a_policy_changed_on_disk_is_refused_not_silently_used(
    policy_copy: Path,
) -> None:
    loaded = load_policy(policy_copy)
    ((facts, context),) = _cases(loaded, 1)
    parameters = policy_copy / "parameters.yaml"
    parameters.write_text(parameters.read_text("utf-8") + "\n# edited\n", "utf-8")
    decider = IsolatedDecider(loaded, timeout_s=5.0)
    try:
        with pytest.raises(EngineError, match="changed on disk"):
            decider.decide(facts, context)
    finally:
        decider.close()
