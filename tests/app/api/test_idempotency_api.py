"""Idempotency-Key: a retried POST replays its first answer; another request with it is refused."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from hashlib import sha256

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.api import idempotency
from app.api.idempotency import (
    ABANDONED_AFTER,
    Claimed,
    InFlight,
    StoredAnswer,
    caller_scope,
    claim_key,
    release_key,
    request_fingerprint,
    store_answer,
)
from app.api.main import create_app
from app.api.routes.cases import CREATE_SCOPE
from app.models import IdempotencyRecord, utcnow
from app.settings import Settings
from app.uploads import FilePart, MultipartForm
from tests.app.api.conftest import (
    MSA_TEXT,
    SOW_TEXT,
    SlowQueue,
    api_client,
    auth_headers,
    count_cases,
    engine_of,
    failing_queue,
    running_server,
    submitted_jobs,
    text_file,
    user_id,
)


def test_the_same_key_twice_gives_the_same_case_once(queued_client: TestClient) -> None:
    client = queued_client
    headers = {"Idempotency-Key": "crm-deal-0061x"}
    form = {"reference": "Harbor", "metadata": json.dumps({"crm": "0061x"})}
    first = client.post("/v1/cases", files=[text_file()], data=form, headers=headers)
    # The retry's multipart boundary differs; its content does not.
    again = client.post("/v1/cases", files=[text_file()], data=form, headers=headers)
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert count_cases(client) == 1
    assert submitted_jobs(client) == [first.json()["job_id"]]


def test_the_same_key_with_another_request_is_refused(queued_client: TestClient) -> None:
    client = queued_client
    headers = {"Idempotency-Key": "k-1"}
    assert client.post("/v1/cases", files=[text_file()], headers=headers).status_code == 202
    for other in (
        {"files": [text_file(SOW_TEXT)]},  # other bytes
        {"files": [text_file(name="other.txt")]},  # another name
        {"files": [text_file()], "data": {"reference": "x"}},  # another field
    ):
        response = client.post("/v1/cases", headers=headers, **other)
        assert response.status_code == 422
        assert response.json()["code"] == "idempotency_key_reused"
    assert count_cases(client) == 1
    # The key is scoped by method and route: on another endpoint it is another key.
    case_id = client.get("/v1/cases").json()["items"][0]["id"]
    added = client.post(
        f"/v1/cases/{case_id}/documents", files=[text_file(SOW_TEXT)], headers=headers
    )
    assert added.status_code == 202


def test_a_client_error_is_kept_for_the_key_and_a_server_error_is_not(
    queued_client: TestClient, settings: Settings
) -> None:
    client = queued_client
    headers = {"Idempotency-Key": "refused-once"}
    refused = client.post(
        "/v1/cases", files=[("files", ("e.pdf", b"", "application/pdf"))], headers=headers
    )
    assert refused.status_code == 422 and refused.json()["code"] == "empty_file"
    replay = client.post(
        "/v1/cases", files=[("files", ("e.pdf", b"", "application/pdf"))], headers=headers
    )
    assert replay.status_code == 422
    assert replay.json() == refused.json()
    assert replay.headers["content-type"] == "application/problem+json"
    assert replay.headers["idempotent-replayed"] == "true"
    assert count_cases(client) == 0


def test_a_crashed_request_frees_its_key(settings: Settings) -> None:
    with api_client(settings, failing_queue, raise_server_exceptions=False) as client:
        headers = {"Idempotency-Key": "crash"}
        response = client.post("/v1/cases", files=[text_file()], headers=headers)
        assert response.status_code == 500
        assert response.json()["code"] == "internal_error"
        with Session(engine_of(client)) as session:
            assert session.exec(select(IdempotencyRecord)).all() == []


def test_an_invalid_key_is_refused(queued_client: TestClient) -> None:
    for key in ("x" * 201, "with space", ""):
        response = queued_client.post(
            "/v1/cases",
            files=[text_file()],
            headers={"Idempotency-Key": key},
        )
        assert response.status_code == 422, key
        assert response.json()["code"] == "invalid_request"
    assert count_cases(queued_client) == 0


def test_two_concurrent_requests_with_one_key_make_one_case(settings: Settings) -> None:
    """Over a real server: the second waits for the first and replays its answer."""
    app = create_app(settings, queue_factory=SlowQueue)
    barrier = threading.Barrier(2)
    answers: list[httpx.Response] = []
    headers = auth_headers(settings)

    with running_server(app) as base:

        def post() -> None:
            barrier.wait()
            with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
                answers.append(
                    http.post(
                        "/v1/cases",
                        files=[text_file()],
                        data={"reference": "Harbor"},
                        headers={"Idempotency-Key": "concurrent"},
                    )
                )

        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        with httpx.Client(base_url=base, headers=headers) as http:
            listed = http.get("/v1/cases").json()["items"]

    assert [r.status_code for r in answers] == [202, 202]
    assert answers[0].json()["case_id"] == answers[1].json()["case_id"]
    assert sorted(r.headers.get("idempotent-replayed", "no") for r in answers) == ["no", "true"]
    assert len(listed) == 1


def test_a_key_is_held_released_answered_and_replayed(queued_client: TestClient) -> None:
    engine = engine_of(queued_client)
    claim = claim_key(engine=engine, scope="POST /x", key="k", request_hash="h")
    assert isinstance(claim, Claimed)
    assert isinstance(
        claim_key(engine=engine, scope="POST /x", key="k", request_hash="h"), InFlight
    )
    # Released (its request failed): the key is free again.
    release_key(engine=engine, record_id=claim.record_id)
    again = claim_key(engine=engine, scope="POST /x", key="k", request_hash="h")
    assert isinstance(again, Claimed)
    answer = StoredAnswer(status=201, body=b"{}", headers=[("content-type", "application/json")])
    store_answer(engine=engine, record_id=again.record_id, answer=answer)
    assert claim_key(engine=engine, scope="POST /x", key="k", request_hash="h") == answer


def test_an_abandoned_key_is_taken_over(queued_client: TestClient) -> None:
    engine = engine_of(queued_client)
    claim = claim_key(engine=engine, scope="POST /x", key="old", request_hash="h")
    assert isinstance(claim, Claimed)
    with Session(engine) as session:
        session.exec(
            update(IdempotencyRecord)
            .where(col(IdempotencyRecord.id) == claim.record_id)
            .values(created_at=utcnow() - ABANDONED_AFTER - timedelta(minutes=1))
        )
        session.commit()
    assert claim_key(engine=engine, scope="POST /x", key="old", request_hash="h") == claim
    assert isinstance(
        claim_key(engine=engine, scope="POST /x", key="old", request_hash="h"), InFlight
    )


def test_a_duplicate_of_a_request_still_running_gets_409_after_waiting(
    queued_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = queued_client
    form = MultipartForm(
        files=[FilePart("files", "msa.txt", "text/plain", MSA_TEXT, sha256(MSA_TEXT).hexdigest())],
        fields=[],
    )
    # The same request as below, claimed by another process that has not answered yet.
    request_hash = request_fingerprint(path="/v1/cases", query="", content=form.fingerprint())
    claim = claim_key(
        engine=engine_of(client),
        scope=caller_scope(CREATE_SCOPE, user_id(client)),
        key="held",
        request_hash=request_hash,
    )
    assert isinstance(claim, Claimed)
    monkeypatch.setattr(idempotency, "WAIT_FOR_FIRST_S", 0.3)
    response = client.post("/v1/cases", files=[text_file()], headers={"Idempotency-Key": "held"})
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_progress"
    assert count_cases(client) == 0
