"""Fixtures for the event tests: a migrated engine, settings, and a real webhook receiver."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.db import create_db_engine, migrate
from app.events.models import OutboxEvent
from app.events.outbox import emit
from app.events.signing import SignatureError, verify_signature
from app.settings import Settings

SECRET = "whsec_" + "c2VjcmV0LWtleS1mb3ItdGhlLXRlc3QtcmVjZWl2ZXI="  # base64 of 30 bytes


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


def fast_settings(db_url: str, tmp_path: Path, url: str | None, **changes: Any) -> Settings:
    """Settings that retry within milliseconds, so a delivery test runs in seconds."""
    values: dict[str, Any] = {
        "database_url": db_url,
        "data_dir": tmp_path / "data",
        "webhook_url": url,
        "webhook_secret": SECRET,
        "webhook_source": "urn:onboarding-triage:test",
        "webhook_timeout_s": 0.3,
        "webhook_max_attempts": 50,
        "webhook_backoff_s": 0.01,
        "webhook_backoff_max_s": 0.1,
        "webhook_poll_s": 0.02,
    }
    return Settings(_env_file=None, **(values | changes))


def emit_events(engine: Engine, plan: list[tuple[str, str]]) -> list[OutboxEvent]:
    """One outbox row per (case, type), each in its own transaction, as stored."""
    for case_id, event_type in plan:
        with Session(engine) as session:
            emit(session=session, type=event_type, case_id=case_id, data={"case": case_id})
            session.commit()
    return outbox(engine)


def outbox(engine: Engine) -> list[OutboxEvent]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxEvent).order_by(col(OutboxEvent.seq))).all())


@dataclass
class Delivery:
    """One request the receiver got."""

    event_id: str
    subject: str | None
    arrived: float
    answer: str  # "fail", "hang", "ok", "duplicate", "bad-signature"
    event: dict[str, Any]
    headers: dict[str, str]


# What the receiver does with request number n (0-based) carrying event id e.
Behaviour = Callable[[int, str], str]


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1 that verifies signatures and de-duplicates by event id.

    ``behaviour`` says, per request, "fail" (500), "hang" (process, then answer after the
    client gave up) or "ok". Processing means: the first time an event id is seen, append
    it to ``processed``; later deliveries of it are duplicates, answered 200, not processed.
    """

    behaviour: Behaviour
    hang_s: float = 1.0
    url: str = ""
    deliveries: list[Delivery] = field(default_factory=list)
    processed: list[str] = field(default_factory=list)
    # When the receiver's acknowledgement (a 2xx the sender waited for) went out, per event.
    acknowledged: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        try:
            event_id = verify_signature(secret=SECRET, headers=headers, body=body)
        except SignatureError as error:
            self._note(Delivery("", None, time.monotonic(), "bad-signature", {}, headers))
            return 401, str(error).encode()
        event = json.loads(body)
        with self.lock:
            number = len(self.deliveries)
            answer = self.behaviour(number, event_id)
            delivery = Delivery(
                event_id, event.get("subject"), time.monotonic(), answer, event, headers
            )
            self.deliveries.append(delivery)
        if answer == "fail":
            return 500, b"receiver is down"
        if answer == "hang":
            time.sleep(self.hang_s)
        with self.lock:
            if event_id in self.processed:
                delivery.answer = "duplicate" if answer == "ok" else answer
            else:
                self.processed.append(event_id)
            if answer == "ok":
                self.acknowledged.setdefault(event_id, time.monotonic())
        return 200, b""

    def _note(self, delivery: Delivery) -> None:
        with self.lock:
            self.deliveries.append(delivery)

    def answers(self) -> list[str]:
        with self.lock:
            return [d.answer for d in self.deliveries]


@pytest.fixture
def receiver_factory() -> Iterator[Callable[..., Receiver]]:
    servers: list[ThreadingHTTPServer] = []

    def start(behaviour: Behaviour, **options: Any) -> Receiver:
        receiver = Receiver(behaviour, **options)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {name.lower(): value for name, value in self.headers.items()}
                status, answer = receiver.handle(headers, body)
                try:
                    self.send_response(status)
                    self.send_header("content-length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sender gave up waiting (a "hang"): nobody reads the answer

            def log_message(self, format: str, *args: Any) -> None:
                return None

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def wait_for(predicate: Callable[[], bool], *, timeout_s: float = 30.0) -> None:
    """Poll until ``predicate()`` holds, or fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"not reached within {timeout_s} s")
        time.sleep(0.02)
