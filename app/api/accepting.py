"""Documents uploaded through the API: checked, stored with a queued job, and submitted.

Every upload of a request is read before anything is stored: one unreadable document
refuses the whole request (``UploadRefusedError``) and leaves the database as it was, so a
caller never has to find out which half of a bundle became a case.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from app.api.schemas import (
    AcceptedDocument,
    CaseAccepted,
    CaseLinks,
    case_href,
    document_href,
    job_href,
)
from app.cases import case_documents, get_case
from app.db import session_scope
from app.errors import InvalidRequestError, QueueFullError
from app.jobs.queue import JobQueue
from app.jobs.store import count_queued
from app.pipeline import Upload, accept_uploads
from app.settings import Settings
from app.uploads import MultipartForm

FILES_FIELD = "files"
REFERENCE_FIELD = "reference"
METADATA_FIELD = "metadata"
MAX_REFERENCE_CHARS = 200
# A full queue drains at the pace of the workers; a minute is a fair first retry.
QUEUE_FULL_RETRY_AFTER_S = 60


def check_queue(*, session: Session, settings: Settings) -> None:
    """QueueFullError (503, Retry-After) when as many jobs wait as the deployment allows."""
    waiting = count_queued(session=session)
    if waiting >= settings.max_queued_jobs:
        raise QueueFullError(
            f"{waiting} cases are waiting to be processed; try again shortly.",
            retry_after_s=QUEUE_FULL_RETRY_AFTER_S,
        )


def case_uploads(form: MultipartForm) -> list[Upload]:
    """The documents of an upload form (at least one, under ``files``)."""
    parts = form.files_named(FILES_FIELD)
    if not parts:
        raise InvalidRequestError(
            f"Send at least one document in the form field {FILES_FIELD!r}.", field=FILES_FIELD
        )
    return [Upload(data=part.data, filename=part.filename) for part in parts]


def case_reference(form: MultipartForm) -> str | None:
    """The caller's reference for the case (a CRM id, the customer's name), if any."""
    reference = form.field(REFERENCE_FIELD)
    if reference is None or not reference.strip():
        return None
    reference = reference.strip()
    if len(reference) > MAX_REFERENCE_CHARS:
        raise InvalidRequestError(
            f"The reference is longer than {MAX_REFERENCE_CHARS} characters.",
            field=REFERENCE_FIELD,
        )
    return reference


def case_metadata(form: MultipartForm) -> dict[str, Any] | None:
    """The deal metadata sent as a JSON object in the ``metadata`` field, if any."""
    raw = form.field(METADATA_FIELD)
    if raw is None or not raw.strip():
        return None
    try:
        metadata = json.loads(raw)
    except ValueError as error:
        raise InvalidRequestError(
            f"The metadata field is not valid JSON: {error}.", field=METADATA_FIELD
        ) from error
    if not isinstance(metadata, dict):
        raise InvalidRequestError(
            "The metadata field must hold a JSON object.", field=METADATA_FIELD
        )
    return metadata


def accept_case_documents(
    *,
    engine: Engine,
    settings: Settings,
    queue: JobQueue,
    form: MultipartForm,
    case_id: str | None = None,
    uploaded_by: str | None = None,
) -> CaseAccepted:
    """Store the form's documents as a new case (or on ``case_id``) and submit its job.

    All documents are read first; any refusal refuses them all and stores nothing.
    ``uploaded_by`` (the user's id) is recorded on a new case: who may not approve it.
    """
    # A case's reference and metadata are set when it is created.
    fields = {REFERENCE_FIELD, METADATA_FIELD} if case_id is None else set()
    form.refuse_unknown(files={FILES_FIELD}, fields=fields)
    uploads = case_uploads(form)
    reference = case_reference(form) if case_id is None else None
    metadata = case_metadata(form) if case_id is None else None
    with session_scope(engine) as session:
        if case_id is not None:
            get_case(session=session, case_id=case_id)
        check_queue(session=session, settings=settings)
    accepted = accept_uploads(
        engine=engine,
        uploads=uploads,
        settings=settings,
        reference=reference,
        metadata=metadata,
        case_id=case_id,
        keep_refusals=False,
        uploaded_by=uploaded_by,
    )
    # Committed first, then submitted: a lost submit leaves a queued job the workers find.
    queue.submit(accepted.job_id)
    with session_scope(engine) as session:
        case = get_case(session=session, case_id=accepted.case_id)
        rows = {row.sha256: row for row in case_documents(session=session, case_id=case.id)}
        documents = []
        for outcome in accepted.outcomes:
            row = rows[outcome.sha256]
            assert row.id is not None
            documents.append(
                AcceptedDocument(
                    id=row.id,
                    filename=row.filename,
                    sha256=row.sha256,
                    already_stored=outcome.already_stored,
                    href=document_href(case.id, row.id),
                )
            )
        return CaseAccepted(
            case_id=case.id,
            job_id=accepted.job_id,
            status=case.status,
            created=accepted.created,
            documents=documents,
            links=CaseLinks(
                self_=case_href(case.id),
                job=job_href(accepted.job_id),
                documents=[document.href for document in documents],
            ),
        )
