"""What waits for my role: each case's open approvals of the roles I hold, with the
clauses that triggered them, to approve or reject in place."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.deps import SessionDep
from app.approvals.models import OPEN_STATES, ApprovalRecord
from app.auth.models import User
from app.models import Case
from app.web.case_page import ApprovalAction, CasePage, citation_href, load_case_page
from app.web.page_route import PageRoute
from app.web.security import PageUser
from app.web.templating import approver_roles, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

# An approver's page lists this many cases; older ones follow as they are decided.
MAX_CASES = 50


@dataclass(frozen=True)
class WaitingCase:
    page: CasePage
    mine: list[ApprovalAction]


def waiting_for(*, session: Session, user: User) -> list[WaitingCase]:
    """Cases with an open approval of a role ``user`` holds, the longest waiting first."""
    roles = approver_roles(user)
    if not roles:
        return []
    records = session.exec(
        select(ApprovalRecord)
        .join(Case, col(Case.id) == col(ApprovalRecord.case_id))
        .where(col(ApprovalRecord.role).in_(roles), col(ApprovalRecord.state).in_(OPEN_STATES))
        .order_by(col(ApprovalRecord.requested_at))
    ).all()
    case_ids = list(dict.fromkeys(record.case_id for record in records))[:MAX_CASES]
    waiting = []
    for case_id in case_ids:
        page = load_case_page(session=session, case_id=case_id, user=user)
        mine = [
            action
            for action in page.approvals
            if action.approval.role in roles
            and action.approval.state is not None
            and action.approval.state in OPEN_STATES
        ]
        waiting.append(WaitingCase(page=page, mine=mine))
    return waiting


@router.get("/approvals")
async def my_approvals(request: Request, user: PageUser, session: SessionDep) -> Response:
    """The approver's page."""
    waiting = await run_in_threadpool(lambda: waiting_for(session=session, user=user))
    return render(
        request,
        "approvals.html",
        title="My approvals",
        nav="approvals",
        roles=approver_roles(user),
        waiting=waiting,
        cite_for=citation_href,
        flash=request.query_params.get("done"),
    )
