"""The approval lifecycle: records kept in step with each decision, decided by people, and the
case released for provisioning when every required approval is granted.

States: ``pending`` (asked, waiting) → ``granted`` | ``rejected``; a granted or rejected
approval is ``reset`` (asked again) when a document is added or a fact it rests on changes;
one the decision no longer asks for is ``expired``. Every change is audited and, where
systems downstream care, announced in the outbox, in the transaction that makes it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session

from app.approvals.announce import SYSTEM_ACTOR, announce, approval_data, iso
from app.approvals.basis import (
    Basis,
    approval_basis,
    basis_changes,
    dump_basis,
    load_basis,
    rests_on_documents,
)
from app.approvals.calendar import WorkingCalendar
from app.approvals.errors import (
    ApprovalNotFoundError,
    ApprovalNotOpenError,
    CaseNotSettledError,
    CommentRequiredError,
    RemovalNotPendingError,
)
from app.approvals.models import OPEN_STATES, ApprovalRecord, ApprovalState
from app.approvals.records import case_approvals, is_removal_confirmed, lock_case
from app.auth.models import Role, User
from app.auth.service import ForbiddenError
from app.cases import set_status
from app.models import Case, CaseStatus, utcnow
from extractors.facts import FactRecord
from rules import Approval, ApprovalRole, Decision, OnboardingPath

ApprovalAction = Literal["grant", "reject", "confirm_removal"]

# Cases whose approvals people may act on: decided, or back with their owner.
_ACTIONABLE = frozenset(
    {
        CaseStatus.DECIDED,
        CaseStatus.NEEDS_INFORMATION,
        CaseStatus.RETURNED,
        CaseStatus.READY_FOR_PROVISIONING,
    }
)


@dataclass(frozen=True)
class Requirement:
    """A role whose approval the case needs, why, and on which facts."""

    approval: Approval
    basis: Basis
    # Only a correction would drop it: it stays until a person of its role confirms.
    removal_pending: bool = False


def requirements(
    *,
    decision: Decision,
    document_decision: Decision | None,
    records: Sequence[ApprovalRecord],
) -> dict[str, Requirement]:
    """The approvals the case needs: the decision's, plus those corrections may not drop.

    ``document_decision`` is the decision on the documents' facts alone (None when nothing
    was corrected). An approval it asks for on facts read from a document stays required
    although the corrected facts no longer ask for it, until a person holding its role
    confirms the removal; a confirmation holds while those facts stay the same.
    """
    needed = {a.role.value: Requirement(a, approval_basis(decision, a)) for a in decision.approvals}
    if document_decision is None:
        return needed
    by_role = {record.role: record for record in records}
    for approval in document_decision.approvals:
        role = approval.role.value
        if role in needed or not rests_on_documents(document_decision, approval):
            continue
        basis = approval_basis(document_decision, approval)
        record = by_role.get(role)
        if record is not None and _confirmed_on(record, basis):
            continue
        needed[role] = Requirement(approval, basis, removal_pending=True)
    return needed


def _confirmed_on(record: ApprovalRecord, basis: Basis) -> bool:
    """Whether a person confirmed the removal of ``record`` while it rested on ``basis``."""
    unchanged = not basis_changes(load_basis(record.basis_json), basis, None)
    return is_removal_confirmed(record) and unchanged


def removal_pending_roles(decision: Decision | None, records: Sequence[ApprovalRecord]) -> set[str]:
    """Roles still required only until a person of the role confirms a correction's removal."""
    asked = {a.role.value for a in decision.approvals} if decision else set()
    return {r.role for r in records if r.state is not ApprovalState.EXPIRED and r.role not in asked}


def _ask(
    record: ApprovalRecord,
    *,
    state: ApprovalState,
    hours: float,
    calendar: WorkingCalendar,
    now: datetime,
) -> None:
    record.state = state
    record.requested_at = now
    record.due_at = calendar.add_business_hours(now, hours)
    record.reminded_at = record.escalated_at = None
    record.decided_at = record.decided_by = record.comment = None
    record.updated_at = now


def _describe(record: ApprovalRecord, requirement: Requirement) -> None:
    record.reasons_json = json.dumps(requirement.approval.reasons)
    record.rules_json = json.dumps(requirement.approval.rules)
    record.basis_json = dump_basis(requirement.basis)


def _request(
    *,
    session: Session,
    case: Case,
    record: ApprovalRecord,
    requirement: Requirement,
    calendar: WorkingCalendar,
    now: datetime,
    actor: str | None,
) -> None:
    hours = requirement.approval.due_business_hours
    _describe(record, requirement)
    _ask(record, state=ApprovalState.PENDING, hours=hours, calendar=calendar, now=now)
    session.add(record)
    session.flush()
    announce(
        session=session,
        kind="approval.requested",
        case_id=case.id,
        actor=actor,
        data=approval_data(
            record,
            due_business_hours=hours,
            reasons=requirement.approval.reasons,
            rules=requirement.approval.rules,
        ),
        event_type="approval.requested",
    )


def _reset(
    *,
    session: Session,
    case: Case,
    record: ApprovalRecord,
    cause: str,
    hours: float,
    calendar: WorkingCalendar,
    now: datetime,
    actor: str | None,
) -> None:
    previous = record.state
    _ask(record, state=ApprovalState.RESET, hours=hours, calendar=calendar, now=now)
    record.reset_cause = cause
    session.add(record)
    announce(
        session=session,
        kind="approval.reset",
        case_id=case.id,
        actor=actor,
        data=approval_data(record, previous_state=previous.value, cause=cause),
        event_type="approval.reset",
    )


def _expire(
    *, session: Session, case: Case, record: ApprovalRecord, now: datetime, actor: str | None
) -> None:
    previous = record.state
    record.state = ApprovalState.EXPIRED
    # A decider stays on an expired record only when they confirmed its removal.
    record.decided_at = record.decided_by = record.comment = record.reset_cause = None
    record.updated_at = now
    session.add(record)
    announce(
        session=session,
        kind="approval.expired",
        case_id=case.id,
        actor=actor,
        data={"role": record.role, "previous_state": previous.value},
    )


def sync_approvals(
    *,
    session: Session,
    case: Case,
    decision: Decision,
    document_decision: Decision | None,
    facts: FactRecord | None,
    calendar: WorkingCalendar,
    now: datetime,
    actor: str | None = SYSTEM_ACTOR,
) -> None:
    """Bring the case's approval records in line with its new decision.

    A newly required role is asked (due after its SLA in business hours); an open one
    keeps its due time; a granted or rejected one is reset when a fact it rests on
    changed; one no longer required expires.
    """
    records = {record.role: record for record in case_approvals(session=session, case_id=case.id)}
    needed = requirements(
        decision=decision, document_decision=document_decision, records=list(records.values())
    )
    for role, requirement in needed.items():
        record = records.get(role)
        if record is None or record.state is ApprovalState.EXPIRED:
            record = record or ApprovalRecord(case_id=case.id, role=role)
            _request(
                session=session,
                case=case,
                record=record,
                requirement=requirement,
                calendar=calendar,
                now=now,
                actor=actor,
            )
            continue
        if record.state in (ApprovalState.GRANTED, ApprovalState.REJECTED):
            changes = basis_changes(load_basis(record.basis_json), requirement.basis, facts)
            if changes:
                _reset(
                    session=session,
                    case=case,
                    record=record,
                    cause="fact changed: " + "; ".join(changes),
                    hours=requirement.approval.due_business_hours,
                    calendar=calendar,
                    now=now,
                    actor=actor,
                )
        _describe(record, requirement)
        session.add(record)
    for role, record in records.items():
        if role not in needed and record.state is not ApprovalState.EXPIRED:
            _expire(session=session, case=case, record=record, now=now, actor=actor)
    session.flush()


def reset_for_documents(
    *,
    session: Session,
    case: Case,
    filenames: Sequence[str],
    calendar: WorkingCalendar,
    now: datetime,
    actor: str | None,
) -> list[ApprovalRecord]:
    """Ask again every granted or rejected approval: the case has new documents to read."""
    decision = Decision.model_validate_json(case.decision_json) if case.decision_json else None
    hours: dict[str, float] = (
        {a.role.value: a.due_business_hours for a in decision.approvals} if decision else {}
    )
    reset = []
    cause = "document added: " + ", ".join(filenames)
    for record in case_approvals(session=session, case_id=case.id):
        if record.state not in (ApprovalState.GRANTED, ApprovalState.REJECTED):
            continue
        span = hours.get(record.role)
        if span is None and record.due_at is not None:
            # Kept only by the confirmation rule: give it the time it was first given.
            span = calendar.business_hours_between(record.requested_at, record.due_at)
        _reset(
            session=session,
            case=case,
            record=record,
            cause=cause,
            hours=span or 0,
            calendar=calendar,
            now=now,
            actor=actor,
        )
        reset.append(record)
    session.flush()
    return reset


def settle_case(
    *,
    session: Session,
    case: Case,
    previous: CaseStatus,
    now: datetime,
    actor: str | None,
) -> None:
    """Set the status the approvals call for: returned, ready for provisioning, or decided.

    A case that needs information waits for it whatever its approvals say. The move to
    ready for provisioning is announced once, when the case arrives there.
    """
    decision = Decision.model_validate_json(case.decision_json) if case.decision_json else None
    if decision is None or decision.path is OnboardingPath.NEEDS_INFORMATION:
        return
    required = [
        r
        for r in case_approvals(session=session, case_id=case.id)
        if r.state is not ApprovalState.EXPIRED
    ]
    rejected = [r for r in required if r.state is ApprovalState.REJECTED]
    if rejected:
        set_status(session=session, case=case, status=CaseStatus.RETURNED)
        if previous is not CaseStatus.RETURNED:
            announce(
                session=session,
                kind="case.returned",
                case_id=case.id,
                actor=actor,
                data={"rejected_by": [{"role": r.role, "reason": r.comment} for r in rejected]},
            )
        return
    if all(r.state is ApprovalState.GRANTED for r in required):
        set_status(session=session, case=case, status=CaseStatus.READY_FOR_PROVISIONING)
        if previous is not CaseStatus.READY_FOR_PROVISIONING:
            announce(
                session=session,
                kind="case.ready_for_provisioning",
                case_id=case.id,
                actor=actor,
                data={
                    "reference": case.reference,
                    "path": decision.path.value,
                    "tier": decision.tier,
                    "approvals": [
                        {
                            "role": r.role,
                            "decided_by": r.decided_by,
                            "decided_at": iso(r.decided_at),
                        }
                        for r in required
                    ],
                },
                event_type="case.ready_for_provisioning",
            )
        return
    set_status(session=session, case=case, status=CaseStatus.DECIDED)


def _check_approver(*, user: User, case: Case, role: str) -> None:
    # The permission table says the same at the door; the service holds it for every caller.
    if role not in {held.value for held in user.role_set if held is not Role.ADMIN}:
        raise ForbiddenError(
            f"Only a user with the role {role} can decide the {role} approval.",
            required_roles=[role],
        )
    if case.uploaded_by is not None and case.uploaded_by == user.id:
        raise ForbiddenError(
            "You uploaded this case, so someone else must approve it.", case_id=case.id
        )


def decide_approval(
    *,
    session: Session,
    case_id: str,
    role: str,
    action: ApprovalAction,
    comment: str | None,
    user: User,
    now: datetime | None = None,
) -> ApprovalRecord:
    """Grant or reject the case's ``role`` approval, or confirm a correction's removal of it.

    Granting the last open approval makes the case ready for provisioning; a rejection
    returns it to its owner with the comment as the reason.
    """
    now = now or utcnow()
    case = lock_case(session=session, case_id=case_id)
    if role not in {r.value for r in ApprovalRole}:
        raise ApprovalNotFoundError(case_id, role)
    _check_approver(user=user, case=case, role=role)
    record = next(
        (r for r in case_approvals(session=session, case_id=case_id) if r.role == role), None
    )
    if record is None:
        raise ApprovalNotFoundError(case_id, role)
    if case.status not in _ACTIONABLE:
        raise CaseNotSettledError(
            f"Case {case_id} is {case.status.value}; decide its approvals once it is decided.",
            case_id=case_id,
            status=case.status.value,
        )
    text = (comment or "").strip() or None
    previous = case.status
    if action == "confirm_removal":
        _confirm_removal(
            session=session, case=case, record=record, comment=text, user=user, now=now
        )
    else:
        _decide(
            session=session,
            case=case,
            record=record,
            action=action,
            comment=text,
            user=user,
            now=now,
        )
    settle_case(session=session, case=case, previous=previous, now=now, actor=user.id)
    session.flush()
    return record


def _decide(
    *,
    session: Session,
    case: Case,
    record: ApprovalRecord,
    action: Literal["grant", "reject"],
    comment: str | None,
    user: User,
    now: datetime,
) -> None:
    if record.state not in OPEN_STATES:
        raise ApprovalNotOpenError(
            f"The {record.role} approval of case {case.id} is {record.state.value}, "
            "not waiting for a decision.",
            case_id=case.id,
            role=record.role,
            state=record.state.value,
        )
    if action == "reject" and comment is None:
        raise CommentRequiredError(
            "Say why in the comment: a rejection goes back to the case's owner with it.",
            field="comment",
        )
    record.state = ApprovalState.GRANTED if action == "grant" else ApprovalState.REJECTED
    record.decided_by, record.decided_at, record.comment = user.id, now, comment
    record.updated_at = now
    session.add(record)
    announce(
        session=session,
        kind=f"approval.{record.state.value}",
        case_id=case.id,
        actor=user.id,
        data=approval_data(record, decision=action, decided_by=user.id, comment=comment),
        event_type="approval.decided",
    )


def _confirm_removal(
    *,
    session: Session,
    case: Case,
    record: ApprovalRecord,
    comment: str | None,
    user: User,
    now: datetime,
) -> None:
    decision = Decision.model_validate_json(case.decision_json) if case.decision_json else None
    if record.role not in removal_pending_roles(decision, [record]):
        raise RemovalNotPendingError(
            f"The decision of case {case.id} still asks for the {record.role} approval, "
            "or it has already gone: there is no removal to confirm.",
            case_id=case.id,
            role=record.role,
            state=record.state.value,
        )
    if comment is None:
        raise CommentRequiredError(
            "Say why the approval is not needed: the removal is audited with your comment.",
            field="comment",
        )
    previous = record.state
    record.state = ApprovalState.EXPIRED
    record.decided_by, record.decided_at, record.comment = user.id, now, comment
    record.reset_cause = None
    record.updated_at = now
    session.add(record)
    announce(
        session=session,
        kind="approval.removal_confirmed",
        case_id=case.id,
        actor=user.id,
        data=approval_data(
            record,
            decision="confirm_removal",
            previous_state=previous.value,
            decided_by=user.id,
            comment=comment,
        ),
        event_type="approval.decided",
    )
