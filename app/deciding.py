"""How the service decides a case: durable_rules in a worker process unless settings say otherwise.

One ``IsolatedDecider`` per policy (directory and version) lives as long as the process,
so its worker starts once; a crash of the C engine costs that worker, and the case is
decided by the reference evaluator instead (``rules.isolated``).
"""

from __future__ import annotations

import atexit
import threading

from app.settings import Settings
from extractors.facts import FactRecord
from rules import CaseContext, Decision, Policy, decide
from rules.isolated import IsolatedDecider

_DECIDERS: dict[tuple[str, str], IsolatedDecider] = {}
_LOCK = threading.Lock()


def decide_with_settings(
    facts: FactRecord, *, policy: Policy, context: CaseContext, settings: Settings
) -> Decision:
    """The decision by the engine ``settings`` choose, isolated when they ask for it."""
    if settings.rules_engine == "reference" or not settings.rules_isolation:
        return decide(facts, policy=policy, context=context, engine=settings.rules_engine)
    key = (str(policy.directory), policy.version)
    with _LOCK:
        decider = _DECIDERS.get(key)
        if decider is None:
            decider = _DECIDERS[key] = IsolatedDecider(policy, timeout_s=settings.rules_timeout_s)
    return decider.decide(facts, context)


def close_deciders() -> None:
    """Stop every decider's worker (at exit, and in tests)."""
    with _LOCK:
        for decider in _DECIDERS.values():
            decider.close()
        _DECIDERS.clear()


atexit.register(close_deciders)
