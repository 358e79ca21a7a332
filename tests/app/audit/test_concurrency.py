"""Writers appending at once never fork either chain, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

from sqlalchemy import Engine
from sqlmodel import Session

from app.audit.chain import record_event
from app.audit.verify import verify_chain
from tests.app.audit.conftest import stored_events


def test_a_writer_waits_for_the_open_transaction_before_it(engine: Engine) -> None:
    recorded, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with Session(engine) as session:
            record_event(session=session, kind="approval.granted", case_id="case-x")
            recorded.set()
            release.wait(10)
            session.commit()

    def second() -> None:
        try:
            with Session(engine) as session:
                record_event(session=session, kind="approval.granted", case_id="case-x")
                session.commit()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    holder = threading.Thread(target=first)
    holder.start()
    assert recorded.wait(10)
    waiter = threading.Thread(target=second)
    waiter.start()
    waiter.join(0.5)
    # Reading the last event before the first writer commits would link to the wrong one.
    assert waiter.is_alive(), "the second writer read the chain while the first held it"
    release.set()
    holder.join(10)
    waiter.join(10)
    assert not errors
    one, two = stored_events(engine)
    assert (two.prev_hash, two.prev_case_hash, two.case_seq) == (one.hash, one.hash, 2)


def test_concurrent_appends_make_one_chain(engine: Engine) -> None:
    threads, per_thread = 6, 15
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def append(worker: int) -> None:
        start.wait()
        for index in range(per_thread):
            case_id = None if index % 4 == 3 else f"case-{index % 3}"
            try:
                with Session(engine) as session:
                    record_event(
                        session=session,
                        kind="state.changed",
                        case_id=case_id,
                        data={"worker": worker, "index": index},
                    )
                    session.commit()
            except BaseException as error:  # reported by the assertion below
                errors.append(error)

    workers = [threading.Thread(target=append, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(60)
    assert not errors
    with Session(engine) as session:
        report = verify_chain(session=session)
    assert report.ok, report.first
    assert (report.events, report.cases) == (threads * per_thread, 3)
    events = stored_events(engine)
    # One chain: every event but the first is the successor of exactly one other.
    assert len({e.prev_hash for e in events}) == len(events)


def test_a_writer_inside_a_savepoint_waits_too(engine: Engine) -> None:
    """SQLite opens a savepoint's transaction without the write lock; the writer takes it."""
    recorded, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with Session(engine) as session:
            record_event(session=session, kind="case.decided", case_id="case-x")
            recorded.set()
            release.wait(10)
            session.commit()

    def second() -> None:
        try:
            with Session(engine) as session, session.begin_nested():
                record_event(session=session, kind="case.decided", case_id="case-x")
                session.commit()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    holder = threading.Thread(target=first)
    holder.start()
    assert recorded.wait(10)
    waiter = threading.Thread(target=second)
    waiter.start()
    waiter.join(0.5)
    release.set()
    holder.join(10)
    waiter.join(10)
    assert not errors
    one, two = stored_events(engine)
    assert (two.prev_hash, two.case_seq) == (one.hash, 2)
