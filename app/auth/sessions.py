"""Sign-in sessions for the web pages: an e-mail and a password for a token that expires.

A session is an ``ApiToken`` named ``session`` with an expiry, so every request is checked
the same way whether it carries an API token or a session (``authenticate_token``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from app.auth.models import User
from app.auth.service import authenticate_password, issue_token, revoke_token
from app.db import session_scope
from app.models import utcnow

SESSION_TOKEN_NAME = "session"  # noqa: S105 - the name of the token row, not a secret
# A working day and some: a person signs in once a day; a stolen session is short-lived.
SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class StartedSession:
    """A new session: its token (shown once), when it ends, and whose it is."""

    token: str
    expires_at: datetime
    user: User


def start_session(*, engine: Engine, email: str, password: str) -> StartedSession:
    """Check the e-mail and password and open a session (UnauthenticatedError if wrong)."""
    with session_scope(engine) as session:
        user = authenticate_password(session=session, email=email, password=password)
        expires_at = utcnow() + SESSION_LIFETIME
        token = issue_token(
            session=session, user=user, name=SESSION_TOKEN_NAME, expires_at=expires_at
        )
        session.flush()
        session.expunge(user)
    return StartedSession(token=token, expires_at=expires_at, user=user)


def end_session(*, engine: Engine, token: str) -> bool:
    """Revoke the token a request signed in with; False when it was already revoked."""
    with session_scope(engine) as session:
        return revoke_token(session=session, token=token)
