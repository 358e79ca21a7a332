"""The one pipeline for a case: ingest -> extract -> decide -> persist.

The CLI, the API, the worker and the evaluations all call these functions, so what is
measured and tested is what runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from app.ai.reading import known_answers, record_reading
from app.approvals.announce import SYSTEM_ACTOR
from app.approvals.facts import apply_corrections
from app.approvals.flow import record_case_received, record_decision, record_documents_added
from app.approvals.records import case_corrections
from app.blobs import blob_store
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
from app.deciding import decide_advisory_with_settings
from app.errors import UploadRefusedError
from app.jobs.reading import Upload, UploadOutcome, ingest_limits, read_uploads
from app.jobs.store import create_job
from app.models import Case, CaseStatus, DocumentStatus
from app.settings import Settings
from app.stored_cases import case_context
from app.triage import triage_documents
from extractors.facts import FactRecord
from rules import Decision, OnboardingPath, Policy

# Reading uploads lives in app.jobs.reading, which needs no database; its names are the
# pipeline's too.
__all__ = [
    "Accepted",
    "Upload",
    "UploadOutcome",
    "accept_uploads",
    "decide_case",
    "ingest_limits",
    "read_uploads",
    "store_outcomes",
]

# Reads the uploads a request or command brings (``read_uploads`` for the settings).
UploadReader = Callable[[Sequence[Upload]], list[UploadOutcome]]


def store_outcomes(
    *,
    session: Session,
    case: Case,
    uploads: Sequence[Upload],
    outcomes: Sequence[UploadOutcome],
    settings: Settings,
) -> list[UploadOutcome]:
    """Store each read upload once per case, with its original bytes; refusals with their reason."""
    store = blob_store(settings)
    stored: list[UploadOutcome] = []
    for upload, outcome in zip(uploads, outcomes, strict=True):
        known = find_document(session=session, case_id=case.id, sha256=outcome.sha256)
        if known is not None and known.status is DocumentStatus.INGESTED:
            (document,) = load_documents([known])
            stored.append(UploadOutcome(outcome.filename, outcome.sha256, document, None, True))
            continue
        if outcome.error is not None:
            add_refused_document(
                session=session,
                case=case,
                sha256=outcome.sha256,
                filename=outcome.filename,
                error=outcome.error,
            )
            stored.append(outcome)
            continue
        assert outcome.document is not None
        store.put(session=session, data=upload.data)
        add_document(session=session, case=case, document=outcome.document)
        stored.append(outcome)
    return stored


def _already_ingested(*, session: Session, case_id: str, sha256: str) -> bool:
    known = find_document(session=session, case_id=case_id, sha256=sha256)
    return known is not None and known.status is DocumentStatus.INGESTED


@dataclass(frozen=True)
class Accepted:
    """A case whose uploads are stored and whose processing is queued as ``job_id``."""

    case_id: str
    job_id: str
    outcomes: list[UploadOutcome]
    created: bool


def accept_uploads(
    *,
    engine: Engine,
    uploads: Sequence[Upload],
    settings: Settings,
    reference: str | None = None,
    metadata: dict[str, Any] | None = None,
    case_id: str | None = None,
    keep_refusals: bool = False,
    uploaded_by: str | None = None,
    reader: UploadReader | None = None,
) -> Accepted:
    """Request time: read the uploads, store them and a queued job in one transaction.

    With ``keep_refusals`` false (the API) an unreadable upload refuses the whole request
    and nothing is stored; with it true (the CLI) the refusal is recorded on the case,
    whose decision then asks for a readable copy. ``uploaded_by`` (a user id) is kept on a
    new case, so that user cannot approve it. ``reader`` reads the uploads not stored yet
    (``read_uploads``, unless the caller started reading them already: ``ReadAhead.read``).
    """
    if case_id is not None:
        with session_scope(engine) as session:
            get_case(session=session, case_id=case_id)  # 404 before any parsing
    with session_scope(engine) as session:
        fresh = [
            u
            for u in uploads
            if case_id is None
            or not _already_ingested(session=session, case_id=case_id, sha256=u.sha256)
        ]
    outcomes_read = reader(fresh) if reader else read_uploads(fresh, settings=settings)
    read = {o.sha256: o for o in outcomes_read}
    refusals = [(o.filename, o.error) for o in read.values() if o.error is not None]
    if refusals and not keep_refusals:
        raise UploadRefusedError(refusals)
    outcomes = [
        read.get(upload.sha256) or UploadOutcome(upload.filename, upload.sha256)
        for upload in uploads
    ]
    with session_scope(engine) as session:
        created = case_id is None
        case = (
            create_case(
                session=session,
                reference=reference,
                metadata_json=json.dumps(metadata, sort_keys=True) if metadata else None,
            )
            if case_id is None
            else get_case(session=session, case_id=case_id)
        )
        if created and uploaded_by is not None:
            case.uploaded_by = uploaded_by
        known = {row.sha256 for row in case_documents(session=session, case_id=case.id)}
        stored = store_outcomes(
            session=session, case=case, uploads=uploads, outcomes=outcomes, settings=settings
        )
        added = [
            row
            for row in case_documents(session=session, case_id=case.id)
            if row.sha256 not in known
        ]
        if created:
            record_case_received(session=session, case=case, documents=added, actor=uploaded_by)
        elif added:
            record_documents_added(
                session=session, case=case, documents=added, settings=settings, actor=uploaded_by
            )
        job = create_job(session=session, case_id=case.id, max_attempts=settings.job_max_attempts)
        set_status(session=session, case=case, status=CaseStatus.QUEUED)
        return Accepted(case_id=case.id, job_id=job.id, outcomes=stored, created=created)


def decide_case(
    *,
    session: Session,
    case: Case,
    settings: Settings,
    policy: Policy,
    cause: str = "triage",
    actor: str | None = SYSTEM_ACTOR,
    correction_id: int | None = None,
) -> tuple[FactRecord, Decision]:
    """Extract facts from the case's stored documents, decide, and record both.

    People's corrections of facts are laid over the documents' facts every time, and the
    approvals, the audit trail and the outbox follow the decision in the same transaction.
    """
    previous = case.status
    documents = load_documents(case_documents(session=session, case_id=case.id))
    context = case_context(session=session, case_id=case.id)
    model_cache = known_answers(session=session, documents=documents, settings=settings)
    triage = triage_documents(
        documents, settings=settings, policy=policy, context=context, model_cache=model_cache
    )
    facts, decision = triage.facts, triage.decision
    advisory = triage.advisory_facts if triage.advisory_facts is not triage.facts else None
    # The documents' own decision stays the floor: a correction cannot drop an approval
    # it asks for on their quotes unless a person of that role confirms.
    document_decision: Decision | None = None
    corrections = case_corrections(session=session, case_id=case.id)
    if corrections:
        facts = apply_corrections(facts, corrections)
        advisory = apply_corrections(advisory, corrections) if advisory else None
        decision = decide_advisory_with_settings(
            facts,
            advisory,
            policy=policy,
            context=context,
            settings=settings,
            model_complexity=triage.model_complexity,
        )
        document_decision = triage.decision
    if triage.reading is not None:
        record_reading(
            session=session,
            case_id=case.id,
            reading=triage.reading,
            advisory_facts=advisory,
            settings=settings,
        )
    case.facts_json = facts.model_dump_json()
    case.decision_json = decision.to_json()
    case.path = decision.path.value
    case.tier = str(decision.tier)
    case.rule_set_version = decision.ruleset_version
    case.error_code = case.error_message = None
    status = (
        CaseStatus.NEEDS_INFORMATION
        if decision.path is OnboardingPath.NEEDS_INFORMATION
        else CaseStatus.DECIDED
    )
    set_status(session=session, case=case, status=status)
    record_decision(
        session=session,
        case=case,
        facts=facts,
        decision=decision,
        document_decision=document_decision,
        previous=previous,
        settings=settings,
        cause=cause,
        actor=actor,
        correction_id=correction_id,
    )
    return facts, decision
