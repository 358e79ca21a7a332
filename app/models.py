"""Database tables. Table models are never returned by the API; ``*Public`` models are."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Enum, LargeBinary, Text, UniqueConstraint
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
        length=40,
        values_callable=lambda members: [member.value for member in members],
    )


class CaseStatus(StrEnum):
    """Where a case is in its processing; the path says what the decision was."""

    RECEIVED = "received"
    QUEUED = "queued"
    PROCESSING = "processing"
    DECIDED = "decided"
    # Decided, but the decision is that facts are missing or a document could not be read.
    NEEDS_INFORMATION = "needs_information"
    # Every required approval is granted (or none was required): provisioning may start.
    READY_FOR_PROVISIONING = "ready_for_provisioning"
    # An approver rejected the case; it goes back to its owner with the reason.
    RETURNED = "returned"
    FAILED = "failed"


# A case in one of these states holds a decision a person can act on.
SETTLED_STATUSES = frozenset(
    {
        CaseStatus.DECIDED,
        CaseStatus.NEEDS_INFORMATION,
        CaseStatus.READY_FOR_PROVISIONING,
        CaseStatus.RETURNED,
    }
)


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
    # The user who uploaded the case: never the one who approves it.
    uploaded_by: str | None = Field(default=None, max_length=32, index=True)
    # Deal metadata as the caller sent it (CRM ids, owner, close date ...), a JSON object.
    metadata_json: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, index=True)
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


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(SQLModel, table=True):
    """A unit of background work, written before it is queued and claimed with a lease.

    A worker that dies mid-job leaves its lease to expire; the job is then queued again
    and re-run, which is safe because processing a case is idempotent.
    """

    __tablename__ = "jobs"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    case_id: str = Field(foreign_key="cases.id", index=True, max_length=32)
    kind: str = Field(default="triage", max_length=40)
    status: JobStatus = Field(default=JobStatus.QUEUED, sa_type=enum_column(JobStatus), index=True)
    attempts: int = 0
    max_attempts: int = 3
    lease_owner: str | None = Field(default=None, max_length=120)
    lease_expires_at: datetime | None = Field(default=None, index=True)
    # Not before this time: retries back off.
    available_at: datetime = Field(default_factory=utcnow)
    error_code: str | None = Field(default=None, max_length=60)
    error_message: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None


class IdempotencyRecord(SQLModel, table=True):
    """The stored answer to a POST made with an ``Idempotency-Key``."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_scope_key"),)

    id: int | None = Field(default=None, primary_key=True)
    # Who asked and where: the same key on two endpoints (or callers) is two keys.
    scope: str = Field(max_length=300)
    key: str = Field(max_length=200)
    request_hash: str = Field(max_length=64)
    response_status: int | None = None
    response_body: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    response_headers_json: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None


class Blob(SQLModel, table=True):
    """Original document bytes, addressed by their SHA-256 (when stored in the database)."""

    __tablename__ = "blobs"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
