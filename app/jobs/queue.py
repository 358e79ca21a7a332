"""Where a stored job is sent to run: the contract every job queue keeps, and the factory.

The database is the source of truth; a queue only carries job ids. Submitting may fail or
be lost (a broker restart, a full in-memory queue) without losing the job: workers sweep
the table for queued jobs and expired leases on start and periodically.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Engine

from app.settings import Settings
from rules import Policy


class JobQueue(Protocol):
    """Carries job ids to workers."""

    def submit(self, job_id: str) -> None:
        """Ask for ``job_id`` to be run soon; never raises for a full or absent transport."""
        ...

    def start(self) -> None:
        """Begin consuming (a no-op for queues whose workers live elsewhere)."""
        ...

    def stop(self, *, timeout_s: float = 30.0) -> None:
        """Stop taking jobs; finish or release the ones claimed, within ``timeout_s``."""
        ...

    def healthy(self) -> bool:
        """Whether the transport answers (for readiness)."""
        ...


def make_job_queue(*, engine: Engine, settings: Settings, policy: Policy) -> JobQueue:
    """The queue the settings choose: the in-process pool, or Celery on the broker."""
    if settings.job_backend == "celery":
        from app.jobs.celery_queue import CeleryJobQueue  # noqa: PLC0415 - Celery loads only when chosen

        return CeleryJobQueue(engine=engine, settings=settings)
    from app.jobs.local import LocalWorkerPool  # noqa: PLC0415 - imported with its chooser

    return LocalWorkerPool(engine=engine, settings=settings, policy=policy)
