"""Users and tokens: keyword-only functions over a session."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, event
from sqlmodel import Session, col, select

from app.auth.models import ApiToken, Role, User
from app.auth.secrets import (
    hash_password,
    new_token,
    token_digest,
    verify_password,
    waste_password_check,
)
from app.db import session_scope
from app.errors import InvalidRequestError, NotFoundError, TriageError
from app.models import utcnow

WRONG_CREDENTIALS = "The e-mail or the password is wrong."
# Long enough that a guess per Argon2 check gets nowhere; no rules on character classes
# (NIST SP 800-63B): length is what makes a password hard to guess.
MIN_PASSWORD_CHARS = 12


class UnauthenticatedError(TriageError):
    code = "unauthenticated"
    status = 401
    title = "Sign in first"


class ForbiddenError(TriageError):
    code = "forbidden"
    status = 403
    title = "Your role does not allow this"


# ``last_used_at`` is a hint for people, not an audit: one write a minute per token is enough,
# and keeps read requests from writing to the database every time.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class UserNotFoundError(NotFoundError):
    code = "user_not_found"
    title = "No such user"


def create_user(
    *,
    session: Session,
    email: str,
    roles: Iterable[Role | str],
    name: str = "",
    password: str | None = None,
) -> User:
    """A new user with these roles (and a password for signing in to the web pages)."""
    email = email.strip().lower()
    if "@" not in email:
        raise InvalidRequestError(f"{email!r} is not an e-mail address.")
    if password is not None and len(password) < MIN_PASSWORD_CHARS:
        raise InvalidRequestError(f"A password needs at least {MIN_PASSWORD_CHARS} characters.")
    try:
        chosen = sorted({Role(role) for role in roles})
    except ValueError as error:
        names = ", ".join(role.value for role in Role)
        raise InvalidRequestError(f"{error}; the roles are {names}.") from error
    if not chosen:
        raise InvalidRequestError("A user needs at least one role.")
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise InvalidRequestError(f"A user with e-mail {email} already exists.")
    user = User(
        email=email,
        name=name,
        roles=",".join(role.value for role in chosen),
        password_hash=hash_password(password) if password is not None else None,
    )
    session.add(user)
    session.flush()
    return user


def get_user_by_email(*, session: Session, email: str) -> User:
    """The user with this e-mail, or UserNotFoundError."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise UserNotFoundError(f"There is no user with e-mail {email}.")
    return user


def issue_token(
    *, session: Session, user: User, name: str = "", expires_at: datetime | None = None
) -> str:
    """A new API token for ``user``: only its digest is stored, so it is shown this once.

    With ``expires_at`` (a sign-in session) it stops working then; without, when revoked.
    """
    token = new_token()
    session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            token_hash=token_digest(token),
            prefix=token[:12],
            expires_at=expires_at,
        )
    )
    session.flush()
    return token


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back without their zone; they were written in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utcnow().tzinfo)


def find_token(*, session: Session, token: str) -> ApiToken | None:
    """The stored row of a token, whatever its state, found by its digest."""
    return session.exec(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()


def authenticate_token(*, session: Session, token: str) -> User:
    """The active user a bearer token belongs to, or UnauthenticatedError.

    One query reads the token's row and its user's together.
    """
    return _authenticate_row(session=session, token=token)[0]


def _authenticate_row(*, session: Session, token: str) -> tuple[User, ApiToken]:
    found = session.exec(
        select(ApiToken, User)
        .join(User, col(User.id) == col(ApiToken.user_id), isouter=True)
        .where(ApiToken.token_hash == token_digest(token))
    ).first()
    if found is None:
        raise UnauthenticatedError("The token is not valid.")
    row, user = found
    if row.revoked_at is not None:
        raise UnauthenticatedError("The token has been revoked.")
    now = utcnow()
    if row.expires_at is not None and _aware(row.expires_at) <= now:
        raise UnauthenticatedError("The session has expired; sign in again.")
    if user is None or user.disabled:
        raise UnauthenticatedError("The token's user is disabled.")
    if row.last_used_at is None or now - _aware(row.last_used_at) >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        session.add(row)
    return user, row


# How long a process goes on accepting a token it has checked without asking the database
# again. A token revoked or a user disabled through this process (signing out, the service
# functions below) is refused by it as soon as that is committed; through another process
# (``triage users disable``, another API worker), by every process within this many seconds.
# An expired session is refused at once everywhere.
TOKEN_RECHECK_S = 1.0
# Tokens remembered at most; past it, the process forgets them all and asks again.
_REMEMBERED_MAX = 10_000


@dataclass(frozen=True)
class _Checked:
    """A token found valid: its user (detached) and when it stops being trusted."""

    user: User
    expires_at: datetime | None
    trusted_until: float  # _monotonic()


_CHECKED: dict[tuple[str, str], _Checked] = {}
_CHECKED_LOCK = threading.Lock()
_monotonic = time.monotonic  # the tests move this clock on


def recently_authenticated(*, engine: Engine, token: str) -> User | None:
    """The user of a token this process found valid less than ``TOKEN_RECHECK_S`` ago, else
    None (then ``authenticate_and_remember`` asks the database). No I/O.

    A session token's expiry is checked every time. The user is the detached instance the
    check read, the same for every request in the window: read it, never change it (no
    route does; a copy would cost more than the rest of the check).
    """
    checked = _CHECKED.get((str(engine.url), token_digest(token)))
    if checked is None or _monotonic() >= checked.trusted_until:
        return None
    if checked.expires_at is not None and checked.expires_at <= utcnow():
        return None
    return checked.user


def authenticate_and_remember(*, engine: Engine, token: str) -> User:
    """``authenticate_token`` in a session of its own; the user comes back detached, and
    the token is trusted for ``TOKEN_RECHECK_S`` (``recently_authenticated``)."""
    checked_at = _monotonic()
    with session_scope(engine) as session:
        user, row = _authenticate_row(session=session, token=token)
        expires_at = _aware(row.expires_at) if row.expires_at is not None else None
        session.flush()
        session.expunge(user)
    key = (str(engine.url), token_digest(token))
    with _CHECKED_LOCK:
        if len(_CHECKED) >= _REMEMBERED_MAX:
            _CHECKED.clear()
        _CHECKED[key] = _Checked(user, expires_at, checked_at + TOKEN_RECHECK_S)
    return user


def forget_tokens(*, token: str | None = None, user_id: str | None = None) -> None:
    """Stop trusting a token, or every token of a user, without asking the database."""
    digest = token_digest(token) if token is not None else None
    with _CHECKED_LOCK:
        for key, checked in list(_CHECKED.items()):
            if key[1] == digest or (user_id is not None and checked.user.id == user_id):
                del _CHECKED[key]


def _forget_when_committed(
    session: Session, *, token: str | None = None, user_id: str | None = None
) -> None:
    # Now, and again once the change is committed: a request that read the token between
    # the two must not keep trusting what it read.
    forget_tokens(token=token, user_id=user_id)
    event.listen(
        session,
        "after_commit",
        lambda _session: forget_tokens(token=token, user_id=user_id),
        once=True,
    )


def revoke_token(*, session: Session, token: str) -> bool:
    """Revoke a token (signing out); False when it was unknown or already revoked."""
    _forget_when_committed(session, token=token)
    row = find_token(session=session, token=token)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.add(row)
    return True


def authenticate_password(*, session: Session, email: str, password: str) -> User:
    """The active user with this e-mail and password, or UnauthenticatedError."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.password_hash:
        # As slow as a real check, so the answer's timing does not tell which e-mails exist.
        waste_password_check(password)
        raise UnauthenticatedError(WRONG_CREDENTIALS)
    if not verify_password(user.password_hash, password) or user.disabled:
        raise UnauthenticatedError(WRONG_CREDENTIALS)
    return user


def list_users(*, session: Session) -> list[User]:
    """Every user, by e-mail."""
    return list(session.exec(select(User).order_by(col(User.email))).all())


def active_tokens(*, session: Session, user: User) -> list[ApiToken]:
    """A user's tokens that still work, oldest first (names and prefixes, never the tokens)."""
    now = utcnow()
    statement = (
        select(ApiToken)
        .where(col(ApiToken.user_id) == user.id, col(ApiToken.revoked_at).is_(None))
        .order_by(col(ApiToken.created_at))
    )
    return [
        token
        for token in session.exec(statement).all()
        if token.expires_at is None or _aware(token.expires_at) > now
    ]


def disable_user(*, session: Session, email: str) -> User:
    """Disable a user and revoke their tokens."""
    user = get_user_by_email(session=session, email=email)
    _forget_when_committed(session, user_id=user.id)
    user.disabled = True
    session.add(user)
    for token in session.exec(select(ApiToken).where(col(ApiToken.user_id) == user.id)):
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            session.add(token)
    return user
