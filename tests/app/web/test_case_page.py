"""What a person may do on a case page, said before they try: the service's own rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from app.approvals.models import ApprovalState
from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.models import Case
from app.views.case_view import ApprovalView
from app.web.case_page import approval_action
from app.web.timeline import timeline


def _user(*roles: Role, user_id: str = "u1") -> User:
    return User(id=user_id, email=f"{user_id}@example.com", roles=",".join(roles))


def _approval(role: str, state: ApprovalState | None, **extra: object) -> ApprovalView:
    return ApprovalView(
        role=role,
        reasons=["why"],
        rules=["r"],
        due_business_hours=8,
        evidence=[],
        state=state,
        **extra,
    )


CASE = Case(id="c1", uploaded_by="uploader")


def test_only_a_holder_of_the_role_who_did_not_upload_may_decide() -> None:
    pending = _approval("legal", ApprovalState.PENDING)
    allowed = approval_action(_user(Role.LEGAL), CASE, pending)
    assert allowed.can_decide and allowed.why_not is None and allowed.holds_role

    uploader = approval_action(_user(Role.CSM, Role.LEGAL, user_id="uploader"), CASE, pending)
    assert not uploader.can_decide and uploader.holds_role
    assert uploader.why_not == "You uploaded this case, so someone else must approve it."

    other_role = approval_action(_user(Role.FINANCE), CASE, pending)
    assert not other_role.can_decide and not other_role.holds_role
    assert other_role.why_not == "Only someone with the legal role can decide it."

    # Admin holds no approval role by being admin.
    admin = approval_action(_user(Role.ADMIN), CASE, pending)
    assert not admin.can_decide and not admin.holds_role


def test_a_decided_approval_has_nothing_to_decide_and_a_removal_is_confirmed() -> None:
    granted = approval_action(_user(Role.LEGAL), CASE, _approval("legal", ApprovalState.GRANTED))
    assert (
        not granted.can_decide and granted.why_not == "It is granted; there is nothing to decide."
    )
    removal = _approval("legal", ApprovalState.GRANTED, removal_pending_confirmation=True)
    confirm = approval_action(_user(Role.LEGAL), CASE, removal)
    assert confirm.can_confirm_removal and not confirm.can_decide
    assert not approval_action(_user(Role.FINANCE), CASE, removal).can_confirm_removal


def _event(kind: str, actor: str, minute: int, **data: object) -> AuditEvent:
    return AuditEvent(
        kind=kind,
        actor=actor,
        case_id="c1",
        data_json=json.dumps(data),
        created_at=datetime(2026, 12, 5, 10, minute, tzinfo=UTC),
        hash="h",
    )


def test_the_timeline_reads_as_sentences_newest_first() -> None:
    events = [
        _event("case.received", "u1", 0, documents=[{"filename": "msa.pdf"}]),
        _event("case.decided", "system", 1, path="assisted", approvals=[{"role": "legal"}]),
        _event("approval.granted", "u2", 5, role="legal", comment="Fine."),
        _event("fact.corrected", "u1", 3, path="commercial.payment_terms_days", reason="net 90"),
    ]
    entries = timeline(events, {"u1": "casey@example.com", "u2": "lee@example.com"})
    assert [(e.actor, e.text, e.detail) for e in entries] == [
        ("lee@example.com", "Legal approved", "Fine."),
        ("casey@example.com", "Corrected Payment terms (days)", "net 90"),
        ("Onboarding triage", "Decided: Assisted; Legal must approve", None),
        ("casey@example.com", "Received msa.pdf", None),
    ]
