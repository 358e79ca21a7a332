"""Audit events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from app.models import utcnow


class AuditEvent(SQLModel, table=True):
    """One state change, decision, correction, approval or reset; never updated or deleted."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("case_id", "case_seq", name="uq_audit_case_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: str | None = Field(default=None, index=True, max_length=32)
    # Position in the case's own chain (1, 2, ...); None for events of no case.
    case_seq: int | None = None
    kind: str = Field(max_length=60, index=True)
    actor: str | None = Field(default=None, max_length=200)
    data_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    prev_case_hash: str | None = Field(default=None, max_length=64)
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str = Field(max_length=64)
