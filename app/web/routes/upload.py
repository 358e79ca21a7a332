"""Uploading a bundle from the browser: a new case with the customer and deal details, or
more documents for a case. The upload is read and accepted exactly as the API does it."""

from __future__ import annotations

import json
import secrets
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from app.api.accepting import FILES_FIELD, METADATA_FIELD, REFERENCE_FIELD
from app.api.deps import SettingsDep, get_engine, get_queue, get_settings
from app.api.schemas import CaseAccepted
from app.api.upload_request import accept_upload, read_upload_form
from app.errors import InvalidRequestError, TriageError
from app.uploads import MultipartForm
from app.web.page_route import PageRoute, error_page
from app.web.security import CSRF_FIELD, PageUser, check_form_origin
from app.web.templating import render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

KEY_FIELD = "idempotency_key"
# Deal details a success manager types in; kept on the case as its metadata.
DEAL_FIELDS = {
    "crm_id": "CRM opportunity",
    "owner": "Deal owner",
    "close_date": "Close date",
    "deal_value": "Deal value (as booked)",
    "notes": "Notes for the approvers",
}
_MAX_DEAL_FIELD = 2000


@router.get("/cases/new")
def upload_page(request: Request, user: PageUser, settings: SettingsDep) -> Response:
    """The upload form: documents, the customer, the deal."""
    del user
    return render(
        request,
        "upload.html",
        title="Upload a bundle",
        nav="upload",
        deal_fields=DEAL_FIELDS,
        upload_key=secrets.token_urlsafe(18),
        max_mb=settings.max_upload_mb,
    )


def _api_form(form: MultipartForm, *, new_case: bool) -> MultipartForm:
    """The form as the API reads it: the files, and for a new case its reference and the
    deal details as metadata; the page's own fields (token, key) are left out."""
    known = {CSRF_FIELD, KEY_FIELD, REFERENCE_FIELD, *DEAL_FIELDS}
    form.refuse_unknown(files={FILES_FIELD}, fields=known if new_case else {CSRF_FIELD, KEY_FIELD})
    if not new_case:
        return MultipartForm(files=form.files, fields=[])
    metadata: dict[str, Any] = {}
    for name, label in DEAL_FIELDS.items():
        value = (form.field(name) or "").strip()
        if len(value) > _MAX_DEAL_FIELD:
            raise InvalidRequestError(
                f"{label} is longer than {_MAX_DEAL_FIELD} characters.", field=name
            )
        if value:
            metadata[name] = value
    fields = [(REFERENCE_FIELD, form.field(REFERENCE_FIELD) or "")]
    if metadata:
        fields.append((METADATA_FIELD, json.dumps(metadata, ensure_ascii=False)))
    return MultipartForm(files=form.files, fields=fields)


async def _upload(request: Request, *, user_id: str, case_id: str | None, scope: str) -> Response:
    settings, engine, queue = get_settings(request), get_engine(request), get_queue(request)
    form = await read_upload_form(request, settings=settings)
    await check_form_origin(request, form_token=form.field(CSRF_FIELD))
    # The form's key makes a double-click or a resent form one case, not two.
    answer = await accept_upload(
        request,
        _api_form(form, new_case=case_id is None),
        scope=scope,
        user_id=user_id,
        settings=settings,
        engine=engine,
        queue=queue,
        idempotency_key=form.field(KEY_FIELD) or None,
        case_id=case_id,
    )
    wants_json = "application/json" in request.headers.get("accept", "")
    if answer.status_code != 202:
        # A refusal kept for the key (replayed as it was first answered).
        return answer if wants_json else refusal_page(request, answer)
    accepted = CaseAccepted.model_validate_json(bytes(answer.body))
    target = f"/cases/{accepted.case_id}"
    if wants_json:
        return JSONResponse({"case_id": accepted.case_id, "case_url": target}, status_code=202)
    return RedirectResponse(target, status_code=303)


def refusal_page(request: Request, answer: Response) -> Response:
    """The page for a refusal the API answered as a problem document."""
    problem = json.loads(bytes(answer.body))
    error = TriageError(str(problem.get("detail", "")), documents=problem.get("documents") or [])
    error.status = answer.status_code
    error.code = str(problem.get("code", "invalid_request"))
    error.title = str(problem.get("title", "The upload was refused"))
    return error_page(request, error)


@router.post("/cases/new")
async def upload(request: Request, user: PageUser) -> Response:
    """A new case from the uploaded bundle; the browser goes to its page to watch it."""
    return await _upload(request, user_id=user.id, case_id=None, scope="web POST /cases/new")


@router.post("/cases/{case_id}/documents")
async def add_documents(case_id: str, request: Request, user: PageUser) -> Response:
    """More documents for a case, which is then triaged again."""
    return await _upload(
        request, user_id=user.id, case_id=case_id, scope="web POST /cases/{case_id}/documents"
    )
