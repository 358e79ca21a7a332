"""What an approval rests on: the facts of the rules that asked for it, path -> value.

A granted approval is asked again when one of these facts changes, and a correction may
not drop an approval whose facts were read from the documents without its role agreeing.
"""

from __future__ import annotations

import json
from typing import Any

from app.audit.chain import canonical
from extractors.facts import FactRecord, FactStatus, Source, fact_paths, get_fact
from rules import Approval, Decision, FactRef

Basis = dict[str, Any]

# Facts read from a document (with a quote), as opposed to stated by a person or the CRM.
DOCUMENT_SOURCES = frozenset({Source.PATTERN.value, Source.CLASSIFIER.value, Source.LLM.value})
# A path the approval did not rest on before.
_ABSENT = {"status": "absent"}


def _plain_json(value: Any) -> Any:
    """JSON values only (enums, dates and models as the stored decision holds them)."""
    return json.loads(canonical(value))


def _ref_value(ref: FactRef) -> Any:
    if ref.status == FactStatus.PRESENT.value:
        return _plain_json(ref.value)
    return {"status": ref.status}


def _approval_refs(decision: Decision, approval: Approval) -> list[FactRef]:
    wanted = set(approval.rules)
    return [ref for rule in decision.fired_rules if rule.id in wanted for ref in rule.facts]


def approval_basis(decision: Decision, approval: Approval) -> Basis:
    """The facts (path -> value, or ``{"status": ...}`` when not present) behind ``approval``."""
    return {ref.path: _ref_value(ref) for ref in _approval_refs(decision, approval)}


def rests_on_documents(decision: Decision, approval: Approval) -> bool:
    """Whether a fact read from a document, with its quote, is among the approval's reasons."""
    return any(
        ref.source in DOCUMENT_SOURCES and ref.evidence
        for ref in _approval_refs(decision, approval)
    )


def load_basis(raw: str | None) -> Basis:
    """A stored basis (``basis_json``)."""
    value = json.loads(raw or "{}")
    return value if isinstance(value, dict) else {}


def dump_basis(basis: Basis) -> str:
    return canonical(basis)


def fact_value(facts: FactRecord | None, path: str) -> Any:
    """The value of ``path`` in ``facts`` as a basis holds it (absent for non-schema paths)."""
    if facts is None or path not in _FACT_PATHS:
        return _ABSENT
    fact = get_fact(facts, path)
    if fact.status is FactStatus.PRESENT:
        return _plain_json(fact.model_dump(mode="json")["value"])
    return {"status": fact.status.value}


_FACT_PATHS = frozenset(fact_paths())


def basis_changes(old: Basis, new: Basis, facts: FactRecord | None) -> list[str]:
    """``path old → new`` for every fact the approval rested on, or now rests on, that changed.

    A fact the approval no longer names is compared with its value in ``facts``: a fact that
    changed so that its rule stopped firing changed all the same.
    """
    changes = []
    for path in [*old, *(p for p in new if p not in old)]:
        before = old.get(path, _ABSENT)
        after = new[path] if path in new else fact_value(facts, path)
        if _plain_json(before) != _plain_json(after):
            changes.append(f"{path} {shown(before)} → {shown(after)}")
    return changes


def shown(value: Any) -> str:
    """A basis value in a few plain characters: ``60``, ``EU, US``, ``USD 40000``, ``not found``."""
    if isinstance(value, dict):
        if set(value) == {"status"}:
            return str(value["status"]).replace("_", " ")
        if set(value) == {"amount", "currency"}:
            return f"{value['currency']} {shown(value['amount'])}"
        return canonical(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    if value is None:
        return "none"
    return str(value)
