"""``/v1/sessions``: sign in with an e-mail and a password, sign out.

The token comes back in the body (for scripts) and as an HttpOnly, SameSite=Strict cookie
(for the web pages: script on a page cannot read it, and other sites' pages cannot send it).
Sign-in never honours an ``Idempotency-Key``: a replay would have to keep the token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from app.api.deps import (
    SESSION_COOKIE,
    CurrentUser,
    EngineDep,
    SignInThrottleDep,
    presented_token,
)
from app.api.openapi import problem_responses
from app.api.problems import field_errors
from app.api.schemas import dump
from app.auth.models import User
from app.auth.service import UnauthenticatedError
from app.auth.sessions import SESSION_LIFETIME, StartedSession, end_session, start_session
from app.auth.throttle import SignInThrottle
from app.errors import InvalidRequestError
from app.uploads import UnsupportedMediaTypeError, read_capped

router = APIRouter(prefix="/sessions", tags=["sessions"])

MAX_BODY_BYTES = 8_000
_FORM = "application/x-www-form-urlencoded"


class SignIn(BaseModel):
    """An e-mail and a password, as JSON or as an HTML form."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class UserPublic(BaseModel):
    """Who is signed in."""

    id: str
    email: str
    name: str
    roles: list[str]

    @classmethod
    def of(cls, user: User) -> UserPublic:
        roles = [role.value for role in sorted(user.role_set)]
        return cls(id=user.id, email=user.email, name=user.name, roles=roles)


class SessionStarted(BaseModel):
    """A new session; the token is shown this once (it is also set as a cookie)."""

    token: str = Field(description="Send it as Authorization: Bearer <token>.")
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme's name
    expires_at: datetime
    user: UserPublic


SIGN_IN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            media_type: {"schema": SignIn.model_json_schema()}
            for media_type in ("application/json", _FORM)
        },
    }
}


def parse_sign_in(body: bytes, content_type: str) -> SignIn:
    """The credentials of a JSON or form body; 415 for any other type, 422 when invalid."""
    media_type = content_type.split(";", maxsplit=1)[0].strip().lower()
    try:
        if media_type.endswith(("/json", "+json")):
            return SignIn.model_validate_json(body or b"{}")
        if media_type == _FORM:
            fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            return SignIn.model_validate(dict(fields))
    except UnicodeDecodeError as error:
        raise InvalidRequestError("The form is not UTF-8.") from error
    except ValidationError as error:
        raise InvalidRequestError(
            "Send an e-mail and a password.", errors=field_errors(error.errors())
        ) from error
    raise UnsupportedMediaTypeError(
        f"Send the e-mail and password as application/json or {_FORM}.",
        content_type=content_type,
    )


async def throttled_sign_in(
    request: Request, *, engine: Engine, throttle: SignInThrottle, credentials: SignIn
) -> StartedSession:
    """Check the password under the throttle (429 after repeated failures) and open a session."""
    client = request.client.host if request.client else "unknown"
    throttle.check(email=credentials.email, client=client)

    def attempt() -> StartedSession:
        with throttle.password_check():
            try:
                started = start_session(
                    engine=engine, email=credentials.email, password=credentials.password
                )
            except UnauthenticatedError:
                throttle.failed(email=credentials.email, client=client)
                raise
        throttle.succeeded(email=credentials.email, client=client)
        return started

    return await run_in_threadpool(attempt)


@router.post(
    "",
    status_code=201,
    response_model=SessionStarted,
    openapi_extra=SIGN_IN_BODY,
    responses=problem_responses(401, 413, 415, 422, 429, 503),
)
async def sign_in(request: Request, engine: EngineDep, throttle: SignInThrottleDep) -> Response:
    """Sign in: a token valid for 12 hours, in the body and as an HttpOnly cookie.

    A wrong e-mail and a wrong password get the same answer (401). Five failures for one
    e-mail from one address close sign-in there for 15 minutes (429, Retry-After).
    """
    body = await read_capped(
        request.stream(),
        content_length=request.headers.get("content-length"),
        limit=MAX_BODY_BYTES,
    )
    credentials = parse_sign_in(body, request.headers.get("content-type", ""))
    started = await throttled_sign_in(
        request, engine=engine, throttle=throttle, credentials=credentials
    )
    answer = SessionStarted(
        token=started.token, expires_at=started.expires_at, user=UserPublic.of(started.user)
    )
    response = JSONResponse(dump(answer), status_code=201, headers={"Cache-Control": "no-store"})
    set_session_cookie(response, request, started.token)
    return response


@router.delete("/current", status_code=204, responses=problem_responses(401))
async def sign_out(request: Request, user: CurrentUser, engine: EngineDep) -> Response:
    """Sign out: the token this request carries (session or API token) stops working."""
    token = presented_token(request)
    assert token is not None  # CurrentUser authenticated it
    await run_in_threadpool(lambda: end_session(engine=engine, token=token))
    response = Response(status_code=204)
    clear_session_cookie(response, request)
    return response


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    """The session as an HttpOnly, SameSite=Strict cookie (Secure over HTTPS)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        # Over plain HTTP (a developer's machine) a Secure cookie would never come back.
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    """Tell the browser to forget the session cookie."""
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
