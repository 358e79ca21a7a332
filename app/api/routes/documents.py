"""``/v1/cases/{case_id}/documents``: add documents to a case, fetch a document's bytes."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.accepting import FILES_FIELD
from app.api.deps import (
    CurrentUser,
    EngineDep,
    IdempotencyKeyDep,
    QueueDep,
    SessionDep,
    SettingsDep,
)
from app.api.openapi import multipart_body, problem_responses
from app.api.schemas import CaseAccepted
from app.api.upload_request import answer_upload
from app.blobs import blob_store
from app.cases import get_case, get_document
from app.db import session_scope
from app.errors import DocumentNotFoundError
from app.models import DocumentStatus

router = APIRouter(prefix="/cases/{case_id}/documents", tags=["documents"])

ADD_SCOPE = "POST /v1/cases/{case_id}/documents"
ADD_BODY = multipart_body(
    files=FILES_FIELD,
    many=True,
    fields={},
    description="Documents to add: PDF, DOCX or text. Bytes the case already has are kept once.",
)
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()-]")


def content_disposition(filename: str | None, fallback: str) -> str:
    """``attachment`` with an ASCII name and the UTF-8 original (RFC 6266), safe to echo."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1] or fallback
    ascii_name = _UNSAFE_NAME.sub("_", name).strip(" .") or fallback
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.post(
    "",
    status_code=202,
    response_model=CaseAccepted,
    openapi_extra=ADD_BODY,
    responses=problem_responses(404, 409, 413, 415, 422, 503),
)
async def add_documents(
    *,
    case_id: str,
    request: Request,
    user: CurrentUser,
    settings: SettingsDep,
    engine: EngineDep,
    queue: QueueDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Response:
    """Add documents to a case; it is triaged again with all its documents (poll ``Location``)."""
    # An unknown case is said before the body is read.
    await run_in_threadpool(_require_case, engine, case_id)
    return await answer_upload(
        request,
        scope=ADD_SCOPE,
        user_id=user.id,
        settings=settings,
        engine=engine,
        queue=queue,
        idempotency_key=idempotency_key,
        case_id=case_id,
    )


def _require_case(engine: Engine, case_id: str) -> None:
    with session_scope(engine) as session:
        get_case(session=session, case_id=case_id)


@router.get(
    "/{document_id}",
    response_class=Response,
    responses={
        200: {"description": "The document's original bytes.", "content": {"*/*": {}}},
        **problem_responses(404),
    },
)
def download_document(
    case_id: str, document_id: int, session: SessionDep, settings: SettingsDep
) -> Response:
    """The original bytes of a document, as uploaded, with its detected media type."""
    row = get_document(session=session, case_id=case_id, document_id=document_id)
    if row.status is not DocumentStatus.INGESTED:
        raise DocumentNotFoundError(
            f"Document {document_id} was refused ({row.error_code}); its bytes are not kept.",
            case_id=case_id,
            document_id=document_id,
        )
    data = blob_store(settings).get(session=session, sha256=row.sha256)
    return Response(
        content=data,
        media_type=row.media_type or "application/octet-stream",
        headers={
            "Content-Disposition": content_disposition(row.filename, f"document-{document_id}"),
            "X-Content-Type-Options": "nosniff",
            "ETag": f'"{row.sha256}"',
        },
    )
