"""The job table's state changes, each one short transaction with a conditional update.

A claim is ``UPDATE ... WHERE status = 'queued'`` (or an expired lease), so two workers
can never both hold one job, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, or_, update
from sqlmodel import Session, col, func, select

from app.approvals.flow import record_job_failed
from app.cases import get_case, set_status
from app.db import session_scope
from app.errors import JobNotFoundError
from app.models import CaseStatus, Job, JobStatus, utcnow


def create_job(*, session: Session, case_id: str, max_attempts: int = 3) -> Job:
    """A queued job for ``case_id``, flushed in the caller's transaction."""
    job = Job(case_id=case_id, max_attempts=max_attempts)
    session.add(job)
    session.flush()
    return job


def get_job(*, session: Session, job_id: str) -> Job:
    """The job ``job_id`` or JobNotFoundError."""
    job = session.get(Job, job_id)
    if job is None:
        raise JobNotFoundError(f"There is no job with id {job_id!r}.")
    return job


def latest_job(*, session: Session, case_id: str) -> Job | None:
    """The most recent job of a case."""
    statement = (
        select(Job).where(Job.case_id == case_id).order_by(col(Job.created_at).desc()).limit(1)
    )
    return session.exec(statement).first()


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(col(Job.status) == JobStatus.QUEUED, col(Job.available_at) <= now),
        and_(
            col(Job.status) == JobStatus.RUNNING,
            col(Job.lease_expires_at) < now,
            # A job whose every attempt ended with its worker gone is failed by the sweep.
            col(Job.attempts) < col(Job.max_attempts),
        ),
    )


def _held_by(job_id: str, worker_id: str) -> ColumnElement[bool]:
    """The job is running under ``worker_id``'s lease (which may have run out meanwhile)."""
    return and_(
        col(Job.id) == job_id,
        col(Job.status) == JobStatus.RUNNING,
        col(Job.lease_owner) == worker_id,
    )


def claim_job(*, engine: Engine, job_id: str, worker_id: str, lease_s: float) -> bool:
    """Take ``job_id`` for ``worker_id`` until the lease runs out; False if someone holds it."""
    now = utcnow()
    with session_scope(engine) as session:
        result = session.exec(
            update(Job)
            .where(col(Job.id) == job_id, _claimable(now))
            .values(
                status=JobStatus.RUNNING,
                lease_owner=worker_id,
                lease_expires_at=now + timedelta(seconds=lease_s),
                attempts=col(Job.attempts) + 1,
                started_at=now,
                updated_at=now,
            )
        )
        return bool(result.rowcount == 1)


def claim_next(*, engine: Engine, worker_id: str, lease_s: float) -> str | None:
    """Claim the oldest job that is ready to run, if any."""
    for _ in range(5):  # another worker may win the race for the first candidate
        with session_scope(engine) as session:
            statement = (
                select(Job.id)
                .where(_claimable(utcnow()))
                .order_by(col(Job.available_at), col(Job.created_at))
                .limit(1)
            )
            job_id = session.exec(statement).first()
        if job_id is None:
            return None
        if claim_job(engine=engine, job_id=job_id, worker_id=worker_id, lease_s=lease_s):
            return job_id
    return None


def renew_lease(*, engine: Engine, job_id: str, worker_id: str, lease_s: float) -> bool:
    """Extend the lease of a job this worker still holds; False if it was lost."""
    now = utcnow()
    with session_scope(engine) as session:
        result = session.exec(
            update(Job)
            .where(_held_by(job_id, worker_id))
            .values(lease_expires_at=now + timedelta(seconds=lease_s), updated_at=now)
        )
        return bool(result.rowcount == 1)


def finish_job(*, session: Session, job_id: str, worker_id: str) -> bool:
    """Mark the job done in the caller's transaction, only if this worker still holds it."""
    now = utcnow()
    result = session.exec(
        update(Job)
        .where(_held_by(job_id, worker_id))
        .values(
            status=JobStatus.DONE,
            lease_owner=None,
            lease_expires_at=None,
            finished_at=now,
            updated_at=now,
            error_code=None,
            error_message=None,
        )
    )
    return bool(result.rowcount == 1)


def release_job(*, engine: Engine, job_id: str, worker_id: str) -> bool:
    """Give a claimed job back to the queue unstarted (graceful shutdown); no attempt is spent."""
    now = utcnow()
    with session_scope(engine) as session:
        result = session.exec(
            update(Job)
            .where(_held_by(job_id, worker_id))
            .values(
                status=JobStatus.QUEUED,
                lease_owner=None,
                lease_expires_at=None,
                attempts=func.max(col(Job.attempts) - 1, 0)
                if engine.dialect.name == "sqlite"
                else func.greatest(col(Job.attempts) - 1, 0),
                updated_at=now,
            )
        )
        return bool(result.rowcount == 1)


def fail_job(
    *,
    engine: Engine,
    job_id: str,
    worker_id: str,
    error_code: str,
    message: str,
    backoff_s: float,
) -> JobStatus:
    """After an error: queue the job again with backoff, or fail it when attempts are spent."""
    now = utcnow()
    with session_scope(engine) as session:
        job = get_job(session=session, job_id=job_id)
        if job.status is not JobStatus.RUNNING or job.lease_owner != worker_id:
            return job.status
        job.error_code = error_code
        job.error_message = message
        job.lease_owner = None
        job.lease_expires_at = None
        job.updated_at = now
        if job.attempts >= job.max_attempts:
            job.status = JobStatus.FAILED
            job.finished_at = now
        else:
            job.status = JobStatus.QUEUED
            job.available_at = now + timedelta(seconds=backoff_s * 2 ** max(job.attempts - 1, 0))
        session.add(job)
        return job.status


def requeue_expired(*, engine: Engine) -> list[str]:
    """Queue again every running job whose worker stopped renewing its lease.

    A job whose attempts are spent fails instead, and its case with it: a document that
    kills every worker that reads it must fail visibly, not crash workers forever.
    Returns the ids queued again, so a broker-backed queue can publish them anew.
    """
    now = utcnow()
    with session_scope(engine) as session:
        statement = select(Job).where(
            col(Job.status) == JobStatus.RUNNING, col(Job.lease_expires_at) < now
        )
        expired = list(session.exec(statement).all())
        requeued: list[str] = []
        for job in expired:
            job.lease_owner = None
            job.lease_expires_at = None
            job.updated_at = now
            job.error_code = "worker_lost"
            if job.attempts >= job.max_attempts:
                job.status = JobStatus.FAILED
                job.finished_at = now
                job.error_message = (
                    f"The worker stopped before finishing, {job.attempts} times; "
                    "the job is not run again."
                )
                case = get_case(session=session, case_id=job.case_id)
                case.error_code, case.error_message = job.error_code, job.error_message
                set_status(session=session, case=case, status=CaseStatus.FAILED)
                record_job_failed(
                    session=session,
                    case=case,
                    job_id=job.id,
                    error_code=job.error_code,
                    message=job.error_message,
                    attempts=job.attempts,
                )
            else:
                job.status = JobStatus.QUEUED
                job.available_at = now
                job.error_message = "The worker stopped before finishing; the job is run again."
                requeued.append(job.id)
            session.add(job)
        return requeued


def ready_job_ids(*, engine: Engine, limit: int = 1000) -> list[str]:
    """Queued jobs whose backoff has passed, oldest first."""
    with session_scope(engine) as session:
        statement = (
            select(Job.id)
            .where(col(Job.status) == JobStatus.QUEUED, col(Job.available_at) <= utcnow())
            .order_by(col(Job.created_at))
            .limit(limit)
        )
        return list(session.exec(statement).all())


def count_queued(*, session: Session) -> int:
    """How many jobs wait to be run."""
    statement = select(func.count()).select_from(Job).where(col(Job.status) == JobStatus.QUEUED)
    return int(session.exec(statement).one())


def count_by_status(*, session: Session) -> dict[str, int]:
    """Jobs per state (for metrics)."""
    statement = select(Job.status, func.count()).group_by(col(Job.status))
    return {str(status): int(count) for status, count in session.exec(statement).all()}
