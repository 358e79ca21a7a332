"""Operations: Prometheus metrics, request ids and one access-log line per request.

Two kinds of metrics, on registries of our own (never prometheus_client's global one):

- per app (``ServiceMetrics``, on ``app.state.metrics``): HTTP requests and their latency,
  and the jobs by state, read from the job table at scrape time;
- per process (``EVENTS``): what the jobs and the pipeline report through ``record_job``,
  ``record_decision`` and ``record_refusal``, wherever they run in this process.

Each API process (and each uvicorn worker) has its own figures; Prometheus scrapes each.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.datastructures import MutableHeaders
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.jobs.store import count_by_status
from app.logs import REQUEST_ID_HEADER, accept_request_id, request_id_bound
from app.models import JobStatus

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger(__name__)
access_log = logging.getLogger("app.access")

# Probes and scrapes come every few seconds; their access lines are debug-level noise.
PROBE_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
UNMATCHED_ROUTE = "unmatched"
# Any token is a method to the HTTP server; a label takes only these (the rest are OTHER).
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
JOB_STATES = tuple(status.value for status in JobStatus)
# A scrape must not hang on a database that does not answer.
JOB_COUNT_TIMEOUT_S = 2.0

_JOB_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)

EVENTS = CollectorRegistry(auto_describe=True)
JOB_DURATION = Histogram(
    "triage_job_duration_seconds",
    "Time from claiming a job to its outcome.",
    ["outcome"],
    buckets=_JOB_BUCKETS,
    registry=EVENTS,
)
JOBS_PROCESSED = Counter(
    "triage_jobs_processed", "Jobs run by this process, by outcome.", ["outcome"], registry=EVENTS
)
DECISIONS = Counter(
    "triage_decisions", "Cases decided, by onboarding path.", ["path"], registry=EVENTS
)
UPLOAD_REFUSALS = Counter(
    "triage_upload_refusals", "Uploads refused, by refusal code.", ["code"], registry=EVENTS
)


def record_job(outcome: str, seconds: float) -> None:
    """Count a job that ended with ``outcome`` (done, retry, failed, skipped) after ``seconds``."""
    outcome = str(outcome)
    JOBS_PROCESSED.labels(outcome=outcome).inc()
    JOB_DURATION.labels(outcome=outcome).observe(max(seconds, 0.0))


def record_decision(path: str) -> None:
    """Count a decided case by its onboarding path."""
    DECISIONS.labels(path=str(path)).inc()


def record_refusal(code: str) -> None:
    """Count an upload refused with ``code`` (unsupported_type, encrypted, too_large ...)."""
    UPLOAD_REFUSALS.labels(code=str(code)).inc()


class JobStateCollector(Collector):
    """``triage_jobs{state}``: jobs in the table by state, counted when Prometheus scrapes."""

    def __init__(self, engine_of: Callable[[], Engine | None]) -> None:
        self._engine_of = engine_of

    def describe(self) -> Iterable[Metric]:
        return list(self._families())

    def collect(self) -> Iterable[Metric]:
        jobs, success = self._families()
        engine = self._engine_of()
        counts = _count_jobs(engine) if engine is not None else None
        if counts is not None:
            for state in sorted({*JOB_STATES, *counts}):
                jobs.add_metric([state], counts.get(state, 0))
        success.add_metric([], 1 if counts is not None else 0)
        return [jobs, success]

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily("triage_jobs", "Jobs in the job table by state.", labels=["state"]),
            GaugeMetricFamily(
                "triage_jobs_scrape_success",
                "1 when the job table could be counted for this scrape, else 0.",
            ),
        )


def _count_jobs(engine: Engine) -> dict[str, int] | None:
    outcome: dict[str, Any] = {}

    def count() -> None:
        try:
            with Session(engine) as session:
                outcome["counts"] = count_by_status(session=session)
        except Exception as error:
            outcome["error"] = error

    # A daemon thread: one stuck on a dead database must not hold up the process's exit.
    worker = threading.Thread(target=count, name="metrics-job-count", daemon=True)
    worker.start()
    worker.join(JOB_COUNT_TIMEOUT_S)
    if "counts" in outcome:
        counts: dict[str, int] = outcome["counts"]
        return counts
    reason = outcome.get("error", f"no answer within {JOB_COUNT_TIMEOUT_S:g} s")
    log.warning("could not count jobs for metrics: %s", reason)
    return None


class _Forward(Collector):
    """Exposes another registry's metrics (the process-wide events) in an app's registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterable[Metric]:
        return self._registry.collect()


class ServiceMetrics:
    """One app's metrics registry: HTTP traffic, jobs by state, and the process's events."""

    def __init__(self, *, engine_of: Callable[[], Engine | None]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "triage_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "triage_http_request_duration_seconds",
            "HTTP request latency by method and route template.",
            ["method", "route"],
            registry=self.registry,
        )
        self.registry.register(JobStateCollector(engine_of))
        self.registry.register(_Forward(EVENTS))

    def observe_request(self, *, method: str, route: str, status: int, seconds: float) -> None:
        """Count one finished request."""
        self.requests.labels(method=method, route=route, status=str(status)).inc()
        self.latency.labels(method=method, route=route).observe(seconds)

    def render(self) -> bytes:
        """The registry in Prometheus text format."""
        return generate_latest(self.registry)


def route_template(app: ASGIApp, scope: Scope, *, root_path: str = "") -> str:
    """The route a request matched, as its template (``/cases/{case_id}``), or ``unmatched``.

    Templates, not paths, label the metrics: one series per route, whatever the ids.
    ``scope`` is the request's scope after routing; ``root_path`` is the one it came with.
    """
    template = _matched_template(scope)
    if scope.get("root_path", "") == root_path:
        if template is not None:
            return template
        if scope.get("endpoint") is None:
            return UNMATCHED_ROUTE
        # Plain Starlette routes (the docs pages) leave no route in the scope.
        outer = _outer_route(app, scope, root_path=root_path)
        return getattr(outer, "path_format", None) or UNMATCHED_ROUTE
    # Routing went through a mount (static files, a sub-application): its template, then
    # the mounted app's own route when it names one.
    outer = _outer_route(app, scope, root_path=root_path)
    if not isinstance(outer, Mount):
        return UNMATCHED_ROUTE
    return outer.path + (template or "/{path}")


def _matched_template(scope: Scope) -> str | None:
    # FastAPI keeps an included router's routes unprefixed and records the full template
    # of the route it chose here (an internal, hence read defensively).
    fastapi_scope = scope.get("fastapi")
    if isinstance(fastapi_scope, dict):
        template = getattr(fastapi_scope.get("effective_route_context"), "path_format", None)
        if isinstance(template, str):
            return template
    template = getattr(scope.get("route"), "path_format", None)
    return template if isinstance(template, str) else None


def _outer_route(app: ASGIApp, scope: Scope, *, root_path: str) -> BaseRoute | None:
    probe = {**scope, "root_path": root_path}
    for route in getattr(getattr(app, "router", None), "routes", []):
        if not isinstance(route, BaseRoute):
            continue
        try:
            match, _ = route.matches(probe)
        except Exception:  # noqa: S112 - a route that cannot match this scope is skipped
            continue
        if match is Match.FULL:
            return route
    return None


class RequestTelemetryMiddleware:
    """Request id in and out, one access-log line and the HTTP metrics for every request."""

    def __init__(self, app: ASGIApp, *, metrics: ServiceMetrics, root_app: FastAPI) -> None:
        self.app = app
        self.metrics = metrics
        self.root_app = root_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = _header(scope, REQUEST_ID_HEADER)
        method = scope["method"] if scope["method"] in HTTP_METHODS else "OTHER"
        path, root_path = scope["path"], scope.get("root_path", "")
        status = 500
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started, status = True, int(message["status"])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with request_id_bound(accept_request_id(header)) as request_id:
            start = time.perf_counter()
            error = False
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                # The server answers 500 for an error no handler took (unless a response began).
                error, status = True, status if started else 500
                raise
            finally:
                seconds = time.perf_counter() - start
                route = route_template(self.root_app, scope, root_path=root_path)
                self.metrics.observe_request(
                    method=method, route=route, status=status, seconds=seconds
                )
                _log_access(
                    method=method,
                    path=path,
                    route=route,
                    status=status,
                    seconds=seconds,
                    request_id=request_id,
                    error=error,
                )


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.lower().encode("latin-1")
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return bytes(value).decode("latin-1")
    return None


def _log_access(
    *,
    method: str,
    path: str,
    route: str,
    status: int,
    seconds: float,
    request_id: str,
    error: bool,
) -> None:
    duration_ms = round(seconds * 1000, 1)
    if error:
        level = logging.ERROR
    elif route in PROBE_ROUTES:
        level = logging.DEBUG
    elif status >= 500:
        level = logging.WARNING
    else:
        level = logging.INFO
    access_log.log(
        level,
        "%s %s %s %.1fms",
        method,
        path,
        status,
        duration_ms,
        exc_info=error,
        extra={
            "method": method,
            "path": path,
            "route": route,
            "status": status,
            "duration_ms": duration_ms,
            "request_id": request_id,
        },
    )


def install_observability(app: FastAPI) -> None:
    """Add request ids, access logs and metrics to ``app`` (its ``/metrics`` reads them)."""
    if isinstance(getattr(app.state, "metrics", None), ServiceMetrics):
        return
    metrics = ServiceMetrics(engine_of=lambda: getattr(app.state, "engine", None))
    app.state.metrics = metrics
    app.add_middleware(RequestTelemetryMiddleware, metrics=metrics, root_app=app)


def render_metrics(app: FastAPI) -> bytes:
    """``app``'s metrics in Prometheus text format (the process's events alone if not installed)."""
    metrics = getattr(app.state, "metrics", None)
    if isinstance(metrics, ServiceMetrics):
        return metrics.render()
    return generate_latest(EVENTS)
