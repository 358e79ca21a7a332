"""durable_rules in a worker process: a crash or a hang costs one worker, never the service."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractors.facts import FactRecord
from rules import CaseContext, Decision, EngineError, Policy, decide, load_policy
from rules.isolated import IsolatedDecider, decide_in_worker
from rules.sampling import REALISTIC, RandomChooser, sample_case


def crash_worker(*_: object) -> str:
    """Stands in for the engine and dies the way a C crash does."""
    os.kill(os.getpid(), signal.SIGSEGV)
    return ""  # pragma: no cover


def hang_worker(*_: object) -> str:
    """Stands in for an engine stuck in a loop."""
    time.sleep(60)
    return ""  # pragma: no cover


# A case whose context names this document kills the worker (``crash_on_poison``).
POISON = "poison.pdf"


def crash_on_poison(directory: str, version: str, facts_json: str, context_json: str) -> str:
    """The real engine, except that it dies on a case naming ``POISON``."""
    if POISON in context_json:
        os.kill(os.getpid(), signal.SIGSEGV)
    return decide_in_worker(directory, version, facts_json, context_json)


def report_frozen(*_: object) -> str:
    """Says, as an error the parent raises, how many objects the worker has frozen."""
    raise EngineError(f"frozen: {gc.get_freeze_count()}")


def _worker_pids() -> list[int]:
    return [
        child.pid
        for child in multiprocessing.active_children()
        if child.name == "durable-rules" and child.pid is not None
    ]


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


def test_decisions_from_an_event_loop_are_byte_identical_to_in_process(
    policy: Policy, decider: IsolatedDecider
) -> None:
    cases = _cases(policy, 30)

    async def decide_all() -> list[Decision]:
        # All at once: the cases queue in the worker's channel and come back by id.
        return await asyncio.gather(*(decider.decide_async(f, c) for f, c in cases))

    for (facts, context), isolated in zip(cases, asyncio.run(decide_all()), strict=True):
        assert isolated.engine == "durable"
        expected = decide(facts, policy=policy, context=context)
        assert isolated.to_json() == expected.to_json()
    assert decider.fallbacks == []


def test_a_crash_seen_from_an_event_loop_falls_back_and_the_next_case_is_decided(
    policy: Policy,
) -> None:
    (facts, context), (later_facts, later_context) = _cases(policy, 2)
    decider = IsolatedDecider(policy, timeout_s=5.0, task=crash_worker)
    try:
        decision = asyncio.run(decider.decide_async(facts, context))
        assert decision.engine == "reference"
        reference = decide(facts, policy=policy, context=context, engine="reference")
        assert decision.to_json() == reference.to_json()
        assert len(decider.fallbacks) == 1
        assert "crashed (exit code -11)" in decider.fallbacks[0]
        assert asyncio.run(decider.decide_async(later_facts, later_context)).path is not None
    finally:
        decider.close()


def test_a_hang_seen_from_an_event_loop_is_killed_at_its_budget(policy: Policy) -> None:
    ((facts, context),) = _cases(policy, 1)
    decider = IsolatedDecider(policy, timeout_s=1.0, task=hang_worker)
    try:
        decision = asyncio.run(decider.decide_async(facts, context))
        assert decision.engine == "reference"
        assert "did not finish within 1 s" in decider.fallbacks[0]
        assert _worker_pids() == []
    finally:
        decider.close()


def test_only_the_case_that_killed_the_worker_falls_back(policy: Policy) -> None:
    """Cases queued behind it, from the loop and from a thread, go to a new worker."""
    cases = _cases(policy, 12)
    poisoned = CaseContext(unreadable_documents=[POISON])
    decider = IsolatedDecider(policy, timeout_s=5.0, task=crash_on_poison)
    threaded: list[Decision] = []
    try:
        decider.decide(*cases[0])  # the worker is up

        async def decide_all() -> list[Decision]:
            poison = decider.decide_async(cases[0][0], poisoned)
            rest = [decider.decide_async(f, c) for f, c in cases[1:6]]
            thread = threading.Thread(
                target=lambda: threaded.extend(decider.decide(f, c) for f, c in cases[6:])
            )
            thread.start()
            decisions = await asyncio.gather(poison, *rest)
            await asyncio.to_thread(thread.join)
            return decisions

        poison_decision, *rest = asyncio.run(decide_all())
    finally:
        decider.close()
    assert poison_decision.engine == "reference"
    assert poison_decision.path.value == "needs_information"
    assert len(decider.fallbacks) == 1 and "crashed" in decider.fallbacks[0]
    for (facts, context), decision in zip(cases[1:], [*rest, *threaded], strict=True):
        assert decision.engine == "durable"
        assert decision.to_json() == decide(facts, policy=policy, context=context).to_json()


def test_a_worker_killed_between_cases_is_replaced_without_a_fallback(
    policy: Policy, decider: IsolatedDecider
) -> None:
    (facts, context), (later_facts, later_context) = _cases(policy, 2)
    assert decider.decide(facts, context).engine == "durable"
    (pid,) = _worker_pids()
    os.kill(pid, signal.SIGKILL)
    assert decider.decide(later_facts, later_context).engine == "durable"
    (replacement,) = _worker_pids()
    os.kill(replacement, signal.SIGKILL)
    assert asyncio.run(decider.decide_async(facts, context)).engine == "durable"
    assert decider.fallbacks == []


def test_each_event_loop_gets_its_cases_decided(policy: Policy, decider: IsolatedDecider) -> None:
    """One after another, or side by side (the second goes through a thread)."""
    (facts, context), (later_facts, later_context) = _cases(policy, 2)
    first = asyncio.new_event_loop()
    try:
        assert first.run_until_complete(decider.decide_async(facts, context)).engine == "durable"
        # ``first`` is open and holds the worker's channel for loops.
        beside = asyncio.run(decider.decide_async(later_facts, later_context))
        assert beside.engine == "durable"
    finally:
        first.close()
    after = asyncio.run(decider.decide_async(facts, context))
    assert after.engine == "durable"
    assert after.to_json() == decide(facts, policy=policy, context=context).to_json()
    assert decider.fallbacks == []


def test_a_policy_changed_on_disk_is_refused_from_an_event_loop_too(
    policy_copy: Path,
) -> None:
    loaded = load_policy(policy_copy)
    ((facts, context),) = _cases(loaded, 1)
    parameters = policy_copy / "parameters.yaml"
    parameters.write_text(parameters.read_text("utf-8") + "\n# edited\n", "utf-8")
    decider = IsolatedDecider(loaded, timeout_s=5.0)
    try:
        with pytest.raises(EngineError, match="changed on disk"):
            asyncio.run(decider.decide_async(facts, context))
        assert decider.fallbacks == []
    finally:
        decider.close()


def test_closing_stops_the_worker_and_a_later_case_starts_another(
    policy: Policy, decider: IsolatedDecider
) -> None:
    ((facts, context),) = _cases(policy, 1)
    assert asyncio.run(decider.decide_async(facts, context)).engine == "durable"
    assert len(_worker_pids()) == 1
    decider.close()
    assert _worker_pids() == []
    assert decider.decide(facts, context).engine == "durable"
    assert len(_worker_pids()) == 1


def test_the_worker_leaves_what_it_loaded_out_of_full_collections(policy: Policy) -> None:
    ((facts, context),) = _cases(policy, 1)
    decider = IsolatedDecider(policy, timeout_s=5.0, task=report_frozen)
    try:
        with pytest.raises(EngineError, match=r"frozen: [1-9]\d{4,}"):
            decider.decide(facts, context)
    finally:
        decider.close()


def test_a_case_budget_starts_when_the_worker_is_ready_not_while_it_starts(
    policy: Policy,
) -> None:
    """A new worker takes longer to load the policy than this budget; no case times out."""
    (facts, context), (later_facts, later_context) = _cases(policy, 2)
    threads = IsolatedDecider(policy, timeout_s=0.3)
    loop = IsolatedDecider(policy, timeout_s=0.3)
    try:
        assert threads.decide(facts, context).engine == "durable"
        assert asyncio.run(loop.decide_async(later_facts, later_context)).engine == "durable"
        assert threads.fallbacks == loop.fallbacks == []
    finally:
        threads.close()
        loop.close()
