"""Users and tokens: keyword-only functions over a session."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.auth.models import ApiToken, Role, User
from app.auth.secrets import hash_password, new_token, token_digest, verify_password
from app.errors import InvalidRequestError, NotFoundError, TriageError
from app.models import utcnow


class UnauthenticatedError(TriageError):
    code = "unauthenticated"
    status = 401
    title = "Sign in first"


class ForbiddenError(TriageError):
    code = "forbidden"
    status = 403
    title = "Your role does not allow this"


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
    chosen = sorted({Role(role) for role in roles})
    if not chosen:
        raise InvalidRequestError("A user needs at least one role.")
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise InvalidRequestError(f"A user with e-mail {email} already exists.")
    user = User(
        email=email,
        name=name,
        roles=",".join(role.value for role in chosen),
        password_hash=hash_password(password) if password else None,
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


def issue_token(*, session: Session, user: User, name: str = "") -> str:
    """A new API token for ``user``: only its digest is stored, so it is shown this once."""
    token = new_token()
    session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            token_hash=token_digest(token),
            prefix=token[:12],
        )
    )
    session.flush()
    return token


def authenticate_token(*, session: Session, token: str) -> User:
    """The active user a bearer token belongs to, or UnauthenticatedError."""
    row = session.exec(
        select(ApiToken).where(ApiToken.token_hash == token_digest(token))
    ).first()
    if row is None or row.revoked_at is not None:
        raise UnauthenticatedError("The token is not valid.")
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        raise UnauthenticatedError("The token's user is disabled.")
    row.last_used_at = utcnow()
    session.add(row)
    return user


def authenticate_password(*, session: Session, email: str, password: str) -> User:
    """The active user with this e-mail and password, or UnauthenticatedError."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if (
        user is None
        or user.disabled
        or not user.password_hash
        or not verify_password(user.password_hash, password)
    ):
        raise UnauthenticatedError("The e-mail or the password is wrong.")
    return user


def disable_user(*, session: Session, email: str) -> User:
    """Disable a user and revoke their tokens."""
    user = get_user_by_email(session=session, email=email)
    user.disabled = True
    session.add(user)
    for token in session.exec(select(ApiToken).where(col(ApiToken.user_id) == user.id)):
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            session.add(token)
    return user
