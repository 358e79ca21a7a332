"""Every error is an RFC 9457 problem with a stable code; no traceback ever reaches a caller."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.settings import Settings
from tests.app.api.conftest import api_client, failing_queue, text_file

PROBLEM_MEMBERS = {"type", "title", "status", "detail", "code", "instance"}


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_MEMBERS
    assert body["status"] == status and body["code"] == code
    assert body["type"] == f"urn:onboarding-triage:problem:{code}"
    return body


def test_unknown_route_is_404_not_found(queued_client: TestClient) -> None:
    body = _problem(queued_client.get("/v1/nothing-here"), 404, "not_found")
    assert body["instance"] == "/v1/nothing-here"


def test_wrong_method_is_405_with_allow(queued_client: TestClient) -> None:
    response = queued_client.delete("/v1/cases")
    _problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["allow"]


def test_request_validation_is_422_invalid_request_with_field_errors(
    queued_client: TestClient,
) -> None:
    body = _problem(
        queued_client.get("/v1/cases", params={"limit": "many"}), 422, "invalid_request"
    )
    assert body["errors"] == [
        {
            "loc": ["query", "limit"],
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "type": "int_parsing",
        }
    ]
    body = _problem(queued_client.get("/v1/cases/x/documents/one"), 422, "invalid_request")
    assert body["errors"][0]["loc"] == ["path", "document_id"]


def test_an_unexpected_error_is_a_logged_500_without_internals(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.ERROR, logger="app.api.problems"),
        api_client(settings, failing_queue) as client,
    ):
        response = client.post("/v1/cases", files=[text_file()])
    body = _problem(response, 500, "internal_error")
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert body["detail"] == "The server could not complete the request; the error has been logged."
    logged = [r for r in caplog.records if r.name == "app.api.problems"]
    assert logged and logged[0].exc_info is not None
    assert "hunter2" in str(logged[0].exc_info[1])


def test_the_openapi_docs_describe_every_endpoint(queued_client: TestClient) -> None:
    assert queued_client.get("/docs").status_code == 200
    spec = queued_client.get("/openapi.json").json()
    paths = spec["paths"]
    assert set(paths) >= {
        "/v1/cases",
        "/v1/cases/{case_id}",
        "/v1/cases/{case_id}/documents",
        "/v1/cases/{case_id}/documents/{document_id}",
        "/v1/jobs/{job_id}",
        "/v1/recommendations",
        "/v1/rules/replay",
    }
    upload = paths["/v1/cases"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert upload["schema"]["properties"]["files"]["type"] == "array"
    facts = paths["/v1/recommendations"]["post"]["requestBody"]["content"]["application/json"]
    name = facts["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "facts" in spec["components"]["schemas"][name]["properties"]
    assert "Problem" in spec["components"]["schemas"]
    assert "Idempotency-Key" in {p["name"] for p in paths["/v1/cases"]["post"]["parameters"]}
    assert "/healthz" in paths
