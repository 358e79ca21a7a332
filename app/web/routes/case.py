"""A case's page, the reader behind its citations, and the two things people do on it:
decide an approval, correct a fact."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from app.api.deps import EngineDep, PolicyDep, SessionDep, SettingsDep
from app.approvals.corrections import correct_fact
from app.approvals.lifecycle import decide_approval
from app.cases import case_documents, get_case, load_documents
from app.db import session_scope
from app.errors import DocumentNotFoundError, InvalidRequestError
from app.models import Case, CaseDocument
from app.web.case_page import citation_href, load_case_page
from app.web.correction_input import read_value
from app.web.document_page import document_page
from app.web.page_route import PageRoute
from app.web.routes.sign_in import local_target
from app.web.security import PageUser, check_form_origin
from app.web.templating import render, role_words
from extractors.document import Document

router = APIRouter(route_class=PageRoute, include_in_schema=False)

MIN_KEY_CHARS = 12


@router.get("/cases/{case_id}")
async def case_page(
    case_id: str, request: Request, user: PageUser, session: SessionDep
) -> Response:
    """The triage at a glance; while the case is processed HTMX asks for it again."""
    page = await run_in_threadpool(
        lambda: load_case_page(session=session, case_id=case_id, user=user)
    )
    partial = request.headers.get("hx-target") == "case-body"
    return render(
        request,
        "partials/case_body.html" if partial else "case.html",
        title=page.view.reference or f"Case {case_id}",
        nav="queue",
        page=page,
        view=page.view,
        cite=lambda evidence: citation_href(case_id, evidence),
        flash=request.query_params.get("done"),
    )


@router.get("/cases/{case_id}/documents/{document_sha}")
async def read_document(
    *,
    case_id: str,
    document_sha: str,
    request: Request,
    user: PageUser,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    start: Annotated[int | None, Query(ge=0)] = None,
    end: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    """A page of the document's text with the cited quote marked."""
    del user

    def load() -> tuple[Case, CaseDocument, Document]:
        case = get_case(session=session, case_id=case_id)
        # Evidence names a document by the start of its SHA-256; the reader takes either.
        rows = [
            r
            for r in case_documents(session=session, case_id=case_id)
            if len(document_sha) >= MIN_KEY_CHARS and r.sha256.startswith(document_sha.lower())
        ]
        row = rows[0] if len(rows) == 1 else None
        if row is None or row.document_json is None:
            raise DocumentNotFoundError(
                f"Case {case_id} has no readable document {document_sha[:12]}.",
                case_id=case_id,
            )
        (document,) = load_documents([row])
        return case, row, document

    case, row, document = await run_in_threadpool(load)
    shown = document_page(document, page, start=start, end=end)
    return render(
        request,
        "document.html",
        title=f"{row.filename or 'Document'}, page {page}",
        nav="queue",
        case=case,
        row=row,
        page=shown,
        start=start,
        end=end,
    )


def _back(request: Request, fallback: str, next_url: str | None) -> str:
    return local_target(next_url) if next_url else fallback


@router.post("/cases/{case_id}/approvals/{role}")
async def decide(
    *,
    case_id: str,
    role: str,
    request: Request,
    user: PageUser,
    engine: EngineDep,
    decision: Annotated[Literal["grant", "reject", "confirm_removal"], Form()],
    comment: Annotated[str, Form(max_length=4000)] = "",
    next: Annotated[str | None, Form(max_length=2000)] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """Grant or reject the role's approval with a comment, then back to where it was done."""
    await check_form_origin(request, form_token=csrf_token)

    def act() -> None:
        with session_scope(engine) as session:
            decide_approval(
                session=session,
                case_id=case_id,
                role=role,
                action=decision,
                comment=comment.strip() or None,
                user=user,
            )

    await run_in_threadpool(act)
    words = {"grant": "approved", "reject": "rejected", "confirm_removal": "removal confirmed"}
    done = quote(f"{role_words(role)} {words[decision]}.")
    target = _back(request, f"/cases/{case_id}", next)
    separator = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{separator}done={done}", status_code=303)


@router.post("/cases/{case_id}/corrections")
async def correct(
    *,
    case_id: str,
    request: Request,
    user: PageUser,
    engine: EngineDep,
    settings: SettingsDep,
    policy: PolicyDep,
    path: Annotated[str, Form(max_length=120)],
    value: Annotated[str, Form(max_length=4000)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    quote_text: Annotated[str, Form(alias="quote", max_length=4000)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """Correct one fact with a reason; the case is decided again at once."""
    await check_form_origin(request, form_token=csrf_token)
    if not reason.strip():
        raise InvalidRequestError("Say why the fact is wrong.", field="reason")
    typed = read_value(path, value)

    def act() -> None:
        with session_scope(engine) as session:
            correct_fact(
                session=session,
                case_id=case_id,
                path=path,
                value=typed,
                reason=reason.strip(),
                quote=quote_text.strip() or None,
                user=user,
                settings=settings,
                policy=policy,
            )

    await run_in_threadpool(act)
    done = quote("Corrected; the case was decided again.")
    return RedirectResponse(f"/cases/{case_id}?done={done}#decision", status_code=303)
