"""The safety net under every queue: find the jobs a transport lost and hand them out again.

A queue only carries job ids, so an id can be lost (a broker restart, a full in-memory
queue, a submit while the broker was down, a worker killed with its message unacked)
while the job waits in the table. A sweep queues again the jobs whose worker stopped
renewing its lease and publishes the ready ones; a duplicate delivery is harmless, since
``process_job`` claims a job before it runs it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from app.jobs.store import ready_job_ids, requeue_expired

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sweep:
    """What one sweep did: the jobs of lost workers queued again, and the ids published."""

    requeued: list[str]
    published: list[str]


def sweep_jobs(
    *,
    engine: Engine,
    publish: Callable[[str], None],
    backlog: Callable[[], int | None] | None = None,
    limit: int = 1000,
) -> Sweep:
    """Requeue expired leases, then publish the ready jobs the transport may be missing.

    ``backlog`` says how many messages already wait in the transport (None: unknown). When
    it holds at least as many as there are ready jobs, only the jobs just requeued are
    published: every sweep re-publishing a long backlog would grow the broker's queue by
    the whole backlog each time, faster than the workers drain it.
    """
    requeued = requeue_expired(engine=engine)
    ready = ready_job_ids(engine=engine, limit=limit)
    waiting = backlog() if backlog is not None and ready else None
    chosen = ready if waiting is None or waiting < len(ready) else requeued
    published: list[str] = []
    for job_id in dict.fromkeys([*requeued, *chosen]):
        publish(job_id)
        published.append(job_id)
    if requeued:
        log.warning("requeued %d job(s) whose worker stopped: %s", len(requeued), requeued)
    return Sweep(requeued=requeued, published=published)


class PeriodicSweeper:
    """Runs ``sweep`` at once and then every ``interval_s`` in a daemon thread until stopped."""

    def __init__(
        self, *, sweep: Callable[[], object], interval_s: float, name: str, what: str = "job sweep"
    ) -> None:
        self._sweep = sweep
        self._what = what
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Begin sweeping."""
        self._thread.start()

    def stop(self, *, timeout_s: float = 5.0) -> None:
        """Stop after the sweep under way, if any."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def alive(self) -> bool:
        """Whether the thread still runs."""
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._sweep()
            except Exception:  # a database or broker hiccup: the next sweep tries again
                log.warning("%s failed", self._what, exc_info=True)
            self._stop.wait(self._interval_s)


def sweep_interval_s(lease_s: float) -> float:
    """Sweep twice per lease, so a lost job waits at most about one and a half leases."""
    return max(lease_s / 2, 0.2)
