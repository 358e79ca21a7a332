"""``/v1/sessions``: sign in for a 12-hour token (body and HttpOnly cookie), sign out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, func, select

from app.api.deps import SESSION_COOKIE
from app.api.routes.sessions import MAX_BODY_BYTES
from app.auth.models import ApiToken, Role
from app.auth.service import create_user, disable_user
from app.db import session_scope
from app.models import IdempotencyRecord, utcnow
from tests.app.api.conftest import bearer, engine_of

PASSWORD = "correct horse battery"
TWELVE_HOURS = 12 * 3600


@pytest.fixture
def anonymous(client: TestClient) -> Iterator[TestClient]:
    """The API client without its token, and a user ana@example.com who has a password."""
    client.headers.pop("Authorization")
    with session_scope(engine_of(client)) as session:
        create_user(
            session=session,
            email="ana@example.com",
            roles=[Role.LEGAL, Role.CSM],
            name="Ana",
            password=PASSWORD,
        )
    yield client


def _sign_in(client: TestClient) -> Any:
    return client.post("/v1/sessions", json={"email": "ana@example.com", "password": PASSWORD})


def test_sign_in_gives_a_token_in_the_body_and_an_httponly_strict_cookie(
    anonymous: TestClient,
) -> None:
    response = anonymous.post(
        "/v1/sessions", json={"email": "Ana@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["user"] == {
        "id": body["user"]["id"],
        "email": "ana@example.com",
        "name": "Ana",
        "roles": ["csm", "legal"],
    }
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=11, minutes=59) < expires - utcnow() <= timedelta(hours=12)
    assert response.headers["cache-control"] == "no-store"

    cookie = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert cookie.startswith(f"{SESSION_COOKIE}={body['token']};")
    assert {"httponly", "max-age", "path"} <= attributes
    assert "samesite=strict" in cookie.lower()
    assert f"max-age={TWELVE_HOURS}" in cookie.lower()
    assert "secure" not in attributes  # plain HTTP here; see the HTTPS test

    with Session(engine_of(anonymous)) as session:
        row = session.exec(select(ApiToken).where(ApiToken.name == "session")).one()
        assert row.name == "session" and row.expires_at is not None

    # The cookie works on its own, and the token as a bearer token.
    assert anonymous.cookies.get(SESSION_COOKIE) == body["token"]
    assert anonymous.get("/v1/cases").status_code == 200
    anonymous.cookies.clear()
    assert anonymous.get("/v1/cases").status_code == 401
    assert anonymous.get("/v1/cases", headers=bearer(body["token"])).status_code == 200


def test_sign_in_from_an_html_form(anonymous: TestClient) -> None:
    response = anonymous.post(
        "/v1/sessions", data={"email": "ana@example.com", "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    assert anonymous.get("/v1/cases", headers=bearer(response.json()["token"])).status_code == 200


def test_over_https_the_cookie_is_secure(anonymous: TestClient) -> None:
    response = anonymous.post(
        "https://testserver/v1/sessions", json={"email": "ana@example.com", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert "secure" in {p.strip().lower() for p in response.headers["set-cookie"].split(";")}


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(anonymous: TestClient) -> None:
    wrong_password = anonymous.post(
        "/v1/sessions", json={"email": "ana@example.com", "password": "not the password"}
    )
    unknown_email = anonymous.post(
        "/v1/sessions", json={"email": "nobody@example.com", "password": PASSWORD}
    )
    for response in (wrong_password, unknown_email):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"] == "application/problem+json"
        assert "set-cookie" not in response.headers
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.json()["detail"] == "The e-mail or the password is wrong."
    assert wrong_password.json()["code"] == "unauthenticated"
    with Session(engine_of(anonymous)) as session:
        assert session.exec(select(func.count()).select_from(ApiToken)).one() == 1  # the fixture's


def test_a_disabled_user_cannot_sign_in(anonymous: TestClient) -> None:
    with session_scope(engine_of(anonymous)) as session:
        disable_user(session=session, email="ana@example.com")
    response = _sign_in(anonymous)
    assert response.status_code == 401
    assert response.json()["detail"] == "The e-mail or the password is wrong."


def test_sign_out_revokes_the_session_and_clears_the_cookie(anonymous: TestClient) -> None:
    token = _sign_in(anonymous).json()["token"]
    other = _sign_in(anonymous).json()["token"]
    anonymous.cookies.clear()
    out = anonymous.delete("/v1/sessions/current", headers=bearer(token))
    assert out.status_code == 204
    cleared = out.headers["set-cookie"].lower()
    assert cleared.startswith(f"{SESSION_COOKIE}=") and "max-age=0" in cleared
    gone = anonymous.get("/v1/cases", headers=bearer(token))
    assert gone.status_code == 401
    assert gone.json()["detail"] == "The token has been revoked."
    assert anonymous.delete("/v1/sessions/current", headers=bearer(token)).status_code == 401
    # Only that session ended: the user's other session still works.
    assert anonymous.get("/v1/cases", headers=bearer(other)).status_code == 200


def test_sign_out_with_the_cookie_alone(anonymous: TestClient) -> None:
    token = _sign_in(anonymous).json()["token"]
    assert anonymous.delete("/v1/sessions/current").status_code == 204
    assert SESSION_COOKIE not in anonymous.cookies
    anonymous.cookies.set(SESSION_COOKIE, token)
    assert anonymous.get("/v1/cases").status_code == 401


def test_an_expired_session_is_refused(anonymous: TestClient) -> None:
    token = _sign_in(anonymous).json()["token"]
    with session_scope(engine_of(anonymous)) as session:
        session.exec(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = anonymous.get("/v1/cases", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["detail"] == "The session has expired; sign in again."
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b"email=ana%40example.com", "application/x-www-form-urlencoded", 422, "invalid_request"),
        (b'{"email": "ana@example.com"}', "application/json", 422, "invalid_request"),
        (b"{not json", "application/json", 422, "invalid_request"),
        (b"", "application/json", 422, "invalid_request"),
        (
            b'{"email": "ana@example.com", "password": "x", "role": "admin"}',
            "application/json",
            422,
            "invalid_request",
        ),
        (b"ana@example.com correct horse battery", "text/plain", 415, "unsupported_media_type"),
        (b"x" * (MAX_BODY_BYTES + 1), "application/json", 413, "too_large"),
    ],
)
def test_a_malformed_sign_in_is_refused_without_echoing_the_password(
    anonymous: TestClient, content: bytes, content_type: str, status: int, code: str
) -> None:
    response = anonymous.post(
        "/v1/sessions", content=content, headers={"Content-Type": content_type}
    )
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert "correct horse" not in response.text


def test_sign_in_keeps_no_answer_for_an_idempotency_key(anonymous: TestClient) -> None:
    headers = {"Idempotency-Key": "sign-in-1"}
    body = {"email": "ana@example.com", "password": PASSWORD}
    first = anonymous.post("/v1/sessions", json=body, headers=headers)
    second = anonymous.post("/v1/sessions", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["token"] != second.json()["token"]
    with Session(engine_of(anonymous)) as session:
        assert session.exec(select(IdempotencyRecord)).all() == []
