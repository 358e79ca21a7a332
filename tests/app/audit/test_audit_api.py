"""``GET /v1/cases/{case_id}/audit``: the case's events in order, with the case chain checked."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.audit.chain import record_event
from app.auth.models import Role
from app.models import Case
from app.settings import Settings
from tests.app.api.conftest import RecordingQueue, api_client, bearer, engine_of, issue_test_token


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=db_url, data_dir=tmp_path / "data")
    with api_client(settings, RecordingQueue) as test_client:
        yield test_client


def a_case_with_events(client: TestClient) -> str:
    """A case with four events, another case's event between them."""
    with Session(engine_of(client)) as session:
        case = Case(reference="Harbor Foods")
        session.add(case)
        session.commit()
        case_id = case.id
    for kind, case_of in [
        ("case.decided", case_id),
        ("approval.requested", case_id),
        ("case.decided", "someone-else"),
        ("approval.granted", case_id),
        ("case.ready_for_provisioning", case_id),
    ]:
        with Session(engine_of(client)) as session:
            record_event(session=session, kind=kind, case_id=case_of, actor="u1", data={"k": kind})
            session.commit()
    return case_id


def test_a_case_trail_is_listed_in_order_and_verified(client: TestClient) -> None:
    case_id = a_case_with_events(client)
    answer = client.get(f"/v1/cases/{case_id}/audit")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["case_id"], body["verified"], body["breaks"]) == (case_id, True, [])
    events = body["events"]
    assert [e["kind"] for e in events] == [
        "case.decided",
        "approval.requested",
        "approval.granted",
        "case.ready_for_provisioning",
    ]
    assert [e["case_seq"] for e in events] == [1, 2, 3, 4]
    assert events[0]["prev_case_hash"] is None
    assert all(b["prev_case_hash"] == a["hash"] for a, b in itertools.pairwise(events))
    # The global chain runs through the other case's event between the second and third.
    assert events[2]["prev_hash"] != events[1]["hash"]
    assert events[1]["data"] == {"k": "approval.requested"}
    assert events[1]["actor"] == "u1"


def test_a_tampered_case_trail_is_not_verified(client: TestClient) -> None:
    case_id = a_case_with_events(client)
    events = client.get(f"/v1/cases/{case_id}/audit").json()["events"]
    with engine_of(client).begin() as connection:
        connection.execute(
            text("UPDATE audit_events SET actor = 'someone else' WHERE id = :id"),
            {"id": events[2]["id"]},
        )
    body = client.get(f"/v1/cases/{case_id}/audit").json()
    assert body["verified"] is False
    assert [(b["event_id"], b["case_seq"], b["kind"]) for b in body["breaks"]] == [
        (events[2]["id"], 3, "edited")
    ]


def test_every_role_may_read_a_trail_and_nobody_without_a_token(client: TestClient) -> None:
    case_id = a_case_with_events(client)
    path = f"/v1/cases/{case_id}/audit"
    legal = bearer(
        issue_test_token(engine_of(client), email="legal@example.com", roles=(Role.LEGAL,))
    )
    assert client.get(path, headers=legal).status_code == 200
    client.headers.pop("Authorization")
    assert client.get(path).status_code == 401


def test_an_unknown_case_has_no_trail(client: TestClient) -> None:
    answer = client.get("/v1/cases/nope/audit")
    assert answer.status_code == 404
    assert answer.json()["code"] == "case_not_found"
