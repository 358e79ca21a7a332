"""A token checked a moment ago is trusted without the database, and never for long.

``app.auth.service.recently_authenticated``: for ``TOKEN_RECHECK_S`` after a check, a
process accepts the token without asking again; a revocation or a disabling made through
this process ends that at once, one made elsewhere (the CLI, another API worker) when the
window ends, and an expired session is refused whatever the window.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, update
from sqlmodel import col, select

from app.auth import service
from app.auth.models import ApiToken, Role, User
from app.auth.service import (
    TOKEN_RECHECK_S,
    UnauthenticatedError,
    authenticate_and_remember,
    create_user,
    disable_user,
    issue_token,
    recently_authenticated,
    revoke_token,
)
from app.db import session_scope
from app.models import utcnow
from tests.app.api.conftest import bearer, engine_of, issue_test_token


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock()
    monkeypatch.setattr(service, "_monotonic", fake)
    yield fake


def _token(
    engine: Engine, email: str = "ana@example.com", *, expires_at: datetime | None = None
) -> str:
    with session_scope(engine) as session:
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = create_user(session=session, email=email, roles=[Role.CSM])
        return issue_token(session=session, user=user, expires_at=expires_at)


def _revoke_elsewhere(engine: Engine) -> None:
    """What another process does: the rows change, this process is not told."""
    with session_scope(engine) as session:
        session.exec(update(ApiToken).values(revoked_at=utcnow()))


def test_a_checked_token_is_trusted_for_the_window_then_checked_again(
    engine: Engine, clock: Clock
) -> None:
    token = _token(engine)
    assert recently_authenticated(engine=engine, token=token) is None
    user = authenticate_and_remember(engine=engine, token=token)
    assert user.email == "ana@example.com"
    _revoke_elsewhere(engine)
    clock.advance(TOKEN_RECHECK_S - 0.01)
    trusted = recently_authenticated(engine=engine, token=token)
    assert trusted is user
    assert inspect(trusted).detached  # as a user read from the database and let go
    assert (trusted.email, trusted.roles) == ("ana@example.com", "csm")
    clock.advance(0.01)
    assert recently_authenticated(engine=engine, token=token) is None
    with pytest.raises(UnauthenticatedError, match="revoked"):
        authenticate_and_remember(engine=engine, token=token)


def test_revoking_or_disabling_in_this_process_ends_the_trust_at_once(
    engine: Engine, clock: Clock
) -> None:
    token, kept, other = _token(engine), _token(engine), _token(engine, "ben@example.com")
    for each in (token, kept, other):
        authenticate_and_remember(engine=engine, token=each)
    with session_scope(engine) as session:
        assert revoke_token(session=session, token=token)
    assert recently_authenticated(engine=engine, token=token) is None
    assert recently_authenticated(engine=engine, token=kept) is not None
    with session_scope(engine) as session:
        disable_user(session=session, email="ana@example.com")
    assert recently_authenticated(engine=engine, token=kept) is None
    assert recently_authenticated(engine=engine, token=other) is not None


def test_a_token_read_while_its_revocation_was_committing_is_not_trusted_after(
    engine: Engine, clock: Clock
) -> None:
    token = _token(engine)
    authenticate_and_remember(engine=engine, token=token)
    with session_scope(engine) as session:
        assert revoke_token(session=session, token=token)
        # Another request reads the row before the revocation is committed.
        authenticate_and_remember(engine=engine, token=token)
        assert recently_authenticated(engine=engine, token=token) is not None
    assert recently_authenticated(engine=engine, token=token) is None


def test_an_expired_session_is_refused_within_the_window(
    engine: Engine, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ends = utcnow() + timedelta(minutes=5)
    token = _token(engine, expires_at=ends)
    authenticate_and_remember(engine=engine, token=token)
    assert recently_authenticated(engine=engine, token=token) is not None
    monkeypatch.setattr(service, "utcnow", lambda: ends)
    assert recently_authenticated(engine=engine, token=token) is None


def test_the_api_trusts_a_token_for_the_window_and_refuses_it_after(
    client: TestClient, clock: Clock
) -> None:
    engine = engine_of(client)
    token = issue_test_token(engine, email="crm@example.com", roles=(Role.CSM,))
    assert client.get("/v1/cases", headers=bearer(token)).status_code == 200
    with session_scope(engine) as session:
        session.exec(
            update(ApiToken).where(col(ApiToken.prefix) == token[:12]).values(revoked_at=utcnow())
        )
    assert client.get("/v1/cases", headers=bearer(token)).status_code == 200
    clock.advance(TOKEN_RECHECK_S)
    response = client.get("/v1/cases", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["detail"] == "The token has been revoked."
