"""The KPI dashboard: cycle time, first-pass and automation rates, exceptions, approval
turnaround, over a chosen period, as charts with their tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.deps import SessionDep
from app.views.kpis import compute_kpis, period_start
from app.web.charts import bars
from app.web.page_route import PageRoute
from app.web.security import PageUser
from app.web.templating import duration, path_words, render, role_words

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PERIOD_WORDS = {"7d": "7 days", "30d": "30 days", "90d": "90 days", "all": "All time"}


@router.get("/dashboard")
async def dashboard(
    request: Request,
    user: PageUser,
    session: SessionDep,
    period: Literal["7d", "30d", "90d", "all"] = "30d",
) -> Response:
    """The figures of the chosen period."""
    del user
    now = datetime.now(UTC)
    kpis = await run_in_threadpool(
        lambda: compute_kpis(session=session, since=period_start(period, now), until=now)
    )
    turnaround = [r for r in kpis.approvals if r.turnaround.median_s is not None]
    return render(
        request,
        "dashboard.html",
        title="Dashboard",
        nav="dashboard",
        kpis=kpis,
        period=period,
        periods=PERIOD_WORDS,
        category_bars=bars(
            [
                (name, float(count), str(count))
                for name, count in kpis.exceptions_by_category.items()
            ]
        ),
        stage_bars=bars(
            [(name, float(count), str(count)) for name, count in kpis.exceptions_by_stage.items()]
        ),
        path_bars=bars([(path_words(p), float(n), str(n)) for p, n in sorted(kpis.paths.items())]),
        turnaround_bars=bars(
            [
                (role_words(r.role), r.turnaround.median_s or 0.0, duration(r.turnaround.median_s))
                for r in turnaround
            ]
        ),
        day_bars=bars([(d.day.isoformat(), float(d.received), str(d.received)) for d in kpis.days]),
    )
