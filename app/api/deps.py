"""What the routes need, as ``Annotated`` dependency aliases over ``app.state``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Engine
from sqlmodel import Session

from app.api.idempotency import IDEMPOTENCY_HEADER
from app.jobs.queue import JobQueue
from app.settings import Settings
from rules import Policy


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_policy(request: Request) -> Policy:
    policy: Policy = request.app.state.policy
    return policy


def get_queue(request: Request) -> JobQueue:
    queue: JobQueue = request.app.state.queue
    return queue


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """A read session for the request (writes go through the service functions' own)."""
    with Session(engine) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
PolicyDep = Annotated[Policy, Depends(get_policy)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]
SessionDep = Annotated[Session, Depends(get_session)]
IdempotencyKeyDep = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        max_length=200,
        description="Retry safely: the same key with the same request replays the first "
        "answer; with a different request it is refused (422 idempotency_key_reused).",
    ),
]
