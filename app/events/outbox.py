"""Writing outbound events: rows of the outbox, in the transaction of the change itself.

An event is sent only if the change it announces was committed, and is never lost if the
process dies after the commit: the delivery loop reads the table, not memory.

Writers are serialised (the audit chain's lock), so ``seq`` order is commit order: a
delivery loop that sees a case's event has already seen every earlier one of that case.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.audit.chain import canonical, lock_writers
from app.events.models import OutboxEvent

EVENT_TYPES = frozenset(
    {
        "case.triaged",
        "approval.requested",
        "approval.decided",
        "approval.reset",
        "approval.reminder",
        "approval.overdue",
        "case.ready_for_provisioning",
    }
)


def emit(*, session: Session, type: str, case_id: str | None, data: dict[str, Any]) -> OutboxEvent:
    """Queue event ``type`` about ``case_id`` for delivery, in the caller's transaction."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    # Without the lock two transactions could commit a case's events out of ``seq`` order,
    # and the later one could be delivered before the earlier was visible.
    lock_writers(session)
    event = OutboxEvent(type=type, case_id=case_id, data_json=canonical(data))
    session.add(event)
    session.flush()
    return event
