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
from rules import CaseContext, Decision, Policy, decide, decide_advisory
from rules.isolated import IsolatedDecider

# The tier a grounded complexity assessment of the model asks for at least. The model may
# raise the tier to "complex", never to "strategic" (that takes the executive rules), and
# never lower it.
MODEL_COMPLEXITY_TIERS = {"medium": 2, "high": 3}

_DECIDERS: dict[tuple[str, str], IsolatedDecider] = {}
_LOCK = threading.Lock()


def decide_with_settings(
    facts: FactRecord, *, policy: Policy, context: CaseContext, settings: Settings
) -> Decision:
    """The decision by the engine ``settings`` choose, isolated when they ask for it."""
    decider = _isolated_decider(policy, settings)
    if decider is None:
        return decide(facts, policy=policy, context=context, engine=settings.rules_engine)
    return decider.decide(facts, context)


async def decide_with_settings_async(
    facts: FactRecord, *, policy: Policy, context: CaseContext, settings: Settings
) -> Decision:
    """``decide_with_settings`` for a coroutine, with no thread in between.

    The isolated engine's worker is spoken to by the event loop itself
    (``IsolatedDecider.decide_async``); an engine in this process decides right here, in a
    fraction of a millisecond, which is less than handing the case to a thread would cost.
    """
    decider = _isolated_decider(policy, settings)
    if decider is None:
        return decide(facts, policy=policy, context=context, engine=settings.rules_engine)
    return await decider.decide_async(facts, context)


def _isolated_decider(policy: Policy, settings: Settings) -> IsolatedDecider | None:
    """The process's decider for ``policy``, None when settings decide in-process."""
    if settings.rules_engine == "reference" or not settings.rules_isolation:
        return None
    key = (str(policy.directory), policy.version)
    decider = _DECIDERS.get(key)
    if decider is None:
        with _LOCK:
            decider = _DECIDERS.get(key)
            if decider is None:
                decider = IsolatedDecider(policy, timeout_s=settings.rules_timeout_s)
                _DECIDERS[key] = decider
    return decider


def decide_advisory_with_settings(
    facts: FactRecord,
    advisory: FactRecord | None,
    *,
    policy: Policy,
    context: CaseContext,
    settings: Settings,
    model_complexity: str | None = None,
) -> Decision:
    """The production decision: deterministic ``facts`` plus the model's grounded ones.

    Without advisory facts or a complexity assessment this is ``decide_with_settings``
    exactly. With them, every rule that fires on either record counts (``decide_advisory``),
    and a grounded complexity assessment may raise the tier: the result is never less
    strict than the deterministic facts alone. The advisory decision is made in-process by
    the reference evaluator (pure Python, no C engine to crash), which agrees with
    durable_rules on every scenario; the decision names the engine.
    """
    if advisory is None or advisory is facts:
        decision = decide_with_settings(facts, policy=policy, context=context, settings=settings)
    else:
        isolated = settings.rules_engine == "durable" and settings.rules_isolation
        engine = "reference" if isolated else settings.rules_engine
        decision = decide_advisory(facts, advisory, policy=policy, context=context, engine=engine)
    tier = MODEL_COMPLEXITY_TIERS.get(model_complexity or "")
    if tier is None or tier <= decision.tier:
        return decision
    flags = sorted({*decision.risk_flags, f"model_complexity_{model_complexity}"})
    return decision.model_copy(update={"tier": tier, "risk_flags": flags})


def close_deciders() -> None:
    """Stop every decider's worker (at exit, and in tests)."""
    with _LOCK:
        for decider in _DECIDERS.values():
            decider.close()
        _DECIDERS.clear()


atexit.register(close_deciders)
