"""The HTTP API: ``create_app`` builds it, versioned under ``/v1``, with OpenAPI docs at ``/docs``.

Start-up opens the database (migrated), loads and validates the policy, and starts the job
queue; shutdown stops the queue, letting claimed jobs finish or go back to the table.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from app.api.deps import Authorized
from app.api.openapi import install_openapi
from app.api.problems import install_problem_handlers
from app.api.routes import (
    approvals,
    audit,
    cases,
    corrections,
    documents,
    events,
    health,
    jobs,
    kpis,
    recommendations,
    sessions,
)
from app.api.routes import rules as policy_rules
from app.api.schemas import API_PREFIX, RecommendationRequest
from app.db import get_engine
from app.deciding import close_deciders
from app.jobs.queue import JobQueue, make_job_queue
from app.observability import install_observability
from app.settings import Settings, get_settings
from app.web.router import install_web
from rules import Policy, load_policy

QueueFactory = Callable[..., JobQueue]
"""Builds the job queue: called as ``factory(engine=, settings=, policy=)``."""

DESCRIPTION = (
    "Triage of a new SaaS customer's contract bundle: upload the documents, poll the case, "
    "read the onboarding path, the approvals and why. Errors are RFC 9457 problems with a "
    "stable `code`; every POST honours an `Idempotency-Key`."
)


def api_router() -> APIRouter:
    """Every versioned resource under ``/v1``, each request checked against the permissions."""
    router = APIRouter(prefix=API_PREFIX, dependencies=[Authorized])
    for module in (
        cases,
        documents,
        jobs,
        recommendations,
        policy_rules,
        sessions,
        audit,
        events,
        approvals,
        corrections,
        kpis,
    ):
        router.include_router(module.router)
    return router


def create_app(
    settings: Settings | None = None, *, queue_factory: QueueFactory | None = None
) -> FastAPI:
    """The service's FastAPI app; ``queue_factory`` (default ``make_job_queue``) runs the jobs."""
    settings = settings or get_settings()
    make_queue = queue_factory or make_job_queue

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine: Engine = await run_in_threadpool(get_engine, settings.database_url)
        policy: Policy = await run_in_threadpool(load_policy, settings.rules_dir)
        queue = make_queue(engine=engine, settings=settings, policy=policy)
        app.state.engine, app.state.policy, app.state.queue = engine, policy, queue
        queue.start()
        try:
            yield
        finally:
            await run_in_threadpool(queue.stop)
            # The rules engine's worker process goes with the app, not at interpreter exit,
            # which a signal can skip.
            await run_in_threadpool(close_deciders)
            # Pooled connections go now; the engine reconnects if the process goes on using it.
            engine.dispose()

    app = FastAPI(
        title="Onboarding triage",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(api_router())
    install_web(app)
    install_observability(app)
    install_openapi(app, models=[RecommendationRequest])
    return app
