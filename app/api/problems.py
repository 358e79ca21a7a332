"""Every error as an RFC 9457 problem (``application/problem+json``) with a stable ``code``.

App errors (``TriageError``) carry their code, status, title and extra members; request
validation, unknown routes, wrong methods and unexpected exceptions get codes of their own.
No traceback ever reaches a caller: unexpected errors are logged and answered with 500.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import TriageError, UploadRefusedError
from app.observability import record_refusal

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:onboarding-triage:problem:"
# Members of the problem object itself; an error's extra never overrides them.
_STANDARD = frozenset({"type", "title", "status", "detail", "instance", "code"})
_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
}
# Seconds a caller is told to wait on a 503 when the error does not say.
DEFAULT_RETRY_AFTER_S = 30


class ProblemResponse(Response):
    media_type = PROBLEM_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return json.dumps(
            content, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")


def problem_response(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str | None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> ProblemResponse:
    """One problem document."""
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance is not None:
        body["instance"] = instance
    for key, value in jsonable_encoder(extra or {}).items():
        if key not in _STANDARD:
            body[key] = value
    return ProblemResponse(content=body, status_code=status, headers=headers)


def error_response(error: TriageError, *, instance: str | None) -> ProblemResponse:
    """The problem for an app error; a 503 says when to try again."""
    headers: dict[str, str] = {}
    extra = dict(error.extra)
    if error.status in {429, 503}:
        headers["Retry-After"] = str(int(extra.get("retry_after_s", DEFAULT_RETRY_AFTER_S)))
    if error.status == 413:
        # The rest of the body was not read, so the connection cannot be reused.
        headers["Connection"] = "close"
    if error.status == 401:
        # RFC 9110: a 401 names the scheme that would be accepted.
        headers["WWW-Authenticate"] = "Bearer"
    return problem_response(
        status=error.status,
        code=error.code,
        title=error.title,
        detail=error.detail,
        instance=instance,
        extra=extra,
        headers=headers or None,
    )


def field_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Pydantic's errors as ``{loc, msg, type}``; the offending input is not echoed back."""
    return [
        {"loc": list(item.get("loc", ())), "msg": item.get("msg", ""), "type": item.get("type")}
        for item in errors
    ]


async def _triage_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, TriageError)
    if isinstance(error, UploadRefusedError):
        for _, refusal in error.refusals:
            record_refusal(refusal.code.value)
    elif error.code == "too_large":
        record_refusal(error.code)
    return error_response(error, instance=request.url.path)


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    return problem_response(
        status=422,
        code="invalid_request",
        title="The request is not valid",
        detail="Some fields of the request are missing or not valid.",
        instance=request.url.path,
        extra={"errors": field_errors(error.errors())},
    )


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    status = error.status_code
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    detail = error.detail if isinstance(error.detail, str) and error.detail != phrase else None
    default_detail = {
        404: f"There is nothing at {request.url.path}.",
        405: f"{request.method} is not allowed on {request.url.path}.",
    }
    return problem_response(
        status=status,
        code=_HTTP_CODES.get(status, f"http_{status}"),
        title=phrase,
        detail=detail or default_detail.get(status, phrase),
        instance=request.url.path,
        headers=dict(error.headers) if error.headers else None,
    )


def internal_error_response(*, instance: str | None) -> ProblemResponse:
    """The 500 answer to an error nobody expected; the details stay in the log."""
    return problem_response(
        status=500,
        code="internal_error",
        title="Internal error",
        detail="The server could not complete the request; the error has been logged.",
        instance=instance,
    )


class UnexpectedErrorMiddleware:
    """Turns an exception no handler took into a logged 500 problem, never a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # the answer is already on its way; the server closes the connection
                raise
            response = internal_error_response(instance=scope.get("path"))
            await response(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` as problem+json."""
    app.add_exception_handler(TriageError, _triage_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(UnexpectedErrorMiddleware)
