"""The queue: every case with its path, tier, the approvals it waits for and on whom."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.deps import SessionDep
from app.models import CaseStatus
from app.web.page_route import PageRoute
from app.web.queue_view import QueueFilters, QueueSort, queue_page
from app.web.security import PageUser
from app.web.templating import render
from rules import OnboardingPath

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/cases")
async def queue(
    *,
    request: Request,
    user: PageUser,
    session: SessionDep,
    mine: bool = False,
    waiting_on_me: bool = False,
    status: CaseStatus | None = None,
    path: OnboardingPath | None = None,
    tier: Annotated[int | None, Query(ge=1, le=4)] = None,
    search: Annotated[str | None, Query(max_length=200)] = None,
    sort: QueueSort = QueueSort.NEWEST,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The queue, filtered; HTMX asks for the table alone when a filter changes."""
    filters = QueueFilters(
        mine=mine,
        waiting_on_me=waiting_on_me,
        status=status,
        path=path.value if path else None,
        tier=tier,
        search=search.strip() if search and search.strip() else None,
        sort=sort,
        page=page,
    )
    result = await run_in_threadpool(
        lambda: queue_page(session=session, user=user, filters=filters)
    )
    partial = request.headers.get("hx-target") == "queue-table"
    return render(
        request,
        "partials/queue_table.html" if partial else "queue.html",
        title="Queue",
        nav="queue",
        queue=result,
        statuses=list(CaseStatus),
        paths=[p.value for p in OnboardingPath],
        sorts=list(QueueSort),
    )
