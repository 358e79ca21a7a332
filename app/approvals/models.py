"""Approval records and fact corrections."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from app.models import enum_column, utcnow


class ApprovalState(StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REJECTED = "rejected"
    # Was granted; a document was added or a fact it rests on changed, so it is asked again.
    RESET = "reset"
    # No longer required by the current decision.
    EXPIRED = "expired"


# States in which the approval waits for its approver.
OPEN_STATES = frozenset({ApprovalState.PENDING, ApprovalState.RESET})


class ApprovalRecord(SQLModel, table=True):
    """One role's approval of one case."""

    __tablename__ = "approvals"
    __table_args__ = (UniqueConstraint("case_id", "role", name="uq_approval_case_role"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="cases.id", index=True, max_length=32)
    role: str = Field(max_length=20)
    state: ApprovalState = Field(
        default=ApprovalState.PENDING, sa_type=enum_column(ApprovalState), index=True
    )
    reasons_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    rules_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    # The facts (path -> value) the approval rests on; a change to one resets a grant.
    basis_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    requested_at: datetime = Field(default_factory=utcnow)
    due_at: datetime | None = Field(default=None, index=True)
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: str | None = Field(default=None, max_length=32)
    comment: str | None = Field(default=None, sa_column=Column(Text))
    reset_cause: str | None = Field(default=None, sa_column=Column(Text))
    updated_at: datetime = Field(default_factory=utcnow)


class Correction(SQLModel, table=True):
    """A person's correction of a fact, with the decision before and after it."""

    __tablename__ = "corrections"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="cases.id", index=True, max_length=32)
    path: str = Field(max_length=120)
    old_json: str | None = Field(default=None, sa_column=Column(Text))
    new_json: str = Field(sa_column=Column(Text, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    quote: str | None = Field(default=None, sa_column=Column(Text))
    user_id: str = Field(max_length=32)
    decision_before_json: str | None = Field(default=None, sa_column=Column(Text))
    decision_after_json: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
