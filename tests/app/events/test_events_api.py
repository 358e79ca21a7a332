"""``/v1/events`` (admin): dead letters visible and requeued, through the app's own worker pool."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.models import Role
from app.events.outbox import emit
from app.jobs.queue import make_job_queue
from tests.app.api.conftest import api_client, bearer, engine_of, issue_test_token
from tests.app.events.conftest import Receiver, fast_settings, wait_for


def states(client: TestClient, **query: str) -> dict[str, str]:
    answer = client.get("/v1/events", params=query)
    assert answer.status_code == 200, answer.text
    return {item["id"]: item["state"] for item in answer.json()["items"]}


def test_a_dead_event_is_listed_and_delivered_again_on_retry(
    db_url: str, tmp_path: Path, receiver_factory: Callable[..., Receiver]
) -> None:
    refused: set[str] = set()
    receiver = receiver_factory(lambda _, event_id: "fail" if event_id in refused else "ok")
    settings = fast_settings(db_url, tmp_path, receiver.url, webhook_max_attempts=3)
    # The app's own worker pool delivers: no dispatcher is started by the test.
    with api_client(settings, make_job_queue) as client:
        ids: list[str] = []
        for case_id, kind in [
            ("a", "case.triaged"),
            ("b", "case.triaged"),
            ("a", "approval.requested"),
        ]:
            with Session(engine_of(client)) as session:
                event = emit(session=session, type=kind, case_id=case_id, data={"case": case_id})
                if not ids:
                    refused.add(event.id)
                ids.append(event.id)
                session.commit()
        a1, b1, a2 = ids
        wait_for(lambda: states(client, state="pending") == {})

        dead = client.get("/v1/events", params={"state": "dead"}).json()["items"]
        assert [(e["id"], e["attempts"], e["last_error"]) for e in dead] == [
            (a1, 3, "HTTP 500: receiver is down")
        ]
        assert dead[0]["cloudevent_type"] == "com.onboarding-triage.case.triaged"
        assert dead[0]["next_attempt_at"] is None
        assert states(client, state="delivered") == {b1: "delivered", a2: "delivered"}
        assert receiver.processed == [b1, a2]

        refused.clear()
        retried = client.post(f"/v1/events/{a1}/retry", headers={"Idempotency-Key": "r-1"})
        assert retried.status_code == 200, retried.text
        assert (retried.json()["state"], retried.json()["attempts"]) == ("pending", 0)
        wait_for(lambda: states(client, case_id="a") == {a1: "delivered", a2: "delivered"})
        assert receiver.processed == [b1, a2, a1]
        # The same key replays the first answer; a fresh request is refused: it was delivered.
        replay = client.post(f"/v1/events/{a1}/retry", headers={"Idempotency-Key": "r-1"})
        assert replay.json() == retried.json()
        again = client.post(f"/v1/events/{a1}/retry")
        assert (again.status_code, again.json()["code"]) == (409, "event_delivered")


def test_events_are_paged_filtered_and_for_admins_only(db_url: str, tmp_path: Path) -> None:
    settings = fast_settings(db_url, tmp_path, None)
    with api_client(settings, make_job_queue) as client:
        with Session(engine_of(client)) as session:
            for case_id in ("a", "b", "a"):
                emit(session=session, type="case.triaged", case_id=case_id, data={})
            session.commit()
        first = client.get("/v1/events", params={"limit": 2}).json()
        assert [item["case_id"] for item in first["items"]] == ["a", "b"]
        rest = client.get("/v1/events", params={"limit": 2, "after": first["next_after"]}).json()
        assert ([item["case_id"] for item in rest["items"]], rest["next_after"]) == (["a"], None)
        # Without a URL nothing is sent: every event waits.
        assert set(states(client, case_id="a").values()) == {"pending"}
        assert client.get("/v1/events", params={"state": "lost"}).status_code == 422

        missing = client.post("/v1/events/nope/retry")
        assert (missing.status_code, missing.json()["code"]) == (404, "event_not_found")
        csm = bearer(
            issue_test_token(engine_of(client), email="csm@example.com", roles=(Role.CSM,))
        )
        assert client.get("/v1/events", headers=csm).status_code == 403
        assert client.post("/v1/events/nope/retry", headers=csm).status_code == 403
