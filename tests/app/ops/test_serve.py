"""``triage serve``: what it starts uvicorn with, what it prints, what it hides."""

from __future__ import annotations

import gc
import signal
from collections.abc import Iterator
from typing import Any

import pytest
import typer
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import serve_cmd
from app.settings import Settings


@pytest.fixture
def keep_sigterm_handler() -> Iterator[None]:
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)


def command() -> typer.Typer:
    app = typer.Typer()
    app.command()(serve_cmd.serve)
    return app


@pytest.mark.usefixtures("keep_sigterm_handler", "restore_logging")
def test_serve_runs_the_app_factory_with_a_grace_period(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append((a, k)))
    monkeypatch.setenv("TRIAGE_LOG_FORMAT", "json")
    result = CliRunner().invoke(command(), ["--port", "9123", "--shutdown-timeout", "7"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:9123/docs" in result.output
    assert "jobs: local" in result.output
    (args, kwargs) = calls[0]
    assert args == ("app.cli.serve_cmd:create_served_app",)
    assert kwargs["factory"] is True
    assert kwargs["port"] == 9123
    assert kwargs["timeout_graceful_shutdown"] == 7
    assert kwargs["access_log"] is False
    formatter = kwargs["log_config"]["formatters"]["default"]
    assert formatter == {"()": "app.logs.JsonFormatter"}


@pytest.mark.usefixtures("keep_sigterm_handler")
def test_serve_refuses_an_unknown_log_level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("started"))
    monkeypatch.setenv("TRIAGE_LOG_LEVEL", "loud")
    result = CliRunner().invoke(command(), [])
    assert result.exit_code == 2
    assert "log_level" in result.output


def test_the_served_app_freezes_the_heap_once_started_and_answers_as_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What is loaded by startup is left out of full collections; requests are unchanged."""
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    app = serve_cmd.create_served_app()
    assert frozen == []
    with TestClient(app) as client:
        # Frozen after the app's own startup, which loaded the policy.
        assert frozen == [True]
        assert app.state.policy is not None
        assert client.get("/healthz").status_code == 200
        assert client.get("/v1/cases").status_code == 401
    assert frozen == [True]


def test_the_startup_line_hides_passwords() -> None:
    settings = Settings(
        database_url="postgresql+psycopg://triage:s3cret@db.internal:5432/triage",
        job_backend="celery",
        broker_url="redis://:hunter2@redis.internal:6379/0",
    )
    line = serve_cmd.describe_backends(settings)
    assert "s3cret" not in line and "hunter2" not in line
    assert "postgresql+psycopg://triage:***@db.internal:5432/triage" in line
    assert "Celery on redis://:***@redis.internal:6379/0" in line


def test_the_docs_url_is_one_a_browser_here_can_open() -> None:
    assert serve_cmd.base_url("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert serve_cmd.base_url("::1", 8000) == "http://[::1]:8000"
    assert serve_cmd.base_url("example.internal", 80) == "http://example.internal:80"
