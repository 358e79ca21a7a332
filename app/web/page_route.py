"""Errors on a page answered as a page: a sign-in redirect, or the reason in plain words.

The API answers errors as RFC 9457 problems; a person in a browser gets the same ``code``
and sentence on a page with the way back. HTMX requests get the sentence as a fragment
(and a full-page redirect to sign in when the session has ended).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse, Response

from app.api.problems import error_response
from app.errors import InvalidRequestError, TriageError
from app.web.security import SignInRequiredError
from app.web.templating import render

log = logging.getLogger(__name__)


def sign_in_redirect(request: Request, next_url: str) -> Response:
    """To the sign-in page, coming back to ``next_url`` afterwards."""
    target = "/sign-in?next=" + quote(next_url, safe="/")
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def error_page(request: Request, error: TriageError) -> Response:
    """The error's status with its title and sentence; a fragment for HTMX requests, and
    the API's problem document for the page's script (which asks for JSON)."""
    if "application/json" in request.headers.get("accept", ""):
        return error_response(error, instance=request.url.path)
    name = "partials/error.html" if request.headers.get("hx-request") else "error.html"
    headers = {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"} if name != "error.html" else {}
    return render(
        request,
        name,
        status_code=error.status,
        headers=headers,
        title=error.title,
        error=error,
        details=error.extra.get("documents") or [],
        back_url=_same_site_referer(request),
    )


def _same_site_referer(request: Request) -> str | None:
    """The page the request came from, when it is a page of this site."""
    own = f"{request.url.scheme}://{request.url.netloc}/"
    referer = request.headers.get("referer", "")
    return "/" + referer.removeprefix(own) if referer.startswith(own) else None


class PageRoute(APIRoute):
    """A route whose errors are rendered for people instead of as problem documents."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequiredError as error:
                return sign_in_redirect(request, error.next_url)
            except TriageError as error:
                if error.status >= 500:
                    log.error("page error %s: %s", error.code, error.detail)
                return error_page(request, error)
            except RequestValidationError as error:
                fields = ", ".join(str(item.get("loc", ["?"])[-1]) for item in error.errors())
                return error_page(
                    request, InvalidRequestError(f"These values are not valid: {fields}.")
                )

        return handle
