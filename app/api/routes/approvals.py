"""``/v1/cases/{case_id}/approvals``: what each role's approval waits for, and deciding it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from app.api.deps import CurrentUser, EngineDep, IdempotencyKeyDep, SessionDep
from app.api.idempotency import idempotent, json_content_digest, request_fingerprint
from app.api.openapi import problem_responses
from app.api.schemas import dump
from app.approvals.lifecycle import decide_approval, removal_pending_roles
from app.approvals.records import case_approvals, people
from app.approvals.schemas import (
    ApprovalDecided,
    ApprovalDecisionRequest,
    ApprovalList,
    ApprovalPublic,
    approvals_public,
)
from app.auth.models import User
from app.cases import get_case
from app.db import session_scope
from rules import Decision

router = APIRouter(prefix="/cases/{case_id}/approvals", tags=["approvals"])

DECIDE_SCOPE = "POST /v1/cases/{case_id}/approvals/{role}"


@router.get("", response_model=ApprovalList, responses=problem_responses(404))
def list_approvals(case_id: str, session: SessionDep) -> ApprovalList:
    """Every approval of the case: state, due time, approver, comment, reset cause."""
    case = get_case(session=session, case_id=case_id)
    records = case_approvals(session=session, case_id=case_id)
    decision = Decision.model_validate_json(case.decision_json) if case.decision_json else None
    names = people(session=session, user_ids=[r.decided_by for r in records])
    return ApprovalList(
        case_id=case_id, case_status=case.status, items=approvals_public(records, decision, names)
    )


def _decide(
    engine: Engine, case_id: str, role: str, body: ApprovalDecisionRequest, user: User
) -> ApprovalDecided:
    with session_scope(engine) as session:
        record = decide_approval(
            session=session,
            case_id=case_id,
            role=role,
            action=body.decision,
            comment=body.comment,
            user=user,
        )
        case = get_case(session=session, case_id=case_id)
        decision = Decision.model_validate_json(case.decision_json) if case.decision_json else None
        names = people(session=session, user_ids=[record.decided_by])
        approval = ApprovalPublic.of(
            record,
            pending_removal=record.role in removal_pending_roles(decision, [record]),
            people=names,
        )
        return ApprovalDecided(case_id=case_id, case_status=case.status, approval=approval)


@router.post(
    "/{role}",
    response_model=ApprovalDecided,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide(
    *,
    case_id: str,
    role: str,
    body: ApprovalDecisionRequest,
    request: Request,
    user: CurrentUser,
    engine: EngineDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Response:
    """Grant or reject the case's approval for ``role`` (only a holder of that role who did
    not upload the case), or confirm that a correction removes it.

    Granting the last open approval makes the case ready for provisioning; a rejection
    sends it back with the comment. An approval that is not waiting is 409
    ``approval_not_open``.
    """
    raw = await request.body()

    async def produce() -> Response:
        decided = await run_in_threadpool(lambda: _decide(engine, case_id, role, body, user))
        return JSONResponse(dump(decided))

    return await idempotent(
        engine=engine,
        scope=DECIDE_SCOPE,
        caller=user.id,
        key=idempotency_key,
        request_hash=request_fingerprint(
            path=request.url.path, query=request.url.query, content=json_content_digest(raw)
        ),
        instance=request.url.path,
        produce=produce,
    )
