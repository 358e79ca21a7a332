"""What the case page shows beyond the case view: what this user may do on it, and why not.

The decision, facts and approvals come from the case view as they are stored; this adds
only what depends on who is looking (can they approve, correct, add documents) and the
trail, so the template never decides anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.approvals.models import OPEN_STATES
from app.approvals.records import people
from app.audit.verify import case_events
from app.auth.models import Role, User
from app.auth.permissions import CORRECTORS, UPLOADERS
from app.models import SETTLED_STATUSES, Case, CaseStatus
from app.views.case_view import ApprovalView, CaseView, load_case_view
from app.views.wording import fact_label
from app.web.correction_input import is_yes_no, value_hint
from app.web.timeline import TimelineEntry, timeline
from extractors.facts import fact_paths

IN_PROGRESS = frozenset({CaseStatus.RECEIVED, CaseStatus.QUEUED, CaseStatus.PROCESSING})


@dataclass(frozen=True)
class ApprovalAction:
    """Whether the user may decide this approval now, and the reason when not."""

    approval: ApprovalView
    can_decide: bool
    why_not: str | None
    can_confirm_removal: bool
    holds_role: bool = False


@dataclass(frozen=True)
class CorrectableFact:
    path: str
    label: str
    hint: str
    yes_no: bool


@dataclass(frozen=True)
class CasePage:
    view: CaseView
    case: Case
    approvals: list[ApprovalAction]
    can_correct: bool
    correct_why_not: str | None
    can_add_documents: bool
    correctable: list[CorrectableFact]
    trail: list[TimelineEntry]
    in_progress: bool


def approval_action(user: User, case: Case, approval: ApprovalView) -> ApprovalAction:
    """May ``user`` decide ``approval`` of ``case``? The same rules the service enforces."""
    held = {role.value for role in user.role_set if role is not Role.ADMIN}
    is_open = approval.state in OPEN_STATES
    why_not: str | None = None
    if approval.role not in held:
        why_not = f"Only someone with the {approval.role} role can decide it."
    elif case.uploaded_by is not None and case.uploaded_by == user.id:
        why_not = "You uploaded this case, so someone else must approve it."
    elif approval.removal_pending_confirmation:
        why_not = None
    elif not is_open:
        state = approval.state.value if approval.state else "not requested"
        why_not = f"It is {state}; there is nothing to decide."
    pending_removal = approval.removal_pending_confirmation and why_not is None
    return ApprovalAction(
        approval=approval,
        can_decide=why_not is None and is_open,
        why_not=why_not,
        can_confirm_removal=pending_removal,
        holds_role=approval.role in held,
    )


def correctable_facts() -> list[CorrectableFact]:
    """Every fact of the schema a person may state, with what to type for it."""
    return [
        CorrectableFact(path=p, label=fact_label(p), hint=value_hint(p), yes_no=is_yes_no(p))
        for p in fact_paths()
        if p != "commercial.document_kinds"
    ]


def _correct_why_not(user: User, case: Case) -> str | None:
    if not user.role_set & CORRECTORS:
        return "Correcting facts needs the role csm, an approver role or admin."
    if case.status not in SETTLED_STATUSES:
        return "Facts can be corrected once the case is decided."
    return None


def load_case_page(*, session: Session, case_id: str, user: User) -> CasePage:
    """The case view and what ``user`` may do on it (CaseNotFoundError if none)."""
    view = load_case_view(session=session, case_id=case_id)
    case = session.get(Case, case_id)
    assert case is not None  # the view found it
    events = case_events(session=session, case_id=case_id)
    names = people(session=session, user_ids=[e.actor for e in events])
    why_not = _correct_why_not(user, case)
    return CasePage(
        view=view,
        case=case,
        approvals=[approval_action(user, case, a) for a in view.approvals],
        can_correct=why_not is None,
        correct_why_not=why_not,
        can_add_documents=bool(user.role_set & UPLOADERS) and case.status not in IN_PROGRESS,
        correctable=correctable_facts(),
        trail=timeline(events, names),
        in_progress=case.status in IN_PROGRESS,
    )


def citation_href(case_id: str, evidence: Any) -> str:
    """The reader page at the quote's page, with the quote marked."""
    return (
        f"/cases/{case_id}/documents/{evidence.document_id}"
        f"?page={evidence.page}&start={evidence.start}&end={evidence.end}#quote"
    )
