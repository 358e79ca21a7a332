"""What the routes need, as ``Annotated`` dependency aliases over ``app.state``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Engine
from sqlmodel import Session

from app.api.idempotency import IDEMPOTENCY_HEADER
from app.auth.models import Role, User
from app.auth.service import ForbiddenError, UnauthenticatedError, authenticate_token
from app.db import session_scope
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


def get_current_user(
    request: Request,
    engine: Annotated[Engine, Depends(get_engine)],
) -> User:
    """The user of the bearer token (``Authorization: Bearer tri_...``), or 401."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthenticatedError("Send an API token: Authorization: Bearer <token>.")
    with session_scope(engine) as session:
        user = authenticate_token(session=session, token=token.strip())
        session.expunge(user)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role) -> Callable[[User], User]:
    """A dependency that lets through only users holding one of ``roles`` (admin always)."""
    allowed = frozenset(roles) | {Role.ADMIN}

    def check(user: CurrentUser) -> User:
        if not (user.role_set & allowed):
            names = ", ".join(sorted(role.value for role in allowed))
            raise ForbiddenError(f"This needs one of the roles: {names}.")
        return user

    return check
