"""Writing audit events: each one hashed over its content and the hashes before it.

Two chains run through the same rows: the case's own (``case_seq``, ``prev_case_hash``)
and the global one (``id`` order, ``prev_hash``). Writers are serialised before they read
the last event, so the chain never forks: a transaction-scoped advisory lock on
PostgreSQL, the write lock (``BEGIN IMMEDIATE``) on SQLite. Without it, SQLite's driver
reads outside any transaction until the first write, and two writers read the same last
event. The lock is held until the caller commits, so ``id`` order is chain order.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime
from typing import Any, cast

from sqlalchemy import text
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.models import utcnow

# Any constant works; it only has to be the same for every writer.
_CHAIN_LOCK = 0x7A0D17


def lock_writers(session: Session) -> None:
    """Make the caller's transaction the only writer of audit events and outbox rows until it ends.

    Assumes READ COMMITTED on PostgreSQL (the default): each statement after the lock sees
    what the previous holder committed.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    sqlite_write_lock(session)


def sqlite_write_lock(session: Session) -> None:
    """On SQLite, hold the database's write lock from now until the transaction ends.

    A no-op on other databases. SQLite's driver opens a transaction only at the first
    write, so without this a read-then-write can act on what another writer has changed.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = cast("sqlite3.Connection", connection.connection.dbapi_connection)
    if not driver.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        # The driver opens a transaction for a write, which holds the lock already; a
        # SAVEPOINT opens one without it. A write of nothing takes the lock now (waiting for
        # it), so what follows reads the latest rows and its insert cannot hit a stale snapshot.
        connection.exec_driver_sql("UPDATE audit_events SET id = id WHERE 0")


def canonical(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same content always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _moment(value: datetime) -> str:
    # SQLite gives back naive datetimes, PostgreSQL aware ones: hash the UTC wall time.
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


def event_hash(event: AuditEvent) -> str:
    """The hash of an event's content and of the events before it in both chains."""
    content = {
        "case_id": event.case_id,
        "case_seq": event.case_seq,
        "kind": event.kind,
        "actor": event.actor,
        "data": json.loads(event.data_json),
        "created_at": _moment(event.created_at),
        "prev_case_hash": event.prev_case_hash,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def record_event(
    *,
    session: Session,
    kind: str,
    case_id: str | None = None,
    actor: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event in the caller's transaction (it commits or rolls back with the change)."""
    lock_writers(session)
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    case_seq: int | None = None
    prev_case_hash: str | None = None
    if case_id is not None:
        last_of_case = session.exec(
            select(AuditEvent)
            .where(AuditEvent.case_id == case_id)
            .order_by(col(AuditEvent.case_seq).desc())
            .limit(1)
        ).first()
        case_seq = (last_of_case.case_seq or 0) + 1 if last_of_case else 1
        prev_case_hash = last_of_case.hash if last_of_case else None
    # Microseconds are all both databases keep.
    event = AuditEvent(
        case_id=case_id,
        case_seq=case_seq,
        kind=kind,
        actor=actor,
        data_json=canonical(data or {}),
        created_at=utcnow(),
        prev_case_hash=prev_case_hash,
        prev_hash=last.hash if last else None,
        hash="",
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    return event
