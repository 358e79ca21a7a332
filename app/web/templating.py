"""The pages' Jinja2 environment: autoescaped templates, and the few filters that turn
stored values (times, durations, paths, roles) into words a person reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from app.api.deps import presented_token
from app.auth.models import APPROVER_ROLES, Role, User
from app.views.case_view import PATH_WORDS
from app.web.security import CSRF_FIELD, CSRF_HEADER, csrf_token
from rules import OnboardingPath

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")

ROLE_WORDS = {
    "csm": "Customer success",
    "legal": "Legal",
    "finance": "Finance",
    "security": "Security",
    "tax": "Tax",
    "executive": "Executive",
    "admin": "Administrator",
}

STATUS_WORDS = {
    "received": "Received",
    "queued": "Queued",
    "processing": "Processing",
    "decided": "Waiting for approvals",
    "needs_information": "Needs information",
    "ready_for_provisioning": "Ready for provisioning",
    "returned": "Returned",
    "failed": "Failed",
}


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def when(moment: datetime | None) -> str:
    """``5 Dec 2026, 14:03 UTC``."""
    if moment is None:
        return ""
    moment = _aware(moment).astimezone(UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def duration(value: timedelta | float | None) -> str:
    """``45 s``, ``12 min``, ``3 h 20 min``, ``2 d 4 h``."""
    if value is None:
        return "–"
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    seconds = max(seconds, 0.0)
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def age(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago: ``12 min``."""
    if moment is None:
        return ""
    return duration((now or datetime.now(UTC)) - _aware(moment))


def path_words(path: str | None) -> str:
    """``assisted`` → ``Assisted``; no path yet → ``–``."""
    if not path:
        return "–"
    try:
        return PATH_WORDS[OnboardingPath(path)]
    except ValueError:
        return path


def role_words(role: str) -> str:
    return ROLE_WORDS.get(role, role.capitalize())


def status_words(status: str) -> str:
    return STATUS_WORDS.get(str(status), str(status))


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters.update(
    when=when,
    duration=duration,
    age=age,
    path_words=path_words,
    role_words=role_words,
    status_words=status_words,
    percent=percent,
)
templates.env.globals.update(CSRF_FIELD=CSRF_FIELD, CSRF_HEADER=CSRF_HEADER)


def approver_roles(user: User) -> list[str]:
    """The approval roles ``user`` holds, in the policy's order."""
    return [role.value for role in Role if role in APPROVER_ROLES and role in user.role_set]


def render(
    request: Request,
    name: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page or a fragment, with the signed-in user and the form token in its context."""
    user = getattr(request.state, "user", None)
    token = presented_token(request)
    context.setdefault("title", None)
    return templates.TemplateResponse(
        request,
        name,
        {
            "user": user if isinstance(user, User) else None,
            "user_roles": sorted(role.value for role in user.role_set)
            if isinstance(user, User)
            else [],
            "csrf_token": csrf_token(token) if token and isinstance(user, User) else "",
            **context,
        },
        status_code=status_code,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )
