"""Users and tokens in the database: hashed at rest, disabled and revoked means refused."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, text, update
from sqlmodel import Session, select

from app.auth.models import ApiToken, Role, User
from app.auth.service import (
    LAST_USED_RESOLUTION,
    UnauthenticatedError,
    UserNotFoundError,
    active_tokens,
    authenticate_password,
    authenticate_token,
    create_user,
    disable_user,
    issue_token,
    list_users,
    revoke_token,
)
from app.db import session_scope
from app.errors import InvalidRequestError
from app.models import utcnow

PASSWORD = "correct horse battery"


def _user(
    engine: Engine,
    email: str = "ana@example.com",
    *,
    roles: Sequence[Role | str] = (Role.CSM,),
    name: str = "",
    password: str | None = None,
) -> User:
    with session_scope(engine) as session:
        user = create_user(session=session, email=email, roles=roles, name=name, password=password)
        session.expunge(user)
    return user


def _token(
    engine: Engine,
    email: str = "ana@example.com",
    *,
    name: str = "",
    expires_at: datetime | None = None,
) -> str:
    with session_scope(engine) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        return issue_token(session=session, user=user, name=name, expires_at=expires_at)


def _authenticate(engine: Engine, token: str) -> User:
    with session_scope(engine) as session:
        user = authenticate_token(session=session, token=token)
        session.expunge(user)
        return user


def test_a_user_is_made_with_a_normalised_email_and_sorted_roles(engine: Engine) -> None:
    user = _user(engine, " Ana@Example.COM ", roles=["legal", Role.CSM, "legal"], name="Ana")
    assert user.email == "ana@example.com"
    assert user.roles == "csm,legal"
    assert user.role_set == {Role.CSM, Role.LEGAL}
    assert user.password_hash is None and not user.disabled


@pytest.mark.parametrize(
    ("email", "roles", "password", "says"),
    [
        ("not-an-address", ["csm"], None, "not an e-mail address"),
        ("ana@example.com", [], None, "at least one role"),
        ("ana@example.com", ["ceo"], None, "the roles are csm, legal"),
        ("ana@example.com", ["csm"], "short", "at least 12 characters"),
    ],
)
def test_a_user_that_cannot_be_is_refused(
    engine: Engine, email: str, roles: list[str], password: str | None, says: str
) -> None:
    with pytest.raises(InvalidRequestError, match=says), session_scope(engine) as session:
        create_user(session=session, email=email, roles=roles, password=password)


def test_an_email_is_taken_once(engine: Engine) -> None:
    _user(engine)
    with pytest.raises(InvalidRequestError, match="already exists"):
        _user(engine, "ANA@example.com")


def test_the_token_is_never_stored_only_its_digest(engine: Engine) -> None:
    _user(engine)
    token = _token(engine, name="crm")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM api_tokens")).all()
        users = connection.execute(text("SELECT * FROM users")).all()
    stored = repr(rows) + repr(users)
    assert token not in stored
    assert token[len("tri_") :] not in stored
    (row,) = rows
    assert row._mapping["prefix"] == token[:12]  # enough to tell tokens apart, no more
    assert row._mapping["name"] == "crm"
    assert _authenticate(engine, token).email == "ana@example.com"


def test_a_password_is_stored_as_an_argon2_hash(engine: Engine) -> None:
    _user(engine, password=PASSWORD)
    with engine.connect() as connection:
        stored = str(connection.execute(text("SELECT password_hash FROM users")).scalar_one())
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with session_scope(engine) as session:
        assert authenticate_password(session=session, email="ANA@example.com", password=PASSWORD)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ana@example.com", "correct horse batterY"),
        ("nobody@example.com", PASSWORD),
        ("nobody@example.com", "wrong"),
        ("no-password@example.com", PASSWORD),
    ],
)
def test_a_wrong_email_or_password_gets_one_answer(
    engine: Engine, email: str, password: str
) -> None:
    _user(engine, password=PASSWORD)
    _user(engine, "no-password@example.com")
    with pytest.raises(UnauthenticatedError) as raised, session_scope(engine) as session:
        authenticate_password(session=session, email=email, password=password)
    assert raised.value.detail == "The e-mail or the password is wrong."
    assert raised.value.status == 401


def test_a_malformed_stored_hash_refuses_the_password(engine: Engine) -> None:
    _user(engine, password=PASSWORD)
    with session_scope(engine) as session:
        session.exec(update(User).values(password_hash="$argon2id$garbage"))
    with pytest.raises(UnauthenticatedError), session_scope(engine) as session:
        authenticate_password(session=session, email="ana@example.com", password=PASSWORD)


def test_an_unknown_token_is_refused(engine: Engine) -> None:
    _user(engine)
    _token(engine)
    with pytest.raises(UnauthenticatedError, match="not valid"):
        _authenticate(engine, "tri_" + "A" * 43)


def test_disabling_a_user_refuses_their_tokens_and_password(engine: Engine) -> None:
    _user(engine, password=PASSWORD)
    _user(engine, "ben@example.com")
    tokens = [_token(engine), _token(engine)]
    other = _token(engine, "ben@example.com")
    with session_scope(engine) as session:
        disable_user(session=session, email="Ana@example.com")
    for token in tokens:
        with pytest.raises(UnauthenticatedError, match="revoked"):
            _authenticate(engine, token)
    with pytest.raises(UnauthenticatedError), session_scope(engine) as session:
        authenticate_password(session=session, email="ana@example.com", password=PASSWORD)
    assert _authenticate(engine, other).email == "ben@example.com"
    with Session(engine) as session:
        ana = session.exec(select(User).where(User.email == "ana@example.com")).one()
        revoked = session.exec(select(ApiToken).where(ApiToken.user_id == ana.id)).all()
        assert len(revoked) == 2 and all(t.revoked_at is not None for t in revoked)
        assert ana.disabled and active_tokens(session=session, user=ana) == []


def test_a_disabled_user_is_refused_even_with_a_token_made_after(engine: Engine) -> None:
    _user(engine)
    with session_scope(engine) as session:
        disable_user(session=session, email="ana@example.com")
    token = _token(engine)
    with pytest.raises(UnauthenticatedError, match="disabled"):
        _authenticate(engine, token)


def test_disabling_an_unknown_user_says_so(engine: Engine) -> None:
    with pytest.raises(UserNotFoundError), session_scope(engine) as session:
        disable_user(session=session, email="nobody@example.com")


def test_a_revoked_token_is_refused_and_revoking_twice_says_so(engine: Engine) -> None:
    _user(engine)
    token, kept = _token(engine), _token(engine)
    with session_scope(engine) as session:
        assert revoke_token(session=session, token=token) is True
        assert revoke_token(session=session, token=token) is False
        assert revoke_token(session=session, token="tri_unknown") is False
    with pytest.raises(UnauthenticatedError, match="revoked"):
        _authenticate(engine, token)
    assert _authenticate(engine, kept).email == "ana@example.com"


def test_an_expired_token_is_refused(engine: Engine) -> None:
    _user(engine)
    soon = _token(engine, expires_at=utcnow() + timedelta(hours=1))
    assert _authenticate(engine, soon).email == "ana@example.com"
    with session_scope(engine) as session:
        session.exec(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(UnauthenticatedError, match="expired"):
        _authenticate(engine, soon)
    with Session(engine) as session:
        ana = session.exec(select(User)).one()
        assert active_tokens(session=session, user=ana) == []


def test_last_use_is_written_at_most_once_a_minute(engine: Engine) -> None:
    _user(engine)
    token = _token(engine)

    def last_used() -> object:
        with Session(engine) as session:
            return session.exec(select(ApiToken)).one().last_used_at

    assert last_used() is None
    _authenticate(engine, token)
    first = last_used()
    assert first is not None
    _authenticate(engine, token)
    assert last_used() == first
    with session_scope(engine) as session:
        earlier = utcnow() - LAST_USED_RESOLUTION - timedelta(seconds=1)
        session.exec(update(ApiToken).values(last_used_at=earlier))
    _authenticate(engine, token)
    assert last_used() != earlier


def test_users_are_listed_by_email(engine: Engine) -> None:
    for email in ("zoe@example.com", "ana@example.com", "max@example.com"):
        _user(engine, email)
    with Session(engine) as session:
        assert [u.email for u in list_users(session=session)] == [
            "ana@example.com",
            "max@example.com",
            "zoe@example.com",
        ]
