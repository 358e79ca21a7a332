"""Worker time: run one job — claim it, triage its case in a session of its own, finish it.

Whatever runs this (the in-process pool, a Celery worker, the CLI) gets the same
guarantees: one holder per job (the lease), a heartbeat while it works, and a decision
written in the same transaction that marks the job done, so a job re-run after a crash
replaces nothing but its own unfinished work.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Engine

from app.approvals.flow import record_job_failed
from app.cases import get_case, set_status
from app.db import session_scope
from app.jobs.store import claim_job, fail_job, finish_job, get_job, renew_lease
from app.models import CaseStatus, JobStatus
from app.observability import record_decision, record_job
from app.pipeline import decide_case
from app.settings import Settings
from rules import Policy

log = logging.getLogger(__name__)


class JobOutcome(StrEnum):
    DONE = "done"
    RETRY = "retry"
    FAILED = "failed"
    # Another worker holds the job, or it already finished: nothing was done.
    SKIPPED = "skipped"


@dataclass(frozen=True)
class JobResult:
    job_id: str
    outcome: JobOutcome
    case_id: str | None = None
    # The decided path, when the job decided its case.
    path: str | None = None


def worker_identity(kind: str = "worker") -> str:
    """A lease owner name that says which process holds a job."""
    return f"{kind}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class LeaseKeeper:
    """Renews a job's lease in the background while the job runs."""

    def __init__(self, *, engine: Engine, job_id: str, worker_id: str, lease_s: float) -> None:
        self._engine, self._job_id, self._worker_id = engine, job_id, worker_id
        self._lease_s = lease_s
        self._stop = threading.Event()
        self.lost = False
        self._thread = threading.Thread(target=self._run, name=f"lease-{job_id}", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._lease_s / 3):
            try:
                if not renew_lease(
                    engine=self._engine,
                    job_id=self._job_id,
                    worker_id=self._worker_id,
                    lease_s=self._lease_s,
                ):
                    self.lost = True
                    return
            except Exception:  # a database hiccup: try again at the next beat
                log.warning("could not renew the lease of job %s", self._job_id, exc_info=True)


def process_job(
    job_id: str,
    *,
    engine: Engine,
    settings: Settings,
    policy: Policy,
    worker_id: str | None = None,
) -> JobResult:
    """Claim ``job_id`` and triage its case; safe to call twice, or after a crash."""
    started = time.perf_counter()
    result = _process_job(
        job_id, engine=engine, settings=settings, policy=policy, worker_id=worker_id
    )
    record_job(result.outcome.value, time.perf_counter() - started)
    if result.path is not None:
        record_decision(result.path)
    return result


def _process_job(
    job_id: str,
    *,
    engine: Engine,
    settings: Settings,
    policy: Policy,
    worker_id: str | None = None,
) -> JobResult:
    worker_id = worker_id or worker_identity()
    lease_s = settings.job_lease_s
    if not claim_job(engine=engine, job_id=job_id, worker_id=worker_id, lease_s=lease_s):
        return JobResult(job_id, JobOutcome.SKIPPED)
    with session_scope(engine) as session:
        job = get_job(session=session, job_id=job_id)
        case_id = job.case_id
        set_status(
            session=session,
            case=get_case(session=session, case_id=case_id),
            status=CaseStatus.PROCESSING,
        )
    try:
        keeper = LeaseKeeper(engine=engine, job_id=job_id, worker_id=worker_id, lease_s=lease_s)
        with keeper, session_scope(engine) as session:
            case = get_case(session=session, case_id=case_id)
            _, decision = decide_case(session=session, case=case, settings=settings, policy=policy)
            if not finish_job(session=session, job_id=job_id, worker_id=worker_id):
                # The lease was lost and another worker has the job: its result stands.
                session.rollback()
                return JobResult(job_id, JobOutcome.SKIPPED, case_id)
    except Exception as error:
        log.exception("job %s for case %s failed", job_id, case_id)
        code = getattr(error, "code", None)
        status = fail_job(
            engine=engine,
            job_id=job_id,
            worker_id=worker_id,
            error_code=str(code) if isinstance(code, str) else type(error).__name__,
            message=str(error) or type(error).__name__,
            backoff_s=settings.job_retry_backoff_s,
        )
        if status in {JobStatus.RUNNING, JobStatus.DONE}:
            # The lease was lost first: the job, and its case, belong to another worker.
            return JobResult(job_id, JobOutcome.SKIPPED, case_id)
        with session_scope(engine) as session:
            case = get_case(session=session, case_id=case_id)
            if status is JobStatus.FAILED:
                case.error_code = str(code) if isinstance(code, str) else "processing_error"
                case.error_message = str(error) or type(error).__name__
                set_status(session=session, case=case, status=CaseStatus.FAILED)
                record_job_failed(
                    session=session,
                    case=case,
                    job_id=job_id,
                    error_code=case.error_code,
                    message=case.error_message,
                    attempts=get_job(session=session, job_id=job_id).attempts,
                )
                return JobResult(job_id, JobOutcome.FAILED, case_id)
            set_status(session=session, case=case, status=CaseStatus.QUEUED)
        return JobResult(job_id, JobOutcome.RETRY, case_id)
    return JobResult(job_id, JobOutcome.DONE, case_id, decision.path.value)
