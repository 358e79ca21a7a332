"""A person corrects a fact: the case is decided again at once, with every correction laid
over the facts read from its documents; the correction keeps who made it and the decision
before and after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.approvals.announce import announce
from app.approvals.errors import CaseNotSettledError
from app.approvals.facts import corrected_fact
from app.approvals.models import Correction
from app.approvals.records import lock_case
from app.auth.models import User
from app.cases import case_documents, load_documents
from app.models import SETTLED_STATUSES, utcnow
from app.pipeline import decide_case
from app.settings import Settings
from extractors.facts import FactRecord, FactStatus, get_fact
from rules import Decision, Policy


@dataclass(frozen=True)
class Corrected:
    """A stored correction and the decisions before and after it."""

    correction: Correction
    before: Decision | None
    after: Decision


def _value(fact_json: str | None) -> Any:
    """A stored fact's value for the audit trail (None when it was not present)."""
    if fact_json is None:
        return None
    fact = json.loads(fact_json)
    return fact.get("value") if fact.get("status") == FactStatus.PRESENT.value else None


def _decision_summary(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "path": decision.path.value,
        "tier": decision.tier,
        "approvals": [a.role.value for a in decision.approvals],
    }


def correct_fact(
    *,
    session: Session,
    case_id: str,
    path: str,
    value: Any,
    reason: str,
    quote: str | None,
    user: User,
    settings: Settings,
    policy: Policy,
) -> Corrected:
    """Store ``user``'s correction of ``path`` and decide the case again, in one transaction."""
    case = lock_case(session=session, case_id=case_id)
    if case.status not in SETTLED_STATUSES or case.facts_json is None:
        raise CaseNotSettledError(
            f"Case {case_id} is {case.status.value}; correct its facts once it is decided.",
            case_id=case_id,
            status=case.status.value,
        )
    documents = load_documents(case_documents(session=session, case_id=case_id))
    fact = corrected_fact(path=path, value=value, reason=reason, quote=quote, documents=documents)
    before_facts = FactRecord.model_validate_json(case.facts_json)
    before = Decision.model_validate_json(case.decision_json) if case.decision_json else None
    correction = Correction(
        case_id=case_id,
        path=path,
        old_json=get_fact(before_facts, path).model_dump_json(),
        new_json=fact.model_dump_json(),
        reason=reason,
        quote=quote,
        user_id=user.id,
        decision_before_json=case.decision_json,
        created_at=utcnow(),
    )
    session.add(correction)
    session.flush()
    announce(
        session=session,
        kind="fact.corrected",
        case_id=case_id,
        actor=user.id,
        data={
            "correction_id": correction.id,
            "path": path,
            "old": _value(correction.old_json),
            "new": _value(correction.new_json),
            "reason": reason,
            "quote": quote,
            "decision_before": _decision_summary(before),
        },
    )
    # Audited next as case.decided, with this correction as its cause.
    _, after = decide_case(
        session=session,
        case=case,
        settings=settings,
        policy=policy,
        cause="correction",
        actor=user.id,
        correction_id=correction.id,
    )
    correction.decision_after_json = after.to_json()
    session.add(correction)
    session.flush()
    return Corrected(correction=correction, before=before, after=after)
