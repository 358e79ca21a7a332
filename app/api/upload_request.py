"""An upload request answered the same way wherever it arrives (a new case, or more documents
for one): the body read as a capped stream, the documents accepted, the answer kept for the
request's Idempotency-Key."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from app.api.accepting import accept_case_documents
from app.api.idempotency import idempotent, request_fingerprint
from app.api.schemas import CaseAccepted, dump
from app.jobs.queue import JobQueue
from app.settings import Settings
from app.uploads import MultipartForm, read_multipart, upload_limits


def accepted_response(accepted: CaseAccepted) -> Response:
    """202 with the case to poll in ``Location``."""
    return JSONResponse(dump(accepted), status_code=202, headers={"Location": accepted.links.self_})


async def answer_upload(
    request: Request,
    *,
    scope: str,
    user_id: str,
    settings: Settings,
    engine: Engine,
    queue: JobQueue,
    idempotency_key: str | None,
    case_id: str | None = None,
) -> Response:
    """Read the upload, accept its documents (as a new case, or on ``case_id``), answer 202.

    ``user_id`` uploads a new case; on an existing one it is the actor the audit names, and
    the case's uploader stays who created it.
    """
    form = await read_upload_form(request, settings=settings)
    return await accept_upload(
        request,
        form,
        scope=scope,
        user_id=user_id,
        settings=settings,
        engine=engine,
        queue=queue,
        idempotency_key=idempotency_key,
        case_id=case_id,
    )


async def read_upload_form(request: Request, *, settings: Settings) -> MultipartForm:
    """The request's multipart body, read as a stream under the deployment's caps."""
    return await read_multipart(
        request.stream(),
        content_type=request.headers.get("content-type"),
        content_length=request.headers.get("content-length"),
        limits=upload_limits(settings),
    )


async def accept_upload(
    request: Request,
    form: MultipartForm,
    *,
    scope: str,
    user_id: str,
    settings: Settings,
    engine: Engine,
    queue: JobQueue,
    idempotency_key: str | None,
    case_id: str | None = None,
) -> Response:
    """Accept ``form``'s documents once per Idempotency-Key: 202, or the refusal kept for it."""

    async def produce() -> Response:
        accepted = await run_in_threadpool(
            lambda: accept_case_documents(
                engine=engine,
                settings=settings,
                queue=queue,
                form=form,
                case_id=case_id,
                uploaded_by=user_id,
            )
        )
        return accepted_response(accepted)

    return await idempotent(
        engine=engine,
        scope=scope,
        caller=user_id,
        key=idempotency_key,
        request_hash=request_fingerprint(
            path=request.url.path, query=request.url.query, content=form.fingerprint()
        ),
        instance=request.url.path,
        produce=produce,
    )
