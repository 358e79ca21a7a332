"""Helpers for the job tests: a real contract, row reads, and bounded waits."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, func, select

from app.cases import create_case, get_case
from app.db import session_scope
from app.jobs.store import create_job, get_job
from app.models import Case, CaseDocument, Job
from app.pipeline import Accepted, Upload, accept_uploads
from app.settings import Settings
from tests.conftest import REPO_ROOT

# A real order confirmation from the labelled SaaS bundles, read as text.
BUNDLES = REPO_ROOT / "evals" / "saas" / "bundles"
CONTRACT = BUNDLES / "04-kestrel-bluebird" / "order_confirmation.txt"
REDIS_URL = "redis://127.0.0.1:6379/15"


def job_settings(engine: Engine, data_dir: Path, **overrides: object) -> Settings:
    """Settings for this database: the offline extractors, the rules engine in-process."""
    values: dict[str, object] = {
        "database_url": engine.url.render_as_string(hide_password=False),
        "data_dir": data_dir,
        "rules_isolation": False,
        "offline_extractors": ["patterns"],
    }
    values.update(overrides)
    return Settings.model_validate(values)


def accept_contract(engine: Engine, settings: Settings, path: Path = CONTRACT) -> Accepted:
    """Store ``path`` as a new case with its queued job, as an upload request does."""
    return accept_uploads(
        engine=engine, uploads=[Upload.from_path(path, max_bytes=10_000_000)], settings=settings
    )


def load_job(engine: Engine, job_id: str) -> Job:
    """The job row as it is now, detached from any session."""
    with session_scope(engine) as session:
        job = get_job(session=session, job_id=job_id)
        session.expunge(job)
        return job


def load_case(engine: Engine, case_id: str) -> Case:
    """The case row as it is now, detached from any session."""
    with session_scope(engine) as session:
        case = get_case(session=session, case_id=case_id)
        session.expunge(case)
        return case


def count_rows(engine: Engine, model: type[Case] | type[CaseDocument] | type[Job]) -> int:
    """How many rows the table holds."""
    with session_scope(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def documents_of(engine: Engine, case_id: str) -> int:
    """How many documents the case has."""
    statement = (
        select(func.count()).select_from(CaseDocument).where(col(CaseDocument.case_id) == case_id)
    )
    with session_scope(engine) as session:
        return int(session.exec(statement).one())


def wait_for(
    condition: Callable[[], bool],
    *,
    what: str,
    timeout_s: float = 30.0,
    process: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
) -> None:
    """Poll ``condition`` until true; fail after ``timeout_s`` or if ``process`` exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            output = log.read_text(errors="replace") if log is not None else ""
            pytest.fail(f"worker exited ({process.returncode}) before {what}:\n{output[-4000:]}")
        time.sleep(0.1)
    output = log.read_text(errors="replace") if log is not None else ""
    pytest.fail(f"timed out after {timeout_s:g} s waiting for {what}\n{output[-4000:]}")


def new_job(engine: Engine, *, max_attempts: int = 3) -> str:
    with session_scope(engine) as session:
        case = create_case(session=session)
        return create_job(session=session, case_id=case.id, max_attempts=max_attempts).id


def expire_lease(engine: Engine, job_id: str) -> None:
    """What the clock does to the lease of a worker that stopped renewing it."""
    past = datetime.now(UTC) - timedelta(seconds=5)
    with session_scope(engine) as session:
        session.exec(update(Job).where(col(Job.id) == job_id).values(lease_expires_at=past))


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def unique_queue() -> str:
    """A broker queue name no other test uses."""
    return f"triage-test-{uuid.uuid4().hex[:12]}"


def purge_queue(redis_url: str, queue: str) -> None:
    """Remove every trace of ``queue`` from Redis: its messages, bindings and unacked ones."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.delete(*client.keys(f"{queue}*"), *client.keys(f"_kombu.binding*.{queue}"))
        for tag, raw in client.hgetall("unacked").items():
            if json.loads(raw)[-1] == queue:  # [message, exchange, routing key]
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()
