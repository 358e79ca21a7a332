"""Celery on Redis, in this process: publishing never loses a job, sweeps refill the broker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.jobs.celery_app import (
    TASK_NAME,
    broker_connection,
    make_celery_app,
    queue_depth,
    retry_countdown_s,
    sweep_broker,
    visibility_timeout_s,
)
from app.jobs.celery_queue import CeleryJobQueue
from app.jobs.queue import make_job_queue
from app.jobs.store import claim_job, fail_job
from app.models import CaseStatus, JobStatus
from app.settings import Settings
from rules import Policy
from tests.app.jobs.helpers import (
    BUNDLES,
    REDIS_URL,
    accept_contract,
    expire_lease,
    job_settings,
    load_case,
    load_job,
    new_job,
    purge_queue,
    redis_reachable,
    unique_queue,
)
from tests.conftest import require

# Nothing listens on port 1: a broker that is down.
DOWN_BROKER = "redis://127.0.0.1:1/0"


def test_submit_with_the_broker_down_leaves_the_job_queued(
    engine: Engine, policy: Policy, tmp_path: Path
) -> None:
    settings = job_settings(engine, tmp_path, job_backend="celery", broker_url=DOWN_BROKER)
    queue = make_job_queue(engine=engine, settings=settings, policy=policy)
    assert isinstance(queue, CeleryJobQueue)
    accepted = accept_contract(engine, settings)
    started = time.monotonic()
    queue.submit(accepted.job_id)  # logs, never raises
    assert not queue.healthy()
    assert time.monotonic() - started < 5
    job = load_job(engine, accepted.job_id)
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 0)
    assert load_case(engine, accepted.case_id).status is CaseStatus.QUEUED


def test_a_retry_waits_for_the_jobs_backoff(engine: Engine) -> None:
    job_id = new_job(engine)
    assert claim_job(engine=engine, job_id=job_id, worker_id="w", lease_s=60)
    fail_job(engine=engine, job_id=job_id, worker_id="w", error_code="e", message="m", backoff_s=8)
    assert 8 <= retry_countdown_s(engine=engine, job_id=job_id) <= 9


def test_the_visibility_timeout_outlasts_every_retry_countdown() -> None:
    settings = Settings(job_lease_s=2, job_retry_backoff_s=120, job_max_attempts=4)
    # The last retry waits 120 * 2**2 s; Redis must not hand its message out before that.
    assert visibility_timeout_s(settings) > 480 + 2
    assert visibility_timeout_s(Settings(job_lease_s=60)) >= 600


def test_the_task_runs_a_stored_job(engine: Engine, tmp_path: Path) -> None:
    settings = job_settings(engine, tmp_path, job_backend="celery", broker_url=DOWN_BROKER)
    accepted = accept_contract(engine, settings)
    app = make_celery_app(settings, queue="unused")
    # Run eagerly, as a worker would, without a broker.
    result = app.tasks[TASK_NAME].apply(args=[accepted.job_id])
    assert result.get() == "done"
    assert app.tasks[TASK_NAME].apply(args=[accepted.job_id]).get() == "skipped"
    assert load_case(engine, accepted.case_id).decision_json is not None
    assert load_job(engine, accepted.job_id).attempts == 1


def require_redis() -> None:
    require(redis_reachable(), "Redis is not reachable on 127.0.0.1:6379")


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of this test's own on the test Redis database, removed afterwards."""
    require_redis()
    name = unique_queue()
    try:
        yield name
    finally:
        purge_queue(REDIS_URL, name)


@pytest.mark.service
def test_healthy_when_the_broker_answers(engine: Engine, tmp_path: Path) -> None:
    require_redis()
    settings = job_settings(engine, tmp_path, job_backend="celery", broker_url=REDIS_URL)
    assert CeleryJobQueue(engine=engine, settings=settings, queue=unique_queue()).healthy()


@pytest.mark.service
def test_a_sweep_publishes_what_the_broker_lacks_and_no_more(
    engine: Engine, tmp_path: Path, queue_name: str
) -> None:
    settings = job_settings(engine, tmp_path, job_backend="celery", broker_url=REDIS_URL)
    app = make_celery_app(settings, queue=queue_name)
    first = accept_contract(engine, settings)
    second = accept_contract(engine, settings, BUNDLES / "26-keystone-pennant" / "msa.txt")

    sweep = sweep_broker(app, engine=engine, queue=queue_name)
    assert sorted(sweep.published) == sorted([first.job_id, second.job_id])
    assert sweep.requeued == []
    with broker_connection(app) as connection:
        assert queue_depth(connection, queue=queue_name) == 2

    # Both are in the broker already: a sweep adds nothing.
    assert sweep_broker(app, engine=engine, queue=queue_name).published == []

    # A worker took the first job and died: the next sweep publishes it again.
    assert claim_job(engine=engine, job_id=first.job_id, worker_id="dead", lease_s=60)
    expire_lease(engine, first.job_id)
    sweep = sweep_broker(app, engine=engine, queue=queue_name)
    assert (sweep.requeued, sweep.published) == ([first.job_id], [first.job_id])
    with broker_connection(app) as connection:
        assert queue_depth(connection, queue=queue_name) == 3
