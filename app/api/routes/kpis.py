"""``/v1/kpis``: the operations figures of a period, as the dashboard shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import SessionDep
from app.api.openapi import problem_responses
from app.errors import InvalidRequestError
from app.views.kpis import Kpis, compute_kpis, period_start

router = APIRouter(prefix="/kpis", tags=["kpis"])


@router.get("", response_model=Kpis, responses=problem_responses(422))
def read_kpis(
    session: SessionDep,
    period: Annotated[
        str, Query(pattern="^(7d|30d|90d|all)$", description="7d, 30d, 90d or all.")
    ] = "30d",
    since: Annotated[datetime | None, Query(description="Instead of a period: from.")] = None,
    until: Annotated[datetime | None, Query(description="Up to (default: now).")] = None,
) -> Kpis:
    """Cycle time, first-pass and automation rates, exceptions by category and stage, and
    approval turnaround by role, for the cases uploaded in the period."""
    now = datetime.now(UTC)
    end = until or now
    start = since or period_start(period, now)
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidRequestError("Give since and until with a time zone (e.g. ...Z).")
    if start >= end:
        raise InvalidRequestError("since must be before until.", field="since")
    return compute_kpis(session=session, since=start, until=end)
