"""Delivery to a real receiver on 127.0.0.1 that fails, hangs past the timeout, then accepts."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from app.events.cloudevents import CONTENT_TYPE
from app.events.delivery import OutboxDispatcher
from app.events.models import DeliveryState
from app.events.store import retry_event
from tests.app.events.conftest import Receiver, emit_events, fast_settings, outbox, wait_for

CASES = ["case-a", "case-b", "case-c", "case-d"]
TYPES = ["case.triaged", "approval.requested", "approval.decided", "case.ready_for_provisioning"]
# Every case's events written interleaved: a1 b1 c1 d1 a2 b2 ...
PLAN = [(case, kind) for kind in TYPES for case in CASES]


def all_settled(engine: Engine) -> bool:
    return all(row.state is not DeliveryState.PENDING for row in outbox(engine))


def test_every_event_arrives_once_in_order_per_case_through_a_bad_spell(
    engine: Engine,
    db_url: str,
    tmp_path: Path,
    receiver_factory: Callable[..., Receiver],
) -> None:
    fails, hangs = 12, 3

    def behaviour(number: int, event_id: str) -> str:
        if number < fails:
            return "fail"
        return "hang" if number < fails + hangs else "ok"

    receiver = receiver_factory(behaviour, hang_s=0.6)
    settings = fast_settings(db_url, tmp_path, receiver.url)
    events = emit_events(engine, PLAN)
    # Two workers deliver at once, as two processes would.
    workers = [
        OutboxDispatcher(engine=engine, settings=settings, name=f"delivery-{n}") for n in range(2)
    ]
    for worker in workers:
        worker.start()
    try:
        wait_for(lambda: all_settled(engine))
    finally:
        for worker in workers:
            worker.stop()

    rows = outbox(engine)
    assert {row.state for row in rows} == {DeliveryState.DELIVERED}
    # Every event was processed exactly once by the de-duplicating receiver ...
    assert Counter(receiver.processed) == Counter(e.id for e in events)
    # ... though the receiver saw some more than once: each hung request was sent again.
    answers = receiver.answers()
    assert (answers.count("fail"), answers.count("hang"), answers.count("bad-signature")) == (
        fails,
        hangs,
        0,
    )
    seen = Counter(d.event_id for d in receiver.deliveries if d.answer != "fail")
    hung = {d.event_id for d in receiver.deliveries if d.answer == "hang"}
    assert all(seen[event_id] >= 2 for event_id in hung)
    # In order per case: processed in the order written, and no event of a case arrived
    # before the one before it had been acknowledged.
    for case in CASES:
        written = [e.id for e in events if e.case_id == case]
        assert [i for i in receiver.processed if i in written] == written
        for earlier, later in itertools.pairwise(written):
            first_arrival = min(d.arrived for d in receiver.deliveries if d.event_id == later)
            assert first_arrival > receiver.acknowledged[earlier]
    # What went out: a signed structured CloudEvent.
    first = next(d for d in receiver.deliveries if d.event_id == events[0].id)
    assert first.headers["content-type"] == CONTENT_TYPE
    assert first.headers["webhook-id"] == events[0].id
    assert first.event == {
        "specversion": "1.0",
        "id": events[0].id,
        "source": "urn:onboarding-triage:test",
        "type": "com.onboarding-triage.case.triaged",
        "subject": "case-a",
        "time": first.event["time"],
        "datacontenttype": "application/json",
        "data": {"case": "case-a"},
    }
    retried = [row for row in rows if row.attempts > 1]
    assert retried
    assert all(
        row.last_error and row.last_error.startswith(("HTTP 500", "no answer within 0.3 s"))
        for row in retried
    )


def test_a_case_that_keeps_failing_does_not_hold_back_other_cases(
    engine: Engine,
    db_url: str,
    tmp_path: Path,
    receiver_factory: Callable[..., Receiver],
) -> None:
    stuck: set[str] = set()
    receiver = receiver_factory(lambda _, event_id: "fail" if event_id in stuck else "ok")
    settings = fast_settings(db_url, tmp_path, receiver.url)
    events = emit_events(
        engine,
        [
            ("stuck", "case.triaged"),
            ("fine", "case.triaged"),
            ("stuck", "approval.requested"),
            ("fine", "approval.requested"),
            ("fine", "approval.decided"),
        ],
    )
    stuck.update(e.id for e in events if e.case_id == "stuck")
    worker = OutboxDispatcher(engine=engine, settings=settings)
    worker.start()
    try:
        wait_for(lambda: receiver.processed == [e.id for e in events if e.case_id == "fine"])
        wait_for(lambda: outbox(engine)[0].attempts >= 3)
    finally:
        worker.stop()
    first_stuck, second_stuck = (e.id for e in events if e.case_id == "stuck")
    arrived = {d.event_id for d in receiver.deliveries}
    assert first_stuck in arrived
    # The case's second event waits behind its first, which is still being retried.
    assert second_stuck not in arrived
    assert outbox(engine)[0].state is DeliveryState.PENDING


def test_a_dead_event_lets_its_case_go_on_and_can_be_retried(
    engine: Engine,
    db_url: str,
    tmp_path: Path,
    receiver_factory: Callable[..., Receiver],
) -> None:
    refused: set[str] = set()
    receiver = receiver_factory(lambda _, event_id: "fail" if event_id in refused else "ok")
    settings = fast_settings(db_url, tmp_path, receiver.url, webhook_max_attempts=3)
    a1, b1, a2 = emit_events(
        engine, [("a", "case.triaged"), ("b", "case.triaged"), ("a", "approval.requested")]
    )
    refused.add(a1.id)
    worker = OutboxDispatcher(engine=engine, settings=settings)
    worker.start()
    try:
        wait_for(lambda: all_settled(engine))
        dead = outbox(engine)[0]
        assert (dead.id, dead.state, dead.attempts) == (a1.id, DeliveryState.DEAD, 3)
        assert dead.last_error == "HTTP 500: receiver is down"
        # Exactly the attempts allowed, and a2 only after a1's last one.
        tries = [d for d in receiver.deliveries if d.event_id == a1.id]
        assert len(tries) == 3
        a2_arrival = next(d.arrived for d in receiver.deliveries if d.event_id == a2.id)
        assert a2_arrival > tries[-1].arrived
        assert receiver.processed == [b1.id, a2.id]

        refused.clear()
        with Session(engine) as session:
            retry_event(session=session, event_id=a1.id)
            session.commit()
        wait_for(lambda: all_settled(engine))
    finally:
        worker.stop()
    assert outbox(engine)[0].state is DeliveryState.DELIVERED
    assert receiver.processed == [b1.id, a2.id, a1.id]


def test_without_a_url_events_wait_in_the_outbox(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    settings = fast_settings(db_url, tmp_path, None)
    emit_events(engine, [("a", "case.triaged")])
    worker = OutboxDispatcher(engine=engine, settings=settings)
    worker.start()
    assert not worker.alive()
    worker.stop()
    row = outbox(engine)[0]
    assert (row.state, row.attempts) == (DeliveryState.PENDING, 0)
    assert json.loads(row.data_json) == {"case": "a"}
