"""Who is on a page and whether they may be: the session cookie, the permission table, and
a cross-site request check on every form a page sends.

Pages authenticate with the sign-in cookie (``SameSite=Strict``, ``HttpOnly``). Every
state-changing request must also carry a token derived from that cookie (a hidden field or
the ``X-CSRF-Token`` header HTMX sends) and, when the browser says where it came from, an
``Origin`` of this site: a page of another site can neither read the cookie nor forge the
token.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from app.api.deps import enforce_permission, get_engine, presented_token, route_template
from app.auth.models import User
from app.auth.permissions import PUBLIC
from app.auth.service import ForbiddenError, UnauthenticatedError, authenticate_token
from app.db import session_scope

CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequiredError(UnauthenticatedError):
    """The page needs a signed-in user; the browser is sent to the sign-in page."""

    def __init__(self, detail: str, *, next_url: str) -> None:
        super().__init__(detail)
        self.next_url = next_url


class CrossSiteRequestError(ForbiddenError):
    code = "cross_site_request"
    title = "The form did not come from this site"


def csrf_token(session_token: str) -> str:
    """The form token of a sign-in session: unguessable without the (HttpOnly) cookie."""
    return hashlib.sha256(b"csrf\x00" + session_token.encode("utf-8")).hexdigest()[:40]


def same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        # Browsers send Origin on every cross-site POST; a missing one is a same-site form
        # or a non-browser client, which the token check still covers.
        return origin is None
    own = f"{request.url.scheme}://{request.url.netloc}"
    return origin.rstrip("/") == own


async def check_form_origin(request: Request, *, form_token: str | None) -> None:
    """CrossSiteRequestError unless an unsafe request carries this session's form token."""
    if request.method in _SAFE_METHODS:
        return
    if request.headers.get("authorization"):
        # A bearer token is sent by a program, never attached by a browser on its own.
        return
    token = presented_token(request)
    sent = request.headers.get(CSRF_HEADER) or form_token
    if not same_origin(request):
        raise CrossSiteRequestError("The request came from another site's page.")
    if token is None or sent is None or not hmac.compare_digest(sent, csrf_token(token)):
        raise CrossSiteRequestError(
            "The form has expired or came from elsewhere; reload the page and try again."
        )


def _sign_in_target(request: Request) -> str:
    path = request.url.path
    if request.method not in _SAFE_METHODS or request.headers.get("hx-request"):
        # After signing in, go back to the page the form was on, not to its POST target.
        referer = request.headers.get("referer", "")
        own = f"{request.url.scheme}://{request.url.netloc}"
        return referer.removeprefix(own) if referer.startswith(own) else "/"
    return path + (f"?{request.url.query}" if request.url.query else "")


def page_user(request: Request, engine: Annotated[Engine, Depends(get_engine)]) -> User | None:
    """The signed-in user of a page request, checked against the permission table.

    Public pages (sign-in) pass with None; others send the browser to sign in when the
    cookie is missing or expired, and answer 403 with the reason when the role does not
    allow the page.
    """
    template = route_template(request)
    operation = (request.method, template or request.url.path)
    if operation in PUBLIC:
        return None
    token = presented_token(request)
    if token is None:
        raise SignInRequiredError("Sign in to continue.", next_url=_sign_in_target(request))
    try:
        with session_scope(engine) as session:
            user = authenticate_token(session=session, token=token)
            session.flush()
            session.expunge(user)
    except UnauthenticatedError as error:
        raise SignInRequiredError(error.detail, next_url=_sign_in_target(request)) from error
    request.state.user = user
    enforce_permission(request, engine=engine, user=user, operation=operation)
    return user


def signed_in(user: Annotated[User | None, Depends(page_user)]) -> User:
    """The page's user (the page is not public, so ``page_user`` found one)."""
    assert user is not None
    return user


PageUser = Annotated[User, Depends(signed_in)]
PageAuthorized = Depends(page_user)
"""The dependency every page router carries (``dependencies=[PageAuthorized]``)."""
