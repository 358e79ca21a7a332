"""The queue: every case with its path, tier, the approvals it waits for and on whom."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.deps import SessionDep
from app.errors import InvalidRequestError
from app.models import CaseStatus
from app.web.page_route import PageRoute
from app.web.queue_view import QueueFilters, QueueSort, queue_page
from app.web.security import PageUser
from app.web.templating import render
from rules import OnboardingPath

router = APIRouter(route_class=PageRoute, include_in_schema=False)

E = TypeVar("E", bound=StrEnum)


def _choice(kind: type[E], value: str, field: str) -> E | None:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError as error:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidRequestError(f"{field} is one of {allowed}.", field=field) from error


def _tier(value: str) -> int | None:
    if not value:
        return None
    if value not in {"1", "2", "3", "4"}:
        raise InvalidRequestError("tier is 1, 2, 3 or 4.", field="tier")
    return int(value)


@router.get("/cases")
async def queue(
    *,
    request: Request,
    user: PageUser,
    session: SessionDep,
    mine: bool = False,
    waiting_on_me: bool = False,
    status: Annotated[str, Query(max_length=40)] = "",
    path: Annotated[str, Query(max_length=40)] = "",
    tier: Annotated[str, Query(max_length=2)] = "",
    search: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The queue, filtered; HTMX asks for the table alone when a filter changes.

    A form sends an unchosen filter as an empty value, which means "any".
    """
    filters = QueueFilters(
        mine=mine,
        waiting_on_me=waiting_on_me,
        status=_choice(CaseStatus, status, "status"),
        path=path_choice.value if (path_choice := _choice(OnboardingPath, path, "path")) else None,
        tier=_tier(tier),
        search=search.strip() if search and search.strip() else None,
        sort=_choice(QueueSort, sort, "sort") or QueueSort.NEWEST,
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
