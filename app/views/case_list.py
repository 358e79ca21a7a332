"""Cases as a list shows them: one short row each, newest first, read from the case rows only."""

from __future__ import annotations

import json
from datetime import datetime

from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from app.models import Case, CaseStatus


class CaseListItem(BaseModel):
    """One case in a list: who, where it is, what was decided, who must approve."""

    id: str
    reference: str | None
    status: CaseStatus
    path: str | None
    tier: int | None
    approvals: list[str] = Field(description="The roles that must approve, in decision order.")
    created_at: datetime
    updated_at: datetime


def list_case_items(
    *,
    session: Session,
    status: CaseStatus | None = None,
    path: str | None = None,
    reference: str | None = None,
    limit: int = 20,
) -> list[CaseListItem]:
    """Newest cases first, filtered by status, path or a part of the reference (any case)."""
    statement = select(Case)
    if status is not None:
        statement = statement.where(Case.status == status)
    if path is not None:
        statement = statement.where(Case.path == path)
    if reference:
        needle = reference.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(
            func.lower(col(Case.reference)).like(f"%{needle}%", escape="\\")
        )
    statement = statement.order_by(col(Case.created_at).desc(), col(Case.id)).limit(limit)
    return [_item(case) for case in session.exec(statement).all()]


def _item(case: Case) -> CaseListItem:
    return CaseListItem(
        id=case.id,
        reference=case.reference,
        status=case.status,
        path=case.path,
        tier=int(case.tier) if case.tier and case.tier.isdigit() else None,
        approvals=_approval_roles(case.decision_json),
        created_at=case.created_at,
        updated_at=case.updated_at,
    )


def _approval_roles(decision_json: str | None) -> list[str]:
    # Read as plain JSON: a list of many cases need not load the rules package.
    if not decision_json:
        return []
    approvals = json.loads(decision_json).get("approvals") or []
    return [str(a.get("role")) for a in approvals if isinstance(a, dict) and a.get("role")]
