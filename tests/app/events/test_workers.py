"""The outbox is delivered by the embedded worker pool and by each Celery worker, and stops too."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from celery.signals import worker_ready, worker_shutdown
from sqlalchemy import Engine

from app.events.models import DeliveryState
from app.jobs.celery_app import install_worker_hooks, make_celery_app
from app.jobs.local import LocalWorkerPool
from rules import load_policy
from tests.app.events.conftest import Receiver, emit_events, fast_settings, outbox, wait_for

# Nothing listens on port 1: the sweeper's broker calls fail fast, delivery does not need it.
DOWN_BROKER = "redis://127.0.0.1:1/0"


class FakeWorker:
    """What the worker signals are sent by: only its ``app`` is read."""

    def __init__(self, app: object) -> None:
        self.app = app


def delivery_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "webhook-delivery" and t.is_alive()]


def test_the_local_pool_delivers_and_stops_delivering_with_it(
    engine: Engine, db_url: str, tmp_path: Path, receiver_factory: Callable[..., Receiver]
) -> None:
    receiver = receiver_factory(lambda *_: "ok")
    settings = fast_settings(db_url, tmp_path, receiver.url)
    before = len(delivery_threads())
    pool = LocalWorkerPool(engine=engine, settings=settings, policy=load_policy())
    pool.start()
    try:
        events = emit_events(engine, [("a", "case.triaged"), ("a", "approval.requested")])
        wait_for(lambda: receiver.processed == [e.id for e in events])
        assert len(delivery_threads()) == before + 1
    finally:
        pool.stop(timeout_s=5)
    assert len(delivery_threads()) == before
    assert {row.state for row in outbox(engine)} == {DeliveryState.DELIVERED}


def test_a_celery_worker_delivers_from_its_main_process(
    engine: Engine, db_url: str, tmp_path: Path, receiver_factory: Callable[..., Receiver]
) -> None:
    receiver = receiver_factory(lambda *_: "ok")
    settings = fast_settings(db_url, tmp_path, receiver.url, broker_url=DOWN_BROKER)
    app = make_celery_app(settings)
    install_worker_hooks(app, settings=settings, queue="webhook-test")
    worker = FakeWorker(app)
    before = len(delivery_threads())
    worker_ready.send(sender=worker)
    try:
        events = emit_events(engine, [("a", "case.triaged")])
        wait_for(lambda: receiver.processed == [events[0].id])
        assert len(delivery_threads()) == before + 1
    finally:
        worker_shutdown.send(sender=worker)
    assert len(delivery_threads()) == before
