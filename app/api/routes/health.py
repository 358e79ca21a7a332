"""Liveness, readiness and metrics endpoints.

``/healthz`` says the process answers (no I/O, so a slow database never gets it
restarted); ``/readyz`` says whether it can do its work now — the database answers, the
job queue's transport is up, the rules engine decides — so a load balancer sends traffic
only to processes that can serve it; ``/metrics`` is for Prometheus.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import Engine, text

from app.deciding import decide_with_settings
from app.jobs.queue import JobQueue
from app.observability import render_metrics
from app.settings import Settings
from extractors.facts import FactRecord
from rules import CaseContext, Policy

log = logging.getLogger(__name__)
router = APIRouter(tags=["operations"])

PROBLEM_JSON = "application/problem+json"
# The same problem types as every other error of the API (app.api.problems).
PROBLEM_TYPE_PREFIX = "urn:onboarding-triage:problem:"

# Checks run in daemon threads (a driver stuck on a dead host must not hold up the
# process's exit); probes that find this many checks still stuck are refused at once.
_MAX_CHECKS_IN_FLIGHT = 8
_check_slots = threading.BoundedSemaphore(_MAX_CHECKS_IN_FLIGHT)


@dataclass(frozen=True)
class CheckResult:
    """How one dependency answered a readiness check."""

    name: str
    ok: bool
    latency_ms: float
    error: str | None = None
    detail: dict[str, str] | None = None

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "status": "ok" if self.ok else "failed",
            "latency_ms": self.latency_ms,
        }
        if self.error is not None:
            body["error"] = self.error
        if self.detail:
            body.update(self.detail)
        return body


def check_database(engine: Engine) -> dict[str, str]:
    """The database answers ``SELECT 1``."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1")).scalar_one()
    return {}


def check_queue(queue: JobQueue) -> dict[str, str]:
    """The job queue's transport answers (for Celery, the broker)."""
    if not queue.healthy():
        raise RuntimeError("the job queue reports that it is not healthy")
    return {}


def check_rules(policy: Policy, settings: Settings) -> dict[str, str]:
    """The rules engine decides an empty case with the policy the service loaded."""
    decision = decide_with_settings(
        FactRecord(), policy=policy, context=CaseContext(), settings=settings
    )
    # The reference evaluator may stand in for durable_rules: still ready, but say so.
    return {"engine": decision.engine, "policy_version": policy.version}


async def run_check(
    name: str, check: Callable[[], dict[str, str]], *, timeout_s: float
) -> CheckResult:
    """Run ``check`` in a thread of its own; an exception or overrun is a failed check."""
    start = time.perf_counter()
    error: str | None = None
    failure: Exception | None = None
    detail: dict[str, str] | None = None
    try:
        detail = await asyncio.wait_for(_in_thread(name, check), timeout_s)
    except TimeoutError:
        error = f"no answer within {timeout_s:g} s"
    except Exception as exc:
        error, failure = _one_line(exc), exc
    latency_ms = round((time.perf_counter() - start) * 1000, 1)
    if error is not None:
        log.warning("readiness check %s failed: %s", name, error, exc_info=failure)
    return CheckResult(
        name=name, ok=error is None, latency_ms=latency_ms, error=error, detail=detail
    )


def _in_thread(name: str, check: Callable[[], dict[str, str]]) -> asyncio.Future[dict[str, str]]:
    loop = asyncio.get_running_loop()
    future: asyncio.Future[dict[str, str]] = loop.create_future()
    if not _check_slots.acquire(blocking=False):
        future.set_exception(RuntimeError("earlier checks are still waiting for an answer"))
        return future

    def settle(result: dict[str, str] | None, error: BaseException | None) -> None:
        if future.done():  # the probe gave up waiting
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result or {})

    def work() -> None:
        try:
            result, error = check(), None
        except BaseException as exc:
            result, error = None, exc
        finally:
            _check_slots.release()
        with contextlib.suppress(RuntimeError):  # the event loop closed while the check ran
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=work, name=f"readiness-{name}", daemon=True).start()
    return future


def _one_line(error: BaseException) -> str:
    # Enough to point at the cause without echoing statements or connection strings.
    first = (str(error).strip().splitlines() or [""])[0][:200]
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def _checks(request: Request) -> dict[str, Callable[[], dict[str, str]]]:
    state = request.app.state
    engine = getattr(state, "engine", None)
    queue = getattr(state, "queue", None)
    policy = getattr(state, "policy", None)
    settings = getattr(state, "settings", None)

    def missing(what: str) -> Callable[[], dict[str, str]]:
        def fail() -> dict[str, str]:
            raise RuntimeError(f"the app has no {what} yet (still starting?)")

        return fail

    checks: dict[str, Callable[[], dict[str, str]]] = {
        "database": (lambda: check_database(engine)) if engine is not None else missing("engine"),
        "queue": (lambda: check_queue(queue)) if queue is not None else missing("job queue"),
    }
    if policy is not None and settings is not None:
        checks["rules"] = lambda: check_rules(policy, settings)
    else:
        checks["rules"] = missing("policy")
    return checks


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={
        200: {"description": "Every dependency answers; each check with its latency."},
        503: {
            "description": "A dependency does not answer (problem+json, code not_ready).",
            "content": {PROBLEM_JSON: {}},
        },
    },
)
async def readyz(request: Request) -> JSONResponse:
    """Whether the database, the job queue and the rules engine answer now."""
    timeout_s = request.app.state.settings.readiness_timeout_s
    results = await asyncio.gather(
        *(run_check(name, check, timeout_s=timeout_s) for name, check in _checks(request).items())
    )
    checks = {result.name: result.as_json() for result in results}
    failed = [result.name for result in results if not result.ok]
    if not failed:
        return JSONResponse({"status": "ready", "checks": checks})
    reasons = "; ".join(f"{r.name}: {r.error}" for r in results if not r.ok)
    return JSONResponse(
        {
            "type": PROBLEM_TYPE_PREFIX + "not_ready",
            "title": "The service is not ready",
            "status": 503,
            "detail": f"Not ready — {reasons}.",
            "code": "not_ready",
            "instance": request.url.path,
            "failed": failed,
            "checks": checks,
        },
        status_code=503,
        media_type=PROBLEM_JSON,
        headers={"Retry-After": "5"},
    )


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def metrics(request: Request) -> Response:
    """Prometheus metrics of this process (text exposition format)."""
    # A sync endpoint: counting jobs reads the database, so it runs in the thread pool.
    return Response(render_metrics(request.app), media_type=CONTENT_TYPE_LATEST)
