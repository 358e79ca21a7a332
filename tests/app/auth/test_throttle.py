"""Sign-in attempts are limited per e-mail and address; password checks a few at a time."""

from __future__ import annotations

import threading

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.auth import throttle as throttle_module
from app.auth.models import Role
from app.auth.service import create_user
from app.auth.throttle import SignInThrottle, TooManyAttemptsError
from app.db import session_scope
from app.errors import UnavailableError
from tests.app.api.conftest import engine_of

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_failures_close_the_pair_until_the_window_passes() -> None:
    clock = Clock()
    limiter = SignInThrottle(max_failures=5, window_s=900, clock=clock)
    for _ in range(5):
        limiter.check(email="ana@example.com", client="10.0.0.1")
        limiter.failed(email="Ana@Example.com", client="10.0.0.1")
        clock.now += 10
    with pytest.raises(TooManyAttemptsError) as refused:
        limiter.check(email="ana@example.com", client="10.0.0.1")
    assert refused.value.status == 429
    # The first failure (at 1000) leaves the window at 1900; it is now 1050.
    assert refused.value.extra == {"retry_after_s": 851}
    # Another address, or another e-mail, is not locked out.
    limiter.check(email="ana@example.com", client="10.0.0.2")
    limiter.check(email="ben@example.com", client="10.0.0.1")
    clock.now = 1900.5  # the first failure has left the window: one more try
    limiter.check(email="ana@example.com", client="10.0.0.1")


def test_a_success_forgets_the_failures() -> None:
    limiter = SignInThrottle(max_failures=2, clock=Clock())
    limiter.failed(email="ana@example.com", client="c")
    limiter.succeeded(email="ana@example.com", client="c")
    limiter.failed(email="ana@example.com", client="c")
    limiter.check(email="ana@example.com", client="c")


def test_memory_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttle_module, "MAX_TRACKED", 10)
    clock = Clock()
    limiter = SignInThrottle(max_failures=1, clock=clock)
    for n in range(25):
        clock.now += 1
        limiter.failed(email=f"user{n}@example.com", client="c")
    assert len(limiter._failures) <= 10
    with pytest.raises(TooManyAttemptsError):  # the newest are the ones kept
        limiter.check(email="user24@example.com", client="c")


def test_password_checks_run_a_few_at_a_time() -> None:
    limiter = SignInThrottle(max_concurrent=2)
    release = threading.Event()
    entered = threading.Barrier(3)

    def hold() -> None:
        with limiter.password_check():
            entered.wait(timeout=5)
            release.wait(timeout=5)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for thread in threads:
        thread.start()
    entered.wait(timeout=5)
    with pytest.raises(UnavailableError), limiter.password_check(wait_s=0.05):
        pass
    release.set()
    for thread in threads:
        thread.join(timeout=5)
    with limiter.password_check(wait_s=0.05):
        pass


def test_the_api_answers_429_with_retry_after(client: TestClient) -> None:
    client.headers.pop("Authorization")
    with session_scope(engine_of(client)) as session:
        create_user(session=session, email="ana@example.com", roles=[Role.CSM], password=PASSWORD)
    app = client.app
    assert isinstance(app, FastAPI)
    clock = Clock()
    app.state.sign_in_throttle = SignInThrottle(max_failures=3, window_s=60, clock=clock)
    wrong = {"email": "ana@example.com", "password": "not the password"}
    assert [client.post("/v1/sessions", json=wrong).status_code for _ in range(3)] == [401] * 3
    refused = client.post("/v1/sessions", json={"email": "ana@example.com", "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_attempts"
    assert refused.headers["retry-after"] == "61"
    clock.now += 61
    assert (
        client.post(
            "/v1/sessions", json={"email": "ana@example.com", "password": PASSWORD}
        ).status_code
        == 201
    )
