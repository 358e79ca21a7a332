"""Prometheus metrics: HTTP traffic by route template, jobs by state, and recorded events."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine
from sqlmodel import create_engine
from starlette.responses import PlainTextResponse

from app.db import session_scope
from app.jobs.store import create_job
from app.models import Case, JobStatus, utcnow
from app.observability import record_decision, record_job, record_refusal
from tests.app.ops.conftest import AppFactory

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: TestClient) -> Samples:
    """Every sample of ``/metrics`` by name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def sample(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def requests_seen(samples: Samples, route: str, status: int, method: str = "GET") -> float:
    return sample(
        samples, "triage_http_requests_total", method=method, route=route, status=str(status)
    )


def test_requests_are_counted_by_route_template_and_status(make_app: AppFactory) -> None:
    client = TestClient(make_app())
    client.get("/things/a")
    client.get("/things/b")
    client.get("/no/such/page")
    samples = scrape(client)
    route = "/things/{thing_id}"
    assert requests_seen(samples, route, 200) == 2
    assert requests_seen(samples, "unmatched", 404) == 1
    assert (
        sample(samples, "triage_http_request_duration_seconds_count", method="GET", route=route)
        == 2
    )
    # Raw paths never become labels.
    assert not any("/things/a" in str(key) for key in samples)


def test_an_unhandled_error_counts_as_500(make_app: AppFactory) -> None:
    client = TestClient(make_app(), raise_server_exceptions=False)
    assert client.get("/boom").status_code == 500
    samples = scrape(client)
    assert requests_seen(samples, "/boom", 500) == 1


def test_routes_of_included_routers_and_mounts_keep_their_full_template(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    router = APIRouter(prefix="/cases")

    @router.get("/{case_id}")
    def case(case_id: str) -> dict[str, str]:
        return {"id": case_id}

    app.include_router(router, prefix="/v1")
    sub = FastAPI()

    def named(name: str) -> PlainTextResponse:
        return PlainTextResponse(name)

    sub.add_api_route("/{name}", named)
    app.mount("/sub", sub)
    (tmp_path / "site.css").write_text("body {}")
    app.mount("/static", StaticFiles(directory=tmp_path))
    client = TestClient(app)
    assert client.get("/v1/cases/c1").status_code == 200
    assert client.get("/sub/x").status_code == 200
    assert client.get("/static/site.css").status_code == 200
    assert client.get("/docs").status_code == 200
    samples = scrape(client)
    assert requests_seen(samples, "/v1/cases/{case_id}", 200) == 1
    assert requests_seen(samples, "/sub/{name}", 200) == 1
    assert requests_seen(samples, "/static/{path}", 200) == 1
    assert requests_seen(samples, "/docs", 200) == 1


def test_each_app_counts_its_own_requests(make_app: AppFactory) -> None:
    first, second = TestClient(make_app()), TestClient(make_app())
    first.get("/things/a")
    assert requests_seen(scrape(first), "/things/{thing_id}", 200) == 1
    assert requests_seen(scrape(second), "/things/{thing_id}", 200) == 0


def test_jobs_by_state_reflect_the_job_table(make_app: AppFactory, engine: Engine) -> None:
    client = TestClient(make_app())
    before = scrape(client)
    assert sample(before, "triage_jobs", state="queued") == 0
    assert sample(before, "triage_jobs_scrape_success") == 1
    with session_scope(engine) as session:
        for _ in range(3):
            case = Case(reference="ops")
            session.add(case)
            session.flush()
            create_job(session=session, case_id=case.id)
        failed = create_job(session=session, case_id=case.id)
        failed.status = JobStatus.FAILED
        failed.finished_at = utcnow() + timedelta(seconds=1)
    samples = scrape(client)
    assert sample(samples, "triage_jobs", state="queued") == 3
    assert sample(samples, "triage_jobs", state="failed") == 1
    # Every state is exported, the empty ones as 0, so a dashboard's series never vanish.
    for state in JobStatus:
        assert ("triage_jobs", (("state", state.value),)) in samples


def test_a_scrape_survives_a_database_that_does_not_answer(
    make_app: AppFactory, tmp_path: Path
) -> None:
    (tmp_path / "blocker").write_text("not a directory")
    dead = create_engine(f"sqlite:///{tmp_path / 'blocker' / 'x.db'}")
    samples = scrape(TestClient(make_app(engine=dead)))
    assert sample(samples, "triage_jobs_scrape_success") == 0
    assert not any(name == "triage_jobs" for name, _ in samples)
    dead.dispose()


def test_recorded_events_show_in_the_metrics(make_app: AppFactory) -> None:
    client = TestClient(make_app())
    before = scrape(client)
    record_job("done", 1.5)
    record_job("failed", 0.2)
    record_decision("enterprise")
    record_decision("enterprise")
    record_refusal("encrypted")
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert delta("triage_jobs_processed_total", outcome="done") == 1
    assert delta("triage_jobs_processed_total", outcome="failed") == 1
    assert delta("triage_job_duration_seconds_count", outcome="done") == 1
    assert delta("triage_job_duration_seconds_sum", outcome="done") == 1.5
    assert delta("triage_job_duration_seconds_bucket", outcome="done", le="1.0") == 0
    assert delta("triage_job_duration_seconds_bucket", outcome="done", le="2.5") == 1
    assert delta("triage_decisions_total", path="enterprise") == 2
    assert delta("triage_upload_refusals_total", code="encrypted") == 1
