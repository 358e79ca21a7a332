"""Signing in and out with an e-mail and a password; the home page sends each role on."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from app.api.deps import EngineDep, SignInThrottleDep, presented_token
from app.api.routes.sessions import (
    SignIn,
    clear_session_cookie,
    set_session_cookie,
    throttled_sign_in,
)
from app.auth.models import Role
from app.auth.service import UnauthenticatedError
from app.auth.sessions import end_session
from app.errors import TriageError
from app.web.page_route import PageRoute
from app.web.security import CrossSiteRequestError, PageUser, check_form_origin, same_origin
from app.web.templating import approver_roles, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def local_target(next_url: str | None) -> str:
    """Where to go after signing in: a path of this site, never another site."""
    if not next_url or not next_url.startswith("/") or next_url.startswith(("//", "/\\")):
        return "/"
    return next_url


@router.get("/")
def home(user: PageUser) -> Response:
    """Approvers start with what waits for them; everyone else with the queue."""
    if approver_roles(user) and not user.role_set & {Role.CSM, Role.ADMIN}:
        return RedirectResponse("/approvals", status_code=303)
    return RedirectResponse("/cases", status_code=303)


@router.get("/sign-in")
def sign_in_page(request: Request, next: str | None = None) -> Response:
    """The sign-in form."""
    return render(request, "sign_in.html", title="Sign in", next_url=local_target(next))


@router.post("/sign-in")
async def sign_in(
    *,
    request: Request,
    engine: EngineDep,
    throttle: SignInThrottleDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password; a wrong one shows the form again with the reason."""
    target = local_target(next)
    if not same_origin(request):
        raise CrossSiteRequestError("The sign-in form came from another site's page.")
    try:
        credentials = SignIn(email=email, password=password)
        started = await throttled_sign_in(
            request, engine=engine, throttle=throttle, credentials=credentials
        )
    except ValidationError:
        return _again(request, "Enter your e-mail and password.", email, target, 422)
    except UnauthenticatedError:
        return _again(request, "The e-mail or the password is not right.", email, target, 401)
    except TriageError as error:
        return _again(request, error.detail, email, target, error.status)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, request, started.token)
    return response


def _again(request: Request, message: str, email: str, target: str, status: int) -> Response:
    return render(
        request,
        "sign_in.html",
        status_code=status,
        title="Sign in",
        message=message,
        email=email,
        next_url=target,
    )


@router.post("/sign-out")
async def sign_out(
    request: Request,
    user: PageUser,
    engine: EngineDep,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """End this session and go back to the sign-in form."""
    del user
    await check_form_origin(request, form_token=csrf_token)
    token = presented_token(request)
    if token is not None:
        await run_in_threadpool(lambda: end_session(engine=engine, token=token))
    response = RedirectResponse("/sign-in", status_code=303)
    clear_session_cookie(response, request)
    return response
