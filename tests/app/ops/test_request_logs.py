"""Request ids in and out, and JSON log lines that carry them."""

from __future__ import annotations

import io
import json
import logging
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.logs import JsonFormatter, configure_logging, request_id_bound
from tests.app.ops.conftest import AppFactory


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_callers_request_id_is_echoed(make_app: AppFactory) -> None:
    response = TestClient(make_app()).get("/things/a", headers={"X-Request-ID": "crm-42.abc"})
    assert response.headers["X-Request-ID"] == "crm-42.abc"


def test_a_request_id_is_made_when_none_is_sent(make_app: AppFactory) -> None:
    client = TestClient(make_app())
    first, second = client.get("/things/a"), client.get("/things/a")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_an_unsafe_request_id_is_replaced(make_app: AppFactory) -> None:
    sent = 'x" injected=1 ' + "y" * 200
    response = TestClient(make_app()).get("/things/a", headers={"X-Request-ID": sent})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_log_lines_are_json_with_the_request_id(
    make_app: AppFactory, json_log: io.StringIO
) -> None:
    TestClient(make_app()).get("/things/a", headers={"X-Request-ID": "req-1"})
    records = lines(json_log)
    app_line = next(r for r in records if r["logger"] == "tests.ops")
    assert app_line["message"] == "looked at thing a"
    assert app_line["request_id"] == "req-1"
    assert app_line["level"] == "INFO"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", app_line["timestamp"])
    access = [r for r in records if r["logger"] == "app.access"]
    assert len(access) == 1
    assert access[0]["request_id"] == "req-1"
    assert access[0]["method"] == "GET"
    assert access[0]["path"] == "/things/a"
    assert access[0]["route"] == "/things/{thing_id}"
    assert access[0]["status"] == 200
    assert isinstance(access[0]["duration_ms"], float)


def test_an_unhandled_error_is_logged_with_its_traceback_and_request_id(
    make_app: AppFactory, json_log: io.StringIO
) -> None:
    client = TestClient(make_app(), raise_server_exceptions=False)
    client.get("/boom", headers={"X-Request-ID": "req-boom"})
    access = next(r for r in lines(json_log) if r["logger"] == "app.access")
    assert access["level"] == "ERROR"
    assert access["status"] == 500
    assert access["request_id"] == "req-boom"
    assert "RuntimeError: kaboom" in access["exception"]


def test_probes_are_logged_at_debug_level(make_app: AppFactory, json_log: io.StringIO) -> None:
    TestClient(make_app()).get("/healthz")
    assert not [r for r in lines(json_log) if r["logger"] == "app.access"]


def test_outside_a_request_a_line_has_no_request_id() -> None:
    formatter = JsonFormatter()
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "plain %s", ("line",), None)
    line = json.loads(formatter.format(record))
    assert line["message"] == "plain line" and "request_id" not in line
    with request_id_bound("job-7"):
        assert json.loads(formatter.format(record))["request_id"] == "job-7"


@pytest.mark.usefixtures("restore_logging")
def test_configure_logging_reads_level_and_format_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRIAGE_LOG_LEVEL", "warning")
    monkeypatch.setenv("TRIAGE_LOG_FORMAT", "json")
    configure_logging()
    logger = logging.getLogger("tests.ops.configured")
    logger.info("dropped")
    with request_id_bound("r-9"):
        logger.warning("kept")
    written = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["message"], line["request_id"]) for line in written] == [("kept", "r-9")]

    monkeypatch.setenv("TRIAGE_LOG_FORMAT", "text")
    configure_logging(level="INFO")
    logger.info("as text")
    err = capsys.readouterr().err
    assert "INFO tests.ops.configured [-] as text" in err


@pytest.mark.usefixtures("restore_logging")
def test_configure_logging_refuses_unknown_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_LOG_LEVEL", "chatty")
    with pytest.raises(ValueError, match="log_level"):
        configure_logging()
    monkeypatch.setenv("TRIAGE_LOG_LEVEL", "INFO")
    monkeypatch.setenv("TRIAGE_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="log_format"):
        configure_logging()
