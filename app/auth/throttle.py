"""Sign-in attempts, limited: guessing passwords is slow, and so is flooding the hasher.

Per e-mail and client address, a few wrong passwords in a window close sign-in for that
pair until the window has passed (429 with Retry-After); other addresses, and the right
user from elsewhere, are not locked out. Argon2 takes 64 MiB per check, so at most a few
checks run at once in a process; the rest wait their turn briefly, then get 503.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app.errors import TriageError, UnavailableError

MAX_FAILURES = 5
WINDOW_S = 15 * 60.0
MAX_CONCURRENT_CHECKS = 4
WAIT_FOR_CHECK_S = 10.0
# Pairs remembered at most: past it, the stalest are forgotten (memory stays bounded).
MAX_TRACKED = 10_000


class TooManyAttemptsError(TriageError):
    code = "too_many_attempts"
    status = 429
    title = "Too many failed sign-ins"


class SignInThrottle:
    """Failed sign-ins by (e-mail, client address), in a sliding window; checks at once."""

    def __init__(
        self,
        *,
        max_failures: int = MAX_FAILURES,
        window_s: float = WINDOW_S,
        max_concurrent: int = MAX_CONCURRENT_CHECKS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()
        self._checks = threading.BoundedSemaphore(max_concurrent)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        if failures:
            self._failures[key] = failures
        else:
            self._failures.pop(key, None)
        return failures

    def check(self, *, email: str, client: str) -> None:
        """TooManyAttemptsError (with when to retry) if this pair has failed too often."""
        key = (email.strip().lower(), client)
        with self._lock:
            now = self.clock()
            failures = self._recent(key, now)
            if len(failures) >= self.max_failures:
                retry_after = max(1, int(failures[0] + self.window_s - now) + 1)
                raise TooManyAttemptsError(
                    f"Too many failed sign-ins for this e-mail from here; try again in "
                    f"{retry_after} seconds.",
                    retry_after_s=retry_after,
                )

    def failed(self, *, email: str, client: str) -> None:
        """Count a failed sign-in."""
        key = (email.strip().lower(), client)
        with self._lock:
            now = self.clock()
            self._recent(key, now)
            self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > MAX_TRACKED:
                self._forget_stalest(now)

    def _forget_stalest(self, now: float) -> None:
        for key in list(self._failures):
            self._recent(key, now)
        if len(self._failures) > MAX_TRACKED:
            by_last = sorted(self._failures, key=lambda pair: self._failures[pair][-1])
            for key in by_last[: len(self._failures) - MAX_TRACKED]:
                del self._failures[key]

    def succeeded(self, *, email: str, client: str) -> None:
        """Forget the pair's failures: the person got in."""
        with self._lock:
            self._failures.pop((email.strip().lower(), client), None)

    @contextmanager
    def password_check(self, *, wait_s: float = WAIT_FOR_CHECK_S) -> Iterator[None]:
        """A turn at the password hasher; UnavailableError (503) if none frees up in time."""
        if not self._checks.acquire(timeout=wait_s):
            raise UnavailableError("Too many sign-ins at once; try again shortly.", retry_after_s=5)
        try:
            yield
        finally:
            self._checks.release()
