"""What the API accepts and answers (table models are never returned)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidatorFunctionWrapHandler, WrapValidator

from app.models import Case, CaseStatus, Job, JobStatus
from app.views.case_view import summary_sentence
from extractors.facts import FactRecord
from rules import CaseContext, Decision

API_PREFIX = "/v1"


def case_href(case_id: str) -> str:
    return f"{API_PREFIX}/cases/{case_id}"


def document_href(case_id: str, document_id: int) -> str:
    return f"{API_PREFIX}/cases/{case_id}/documents/{document_id}"


def job_href(job_id: str) -> str:
    return f"{API_PREFIX}/jobs/{job_id}"


class AcceptedDocument(BaseModel):
    """One document of an accepted upload."""

    id: int
    filename: str | None
    sha256: str
    already_stored: bool = Field(description="The case already had these bytes; not stored again.")
    href: str


class CaseLinks(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    self_: str = Field(alias="self")
    job: str
    documents: list[str]


class CaseAccepted(BaseModel):
    """Documents stored and the case queued for triage; poll ``links.self`` for the decision."""

    case_id: str
    job_id: str
    status: CaseStatus
    created: bool = Field(description="True when this request created the case.")
    documents: list[AcceptedDocument]
    links: CaseLinks


class CaseSummary(BaseModel):
    """A case in a list: what was decided, in one sentence."""

    id: str
    reference: str | None
    status: CaseStatus
    path: str | None
    tier: int | None
    summary: str
    approvals: list[str] = Field(description="Roles whose approval the decision requires.")
    created_at: datetime
    href: str

    @classmethod
    def of(cls, case: Case) -> CaseSummary:
        decision = Decision.model_validate_json(case.decision_json) if case.decision_json else None
        return cls(
            id=case.id,
            reference=case.reference,
            status=case.status,
            path=decision.path.value if decision else case.path,
            tier=decision.tier if decision else None,
            summary=summary_sentence(case, decision),
            approvals=[approval.role.value for approval in decision.approvals] if decision else [],
            created_at=case.created_at,
            href=case_href(case.id),
        )


class CasePage(BaseModel):
    """One page of cases, newest first; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[CaseSummary]
    next_cursor: str | None


class JobLinks(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    self_: str = Field(alias="self")
    case: str


class JobPublic(BaseModel):
    """A unit of background work and where it is."""

    id: str
    case_id: str
    kind: str
    status: JobStatus
    attempts: int
    max_attempts: int
    error_code: str | None
    error_message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    links: JobLinks

    @classmethod
    def of(cls, job: Job) -> JobPublic:
        return cls(
            id=job.id,
            case_id=job.case_id,
            kind=job.kind,
            status=job.status,
            attempts=job.attempts,
            max_attempts=job.max_attempts,
            error_code=job.error_code,
            error_message=job.error_message,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            links=JobLinks(self_=job_href(job.id), case=case_href(job.case_id)),
        )


def _strict_facts(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    # FactRecord ignores unknown fields (extractors evolve); a caller's misspelt field must
    # not be dropped silently, so facts from the API are validated with extras forbidden.
    if isinstance(value, dict):
        return FactRecord.model_validate(value, extra="forbid")
    if isinstance(value, str | bytes):
        return FactRecord.model_validate_json(value, extra="forbid")
    return handler(value)


StrictFactRecord = Annotated[FactRecord, WrapValidator(_strict_facts)]


class RecommendationRequest(BaseModel):
    """Structured deal facts (the fact schema's JSON) and, optionally, the case context."""

    model_config = ConfigDict(extra="forbid")

    facts: StrictFactRecord
    context: CaseContext | None = None


class Recommendation(BaseModel):
    """The decision on the facts given: one plain sentence, then the decision with its reasons."""

    summary: str = Field(description="The decision in one plain sentence.")
    decision: Decision


def dump(model: BaseModel) -> Any:
    """``model`` as JSON-ready data, by alias."""
    return json.loads(model.model_dump_json(by_alias=True))
