"""What the routes need, as ``Annotated`` dependency aliases over ``app.state``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.api.idempotency import IDEMPOTENCY_HEADER
from app.auth.models import Role, User
from app.auth.permissions import (
    PUBLIC,
    CaseRule,
    authorize_case_action,
    authorize_roles,
    permission_for,
)
from app.auth.service import (
    ForbiddenError,
    UnauthenticatedError,
    authenticate_and_remember,
    recently_authenticated,
)
from app.auth.throttle import SignInThrottle
from app.jobs.queue import JobQueue
from app.models import Case
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


async def get_sign_in_throttle(request: Request) -> SignInThrottle:
    """The app's limiter of sign-in attempts (made on first use; async, so made once)."""
    throttle = getattr(request.app.state, "sign_in_throttle", None)
    if not isinstance(throttle, SignInThrottle):
        throttle = request.app.state.sign_in_throttle = SignInThrottle()
    return throttle


# The dependencies read ``app.state`` in coroutines: a plain function would be run in the
# thread pool, a hand-over (and a wait for the GIL) per dependency per request.


async def _settings(request: Request) -> Settings:
    return get_settings(request)


async def _engine(request: Request) -> Engine:
    return get_engine(request)


async def _policy(request: Request) -> Policy:
    return get_policy(request)


async def _queue(request: Request) -> JobQueue:
    return get_queue(request)


def get_session(engine: Annotated[Engine, Depends(_engine)]) -> Iterator[Session]:
    """A read session for the request (writes go through the service functions' own)."""
    with Session(engine) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(_settings)]
EngineDep = Annotated[Engine, Depends(_engine)]
PolicyDep = Annotated[Policy, Depends(_policy)]
QueueDep = Annotated[JobQueue, Depends(_queue)]
SessionDep = Annotated[Session, Depends(get_session)]
SignInThrottleDep = Annotated[SignInThrottle, Depends(get_sign_in_throttle)]
IdempotencyKeyDep = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        max_length=200,
        description="Retry safely: the same key with the same request replays the first "
        "answer; with a different request it is refused (422 idempotency_key_reused).",
    ),
]


SESSION_COOKIE = "triage_session"
_bearer = HTTPBearer(
    auto_error=False,
    description="An API token (triage users token) or a sign-in session (POST /v1/sessions).",
)
_session_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    description="The sign-in session the web pages carry (set by POST /v1/sessions).",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
SessionCookieDep = Annotated[str | None, Depends(_session_cookie)]
log = logging.getLogger(__name__)


def presented_token(request: Request) -> str | None:
    """The token a request carries: ``Authorization: Bearer``, else the session cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if header:
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return request.cookies.get(SESSION_COOKIE) or None


async def _authenticate(request: Request, engine: Engine) -> User:
    """The request's user: a token checked in the last ``TOKEN_RECHECK_S`` is trusted
    without I/O (``app.auth.service.recently_authenticated``), else the database is asked
    in the thread pool."""
    known = getattr(request.state, "user", None)
    if isinstance(known, User):
        return known
    token = presented_token(request)
    if token is None:
        raise UnauthenticatedError("Send an API token: Authorization: Bearer <token>.")
    user = recently_authenticated(engine=engine, token=token)
    if user is None:
        user = await run_in_threadpool(authenticate_and_remember, engine=engine, token=token)
    request.state.user = user
    return user


def route_template(request: Request) -> str | None:
    """The template of the route a request matched (``/v1/cases/{case_id}``)."""
    # FastAPI >= 0.120 keeps an included router's routes unprefixed and records the full
    # template of the chosen route in its own scope entry; older versions in ``route``.
    fastapi_scope = request.scope.get("fastapi")
    if isinstance(fastapi_scope, dict):
        context = fastapi_scope.get("effective_route_context")
        template = getattr(context, "path_format", None)
        if isinstance(template, str):
            return template
    template = getattr(request.scope.get("route"), "path_format", None)
    return template if isinstance(template, str) else None


async def authorize_request(
    request: Request,
    engine: EngineDep,
    bearer: BearerDep = None,
    cookie: SessionCookieDep = None,
) -> User | None:
    """Enforce the permission table on this request: 401 without a valid token, else 403.

    Public operations pass without a token (None). Where the operation's rule depends on
    the case (separation of duties), the case in the path is checked too; an unknown case
    is left for the route to answer 404. ``bearer`` and ``cookie`` are declared so the
    OpenAPI document names both ways in; the token is read by ``presented_token``.
    """
    del bearer, cookie
    template = route_template(request)
    operation = (request.method, template or request.url.path)
    if operation in PUBLIC:
        return None
    user = await _authenticate(request, engine)
    if _reads_case(request, operation):
        await run_in_threadpool(
            enforce_permission, request, engine=engine, user=user, operation=operation
        )
    else:
        enforce_permission(request, engine=engine, user=user, operation=operation)
    return user


def _reads_case(request: Request, operation: tuple[str, str]) -> bool:
    """Whether ``enforce_permission`` reads the case in the path (I/O) for ``operation``."""
    permission = permission_for(*operation)
    return (
        permission is not None
        and permission.own_case is not CaseRule.ANY
        and "case_id" in request.path_params
    )


def enforce_permission(
    request: Request, *, engine: Engine, user: User, operation: tuple[str, str]
) -> None:
    """ForbiddenError, saying why, unless the table's row for ``operation`` lets ``user`` in
    (the case named by the path included)."""
    permission = permission_for(*operation)
    if permission is None:
        # Fail closed: a route nobody has given a row to is refused to everyone.
        log.error("no permission row for %s %s", *operation)
        raise ForbiddenError(
            f"{operation[0]} {operation[1]} has no entry in the permission table, "
            "so nobody may use it."
        )
    path_params = {key: str(value) for key, value in request.path_params.items()}
    authorize_roles(user=user, permission=permission, path_params=path_params)
    case_id = path_params.get("case_id")
    if permission.own_case is not CaseRule.ANY and case_id is not None:
        with Session(engine) as session:
            case = session.get(Case, case_id)
        if case is not None:
            authorize_case_action(user=user, case=case, permission=permission)


async def get_current_user(request: Request, engine: EngineDep) -> User:
    """The signed-in user of the request (bearer token or session cookie), or 401."""
    return await _authenticate(request, engine)


CurrentUser = Annotated[User, Depends(get_current_user)]
Authorized = Depends(authorize_request)
"""The dependency every ``/v1`` router carries (``dependencies=[Authorized]``)."""


def require_roles(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency that lets through only users holding one of ``roles`` (admin always).

    The permission table is the policy; this is for a check a route adds on its own.
    """
    allowed = frozenset(roles) | {Role.ADMIN}

    async def check(user: CurrentUser) -> User:
        if not (user.role_set & allowed):
            names = ", ".join(sorted(role.value for role in allowed))
            raise ForbiddenError(f"This needs one of the roles: {names}.")
        return user

    return check
