"""Liveness and readiness: what a load balancer and an orchestrator are told."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import create_engine

from app import deciding
from app.settings import Settings
from tests.app.ops.conftest import AppFactory


class FakeQueue:
    """A queue whose transport is up, down, or hangs, as a test says."""

    def __init__(self, *, healthy: bool = True, hang: threading.Event | None = None) -> None:
        self._healthy = healthy
        self._hang = hang

    def submit(self, job_id: str) -> None:
        return None

    def start(self) -> None:
        return None

    def stop(self, *, timeout_s: float = 30.0) -> None:
        return None

    def healthy(self) -> bool:
        if self._hang is not None:
            self._hang.wait(10)
        return self._healthy


@pytest.fixture
def hang() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # let the stuck check's thread finish


def test_healthz_answers_without_the_database(make_app: AppFactory, tmp_path: Path) -> None:
    dead = create_engine(f"sqlite:///{tmp_path / 'not-a-dir' / 'x' / 'triage.db'}")
    client = TestClient(make_app(engine=dead))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_each_check_with_its_latency(make_app: AppFactory) -> None:
    response = TestClient(make_app()).get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "queue", "rules"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert isinstance(check["latency_ms"], float) and check["latency_ms"] >= 0
    assert body["checks"]["rules"]["engine"] == "reference"


def test_readyz_decides_with_the_isolated_durable_engine_by_default(
    make_app: AppFactory, tmp_path: Path
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ops.db'}")
    assert settings.rules_engine == "durable" and settings.rules_isolation
    try:
        response = TestClient(make_app(settings=settings)).get("/readyz")
    finally:
        deciding.close_deciders()
    assert response.status_code == 200, response.text
    assert response.json()["checks"]["rules"]["engine"] == "durable"


def test_readyz_is_503_when_the_database_does_not_answer(
    make_app: AppFactory, tmp_path: Path
) -> None:
    # The parent of the database file is a file: SQLite cannot open it.
    (tmp_path / "blocker").write_text("not a directory")
    dead = create_engine(f"sqlite:///{tmp_path / 'blocker' / 'triage.db'}")
    response = TestClient(make_app(engine=dead)).get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "not_ready"
    assert body["type"] == "urn:onboarding-triage:problem:not_ready"
    assert response.headers["retry-after"] == "5"
    assert body["status"] == 503
    assert body["failed"] == ["database"]
    assert body["checks"]["database"]["status"] == "failed"
    assert "OperationalError" in body["checks"]["database"]["error"]
    assert body["checks"]["queue"]["status"] == "ok"
    assert body["checks"]["rules"]["status"] == "ok"
    assert "database" in body["detail"]
    dead.dispose()


def test_readyz_is_503_when_the_queue_reports_unhealthy(make_app: AppFactory) -> None:
    response = TestClient(make_app(queue=FakeQueue(healthy=False))).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["queue"]
    assert body["checks"]["queue"]["error"].startswith("RuntimeError")
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_gives_up_on_a_check_that_hangs(
    make_app: AppFactory, hang: threading.Event, settings: Settings
) -> None:
    impatient = settings.model_copy(update={"readiness_timeout_s": 0.2})
    response = TestClient(make_app(queue=FakeQueue(hang=hang), settings=impatient)).get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["queue"]
    assert body["checks"]["queue"]["error"] == "no answer within 0.2 s"
    assert body["checks"]["queue"]["latency_ms"] < 2000


def test_readyz_is_503_while_the_app_has_no_engine_yet(make_app: AppFactory) -> None:
    app = make_app()
    del app.state.engine
    body = TestClient(app).get("/readyz").json()
    assert body["failed"] == ["database"]
    assert "no engine" in body["checks"]["database"]["error"]
