"""The scaled shape end to end: ``triage serve`` and a Celery ``triage worker``, PostgreSQL, Redis.

Two processes configured only by the environment, as on two machines: the API stores
uploads and publishes job ids to Redis, the worker decides the cases. They share nothing
but the database and the broker (each has a data folder of its own; originals are kept in
the database). The worker reads with a ``witness`` extractor that only it registers, which
writes down the process that read each document, so a decided case shows where it ran.

The API publishes to the default queue (``make_job_queue`` takes no queue name from the
settings), so this module keeps a Redis database of its own instead of a queue of its own,
and a lock file keeps two runs on one machine from sharing it.
"""

from __future__ import annotations

import fcntl
import re
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import Engine, create_engine, text
from sqlmodel import col, func, select

from app.db import create_db_engine, migrate, session_scope
from app.jobs.celery_app import DEFAULT_QUEUE
from app.models import Blob, Case, CaseDocument, IdempotencyRecord, Job, JobStatus
from evals.saas.labels import load_label
from tests.app.api.conftest import (
    SAMPLE,
    bearer,
    issue_test_token,
    sample_files,
    scanned_pdf,
)
from tests.app.jobs.helpers import BUNDLES, redis_reachable
from tests.conftest import POSTGRES_URL, require
from tests.support.processes import (
    Spawned,
    free_port,
    port_open,
    service_env,
    wait_until,
    wait_until_ready,
)
from tests.support.run_witnessed_worker import WITNESS_ENV, witnessed

pytestmark = [pytest.mark.service, pytest.mark.slow]

# No other test uses this Redis database (the job tests use 15, the service defaults to 0).
REDIS_URL = "redis://127.0.0.1:6379/14"
REDIS_LOCK = Path(tempfile.gettempdir()) / "onboarding-triage-scaled-e2e-redis-14.lock"
LABELLED = BUNDLES / "33-velvetine-crestmoor"
SETTLED = {"decided", "needs_information", "ready_for_provisioning", "returned", "failed"}
# Celery's line for a task that returned: the job's outcome is the return value.
TASK_DONE = re.compile(r"Task triage\.process_job\[[0-9a-f-]+\] succeeded in [0-9.]+s: 'done'")


@dataclass
class Stack:
    """The running API and worker, the database they share and what the witness saw."""

    base_url: str
    engine: Engine
    api: Spawned
    worker: Spawned
    witness: Path
    api_data: Path
    headers: dict[str, str]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers=self.headers, timeout=30)

    def tasks_done(self) -> int:
        """How many jobs the worker has run to a decision, by its own log."""
        return len(TASK_DONE.findall(self.worker.output()))

    def readers(self, sha256: str) -> list[int]:
        """The processes that extracted the document ``sha256``, once per extraction."""
        return [pid for pid, sha in witnessed(self.witness) if sha == sha256]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The API and one solo-pool worker on a fresh database, for the module's tests."""
    require(port_open(5432), "PostgreSQL is not reachable on 127.0.0.1:5432")
    require(redis_reachable(), "Redis is not reachable on 127.0.0.1:6379")
    tmp = tmp_path_factory.mktemp("scaled")
    with redis_database_of_our_own(), throwaway_postgres() as database_url:
        engine = create_db_engine(database_url)
        # Migrated before the processes start: app.db.migrate takes no lock, so the API and
        # the worker migrating a fresh database at the same moment both create its tables.
        migrate(engine)
        witness = tmp / "witness.txt"
        settings = {
            "TRIAGE_DATABASE_URL": database_url,
            "TRIAGE_JOB_BACKEND": "celery",
            "TRIAGE_BROKER_URL": REDIS_URL,
            "TRIAGE_DOCUMENT_STORE": "database",
            # Only the worker registers ``witness``: a job run anywhere else would fail.
            "TRIAGE_OFFLINE_EXTRACTORS": "patterns,classifier,witness",
            "TRIAGE_LOG_FORMAT": "text",
            WITNESS_ENV: str(witness),
        }
        port = free_port()
        spawned: list[Spawned] = []
        try:
            worker = Spawned(
                "tests.support.run_witnessed_worker",
                ["--pool", "solo", "--loglevel", "INFO"],
                env=service_env(**settings, TRIAGE_DATA_DIR=str(tmp / "worker-data")),
                log=tmp / "worker.log",
            )
            spawned.append(worker)
            api = Spawned(
                "app.cli.serve_cmd",
                ["--port", str(port), "--shutdown-timeout", "5"],
                env=service_env(**settings, TRIAGE_DATA_DIR=str(tmp / "api-data")),
                log=tmp / "api.log",
            )
            spawned.append(api)
            base_url = f"http://127.0.0.1:{port}"
            wait_until_ready(base_url, api)
            wait_until(
                lambda: " ready." in worker.output(), what="the Celery worker", watch=[worker]
            )
            yield Stack(
                base_url=base_url,
                engine=engine,
                api=api,
                worker=worker,
                witness=witness,
                api_data=tmp / "api-data",
                headers=bearer(issue_test_token(engine)),
            )
        finally:
            # The API stops gracefully; the worker is killed, as SIGTERM does not stop it
            # (test_the_worker_stops_on_sigterm_after_deciding).
            for process in spawned:
                if process is not worker:
                    process.stop(timeout_s=10)
                process.kill_group()
            engine.dispose()


@contextmanager
def redis_database_of_our_own() -> Iterator[None]:
    """Hold the lock on the test's Redis database; afterwards delete the keys made meanwhile."""
    with REDIS_LOCK.open("a") as lock:
        deadline = time.monotonic() + 120
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another run has held {REDIS_LOCK} for over 120 s")
                time.sleep(0.5)
        client = redis.Redis.from_url(REDIS_URL)
        before = set(client.keys("*"))
        try:
            yield
        finally:
            ours = set(client.keys("*")) - before
            if ours:
                client.delete(*ours)
            client.close()
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """The URL of a fresh PostgreSQL database, dropped (connections and all) afterwards."""
    name = f"triage_scaled_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# ---- helpers ---------------------------------------------------------------------------------


def settled(stack: Stack, http: httpx.Client, case_url: str, job_id: str) -> dict[str, Any]:
    """The case view once the job ``job_id`` has decided it."""
    view: dict[str, Any] = {}

    def done() -> bool:
        view.update(http.get(case_url).json())
        return view["status"] in SETTLED and (view.get("job") or {}).get("id") == job_id

    wait_until(done, what=f"job {job_id} to settle its case", watch=[stack.api, stack.worker])
    return view


def counts(engine: Engine) -> dict[str, int]:
    """Rows of every table an upload writes."""
    with session_scope(engine) as session:
        return {
            model.__name__: int(session.exec(select(func.count()).select_from(model)).one())
            for model in (Case, CaseDocument, Job, Blob, IdempotencyRecord)
        }


def jobs_of(engine: Engine, case_id: str) -> list[Job]:
    with session_scope(engine) as session:
        jobs = list(
            session.exec(
                select(Job).where(col(Job.case_id) == case_id).order_by(col(Job.created_at))
            ).all()
        )
        for job in jobs:
            session.expunge(job)
        return jobs


def queued_messages() -> int:
    """Messages waiting in the default queue of the test's Redis database."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return int(client.llen(DEFAULT_QUEUE))
    finally:
        client.close()


def upload(
    http: httpx.Client, files: list[Any], *, reference: str, key: str | None = None
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return http.post("/v1/cases", files=files, data={"reference": reference}, headers=headers)


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:8]}"


# ---- tests -----------------------------------------------------------------------------------


def test_the_sample_bundle_is_decided_by_the_celery_worker(stack: Stack) -> None:
    done_before = stack.tasks_done()
    with stack.client() as http:
        response = upload(http, sample_files(), reference=unique("Kepler Maritime B.V."))
        assert response.status_code == 202, response.text
        accepted = response.json()
        case = settled(stack, http, response.headers["location"], accepted["job_id"])
        job = http.get(accepted["links"]["job"]).json()
        original = http.get(accepted["links"]["documents"][1])

    assert (case["status"], case["path"]) == ("decided", "assisted")
    assert [a["role"] for a in case["approvals"]] == ["legal", "finance", "security", "tax"]
    assert [d["filename"] for d in case["documents"]] == ["msa.pdf", "order_form.docx"]
    assert (job["status"], job["attempts"], job["error_code"]) == ("done", 1, None)
    # Read by the worker process, once per document, with its extractors.
    for document in accepted["documents"]:
        assert stack.readers(document["sha256"]) == [stack.worker.pid]
    assert case["versions"]["extractors"]["witness"] == "1"
    wait_until(lambda: stack.tasks_done() == done_before + 1, what="the worker to log the task")
    # The original comes back from the database: the API kept no file of it.
    assert original.content == (SAMPLE / "order_form.docx").read_bytes()
    assert not (stack.api_data / "blobs").exists()


def test_a_labelled_bundle_is_decided_as_labelled(stack: Stack) -> None:
    label = load_label(LABELLED)
    assert label.decision is not None and [d.file for d in label.documents] == ["agreement.pdf"]
    pdf = (LABELLED / "agreement.pdf").read_bytes()
    with stack.client() as http:
        response = upload(
            http,
            [("files", ("agreement.pdf", pdf, "application/pdf"))],
            reference=unique("Crestmoor Health System"),
        )
        assert response.status_code == 202, response.text
        accepted = response.json()
        case = settled(stack, http, response.headers["location"], accepted["job_id"])

    assert case["path"] == label.decision.path
    roles = [a["role"] for a in case["approvals"]]
    assert set(roles) == {approval.role for approval in label.decision.approvals}
    assert not set(roles) & set(label.decision.must_not)
    assert stack.readers(accepted["documents"][0]["sha256"]) == [stack.worker.pid]


def test_an_idempotency_key_retry_returns_the_same_case(stack: Stack) -> None:
    reference, key = unique("Kepler retry"), f"scaled-{uuid.uuid4().hex}"
    with stack.client() as http:
        first = upload(http, sample_files(), reference=reference, key=key)
        assert first.status_code == 202, first.text
        retry = upload(http, sample_files(), reference=reference, key=key)
        assert retry.status_code == 202, retry.text
        accepted = first.json()
        settled(stack, http, first.headers["location"], accepted["job_id"])
        listed = http.get("/v1/cases", params={"reference": reference}).json()["items"]

    assert retry.headers["idempotent-replayed"] == "true"
    assert (retry.json()["case_id"], retry.json()["job_id"]) == (
        accepted["case_id"],
        accepted["job_id"],
    )
    assert [item["id"] for item in listed] == [accepted["case_id"]]
    assert [job.id for job in jobs_of(stack.engine, accepted["case_id"])] == [accepted["job_id"]]


def test_adding_a_document_triages_the_case_again_through_celery(stack: Stack) -> None:
    msa, order_form = sample_files()
    with stack.client() as http:
        response = upload(http, [msa], reference=unique("Kepler add"))
        assert response.status_code == 202, response.text
        accepted = response.json()
        case_url = response.headers["location"]
        before = settled(stack, http, case_url, accepted["job_id"])
        # The MSA alone has no contract value, so the path waits for it.
        assert (before["status"], before["path"]) == ("needs_information", "needs_information")

        added = http.post(f"{case_url}/documents", files=[order_form])
        assert added.status_code == 202, added.text
        assert added.json()["job_id"] != accepted["job_id"]
        after = settled(stack, http, case_url, added.json()["job_id"])

    assert (after["status"], after["path"]) == ("decided", "assisted")
    assert [a["role"] for a in after["approvals"]] == ["legal", "finance", "security", "tax"]
    assert [d["filename"] for d in after["documents"]] == ["msa.pdf", "order_form.docx"]
    jobs = jobs_of(stack.engine, accepted["case_id"])
    assert [(job.status, job.attempts) for job in jobs] == [(JobStatus.DONE, 1)] * 2
    # Both documents read again by the worker for the second decision.
    msa_sha, order_sha = (d["sha256"] for d in after["documents"])
    assert stack.readers(msa_sha).count(stack.worker.pid) >= 2
    assert stack.worker.pid in stack.readers(order_sha)


def test_a_refused_upload_is_422_with_nothing_stored_or_published(stack: Stack) -> None:
    msa, _ = sample_files()
    scan = ("files", ("scan.pdf", scanned_pdf(), "application/pdf"))
    with stack.client() as http:
        existing = upload(http, [msa], reference=unique("Kepler refused"))
        accepted = existing.json()
        case_url = existing.headers["location"]
        case_before = settled(stack, http, case_url, accepted["job_id"])
        stored, received = counts(stack.engine), stack.worker.output().count(" received")

        refused = upload(http, [msa, scan], reference=unique("Kepler refused"))
        refused_add = http.post(f"{case_url}/documents", files=[scan])
        case_after = http.get(case_url).json()

    for response in (refused, refused_add):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["code"] == "no_text_layer"
        assert [d["filename"] for d in problem["documents"]] == ["scan.pdf"]
    assert counts(stack.engine) == stored
    assert case_after == case_before
    # Nothing was published: no message waits, and the worker was handed nothing new.
    time.sleep(0.5)
    assert queued_messages() == 0
    assert stack.worker.output().count(" received") == received


# Last in the module: it stops the module's worker.
def test_the_worker_stops_on_sigterm_after_deciding(stack: Stack) -> None:
    if stack.tasks_done() == 0:  # run on its own: decide a case first
        msa, _ = sample_files()
        with stack.client() as http:
            response = upload(http, [msa], reference=unique("Kepler stop"))
            settled(stack, http, response.headers["location"], response.json()["job_id"])
    assert stack.worker.stop(timeout_s=10) == 0, stack.worker.output()[-2000:]
