"""``/v1/cases/{case_id}/corrections``: a person corrects a fact; the case is decided again."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from app.api.deps import (
    CurrentUser,
    EngineDep,
    IdempotencyKeyDep,
    PolicyDep,
    SessionDep,
    SettingsDep,
)
from app.api.idempotency import idempotent, json_content_digest, request_fingerprint
from app.api.openapi import problem_responses
from app.api.schemas import dump
from app.approvals.corrections import correct_fact
from app.approvals.records import case_approvals, case_corrections, people
from app.approvals.schemas import (
    CorrectionList,
    CorrectionPublic,
    CorrectionRequest,
    CorrectionResult,
    approvals_public,
)
from app.auth.models import User
from app.cases import get_case
from app.db import session_scope
from app.settings import Settings
from rules import Policy

router = APIRouter(prefix="/cases/{case_id}/corrections", tags=["corrections"])

CORRECT_SCOPE = "POST /v1/cases/{case_id}/corrections"


@router.get("", response_model=CorrectionList, responses=problem_responses(404))
def list_corrections(case_id: str, session: SessionDep) -> CorrectionList:
    """Every correction of the case, oldest first, with the decision before and after each."""
    get_case(session=session, case_id=case_id)
    corrections = case_corrections(session=session, case_id=case_id)
    names = people(session=session, user_ids=[c.user_id for c in corrections])
    return CorrectionList(
        case_id=case_id, items=[CorrectionPublic.of(c, people=names) for c in corrections]
    )


def _correct(
    *,
    engine: Engine,
    settings: Settings,
    policy: Policy,
    case_id: str,
    body: CorrectionRequest,
    user: User,
) -> CorrectionResult:
    with session_scope(engine) as session:
        corrected = correct_fact(
            session=session,
            case_id=case_id,
            path=body.path,
            value=body.value,
            reason=body.reason.strip(),
            quote=body.quote.strip() if body.quote and body.quote.strip() else None,
            user=user,
            settings=settings,
            policy=policy,
        )
        case = get_case(session=session, case_id=case_id)
        records = case_approvals(session=session, case_id=case_id)
        names = people(session=session, user_ids=[user.id, *(r.decided_by for r in records)])
        return CorrectionResult(
            correction=CorrectionPublic.of(corrected.correction, people=names),
            case_status=case.status,
            approvals=approvals_public(records, corrected.after, names),
        )


@router.post(
    "",
    status_code=201,
    response_model=CorrectionResult,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def correct(
    *,
    case_id: str,
    body: CorrectionRequest,
    request: Request,
    user: CurrentUser,
    engine: EngineDep,
    settings: SettingsDep,
    policy: PolicyDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Response:
    """Correct one fact (a value of its type, a reason, optionally the quote that shows it).

    The case is decided again at once with every correction over its documents' facts.
    An approval the documents ask for is not dropped by a correction until a person
    holding its role confirms (``confirm_removal``); until then it is flagged
    ``removal_pending_confirmation``.
    """
    raw = await request.body()

    async def produce() -> Response:
        result = await run_in_threadpool(
            lambda: _correct(
                engine=engine,
                settings=settings,
                policy=policy,
                case_id=case_id,
                body=body,
                user=user,
            )
        )
        return JSONResponse(dump(result), status_code=201)

    return await idempotent(
        engine=engine,
        scope=CORRECT_SCOPE,
        caller=user.id,
        key=idempotency_key,
        request_hash=request_fingerprint(
            path=request.url.path, query=request.url.query, content=json_content_digest(raw)
        ),
        instance=request.url.path,
        produce=produce,
    )
