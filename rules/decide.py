"""Deciding a case: evaluate the policy on its facts and combine the effects of the fired rules."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel

from extractors.facts import Fact, FactRecord, FactStatus, get_fact
from rules.context import CaseContext
from rules.decision import (
    MIN_TIER,
    ApprovalRole,
    Decision,
    OnboardingPath,
    path_rank,
)
from rules.errors import PolicyError
from rules.loader import Policy
from rules.normalise import NormalisedFacts, fact_status, normalise
from rules.paths import is_context
from rules.reference import explain, fired_rules

ENGINES = ("durable", "reference")


def normalise_for(
    policy: Policy, facts: FactRecord, context: CaseContext | None
) -> NormalisedFacts:
    """The facts of a case as ``policy``'s rules see them."""
    return normalise(facts, context, paths=policy.paths, currencies=policy.currencies)


def evaluate(policy: Policy, facts: NormalisedFacts, engine: str) -> set[str]:
    """Ids of the rules of ``policy`` that fire on ``facts`` according to ``engine``."""
    if engine == "durable":
        return policy.durable.fired(facts)
    if engine == "reference":
        return fired_rules(policy.rules, facts)
    raise PolicyError(f"unknown engine '{engine}' (use one of {', '.join(ENGINES)})")


def decide(
    facts: FactRecord,
    *,
    policy: Policy,
    context: CaseContext | None = None,
    engine: str = "durable",
) -> Decision:
    """The decision for one case; the same facts and policy always give the same bytes."""
    normalised = normalise_for(policy, facts, context)
    fired = evaluate(policy, normalised, engine)
    explainer = _Explainer(policy, normalised, facts, context)
    return _combine(policy, {rule_id: explainer.fired_rule(rule_id) for rule_id in fired}, engine)


def decide_advisory(
    deterministic: FactRecord,
    merged: FactRecord,
    *,
    policy: Policy,
    context: CaseContext | None = None,
    engine: str = "durable",
) -> Decision:
    """The decision over deterministic plus grounded AI facts, never less strict than without AI.

    Both fact sets are evaluated and every rule that fires on either counts: combining is a
    maximum (path, tier) and a union (approvals, flags, information needed), so the result
    can only be as strict or stricter than the deterministic decision.
    """
    base_facts = normalise_for(policy, deterministic, context)
    full_facts = normalise_for(policy, merged, context)
    base = evaluate(policy, base_facts, engine)
    full = evaluate(policy, full_facts, engine)
    base_explainer = _Explainer(policy, base_facts, deterministic, context)
    full_explainer = _Explainer(policy, full_facts, merged, context)
    explained = {rule_id: base_explainer.fired_rule(rule_id) for rule_id in base}
    explained.update(
        {rule_id: full_explainer.fired_rule(rule_id, advisory=True) for rule_id in full - base}
    )
    return _combine(policy, explained, engine)


def _json_value(value: Any) -> Any:
    """A fact value as JSON data, as ``model_dump(mode="json")`` would give it."""
    if value is None or isinstance(value, bool | int | float | str):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(item) for item in value]
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


# Decisions are assembled as plain data and validated once: pydantic-core does that in one
# call, an order of magnitude faster than building each nested model in Python.


def _evidence(fact: Fact[Any]) -> list[dict[str, Any]]:
    return [
        {
            "document_id": item.document_id,
            "page": item.page,
            "start": item.start,
            "end": item.end,
            "quote": item.quote,
        }
        for item in fact.evidence
    ]


def _fact_ref(path: str, record: FactRecord, context: CaseContext | None) -> dict[str, Any]:
    if is_context(path):
        value = getattr(context or CaseContext(), path.split(".", 1)[1])
        return {"path": path, "status": FactStatus.PRESENT.value, "value": _json_value(value)}
    fact = get_fact(record, path)
    status = fact_status(fact)
    if not fact.counts:
        return {"path": path, "status": status}
    return {
        "path": path,
        "status": status,
        "value": _json_value(fact.value),
        "source": fact.source.value if fact.source else None,
        "evidence": _evidence(fact),
    }


class _Explainer:
    """Builds the fired-rule explanations of one case, reading each fact once."""

    def __init__(
        self,
        policy: Policy,
        normalised: NormalisedFacts,
        record: FactRecord,
        context: CaseContext | None,
    ) -> None:
        self.policy = policy
        self.normalised = normalised
        self.record = record
        self.context = context
        self.refs: dict[str, dict[str, Any]] = {}

    def ref(self, path: str) -> dict[str, Any]:
        found = self.refs.get(path)
        if found is None:
            found = self.refs[path] = _fact_ref(path, self.record, self.context)
        return found

    def fired_rule(self, rule_id: str, *, advisory: bool = False) -> dict[str, Any]:
        rule = self.policy.by_id[rule_id]
        return {
            "id": rule.id,
            "description": rule.description,
            "file": rule.file,
            "facts": [self.ref(path) for path in explain(rule.when, self.normalised)],
            "advisory": advisory,
        }


def _combine(policy: Policy, explained: Mapping[str, dict[str, Any]], engine: str) -> Decision:
    """Order-independent combination: strictest path, highest tier, union of the rest."""
    ordered = sorted(explained, key=policy.order.__getitem__)
    path = OnboardingPath.SELF_SERVE
    tier = MIN_TIER
    approvals: dict[ApprovalRole, dict[str, Any]] = {}
    flags: set[str] = set()
    needs: list[dict[str, Any]] = []
    for rule_id in ordered:
        effects = policy.by_id[rule_id].then
        if effects.min_path is not None and path_rank(effects.min_path) > path_rank(path):
            path = effects.min_path
        if effects.tier is not None:
            tier = max(tier, effects.tier)
        if effects.approval is not None:
            wanted = effects.approval
            approval = approvals.setdefault(
                wanted.role,
                {
                    "role": wanted.role,
                    "reasons": [],
                    "rules": [],
                    "due_business_hours": wanted.due_business_hours,
                },
            )
            if wanted.reason not in approval["reasons"]:
                approval["reasons"].append(wanted.reason)
            approval["rules"].append(rule_id)
            approval["due_business_hours"] = min(
                approval["due_business_hours"], wanted.due_business_hours
            )
        if effects.flag is not None:
            flags.add(effects.flag)
        if effects.needs_information is not None:
            need = effects.needs_information
            needs.extend(
                {"path": fact, "kind": need.kind, "reason": need.reason, "rule": rule_id}
                for fact in need.facts
            )
    if needs:
        path = OnboardingPath.NEEDS_INFORMATION
    return Decision.model_validate(
        {
            "path": path,
            "tier": tier,
            "approvals": [approvals[role] for role in ApprovalRole if role in approvals],
            "risk_flags": sorted(flags),
            "fired_rules": [explained[rule_id] for rule_id in ordered],
            "information_needed": needs,
            "ruleset_version": policy.version,
            "engine": engine,
        }
    )


def fired_ids(decision: Decision) -> Collection[str]:
    """Ids of the fired rules of ``decision``, in policy order."""
    return [rule.id for rule in decision.fired_rules]
