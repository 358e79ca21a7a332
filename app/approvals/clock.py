"""The approval clock: one reminder before an approval is due, one escalation once it is late.

Workers call ``run_approval_clock`` periodically with the current time; tests call it with
the time they choose. Each approval is reminded and escalated at most once per request
(asking again, after a reset, starts a new round), whatever number of workers run the
clock: each case is held while its approvals are looked at.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.approvals.announce import SYSTEM_ACTOR, announce, approval_data
from app.approvals.calendar import WorkingCalendar, as_utc
from app.approvals.models import OPEN_STATES, ApprovalRecord
from app.approvals.records import lock_case
from app.db import session_scope
from app.jobs.sweeper import PeriodicSweeper
from app.models import Case, CaseStatus, utcnow
from app.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class ClockRun:
    """What one run of the clock did: (case id, role) of each reminder and escalation."""

    reminded: list[tuple[str, str]] = field(default_factory=list)
    escalated: list[tuple[str, str]] = field(default_factory=list)


def _waiting(session: Session) -> list[tuple[str, int]]:
    """(case id, record id) of open approvals of decided cases not yet escalated."""
    statement = (
        select(ApprovalRecord.case_id, ApprovalRecord.id)
        .join(Case, col(Case.id) == col(ApprovalRecord.case_id))
        .where(
            col(ApprovalRecord.state).in_(list(OPEN_STATES)),
            col(ApprovalRecord.due_at).is_not(None),
            col(ApprovalRecord.escalated_at).is_(None),
            col(Case.status) == CaseStatus.DECIDED,
        )
        .order_by(col(ApprovalRecord.due_at))
    )
    return [
        (case_id, record_id) for case_id, record_id in session.exec(statement).all() if record_id
    ]


def run_approval_clock(
    *, engine: Engine, settings: Settings, now: datetime | None = None
) -> ClockRun:
    """Remind each open approval due within the reminder window, escalate each overdue one."""
    now = as_utc(now or utcnow())
    calendar = WorkingCalendar.from_settings(settings)
    run = ClockRun()
    with Session(engine) as session:
        waiting = _waiting(session)
    for case_id, record_id in waiting:
        with session_scope(engine) as session:
            _tick(
                session=session,
                case_id=case_id,
                record_id=record_id,
                now=now,
                calendar=calendar,
                settings=settings,
                run=run,
            )
    return run


def _tick(
    *,
    session: Session,
    case_id: str,
    record_id: int,
    now: datetime,
    calendar: WorkingCalendar,
    settings: Settings,
    run: ClockRun,
) -> None:
    case = lock_case(session=session, case_id=case_id)
    # Read after the lock, in a session of its own: what another worker, or the approver,
    # committed first is seen.
    record = session.get(ApprovalRecord, record_id)
    if (
        record is None
        or case.status is not CaseStatus.DECIDED
        or record.state not in OPEN_STATES
        or record.due_at is None
        or record.escalated_at is not None
    ):
        return
    due = as_utc(record.due_at)
    if now >= due:
        contact = settings.escalation_contacts.get(record.role)
        if contact is None:
            log.warning(
                "no escalation contact for role %s (TRIAGE_ESCALATION_CONTACTS)", record.role
            )
        record.escalated_at = now
        session.add(record)
        announce(
            session=session,
            kind="approval.escalated",
            case_id=case_id,
            actor=SYSTEM_ACTOR,
            data=approval_data(
                record,
                overdue_business_hours=round(calendar.business_hours_between(due, now), 2),
                escalation_contact=contact,
            ),
            event_type="approval.overdue",
        )
        run.escalated.append((case_id, record.role))
        return
    if record.reminded_at is not None:
        return
    left = calendar.business_hours_between(now, due)
    if left <= settings.approval_reminder_hours:
        record.reminded_at = now
        session.add(record)
        announce(
            session=session,
            kind="approval.reminded",
            case_id=case_id,
            actor=SYSTEM_ACTOR,
            data=approval_data(record, business_hours_left=round(left, 2)),
            # Approvers are reached through the systems that receive the webhooks.
            event_type="approval.reminder",
        )
        log.info("reminded %s of case %s, due %s", record.role, case_id, due.isoformat())
        run.reminded.append((case_id, record.role))


def approval_clock(*, engine: Engine, settings: Settings) -> PeriodicSweeper:
    """A thread that runs the clock now and every ``approval_clock_interval_s`` (start/stop it)."""
    return PeriodicSweeper(
        sweep=lambda: run_approval_clock(engine=engine, settings=settings),
        interval_s=settings.approval_clock_interval_s,
        name="approval-clock",
        what="approval clock",
    )
