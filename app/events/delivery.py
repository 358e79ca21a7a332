"""Delivering the outbox: signed CloudEvents POSTed at least once, in order per case.

The loop takes one event at a time: the oldest pending event that is due and has no
earlier pending event of its case. So a case's events go out in the order they were
written, one at a time, while other cases' events proceed around a case whose receiver
keeps failing. Claiming an event spends an attempt and leases it (``next_attempt_at``
moves past the longest a POST can take), in a short transaction: ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL, so several workers never take the same event; SQLite's write
lock, so one process claims at a time. The POST runs outside any transaction.

- A 2xx answer: ``delivered``.
- A failure, a timeout or any other status: retried after ``backoff * 2^(n-1)`` seconds
  (capped); after ``webhook_max_attempts`` attempts the event is ``dead`` and later
  events of its case proceed (a dead event never holds its case back for ever). An admin
  can requeue it (``POST /v1/events/{id}/retry``): it then goes out before the case's
  events still pending, but after those already delivered.
- A worker that dies mid-POST leaves its lease to run out; the event is then sent again.
  That, and a 2xx lost on the way back, is why a receiver may see an event twice and must
  de-duplicate by its id (the ``webhook-id`` header, the CloudEvent ``id``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import httpx
from sqlalchemy import ColumnElement, Engine, and_, exists, update
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from app.audit.chain import sqlite_write_lock
from app.db import session_scope
from app.events.cloudevents import CONTENT_TYPE, cloud_event, encode
from app.events.models import DeliveryState, OutboxEvent
from app.events.signing import signature_headers
from app.models import utcnow
from app.settings import Settings

log = logging.getLogger(__name__)

# A POST's timeout applies to each of connect, write and read: a lease covers them all.
LEASE_MARGIN_S = 10.0
# Enough of a refusing receiver's answer to say why, in the API and the logs.
ERROR_BODY_CHARS = 300
USER_AGENT = "onboarding-triage-webhooks/1"


@dataclass(frozen=True)
class Claim:
    """An event taken for one delivery attempt (``attempt`` counts from 1)."""

    seq: int
    event_id: str
    type: str
    case_id: str | None
    data_json: str
    created_at: datetime
    attempt: int


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    DEAD = "dead"


@dataclass(frozen=True)
class Attempt:
    """What one delivery attempt did."""

    event_id: str
    case_id: str | None
    attempt: int
    outcome: Outcome
    error: str | None = None


def lease_s(settings: Settings) -> float:
    """How long a claimed event is left to its worker before another may send it."""
    return settings.webhook_timeout_s * 4 + LEASE_MARGIN_S


def backoff_s(*, attempt: int, settings: Settings) -> float:
    """The wait after failed attempt ``attempt`` (1, 2, ...): base * 2^(attempt-1), capped."""
    return float(
        min(settings.webhook_backoff_s * 2 ** (attempt - 1), settings.webhook_backoff_max_s)
    )


def _deliverable(now: datetime) -> ColumnElement[bool]:
    """Pending, due, and the first of its case still pending."""
    earlier = aliased(OutboxEvent)
    held_back = exists().where(
        col(earlier.case_id) == col(OutboxEvent.case_id),
        col(earlier.state) == DeliveryState.PENDING,
        col(earlier.seq) < col(OutboxEvent.seq),
    )
    return and_(
        col(OutboxEvent.state) == DeliveryState.PENDING,
        col(OutboxEvent.next_attempt_at) <= now,
        ~held_back,
    )


def claim_next(*, engine: Engine, settings: Settings) -> Claim | None:
    """Take the next deliverable event for one attempt, or None when none is due."""
    now = utcnow()
    with session_scope(engine) as session:
        sqlite_write_lock(session)
        statement = (
            select(OutboxEvent).where(_deliverable(now)).order_by(col(OutboxEvent.seq)).limit(1)
        )
        if engine.dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True, of=OutboxEvent)
        event = session.exec(statement).first()
        if event is None:
            return None
        event.attempts += 1
        event.next_attempt_at = now + timedelta(seconds=lease_s(settings))
        session.add(event)
        assert event.seq is not None  # a stored row
        return Claim(
            seq=event.seq,
            event_id=event.id,
            type=event.type,
            case_id=event.case_id,
            data_json=event.data_json,
            created_at=event.created_at,
            attempt=event.attempts,
        )


def post(claim: Claim, *, client: httpx.Client, settings: Settings) -> str | None:
    """POST the claimed event, signed; None when the receiver took it (2xx), else why not."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        return "no webhook URL or secret is configured"
    body = encode(
        cloud_event(
            event_id=claim.event_id,
            outbox_type=claim.type,
            case_id=claim.case_id,
            created_at=claim.created_at,
            data_json=claim.data_json,
            source=settings.webhook_source,
        )
    )
    headers = {
        "content-type": CONTENT_TYPE,
        **signature_headers(
            secret=settings.webhook_secret.get_secret_value(),
            webhook_id=claim.event_id,
            body=body,
        ),
    }
    try:
        with client.stream("POST", settings.webhook_url, content=body, headers=headers) as answer:
            if answer.is_success:
                return None
            # Only the start of the answer: a receiver's error page may be large.
            start = next(answer.iter_bytes(), b"")[:ERROR_BODY_CHARS]
            said = start.decode("utf-8", "replace").strip()
            return f"HTTP {answer.status_code}" + (f": {said}" if said else "")
    except httpx.TimeoutException:
        return f"no answer within {settings.webhook_timeout_s:g} s"
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"


def record_delivered(*, engine: Engine, claim: Claim) -> None:
    """Mark the event delivered (whichever worker's attempt it was that got through)."""
    with session_scope(engine) as session:
        session.exec(
            update(OutboxEvent)
            .where(
                col(OutboxEvent.seq) == claim.seq,
                col(OutboxEvent.state) == DeliveryState.PENDING,
            )
            .values(state=DeliveryState.DELIVERED, delivered_at=utcnow())
        )


def record_failure(*, engine: Engine, claim: Claim, error: str, settings: Settings) -> Outcome:
    """Schedule the next attempt, or mark the event dead after the last one.

    Only the attempt that holds the claim writes: a late answer to an attempt whose lease
    ran out (and was taken over) changes nothing.
    """
    dead = claim.attempt >= settings.webhook_max_attempts
    wait_s = 0.0 if dead else backoff_s(attempt=claim.attempt, settings=settings)
    now = utcnow()
    with session_scope(engine) as session:
        session.exec(
            update(OutboxEvent)
            .where(
                col(OutboxEvent.seq) == claim.seq,
                col(OutboxEvent.state) == DeliveryState.PENDING,
                col(OutboxEvent.attempts) == claim.attempt,
            )
            .values(
                state=DeliveryState.DEAD if dead else DeliveryState.PENDING,
                next_attempt_at=now + timedelta(seconds=wait_s),
                last_error=error,
            )
        )
    return Outcome.DEAD if dead else Outcome.RETRY


def deliver_next(*, engine: Engine, settings: Settings, client: httpx.Client) -> Attempt | None:
    """Claim, POST and record one event; None when no event was due."""
    claim = claim_next(engine=engine, settings=settings)
    if claim is None:
        return None
    error = post(claim, client=client, settings=settings)
    if error is None:
        record_delivered(engine=engine, claim=claim)
        log.info("event %s (%s) delivered on attempt %d", claim.event_id, claim.type, claim.attempt)
        return Attempt(claim.event_id, claim.case_id, claim.attempt, Outcome.DELIVERED)
    outcome = record_failure(engine=engine, claim=claim, error=error, settings=settings)
    if outcome is Outcome.DEAD:
        log.error(
            "event %s (%s, case %s) is dead after %d attempts: %s",
            claim.event_id,
            claim.type,
            claim.case_id,
            claim.attempt,
            error,
        )
    else:
        log.warning(
            "event %s (%s, case %s) attempt %d failed: %s",
            claim.event_id,
            claim.type,
            claim.case_id,
            claim.attempt,
            error,
        )
    return Attempt(claim.event_id, claim.case_id, claim.attempt, outcome, error)


def webhook_client(settings: Settings) -> httpx.Client:
    """The HTTP client of a delivery loop: the webhook timeout, no redirects followed."""
    return httpx.Client(
        timeout=settings.webhook_timeout_s,
        follow_redirects=False,
        headers={"user-agent": USER_AGENT},
    )


class OutboxDispatcher:
    """Delivers the outbox in a daemon thread until stopped; idle when no URL is configured."""

    def __init__(self, *, engine: Engine, settings: Settings, name: str = "webhook-delivery"):
        self.engine, self.settings = engine, settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def enabled(self) -> bool:
        return self.settings.webhook_url is not None

    def start(self) -> None:
        """Begin delivering, if a webhook URL is configured (else events wait in the outbox)."""
        if not self.enabled:
            log.info("no webhook URL configured: events wait in the outbox")
            return
        self._thread.start()

    def stop(self, *, timeout_s: float = 10.0) -> None:
        """Stop after the POST under way, if any (its lease lets another worker resend it)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def alive(self) -> bool:
        """Whether the thread runs."""
        return self._thread.is_alive()

    def _run(self) -> None:
        with webhook_client(self.settings) as client:
            while not self._stop.is_set():
                try:
                    attempt = deliver_next(
                        engine=self.engine, settings=self.settings, client=client
                    )
                except Exception:  # the database is away: keep the thread, try again later
                    log.warning("webhook delivery error; retrying", exc_info=True)
                    attempt = None
                if attempt is None:
                    self._stop.wait(self.settings.webhook_poll_s)
