"""The job queue of an API process when jobs run on Celery workers: it only publishes ids."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine

from app.jobs.celery_app import (
    DEFAULT_QUEUE,
    broker_answers,
    broker_connection,
    make_celery_app,
    publish_job,
)
from app.settings import Settings

log = logging.getLogger(__name__)


class CeleryJobQueue:
    """Publishes job ids to the Celery workers' queue on the broker."""

    def __init__(
        self,
        *,
        engine: Engine,
        settings: Settings,
        queue: str = DEFAULT_QUEUE,
        app: Any = None,
    ) -> None:
        self.engine, self.settings, self.queue = engine, settings, queue
        self.app = app if app is not None else make_celery_app(settings, queue=queue)

    def submit(self, job_id: str) -> None:
        """Publish ``job_id``; with the broker away the job waits in the table for a sweep."""
        try:
            with broker_connection(self.app) as connection:
                publish_job(self.app, job_id, queue=self.queue, connection=connection)
        except Exception:
            log.warning(
                "could not publish job %s; it stays queued until a worker sweeps",
                job_id,
                exc_info=True,
            )

    def start(self) -> None:
        """Nothing to start: the workers are other processes."""

    def stop(self, *, timeout_s: float = 30.0) -> None:
        """Nothing to stop: publishing holds no job, and the workers are other processes."""

    def healthy(self) -> bool:
        """Whether the broker answers within a short timeout."""
        return broker_answers(self.app)
