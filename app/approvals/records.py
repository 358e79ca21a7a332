"""Reading approval records and corrections, and holding a case while its governance changes."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.approvals.models import ApprovalRecord, ApprovalState, Correction
from app.auth.models import User
from app.cases import get_case
from app.errors import CaseNotFoundError
from app.models import Case, utcnow


def lock_case(*, session: Session, case_id: str) -> Case:
    """The case, held by this transaction until it ends (CaseNotFoundError if there is none).

    Two approvers granting the last two approvals at once must not both see the other's
    as still open (and neither make the case ready): deciding, re-deciding and the clock
    each hold the case first. PostgreSQL locks the row; SQLite takes its write lock by
    writing, then reads the case again inside the transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        statement = select(Case).where(col(Case.id) == case_id).with_for_update()
        case = session.exec(statement).first()
        if case is None:
            raise CaseNotFoundError(case_id)
        session.refresh(case)
        return case
    case = get_case(session=session, case_id=case_id)
    case.updated_at = utcnow()
    session.add(case)
    session.flush()
    session.refresh(case)
    return case


def case_approvals(*, session: Session, case_id: str) -> list[ApprovalRecord]:
    """Every approval record of the case, in the order they were first asked for."""
    statement = (
        select(ApprovalRecord)
        .where(col(ApprovalRecord.case_id) == case_id)
        .order_by(col(ApprovalRecord.id))
    )
    return list(session.exec(statement).all())


def case_corrections(*, session: Session, case_id: str) -> list[Correction]:
    """Every correction of the case, oldest first (later ones win on the same fact)."""
    statement = (
        select(Correction).where(col(Correction.case_id) == case_id).order_by(col(Correction.id))
    )
    return list(session.exec(statement).all())


def is_removal_confirmed(record: ApprovalRecord) -> bool:
    """Expired because a person of its role confirmed a correction's removal of it.

    An approval that expired on its own (no longer required) keeps no decider; one whose
    removal was confirmed keeps who confirmed it, when and why.
    """
    return record.state is ApprovalState.EXPIRED and record.decided_by is not None


def people(*, session: Session, user_ids: Iterable[str | None]) -> dict[str, str]:
    """User id -> e-mail of the users named (deciders, correctors), for people to read."""
    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return {}
    statement = select(User).where(col(User.id).in_(wanted))
    return {user.id: user.email for user in session.exec(statement).all()}
