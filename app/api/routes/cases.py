"""``/v1/cases``: upload a contract bundle, list cases, read one case's triage."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.accepting import (
    FILES_FIELD,
    METADATA_FIELD,
    REFERENCE_FIELD,
    check_queue,
)
from app.api.deps import (
    CurrentUser,
    EngineDep,
    IdempotencyKeyDep,
    QueueDep,
    SessionDep,
    SettingsDep,
)
from app.api.openapi import multipart_body, problem_responses
from app.api.schemas import CaseAccepted, CasePage, CaseSummary
from app.api.upload_request import answer_upload
from app.cases import list_cases_page
from app.db import session_scope
from app.errors import InvalidRequestError
from app.models import CaseStatus
from app.settings import Settings
from app.views.case_view import CaseView, load_case_view
from rules import OnboardingPath

router = APIRouter(prefix="/cases", tags=["cases"])

CREATE_SCOPE = "POST /v1/cases"
UPLOAD_BODY = multipart_body(
    files=FILES_FIELD,
    many=True,
    fields={
        REFERENCE_FIELD: "Your reference for the case (a CRM id, the customer's name).",
        METADATA_FIELD: "Deal metadata as a JSON object (CRM ids, owner, close date ...).",
    },
    description="The contract bundle: one or more PDF, DOCX or text documents.",
)


@router.post(
    "",
    status_code=202,
    response_model=CaseAccepted,
    openapi_extra=UPLOAD_BODY,
    responses=problem_responses(409, 413, 415, 422, 503),
)
async def create_case(
    *,
    request: Request,
    user: CurrentUser,
    settings: SettingsDep,
    engine: EngineDep,
    queue: QueueDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Response:
    """Upload a contract bundle; the case is triaged in the background (poll ``Location``).

    Every document is read before anything is stored: one that cannot be read refuses the
    request with its code (``no_text_layer``, ``encrypted`` ...) and nothing is kept.
    """
    if idempotency_key is None:
        # Nothing to replay, so a full queue is said before the body is read.
        await run_in_threadpool(_check_queue, engine, settings)
    return await answer_upload(
        request,
        scope=CREATE_SCOPE,
        user_id=user.id,
        settings=settings,
        engine=engine,
        queue=queue,
        idempotency_key=idempotency_key,
    )


def _check_queue(engine: Engine, settings: Settings) -> None:
    with session_scope(engine) as session:
        check_queue(session=session, settings=settings)


def encode_cursor(created_at: datetime, case_id: str) -> str:
    """An opaque position after the case ``(created_at, case_id)``."""
    raw = json.dumps([created_at.isoformat(), case_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The position an ``encode_cursor`` value stands for, or InvalidRequestError."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, case_id = json.loads(raw)
        return datetime.fromisoformat(created_at), str(case_id)
    except (binascii.Error, ValueError, TypeError) as error:
        raise InvalidRequestError(
            "The cursor is not one this API gave out.", field="cursor"
        ) from error


@router.get("", response_model=CasePage, responses=problem_responses(422))
def list_cases(
    *,
    session: SessionDep,
    status: Annotated[list[CaseStatus] | None, Query(description="Any of these states.")] = None,
    path: OnboardingPath | None = None,
    tier: Annotated[int | None, Query(ge=1, le=4)] = None,
    reference: Annotated[str | None, Query(max_length=200, description="Exactly this.")] = None,
    reference_prefix: Annotated[
        str | None, Query(max_length=200, description="Starting with this (case-sensitive).")
    ] = None,
    created_after: Annotated[datetime | None, Query(description="Created at or after.")] = None,
    created_before: Annotated[datetime | None, Query(description="Created before.")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CasePage:
    """Cases newest first, filtered; follow ``next_cursor`` for older ones."""
    rows = list_cases_page(
        session=session,
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
        statuses=status or (),
        path=path.value if path else None,
        tier=tier,
        reference=reference,
        reference_prefix=reference_prefix,
        created_after=created_after,
        created_before=created_before,
    )
    page = rows[:limit]
    more = len(rows) > limit
    return CasePage(
        items=[CaseSummary.of(case) for case in page],
        next_cursor=encode_cursor(page[-1].created_at, page[-1].id) if more else None,
    )


@router.get("/{case_id}", response_model=CaseView, responses=problem_responses(404))
def read_case(case_id: str, session: SessionDep) -> CaseView:
    """The case's triage: the decision in one sentence, then approvals, facts and documents."""
    return load_case_view(session=session, case_id=case_id)
