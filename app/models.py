"""Database tables. Table models are never returned by the API; ``*Public`` models are."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Enum, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def enum_column(enum: type[StrEnum]) -> Enum:
    """Stores an enum's values as plain strings, so adding a value needs no type migration."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class CaseStatus(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    DECIDED = "decided"
    FAILED = "failed"


class CaseBase(SQLModel):
    reference: str | None = Field(default=None, max_length=200, index=True)


class Case(CaseBase, table=True):
    """One customer onboarding: its documents, the facts read from them, and the decision."""

    __tablename__ = "cases"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    status: CaseStatus = Field(
        default=CaseStatus.RECEIVED, sa_type=enum_column(CaseStatus), index=True
    )
    path: str | None = Field(default=None, max_length=40)
    tier: str | None = Field(default=None, max_length=40)
    rule_set_version: str | None = Field(default=None, max_length=80)
    facts_json: str | None = Field(default=None, sa_column=Column(Text))
    decision_json: str | None = Field(default=None, sa_column=Column(Text))
    error_code: str | None = Field(default=None, max_length=60)
    error_message: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class CasePublic(CaseBase):
    id: str
    status: CaseStatus
    path: str | None
    tier: str | None
    rule_set_version: str | None
    created_at: datetime
    updated_at: datetime


class DocumentStatus(StrEnum):
    INGESTED = "ingested"
    REFUSED = "refused"


class CaseDocument(SQLModel, table=True):
    """An uploaded file of a case: the text read from it, or why it was refused."""

    __tablename__ = "case_documents"
    __table_args__ = (UniqueConstraint("case_id", "sha256", name="uq_case_document_bytes"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="cases.id", index=True, max_length=32)
    sha256: str = Field(max_length=64)
    filename: str | None = Field(default=None, max_length=500)
    status: DocumentStatus = Field(
        default=DocumentStatus.INGESTED, sa_type=enum_column(DocumentStatus)
    )
    media_type: str | None = Field(default=None, max_length=120)
    byte_size: int = 0
    page_count: int = 0
    char_count: int = 0
    loader: str | None = Field(default=None, max_length=60)
    loader_version: str | None = Field(default=None, max_length=40)
    error_code: str | None = Field(default=None, max_length=60)
    error_message: str | None = Field(default=None, sa_column=Column(Text))
    document_json: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
