"""The scaled-out job runner: a Celery task on Redis that runs a stored job by its id.

The message carries only the job id; the table is the source of truth, and ``process_job``
claims the job before running it, so a message delivered twice (a retry, a redelivery,
a sweep) runs the job once. Crash recovery does not rest on the broker: every worker
sweeps the table on start and periodically, requeueing jobs whose lease ran out and
publishing the ready ones.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from functools import cache
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import (
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
    worker_shutdown,
)
from sqlalchemy import Engine

from app.approvals.clock import approval_clock
from app.db import get_engine, session_scope
from app.deciding import close_deciders
from app.events.delivery import OutboxDispatcher
from app.jobs.process import JobOutcome, process_job, worker_identity
from app.jobs.store import get_job
from app.jobs.sweeper import PeriodicSweeper, Sweep, sweep_interval_s, sweep_jobs
from app.models import utcnow
from app.settings import Settings
from extractors.ingest import shutdown_pool
from rules import Policy, load_policy

log = logging.getLogger(__name__)

TASK_NAME = "triage.process_job"
DEFAULT_QUEUE = "triage"
# Redis answers in milliseconds when it is up; a caller must not hang when it is not.
BROKER_CONNECT_TIMEOUT_S = 2.0
# A retry's countdown ends this long after ``available_at``, so the claim sees it ready.
_RETRY_MARGIN_S = 0.5


def visibility_timeout_s(settings: Settings) -> float:
    """How long Redis waits for a delivered message's ack before handing it out again.

    Recovering a crashed worker's job does not wait for this: its lease runs out and a
    sweep requeues it within about one and a half leases. Redelivery is only a second
    route, so the timeout is long: ten leases, and never less than the longest retry
    countdown plus a lease, because Redis keeps a countdown message unacked until it
    runs and would hand it out again, and again, before it is due.
    """
    longest_backoff = settings.job_retry_backoff_s * 2.0 ** max(settings.job_max_attempts - 1, 0)
    return max(settings.job_lease_s * 10, longest_backoff + settings.job_lease_s, 300.0)


def make_celery_app(settings: Settings, *, queue: str = DEFAULT_QUEUE) -> Any:
    """A Celery app on ``settings.broker_url`` with the job task, publishing to ``queue``."""
    app = Celery("triage", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_default_queue=queue,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        # The ack comes after the task ran, so a job whose worker dies is not lost with
        # the message; a dead prefork child's message goes back to the queue.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # A task that raised is acked, not redelivered in a loop: the job table decides
        # what runs again (fail_job's backoff, then the sweeps).
        task_acks_on_failure_or_timeout=True,
        # One job at a time per process: a long job never holds others back unstarted.
        worker_prefetch_multiplier=1,
        # On a broker outage a running job goes on: its lease keeps others off it, and
        # the redelivered message is then a no-op.
        worker_cancel_long_running_tasks_on_connection_loss=False,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=BROKER_CONNECT_TIMEOUT_S,
        broker_transport_options={
            "visibility_timeout": visibility_timeout_s(settings),
            "socket_connect_timeout": BROKER_CONNECT_TIMEOUT_S,
        },
    )
    # The task reads its settings from the app it runs in (several apps may share a process).
    app.triage_settings = settings
    app.task(
        name=TASK_NAME,
        bind=True,
        # Registered on this app only: a shared task would run with the first app's settings.
        shared=False,
        acks_late=True,
        reject_on_worker_lost=True,
        # The job table counts attempts (job_max_attempts) and fails the job for good.
        max_retries=None,
    )(run_job)
    return app


def run_job(task: Any, job_id: str) -> str:
    """The task: run the stored job ``job_id``; retry it when its backoff has passed."""
    settings: Settings = task.app.triage_settings
    engine = get_engine(settings.database_url)
    result = process_job(
        job_id,
        engine=engine,
        settings=settings,
        policy=worker_policy(settings.rules_dir),
        worker_id=worker_identity("celery"),
    )
    if result.outcome is JobOutcome.RETRY:
        raise task.retry(countdown=retry_countdown_s(engine=engine, job_id=job_id))
    return result.outcome.value


@cache
def worker_policy(rules_dir: Path | None) -> Policy:
    """The policy, loaded once per worker process."""
    return load_policy(rules_dir)


def retry_countdown_s(*, engine: Engine, job_id: str) -> float:
    """Seconds until the job's backoff has passed (``available_at``), plus a margin."""
    with session_scope(engine) as session:
        available_at = get_job(session=session, job_id=job_id).available_at
    if available_at.tzinfo is None:  # SQLite gives back naive UTC
        available_at = available_at.replace(tzinfo=UTC)
    return max((available_at - utcnow()).total_seconds(), 0.0) + _RETRY_MARGIN_S


@contextmanager
def broker_connection(app: Any) -> Iterator[Any]:
    """A connection to the broker that fails at once, without kombu's retry pause, if it is down."""
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=0, timeout=BROKER_CONNECT_TIMEOUT_S)
        yield connection


def publish_job(app: Any, job_id: str, *, queue: str, connection: Any) -> None:
    """Send ``job_id`` to the workers of ``queue``; raises if the broker does not take it."""
    app.send_task(TASK_NAME, args=[job_id], queue=queue, connection=connection, retry=False)


def queue_depth(connection: Any, *, queue: str) -> int:
    """How many messages wait in ``queue`` (not those a worker has taken and not acked)."""
    try:
        declared = connection.default_channel.queue_declare(queue=queue, passive=True)
    except connection.channel_errors:
        return 0  # Redis keeps no key for an empty queue
    return int(declared.message_count)


def broker_answers(app: Any) -> bool:
    """Whether the broker accepts a connection within the connect timeout."""
    try:
        with broker_connection(app):
            return True
    except Exception:
        return False


def sweep_broker(app: Any, *, engine: Engine, queue: str) -> Sweep:
    """Requeue jobs of lost workers and publish the ready jobs the broker may lack."""
    with broker_connection(app) as connection:
        return sweep_jobs(
            engine=engine,
            publish=lambda job_id: publish_job(app, job_id, queue=queue, connection=connection),
            backlog=lambda: queue_depth(connection, queue=queue),
        )


def _allow_child_processes() -> None:
    """Let a Celery pool process start the rules engine's process (``rules.isolated``).

    billiard (Celery's fork of multiprocessing) marks its pool processes daemonic and gives
    them an authentication key the standard library refuses to pickle, so a pool process
    could start no process of its own. The engine's process is stopped when this one
    exits, and ends by itself if this one is killed (its pipe closes).
    """
    current = multiprocessing.current_process()
    config = current._config  # type: ignore[attr-defined]
    config["daemon"] = False
    config["authkey"] = multiprocessing.process.AuthenticationString(  # type: ignore[attr-defined]
        bytes(current.authkey)
    )


def install_worker_hooks(app: Any, *, settings: Settings, queue: str) -> None:
    """Make a worker of ``app`` sweep when ready and periodically, and open fresh connections.

    The worker's main process also delivers the outbox's events (a thread beside the sweeper).
    Called once by the worker command, before the worker starts.
    """
    sweepers: list[PeriodicSweeper | OutboxDispatcher] = []

    def on_ready(sender: Any = None, **_: Any) -> None:
        if getattr(sender, "app", None) is not app:
            return
        engine = get_engine(settings.database_url)
        sweeper = PeriodicSweeper(
            sweep=lambda: sweep_broker(app, engine=engine, queue=queue),
            interval_s=sweep_interval_s(settings.job_lease_s),
            name="job-sweeper",
        )
        sweeper.start()
        sweepers.append(sweeper)
        dispatcher = OutboxDispatcher(engine=engine, settings=settings)
        dispatcher.start()
        sweepers.append(dispatcher)
        # Reminds and escalates approvals on time (each case held, so workers never double).
        clock = approval_clock(engine=engine, settings=settings)
        clock.start()
        sweepers.append(clock)

    def on_shutdown(sender: Any = None, **_: Any) -> None:
        while sweepers:
            sweepers.pop().stop()
        # Before billiard's exit handler, which waits for every child process: a solo or
        # threads worker has decided cases in-process and holds the rules engine's and the
        # parsers' workers, which nothing else would tell to stop.
        close_deciders()
        shutdown_pool()

    def on_process_init(**_: Any) -> None:
        # A forked pool process must not share the parent's database connections, and
        # loads the policy for itself (the rules engine holds native state).
        get_engine(settings.database_url).dispose(close=False)
        worker_policy.cache_clear()
        _allow_child_processes()

    worker_ready.connect(on_ready, weak=False)
    worker_shutdown.connect(on_shutdown, weak=False)
    worker_process_init.connect(on_process_init, weak=False)
    # A pool process ends without running atexit handlers: stop the rules engine's process.
    worker_process_shutdown.connect(lambda **_: close_deciders(), weak=False)
