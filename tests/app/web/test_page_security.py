"""Signing in and the guards on every form: the session, the form token, the origin."""

from __future__ import annotations

import pytest

from tests.app.api.conftest import count_cases
from tests.app.web.conftest import BASE, Browserish

MSA = b"MASTER SUBSCRIPTION AGREEMENT\nThis agreement is governed by the laws of New York.\n"


def test_a_page_without_a_session_sends_the_browser_to_sign_in(pages: Browserish) -> None:
    response = pages.client.get("/cases?path=assisted", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/cases%3Fpath%3Dassisted"
    htmx = pages.client.get("/cases", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.status_code == 204
    assert htmx.headers["HX-Redirect"].startswith("/sign-in")


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/dashboard", "/dashboard"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_signing_in_goes_back_only_to_this_site(
    pages: Browserish, next_url: str, landing: str
) -> None:
    response = pages.client.post(
        "/sign-in",
        data={"email": "csm@example.com", "password": "a long test password", "next": next_url},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == landing
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_a_wrong_password_shows_the_form_again(pages: Browserish) -> None:
    response = pages.client.post(
        "/sign-in", data={"email": "csm@example.com", "password": "wrong password!"}
    )
    assert response.status_code == 401
    assert "The e-mail or the password is not right." in response.text
    assert 'value="csm@example.com"' in response.text
    assert "set-cookie" not in response.headers


def test_a_sign_in_form_from_another_site_is_refused(pages: Browserish) -> None:
    response = pages.client.post(
        "/sign-in",
        data={"email": "csm@example.com", "password": "a long test password"},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def _upload(pages: Browserish, **headers: str) -> int:
    response = pages.client.post(
        "/cases/new",
        data={"csrf_token": headers.pop("token", pages.token), "reference": "Guarded Ltd"},
        files=[("files", ("msa.txt", MSA))],
        headers=headers,
        follow_redirects=False,
    )
    return response.status_code


def test_a_form_needs_this_sessions_token_and_this_origin(pages: Browserish) -> None:
    pages.sign_in("csm@example.com")
    before = count_cases(pages.client)
    assert _upload(pages, token="") == 403
    assert _upload(pages, token="0" * 40) == 403
    assert _upload(pages, Origin="https://evil.example") == 403
    assert count_cases(pages.client) == before
    assert _upload(pages, Origin=BASE) == 303
    assert count_cases(pages.client) == before + 1
    # A token is bound to its session: after signing in again, the old one is refused.
    old = pages.token
    pages.sign_in("csm@example.com")
    assert old != pages.token
    assert _upload(pages, token=old) == 403


def test_signing_out_ends_the_session(pages: Browserish) -> None:
    pages.sign_in("csm@example.com")
    cookie = pages.client.cookies.get("triage_session")
    response = pages.client.post(
        "/sign-out", data={"csrf_token": pages.token}, follow_redirects=False
    )
    assert response.status_code == 303
    pages.client.cookies.set("triage_session", cookie or "")
    again = pages.client.get("/cases", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/sign-in")


def test_a_role_without_the_right_sees_why_as_a_page(pages: Browserish) -> None:
    pages.sign_in("legal@example.com")
    response = pages.client.get("/cases/new")
    assert response.status_code == 403
    assert "This needs the role csm or admin; you have legal." in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_pages_forbid_framing_and_foreign_scripts_and_the_api_is_untouched(
    pages: Browserish,
) -> None:
    page = pages.client.get("/sign-in")
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert "content-security-policy" not in pages.client.get("/healthz").headers
