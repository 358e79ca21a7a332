"""Outbox rows: events written in the same transaction as the change they announce."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Column, Field, SQLModel

from app.models import enum_column, new_id, utcnow


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    # Gave up after the last attempt; visible in the API, can be retried by an admin.
    DEAD = "dead"


class OutboxEvent(SQLModel, table=True):
    """A CloudEvent waiting to be (or already) delivered."""

    __tablename__ = "outbox_events"

    # Insertion order: events of one case are delivered in this order.
    seq: int | None = Field(default=None, primary_key=True)
    # The CloudEvent id, for receivers to de-duplicate.
    id: str = Field(default_factory=new_id, unique=True, index=True, max_length=32)
    type: str = Field(max_length=60, index=True)
    case_id: str | None = Field(default=None, index=True, max_length=32)
    data_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    state: DeliveryState = Field(
        default=DeliveryState.PENDING, sa_type=enum_column(DeliveryState), index=True
    )
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    delivered_at: datetime | None = None
