"""kill -9 of a worker mid-job, for real, on both runtime shapes: the job runs again, once.

The worker is ``triage worker`` in a subprocess with a deliberately slow extractor; the
test waits until its job is running, kills it with SIGKILL, starts a fresh worker and
checks that the case was decided exactly once, with nothing duplicated.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.models import SETTLED_STATUSES, Case, JobStatus
from app.pipeline import Accepted
from tests.app.jobs.helpers import (
    REDIS_URL,
    accept_contract,
    count_rows,
    documents_of,
    job_settings,
    load_case,
    load_job,
    purge_queue,
    redis_reachable,
    unique_queue,
    wait_for,
)
from tests.conftest import REPO_ROOT, require
from tests.support.run_worker import SLOW_ENV, SLOW_ONCE_ENV

LEASE_S = 2


class Workers:
    """Starts worker subprocesses and makes sure none outlives the test."""

    def __init__(self, tmp_path: Path, env: dict[str, str], args: list[str]) -> None:
        self.tmp_path, self.env, self.args = tmp_path, env, args
        self.started: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, *, slow_s: float) -> tuple[subprocess.Popen[bytes], Path]:
        log = self.tmp_path / f"worker-{len(self.started)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.support.run_worker", *self.args],
                cwd=REPO_ROOT,
                env={**self.env, SLOW_ENV: str(slow_s)},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.started.append((process, log))
        return process, log

    def kill_all(self) -> None:
        for process, _ in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(10)


@pytest.fixture
def workers_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRIAGE_")}
    env.update(
        TRIAGE_DATA_DIR=str(tmp_path / "data"),
        TRIAGE_JOB_LEASE_S=str(LEASE_S),
        TRIAGE_RULES_ISOLATION="false",
        TRIAGE_OFFLINE_EXTRACTORS="patterns,slow",
    )
    return env


def kill_mid_job_and_recover(
    engine: Engine, tmp_path: Path, env: dict[str, str], args: list[str]
) -> None:
    """Kill the worker running the job, start a fresh one, and check the job ran once."""
    env = {**env, "TRIAGE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    accepted, documents = accept_contract_for_workers(engine, tmp_path)
    workers = Workers(tmp_path, env, args)
    try:
        first, log = workers.start(slow_s=60)
        wait_until_running(engine, accepted.job_id, first, log)
        os.kill(first.pid, signal.SIGKILL)
        assert first.wait(10) == -signal.SIGKILL
        job = load_job(engine, accepted.job_id)
        assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)  # left mid-way
        assert load_case(engine, accepted.case_id).decision_json is None

        second, log = workers.start(slow_s=0)
        wait_until_done(engine, accepted.job_id, second, log)
        stop_gracefully(second, log)
    finally:
        workers.kill_all()
    assert_decided_once(engine, accepted, documents)
    assert "triage worker: backend=" in log.read_text()


def accept_contract_for_workers(engine: Engine, tmp_path: Path) -> tuple[Accepted, int]:
    accepted = accept_contract(engine, job_settings(engine, tmp_path / "data"))
    documents = documents_of(engine, accepted.case_id)
    assert documents == 1
    return accepted, documents


def wait_until_running(
    engine: Engine, job_id: str, worker: subprocess.Popen[bytes], log: Path
) -> None:
    wait_for(
        lambda: load_job(engine, job_id).status is JobStatus.RUNNING,
        what="a worker to start the job",
        process=worker,
        log=log,
    )


def wait_until_done(
    engine: Engine, job_id: str, worker: subprocess.Popen[bytes], log: Path
) -> None:
    wait_for(
        lambda: load_job(engine, job_id).status is JobStatus.DONE,
        what="the job to be run again and finished",
        process=worker,
        log=log,
    )


def stop_gracefully(worker: subprocess.Popen[bytes], log: Path) -> None:
    """SIGTERM stops a worker after its running jobs, with exit code 0."""
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(20) == 0, log.read_text(errors="replace")[-4000:]


def assert_decided_once(engine: Engine, accepted: Accepted, documents: int) -> None:
    job = load_job(engine, accepted.job_id)
    assert (job.status, job.attempts, job.lease_owner) == (JobStatus.DONE, 2, None)
    assert count_rows(engine, Case) == 1
    assert documents_of(engine, accepted.case_id) == documents
    case = load_case(engine, accepted.case_id)
    assert case.status in SETTLED_STATUSES
    assert case.decision_json is not None


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_local_worker_killed_mid_job(
    engine: Engine, tmp_path: Path, workers_env: dict[str, str]
) -> None:
    env = {**workers_env, "TRIAGE_JOB_BACKEND": "local"}
    kill_mid_job_and_recover(engine, tmp_path, env, [])


@pytest.fixture
def celery_queue() -> Iterator[str]:
    """A broker queue of this test's own on the test Redis database, removed afterwards."""
    require(redis_reachable(), "Redis is not reachable on 127.0.0.1:6379")
    name = unique_queue()
    try:
        yield name
    finally:
        purge_queue(REDIS_URL, name)


@pytest.mark.slow
@pytest.mark.service
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_celery_worker_killed_mid_job(
    engine: Engine, tmp_path: Path, workers_env: dict[str, str], celery_queue: str
) -> None:
    env = {**workers_env, "TRIAGE_JOB_BACKEND": "celery", "TRIAGE_BROKER_URL": REDIS_URL}
    kill_mid_job_and_recover(
        engine, tmp_path, env, ["--pool", "solo", "--queue", celery_queue, "--loglevel", "INFO"]
    )


@pytest.mark.slow
@pytest.mark.service
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_celery_pool_process_killed_mid_job(
    engine: Engine, tmp_path: Path, workers_env: dict[str, str], celery_queue: str
) -> None:
    """A prefork pool process dies mid-job: the worker replaces it and the job runs again.

    The rules engine runs isolated here (the default), in a process the pool process starts.
    """
    slow_marker = tmp_path / "slept"  # only the first extraction is slow
    env = {
        **workers_env,
        "TRIAGE_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "TRIAGE_JOB_BACKEND": "celery",
        "TRIAGE_BROKER_URL": REDIS_URL,
        "TRIAGE_RULES_ISOLATION": "true",
        SLOW_ONCE_ENV: str(slow_marker),
    }
    accepted, documents = accept_contract_for_workers(engine, tmp_path)
    args = ["--pool", "prefork", "--concurrency", "1", "--queue", celery_queue]
    workers = Workers(tmp_path, env, args)
    try:
        worker, log = workers.start(slow_s=60)
        wait_until_running(engine, accepted.job_id, worker, log)
        # Kill it inside the extraction, not on its way there.
        wait_for(slow_marker.exists, what="the extraction to start", process=worker, log=log)
        owner = load_job(engine, accepted.job_id).lease_owner or ""
        pool_process = int(owner.split(":")[2])  # kind:host:pid:nonce
        assert pool_process != worker.pid
        os.kill(pool_process, signal.SIGKILL)
        wait_until_done(engine, accepted.job_id, worker, log)
        stop_gracefully(worker, log)
    finally:
        workers.kill_all()
    assert_decided_once(engine, accepted, documents)
    decision = json.loads(load_case(engine, accepted.case_id).decision_json or "{}")
    assert decision["engine"] == "durable"
