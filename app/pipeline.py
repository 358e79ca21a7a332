"""The one pipeline for a case: ingest -> extract -> decide -> persist.

The CLI, the API, the worker and the evaluations all call these functions, so what is
measured and tested is what runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from app.cases import (
    add_document,
    add_refused_document,
    case_documents,
    create_case,
    find_document,
    get_case,
    load_documents,
    set_status,
)
from app.db import session_scope
from app.models import Case, CaseStatus, DocumentStatus
from app.settings import Settings
from app.stored_cases import case_context
from app.triage import triage_documents
from extractors.document import Document
from extractors.errors import IngestError
from extractors.facts import FactRecord
from extractors.ingest import IngestLimits, ingest_bytes
from rules import Decision, Policy


@dataclass(frozen=True)
class Upload:
    """Bytes as received, with the name the user gave them (never trusted for the type)."""

    data: bytes
    filename: str | None = None

    @classmethod
    def from_path(cls, path: Path) -> Upload:
        return cls(data=path.read_bytes(), filename=path.name)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class UploadOutcome:
    """What became of one upload: a document, or the reason it was refused."""

    filename: str | None
    sha256: str
    document: Document | None = None
    error: IngestError | None = None
    already_stored: bool = False


@dataclass
class TriageResult:
    """A decided case: what was read, the facts, and the decision."""

    case_id: str
    outcomes: list[UploadOutcome] = field(default_factory=list)
    facts: FactRecord = field(default_factory=FactRecord)
    decision: Decision | None = None


def ingest_limits(settings: Settings) -> IngestLimits:
    """The ingestion limits configured for this deployment."""
    return IngestLimits(
        max_bytes=int(settings.max_upload_mb * 1_000_000),
        max_pages=settings.max_pages,
        max_chars=settings.max_chars,
        timeout_base_s=settings.parse_timeout_base_s,
        timeout_per_page_s=settings.parse_timeout_per_page_s,
        timeout_cap_s=settings.parse_timeout_cap_s,
        memory_bytes=settings.parse_memory_mb * 1_000_000,
    )


def store_uploads(
    *, session: Session, case: Case, uploads: Sequence[Upload], settings: Settings
) -> list[UploadOutcome]:
    """Ingest and store each upload once per case; refusals are stored with their reason."""
    limits = ingest_limits(settings)
    outcomes: list[UploadOutcome] = []
    for upload in uploads:
        digest = upload.sha256
        known = find_document(session=session, case_id=case.id, sha256=digest)
        if known is not None and known.status is DocumentStatus.INGESTED:
            (document,) = load_documents([known])
            outcomes.append(UploadOutcome(upload.filename, digest, document, None, True))
            continue
        try:
            document = ingest_bytes(upload.data, filename=upload.filename, limits=limits)
        except IngestError as error:
            add_refused_document(
                session=session, case=case, sha256=digest, filename=upload.filename, error=error
            )
            outcomes.append(UploadOutcome(upload.filename, digest, None, error))
            continue
        add_document(session=session, case=case, document=document)
        outcomes.append(UploadOutcome(upload.filename, digest, document))
    return outcomes


def decide_case(
    *, session: Session, case: Case, settings: Settings, policy: Policy
) -> tuple[FactRecord, Decision]:
    """Extract facts from the case's stored documents, decide, and record both."""
    documents = load_documents(case_documents(session=session, case_id=case.id))
    context = case_context(session=session, case_id=case.id)
    triage = triage_documents(documents, settings=settings, policy=policy, context=context)
    facts, decision = triage.facts, triage.decision
    case.facts_json = facts.model_dump_json()
    case.decision_json = decision.to_json()
    case.path = decision.path.value
    case.tier = str(decision.tier)
    case.rule_set_version = decision.ruleset_version
    set_status(session=session, case=case, status=CaseStatus.DECIDED)
    return facts, decision


def run_triage(
    *,
    engine: Engine,
    uploads: Sequence[Upload],
    settings: Settings,
    policy: Policy,
    reference: str | None = None,
    case_id: str | None = None,
) -> TriageResult:
    """Create (or continue) a case with these uploads and decide it.

    Documents are committed before extraction starts, so a crash later loses nothing:
    running again with the same ``case_id`` resumes from the stored documents.
    """
    with session_scope(engine) as session:
        case = (
            get_case(session=session, case_id=case_id)
            if case_id
            else create_case(session=session, reference=reference)
        )
        set_status(session=session, case=case, status=CaseStatus.PROCESSING)
        outcomes = store_uploads(session=session, case=case, uploads=uploads, settings=settings)
        case_id = case.id
    with session_scope(engine) as session:
        case = get_case(session=session, case_id=case_id)
        facts, decision = decide_case(session=session, case=case, settings=settings, policy=policy)
    return TriageResult(case_id=case_id, outcomes=outcomes, facts=facts, decision=decision)
