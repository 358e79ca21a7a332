"""Fixtures for the audit tests: a migrated engine, and a trail of events across cases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.audit.chain import record_event
from app.audit.models import AuditEvent
from app.db import create_db_engine, migrate


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


# (case, kind): three cases interleaved, and one event of no case.
TRAIL = [
    ("case-a", "case.received"),
    ("case-b", "case.received"),
    ("case-a", "case.decided"),
    (None, "policy.loaded"),
    ("case-a", "approval.requested"),
    ("case-c", "case.received"),
    ("case-b", "case.decided"),
    ("case-a", "approval.granted"),
    ("case-c", "case.decided"),
    ("case-a", "case.ready_for_provisioning"),
]


def write_trail(engine: Engine, trail: list[tuple[str | None, str]] = TRAIL) -> list[AuditEvent]:
    """The events of ``trail``, each in a transaction of its own, as stored (id order)."""
    for index, (case_id, kind) in enumerate(trail):
        with Session(engine) as session:
            record_event(
                session=session, kind=kind, case_id=case_id, actor="tester", data={"n": index}
            )
            session.commit()
    return stored_events(engine)


def stored_events(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all())
