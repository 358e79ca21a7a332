"""Which event goes out next: the oldest due one with nothing earlier pending in its case."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, update
from sqlmodel import Session

from app.events.delivery import (
    Outcome,
    backoff_s,
    claim_next,
    record_delivered,
    record_failure,
)
from app.events.models import DeliveryState, OutboxEvent
from app.events.outbox import emit
from app.models import utcnow
from tests.app.events.conftest import emit_events, fast_settings, outbox


def test_a_case_goes_out_one_event_at_a_time_and_other_cases_proceed(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    settings = fast_settings(db_url, tmp_path, None)
    a1, b1, a2 = emit_events(
        engine, [("a", "case.triaged"), ("b", "case.triaged"), ("a", "approval.requested")]
    )
    first = claim_next(engine=engine, settings=settings)
    second = claim_next(engine=engine, settings=settings)
    assert first is not None and second is not None
    assert (first.event_id, first.attempt, second.event_id) == (a1.id, 1, b1.id)
    # a2 waits while a1 is out (leased), though it is due.
    assert claim_next(engine=engine, settings=settings) is None
    record_delivered(engine=engine, claim=first)
    third = claim_next(engine=engine, settings=settings)
    assert third is not None and third.event_id == a2.id


def test_a_failed_event_waits_its_backoff_and_holds_its_case_back(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    settings = fast_settings(db_url, tmp_path, None, webhook_backoff_s=60)
    emit_events(engine, [("a", "case.triaged"), ("a", "approval.requested")])
    claim = claim_next(engine=engine, settings=settings)
    assert claim is not None
    outcome = record_failure(engine=engine, claim=claim, error="HTTP 500", settings=settings)
    assert outcome is Outcome.RETRY
    assert claim_next(engine=engine, settings=settings) is None
    row = outbox(engine)[0]
    assert (row.state, row.attempts, row.last_error) == (DeliveryState.PENDING, 1, "HTTP 500")


def test_a_dead_event_lets_the_rest_of_its_case_proceed(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    settings = fast_settings(db_url, tmp_path, None, webhook_max_attempts=2, webhook_backoff_s=0)
    a1, a2 = emit_events(engine, [("a", "case.triaged"), ("a", "approval.requested")])
    outcomes = []
    for _ in range(2):
        claim = claim_next(engine=engine, settings=settings)
        assert claim is not None and claim.event_id == a1.id
        outcomes.append(record_failure(engine=engine, claim=claim, error="x", settings=settings))
    assert outcomes == [Outcome.RETRY, Outcome.DEAD]
    assert outbox(engine)[0].state is DeliveryState.DEAD
    after = claim_next(engine=engine, settings=settings)
    assert after is not None and after.event_id == a2.id


def test_a_late_answer_to_a_taken_over_attempt_changes_nothing(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    settings = fast_settings(db_url, tmp_path, None)
    emit_events(engine, [("a", "case.triaged")])
    stale = claim_next(engine=engine, settings=settings)
    assert stale is not None
    # Its lease runs out (the worker hung), and another worker takes the event.
    with Session(engine) as session:
        session.exec(update(OutboxEvent).values(next_attempt_at=utcnow()))
        session.commit()
    current = claim_next(engine=engine, settings=settings)
    assert current is not None and current.attempt == 2
    record_failure(engine=engine, claim=stale, error="late", settings=settings)
    row = outbox(engine)[0]
    assert (row.attempts, row.last_error) == (2, None)
    record_delivered(engine=engine, claim=current)
    assert outbox(engine)[0].state is DeliveryState.DELIVERED


def test_backoff_doubles_up_to_its_cap(db_url: str, tmp_path: Path) -> None:
    settings = fast_settings(db_url, tmp_path, None, webhook_backoff_s=5, webhook_backoff_max_s=60)
    assert [backoff_s(attempt=n, settings=settings) for n in range(1, 7)] == [
        5,
        10,
        20,
        40,
        60,
        60,
    ]


def test_workers_claiming_at_once_never_take_the_same_event(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    settings = fast_settings(db_url, tmp_path, None)
    events = emit_events(engine, [(f"case-{n}", "case.triaged") for n in range(40)])
    claimed: list[str] = []
    start = threading.Barrier(4)

    def work() -> None:
        start.wait()
        while (claim := claim_next(engine=engine, settings=settings)) is not None:
            claimed.append(claim.event_id)

    workers = [threading.Thread(target=work) for _ in range(4)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(60)
    assert Counter(claimed) == Counter(e.id for e in events)


def test_a_cases_events_are_numbered_in_commit_order(engine: Engine) -> None:
    """A second writer waits for the first, so it can never commit an earlier seq later."""
    emitted, release = threading.Event(), threading.Event()

    def first() -> None:
        with Session(engine) as session:
            emit(session=session, type="approval.decided", case_id="a", data={"n": 1})
            emitted.set()
            release.wait(10)
            session.commit()

    def second() -> None:
        with Session(engine) as session:
            emit(session=session, type="approval.decided", case_id="a", data={"n": 2})
            session.commit()

    holder = threading.Thread(target=first)
    holder.start()
    assert emitted.wait(10)
    waiter = threading.Thread(target=second)
    waiter.start()
    waiter.join(0.5)
    assert waiter.is_alive(), "the second writer did not wait for the first to commit"
    release.set()
    holder.join(10)
    waiter.join(10)
    rows = outbox(engine)
    assert [row.data_json for row in rows] == ['{"n":1}', '{"n":2}']
