"""The operations lead's figures over a period, read from the stored cases, jobs, approvals
and corrections (never from logs, so the dashboard and the API agree with the audit trail).

- triage cycle time: from a case's upload to its first decision;
- first-pass rate: decided cases whose decision needs no approval and no information;
- automation rate: decided cases nobody had to correct (the machine's reading stood);
- exceptions by category (each approval role, information needed, failed, returned) and by
  stage (reading, extraction, decision, approval);
- approval turnaround by role: from request to a person's grant or rejection.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from statistics import median

from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from app.approvals.models import OPEN_STATES, ApprovalRecord, ApprovalState, Correction
from app.models import (
    SETTLED_STATUSES,
    Case,
    CaseDocument,
    CaseStatus,
    DocumentStatus,
    Job,
    JobStatus,
)

APPROVAL_ROLES = ("legal", "finance", "security", "tax", "executive")


class Spread(BaseModel):
    """A duration's median and 90th percentile in seconds over ``count`` cases."""

    count: int
    median_s: float | None
    p90_s: float | None


class RoleTurnaround(BaseModel):
    role: str
    decided: int
    granted: int
    rejected: int
    open: int
    overdue: int
    turnaround: Spread


class DayCount(BaseModel):
    day: date
    received: int
    first_pass: int


class Kpis(BaseModel):
    """The figures of one period."""

    since: datetime
    until: datetime
    cases: int = Field(description="Cases uploaded in the period.")
    decided: int = Field(description="Of them, decided (any outcome but failed or pending).")
    in_progress: int
    failed: int
    cycle_time: Spread = Field(description="Upload to first decision.")
    first_pass_rate: float | None = Field(description="Decided with no approval needed.")
    automation_rate: float | None = Field(description="Decided without a person correcting.")
    paths: dict[str, int]
    exceptions_by_category: dict[str, int]
    exceptions_by_stage: dict[str, int]
    approvals: list[RoleTurnaround]
    days: list[DayCount]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def spread(values: list[float]) -> Spread:
    if not values:
        return Spread(count=0, median_s=None, p90_s=None)
    return Spread(count=len(values), median_s=median(values), p90_s=_percentile(values, 0.9))


def _roles(decision_json: str | None) -> list[str]:
    if not decision_json:
        return []
    approvals = json.loads(decision_json).get("approvals") or []
    return [str(a["role"]) for a in approvals if isinstance(a, dict) and a.get("role")]


def compute_kpis(*, session: Session, since: datetime, until: datetime | None = None) -> Kpis:
    """The figures of the cases uploaded in ``[since, until)``."""
    until = until or datetime.now(UTC)
    cases = list(
        session.exec(
            select(Case).where(col(Case.created_at) >= since, col(Case.created_at) < until)
        ).all()
    )
    ids = [case.id for case in cases]
    first_done = dict(
        session.exec(
            select(Job.case_id, func.min(Job.finished_at))
            .where(col(Job.case_id).in_(ids), col(Job.status) == JobStatus.DONE)
            .group_by(col(Job.case_id))
        ).all()
    )
    corrected = set(
        session.exec(select(Correction.case_id).where(col(Correction.case_id).in_(ids))).all()
    )
    refused = set(
        session.exec(
            select(CaseDocument.case_id).where(
                col(CaseDocument.case_id).in_(ids),
                col(CaseDocument.status) == DocumentStatus.REFUSED,
            )
        ).all()
    )
    decided = [case for case in cases if case.status in SETTLED_STATUSES]
    cycle = [
        (_aware(done) - _aware(c.created_at)).total_seconds()
        for c in cases
        if (done := first_done.get(c.id)) is not None
    ]
    first_pass = [
        c for c in decided if not _roles(c.decision_json) and c.path != "needs_information"
    ]
    category: Counter[str] = Counter()
    stage: Counter[str] = Counter()
    for case in cases:
        roles = _roles(case.decision_json)
        category.update(roles)
        if case.status is CaseStatus.FAILED or case.id in refused:
            stage["reading"] += 1
            category["failed" if case.status is CaseStatus.FAILED else "document refused"] += 1
        if case.path == "needs_information":
            stage["extraction"] += 1
            category["information needed"] += 1
        if roles:
            stage["decision"] += 1
        if case.status is CaseStatus.RETURNED:
            stage["approval"] += 1
            category["returned"] += 1
    days: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    passed = {c.id for c in first_pass}
    for case in cases:
        day = _aware(case.created_at).date()
        days[day][0] += 1
        days[day][1] += case.id in passed
    return Kpis(
        since=since,
        until=until,
        cases=len(cases),
        decided=len(decided),
        in_progress=sum(
            c.status in (CaseStatus.RECEIVED, CaseStatus.QUEUED, CaseStatus.PROCESSING)
            for c in cases
        ),
        failed=sum(c.status is CaseStatus.FAILED for c in cases),
        cycle_time=spread(cycle),
        first_pass_rate=len(first_pass) / len(decided) if decided else None,
        automation_rate=sum(c.id not in corrected for c in decided) / len(decided)
        if decided
        else None,
        paths=dict(Counter(c.path for c in decided if c.path)),
        exceptions_by_category=dict(category.most_common()),
        exceptions_by_stage={
            name: stage[name] for name in ("reading", "extraction", "decision", "approval")
        },
        approvals=approval_turnaround(session=session, since=since, until=until),
        days=[DayCount(day=d, received=v[0], first_pass=v[1]) for d, v in sorted(days.items())],
    )


def approval_turnaround(
    *, session: Session, since: datetime, until: datetime
) -> list[RoleTurnaround]:
    """Per role: approvals a person decided in the period and how long each took; what is
    open now and how much of it is past due."""
    now = datetime.now(UTC)
    rows = session.exec(
        select(ApprovalRecord).where(
            (col(ApprovalRecord.decided_at) >= since) & (col(ApprovalRecord.decided_at) < until)
            | col(ApprovalRecord.state).in_(OPEN_STATES)
        )
    ).all()
    out = []
    for role in APPROVAL_ROLES:
        mine = [r for r in rows if r.role == role]
        decided = [
            r
            for r in mine
            if r.decided_at is not None
            and r.state in (ApprovalState.GRANTED, ApprovalState.REJECTED)
        ]
        open_rows = [r for r in mine if r.state in OPEN_STATES]
        out.append(
            RoleTurnaround(
                role=role,
                decided=len(decided),
                granted=sum(r.state is ApprovalState.GRANTED for r in decided),
                rejected=sum(r.state is ApprovalState.REJECTED for r in decided),
                open=len(open_rows),
                overdue=sum(r.due_at is not None and _aware(r.due_at) < now for r in open_rows),
                turnaround=spread(
                    [
                        (_aware(r.decided_at) - _aware(r.requested_at)).total_seconds()
                        for r in decided
                        if r.decided_at is not None
                    ]
                ),
            )
        )
    return out


PERIODS = {"7d": timedelta(days=7), "30d": timedelta(days=30), "90d": timedelta(days=90)}


def period_start(period: str, now: datetime | None = None) -> datetime:
    """The start of ``7d``, ``30d``, ``90d`` back from now, or of everything (``all``)."""
    now = now or datetime.now(UTC)
    if period == "all":
        return datetime(2000, 1, 1, tzinfo=UTC)
    return now - PERIODS[period]
