"""Every governed change is told twice, in the transaction that makes it: once to the audit
trail (hash-chained, for people and auditors) and, when systems downstream care, once to
the outbox (delivered as a CloudEvent)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.approvals.calendar import as_utc
from app.approvals.models import ApprovalRecord
from app.audit.chain import record_event
from app.events.outbox import emit

# The actor of what the service does by itself (deciding in a worker, the approval clock).
SYSTEM_ACTOR = "system"


def iso(moment: datetime | None) -> str | None:
    """An ISO 8601 UTC timestamp, or None."""
    return as_utc(moment).isoformat() if moment is not None else None


def announce(
    *,
    session: Session,
    kind: str,
    case_id: str,
    actor: str | None,
    data: dict[str, Any],
    event_type: str | None = None,
) -> None:
    """Audit ``kind`` and, with ``event_type``, queue that outbound event with the same data."""
    record_event(session=session, kind=kind, case_id=case_id, actor=actor, data=data)
    if event_type is not None:
        emit(session=session, type=event_type, case_id=case_id, data={"case_id": case_id, **data})


def approval_data(record: ApprovalRecord, **extra: Any) -> dict[str, Any]:
    """What an approval event says about the approval."""
    return {
        "role": record.role,
        "state": record.state.value,
        "requested_at": iso(record.requested_at),
        "due_at": iso(record.due_at),
        **extra,
    }
