"""The queue as a success manager or an approver filters it: cases with where each stands,
whose approval it waits for, and how long it has waited."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from app.approvals.models import OPEN_STATES, ApprovalRecord
from app.auth.models import User
from app.models import Case, CaseStatus

PAGE_SIZE = 25


class QueueSort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    CUSTOMER = "customer"
    PATH = "path"
    TIER = "tier"


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows; every field is optional and they combine."""

    mine: bool = False
    waiting_on_me: bool = False
    status: CaseStatus | None = None
    path: str | None = None
    tier: int | None = None
    search: str | None = None
    sort: QueueSort = QueueSort.NEWEST
    page: int = 1

    def query(self, **changes: Any) -> dict[str, str]:
        """These filters (with ``changes``) as the query string of a link."""
        values = {**self.__dict__, **changes}
        out: dict[str, str] = {}
        for key, value in values.items():
            if value in (None, False, "") or (key == "page" and value == 1):
                continue
            if key == "sort" and value == QueueSort.NEWEST:
                continue
            out[key] = "1" if value is True else str(value)
        return out


@dataclass(frozen=True)
class QueueRow:
    case: Case
    waiting_for: list[str]
    waiting_since: datetime | None
    mine: bool


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    filters: QueueFilters
    page_count: int
    roles_waiting: dict[str, int] = field(default_factory=dict)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(filters: QueueFilters, user: User) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.mine:
        conditions.append(col(Case.uploaded_by) == user.id)
    if filters.waiting_on_me:
        roles = [role.value for role in user.role_set]
        waiting = select(ApprovalRecord.case_id).where(
            col(ApprovalRecord.role).in_(roles), col(ApprovalRecord.state).in_(OPEN_STATES)
        )
        conditions.append(col(Case.id).in_(waiting))
    if filters.status is not None:
        conditions.append(col(Case.status) == filters.status)
    if filters.path:
        conditions.append(col(Case.path) == filters.path)
    if filters.tier is not None:
        conditions.append(col(Case.tier) == str(filters.tier))
    if filters.search:
        conditions.append(
            func.lower(col(Case.reference)).like(_like(filters.search.strip()), escape="\\")
        )
    return conditions


_ORDER = {
    QueueSort.NEWEST: (col(Case.created_at).desc(), col(Case.id)),
    QueueSort.OLDEST: (col(Case.created_at).asc(), col(Case.id)),
    QueueSort.CUSTOMER: (func.lower(col(Case.reference)).asc(), col(Case.created_at).desc()),
    QueueSort.PATH: (col(Case.path).asc(), col(Case.created_at).desc()),
    QueueSort.TIER: (col(Case.tier).desc(), col(Case.created_at).desc()),
}


def queue_page(*, session: Session, user: User, filters: QueueFilters) -> QueuePage:
    """One page of the queue under ``filters``, with the open approvals of its cases."""
    conditions = _conditions(filters, user)
    total = session.exec(select(func.count()).select_from(Case).where(*conditions)).one()
    page_count = max(1, -(-total // PAGE_SIZE))
    page = min(max(filters.page, 1), page_count)
    statement = (
        select(Case)
        .where(*conditions)
        .order_by(*_ORDER[filters.sort])
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    cases = list(session.exec(statement).all())
    open_records = session.exec(
        select(ApprovalRecord).where(
            col(ApprovalRecord.case_id).in_([case.id for case in cases]),
            col(ApprovalRecord.state).in_(OPEN_STATES),
        )
    ).all()
    waiting: dict[str, list[ApprovalRecord]] = defaultdict(list)
    for record in open_records:
        waiting[record.case_id].append(record)
    rows = [
        QueueRow(
            case=case,
            waiting_for=sorted(r.role for r in waiting[case.id]),
            waiting_since=min((r.requested_at for r in waiting[case.id]), default=None),
            mine=case.uploaded_by == user.id,
        )
        for case in cases
    ]
    counts = session.exec(
        select(ApprovalRecord.role, func.count())
        .where(col(ApprovalRecord.state).in_(OPEN_STATES))
        .group_by(col(ApprovalRecord.role))
    ).all()
    return QueuePage(
        rows=rows,
        total=total,
        filters=QueueFilters(**{**filters.__dict__, "page": page}),
        page_count=page_count,
        roles_waiting={role: int(count) for role, count in counts},
    )
