"""Reading the outbox and requeueing dead events: keyword-only functions over a session."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.errors import NotFoundError, TriageError
from app.events.models import DeliveryState, OutboxEvent
from app.models import utcnow


class EventNotFoundError(NotFoundError):
    code = "event_not_found"
    title = "No such event"


class EventAlreadyDeliveredError(TriageError):
    code = "event_delivered"
    status = 409
    title = "The event was delivered already"


def get_event(*, session: Session, event_id: str) -> OutboxEvent:
    """The outbox row of CloudEvent ``event_id``, or EventNotFoundError."""
    event = session.exec(select(OutboxEvent).where(OutboxEvent.id == event_id)).first()
    if event is None:
        raise EventNotFoundError(f"There is no event with id {event_id!r}.", event_id=event_id)
    return event


def list_events(
    *,
    session: Session,
    state: DeliveryState | None = None,
    case_id: str | None = None,
    after: int | None = None,
    limit: int = 100,
) -> list[OutboxEvent]:
    """Events in the order they were written, after position ``after`` (a ``seq``)."""
    statement = select(OutboxEvent)
    if state is not None:
        statement = statement.where(OutboxEvent.state == state)
    if case_id is not None:
        statement = statement.where(OutboxEvent.case_id == case_id)
    if after is not None:
        statement = statement.where(col(OutboxEvent.seq) > after)
    return list(session.exec(statement.order_by(col(OutboxEvent.seq)).limit(limit)).all())


def retry_event(*, session: Session, event_id: str) -> OutboxEvent:
    """Requeue a dead event with a fresh set of attempts; a pending one is left as it is.

    It goes out before the later events of its case that are still pending; those of its
    case delivered while it was dead stay delivered (they arrived before it).
    """
    event = get_event(session=session, event_id=event_id)
    if event.state is DeliveryState.DELIVERED:
        raise EventAlreadyDeliveredError(
            f"Event {event_id} was delivered at {event.delivered_at}; it is not sent again.",
            event_id=event_id,
        )
    if event.state is DeliveryState.DEAD:
        event.state = DeliveryState.PENDING
        event.attempts = 0
        event.next_attempt_at = utcnow()
        session.add(event)
        session.flush()
    return event
