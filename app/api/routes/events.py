"""``/v1/events``: the outbound events, their delivery state, and requeueing dead ones (admin)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from app.api.deps import CurrentUser, EngineDep, IdempotencyKeyDep, SessionDep
from app.api.idempotency import idempotent, request_fingerprint
from app.api.openapi import problem_responses
from app.db import session_scope
from app.events.cloudevents import cloud_type
from app.events.models import DeliveryState, OutboxEvent
from app.events.store import list_events, retry_event

router = APIRouter(prefix="/events", tags=["events"])

RETRY_SCOPE = "POST /v1/events/{event_id}/retry"


class OutboxEventPublic(BaseModel):
    """An outbound event and how its delivery is going."""

    id: str = Field(description="The CloudEvent id (and webhook-id header) receivers de-dup by.")
    seq: int = Field(description="Its position in the outbox: a case's events go in this order.")
    type: str
    cloudevent_type: str = Field(description="The CloudEvent `type` it is delivered with.")
    case_id: str | None
    state: DeliveryState
    attempts: int
    next_attempt_at: datetime | None = Field(description="When it is tried next, if pending.")
    last_error: str | None = Field(description="Why the last failed attempt failed.")
    created_at: datetime
    delivered_at: datetime | None
    data: dict[str, Any]

    @classmethod
    def of(cls, event: OutboxEvent) -> OutboxEventPublic:
        assert event.seq is not None  # a stored row
        return cls(
            id=event.id,
            seq=event.seq,
            type=event.type,
            cloudevent_type=cloud_type(event.type),
            case_id=event.case_id,
            state=event.state,
            attempts=event.attempts,
            next_attempt_at=event.next_attempt_at if event.state is DeliveryState.PENDING else None,
            last_error=event.last_error,
            created_at=event.created_at,
            delivered_at=event.delivered_at,
            data=json.loads(event.data_json),
        )


class EventPage(BaseModel):
    """Events in outbox order; pass ``next_after`` as ``after`` for the next page."""

    items: list[OutboxEventPublic]
    next_after: int | None


@router.get("", response_model=EventPage, responses=problem_responses(422))
def read_events(
    session: SessionDep,
    state: Annotated[
        DeliveryState | None, Query(description="pending, delivered or dead (dead letters).")
    ] = None,
    case_id: Annotated[str | None, Query(max_length=32)] = None,
    after: Annotated[int | None, Query(ge=0, description="Only events after this seq.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> EventPage:
    """The outbox, oldest first: every event written, or those in one state or of one case."""
    events = list_events(session=session, state=state, case_id=case_id, after=after, limit=limit)
    items = [OutboxEventPublic.of(event) for event in events]
    return EventPage(items=items, next_after=items[-1].seq if len(items) == limit else None)


@router.post(
    "/{event_id}/retry", response_model=OutboxEventPublic, responses=problem_responses(404, 409)
)
async def retry_dead_event(
    *,
    event_id: str,
    request: Request,
    user: CurrentUser,
    engine: EngineDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Response:
    """Send a dead event again, with a fresh set of attempts (a pending one is left as it is).

    It goes out before the later events of its case that are still pending; 409
    ``event_delivered`` for an event that was delivered.
    """

    def requeue() -> OutboxEventPublic:
        with session_scope(engine) as session:
            return OutboxEventPublic.of(retry_event(session=session, event_id=event_id))

    async def produce() -> Response:
        event = await run_in_threadpool(requeue)
        return JSONResponse(event.model_dump(mode="json"))

    return await idempotent(
        engine=engine,
        scope=RETRY_SCOPE,
        caller=user.id,
        key=idempotency_key,
        request_hash=request_fingerprint(
            path=request.url.path, query=request.url.query, content=""
        ),
        instance=request.url.path,
        produce=produce,
    )
