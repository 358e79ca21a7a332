"""The job table's guarantees, on SQLite and PostgreSQL: one holder per job, nothing lost."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col

from app.db import session_scope
from app.jobs.process import JobOutcome, process_job
from app.jobs.store import (
    claim_job,
    claim_next,
    fail_job,
    finish_job,
    ready_job_ids,
    renew_lease,
    requeue_expired,
)
from app.models import Case, CaseStatus, Job, JobStatus
from extractors.base import Extractor
from extractors.document import Chunk, Document
from extractors.facts import Finding
from extractors.registry import register_extractor, unregister_extractor
from rules import Policy
from tests.app.jobs.helpers import (
    accept_contract,
    expire_lease,
    job_settings,
    load_case,
    load_job,
    new_job,
)


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_a_job_has_one_holder(engine: Engine) -> None:
    job_id = new_job(engine)
    assert claim_job(engine=engine, job_id=job_id, worker_id="a", lease_s=60)
    assert not claim_job(engine=engine, job_id=job_id, worker_id="b", lease_s=60)
    assert claim_next(engine=engine, worker_id="b", lease_s=60) is None
    job = load_job(engine, job_id)
    assert (job.status, job.lease_owner, job.attempts) == (JobStatus.RUNNING, "a", 1)


def test_racing_threads_claim_a_job_once(engine: Engine) -> None:
    job_id = new_job(engine)
    racers = 8
    barrier = threading.Barrier(racers)
    wins: list[str] = []

    def race(worker_id: str) -> None:
        barrier.wait()
        if claim_job(engine=engine, job_id=job_id, worker_id=worker_id, lease_s=60):
            wins.append(worker_id)

    threads = [threading.Thread(target=race, args=(f"w{n}",)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(wins) == 1
    assert load_job(engine, job_id).lease_owner == wins[0]
    assert load_job(engine, job_id).attempts == 1


def test_an_expired_lease_is_requeued_and_claimed_again(engine: Engine) -> None:
    job_id = new_job(engine)
    assert claim_job(engine=engine, job_id=job_id, worker_id="dead", lease_s=60)
    assert requeue_expired(engine=engine) == []  # a live lease is left alone
    expire_lease(engine, job_id)
    assert requeue_expired(engine=engine) == [job_id]
    job = load_job(engine, job_id)
    assert (job.status, job.lease_owner, job.error_code) == (JobStatus.QUEUED, None, "worker_lost")
    assert ready_job_ids(engine=engine) == [job_id]
    assert claim_next(engine=engine, worker_id="alive", lease_s=60) == job_id
    assert load_job(engine, job_id).attempts == 2
    # The dead worker, should it wake up, holds nothing any more.
    assert not renew_lease(engine=engine, job_id=job_id, worker_id="dead", lease_s=60)
    assert renew_lease(engine=engine, job_id=job_id, worker_id="alive", lease_s=60)


def test_a_job_whose_workers_keep_dying_fails_visibly(engine: Engine, tmp_path: Path) -> None:
    accepted = accept_contract(engine, job_settings(engine, tmp_path, job_max_attempts=2))
    job_id = accepted.job_id
    for attempt in (1, 2):
        assert claim_next(engine=engine, worker_id=f"doomed-{attempt}", lease_s=60) == job_id
        expire_lease(engine, job_id)
        if attempt == 1:
            assert requeue_expired(engine=engine) == [job_id]
    # Its attempts are spent: nobody may claim it, and the sweep fails it and its case.
    assert not claim_job(engine=engine, job_id=job_id, worker_id="next", lease_s=60)
    assert requeue_expired(engine=engine) == []
    job = load_job(engine, job_id)
    assert (job.status, job.attempts, job.error_code) == (JobStatus.FAILED, 2, "worker_lost")
    case = load_case(engine, accepted.case_id)
    assert (case.status, case.error_code) == (CaseStatus.FAILED, "worker_lost")
    assert "2 times" in (case.error_message or "")
    assert ready_job_ids(engine=engine) == []


def test_failures_back_off_then_fail_for_good(engine: Engine) -> None:
    job_id = new_job(engine, max_attempts=2)
    assert claim_job(engine=engine, job_id=job_id, worker_id="w", lease_s=60)
    before = datetime.now(UTC)
    status = fail_job(
        engine=engine, job_id=job_id, worker_id="w", error_code="boom", message="x", backoff_s=10
    )
    assert status is JobStatus.QUEUED
    job = load_job(engine, job_id)
    assert as_utc(job.available_at) >= before + timedelta(seconds=9)
    # Backing off: not ready, not claimable.
    assert ready_job_ids(engine=engine) == []
    assert not claim_job(engine=engine, job_id=job_id, worker_id="w", lease_s=60)
    with session_scope(engine) as session:
        session.exec(update(Job).where(col(Job.id) == job_id).values(available_at=before))
    assert claim_job(engine=engine, job_id=job_id, worker_id="w", lease_s=60)
    # Only the holder can fail a job.
    assert (
        fail_job(
            engine=engine, job_id=job_id, worker_id="x", error_code="e", message="m", backoff_s=0
        )
        is JobStatus.RUNNING
    )
    status = fail_job(
        engine=engine, job_id=job_id, worker_id="w", error_code="boom", message="x", backoff_s=10
    )
    assert status is JobStatus.FAILED
    job = load_job(engine, job_id)
    assert (job.status, job.attempts, job.error_code) == (JobStatus.FAILED, 2, "boom")
    assert job.finished_at is not None


class BrokenExtractor(Extractor):
    """Fails the way a bug in an extractor does."""

    name: ClassVar[str] = "broken"
    version: ClassVar[str] = "1"
    checks: ClassVar[frozenset[str]] = frozenset()

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        raise RuntimeError("the extractor broke on purpose")


@pytest.fixture
def broken_extractor() -> Iterator[None]:
    register_extractor("broken", BrokenExtractor)
    try:
        yield
    finally:
        unregister_extractor("broken")


@pytest.mark.usefixtures("broken_extractor")
def test_a_job_that_keeps_failing_fails_its_case_with_the_reason(
    engine: Engine, policy: Policy, tmp_path: Path
) -> None:
    settings = job_settings(
        engine,
        tmp_path,
        offline_extractors=["broken"],
        job_max_attempts=2,
        job_retry_backoff_s=0,
    )
    accepted = accept_contract(engine, settings)
    first = process_job(accepted.job_id, engine=engine, settings=settings, policy=policy)
    assert first.outcome is JobOutcome.RETRY
    job = load_job(engine, accepted.job_id)
    assert (job.status, job.attempts, job.error_code) == (JobStatus.QUEUED, 1, "RuntimeError")
    assert load_case(engine, accepted.case_id).status is CaseStatus.QUEUED

    second = process_job(accepted.job_id, engine=engine, settings=settings, policy=policy)
    assert second.outcome is JobOutcome.FAILED
    job = load_job(engine, accepted.job_id)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 2)
    case = load_case(engine, accepted.case_id)
    assert case.status is CaseStatus.FAILED
    assert case.error_message == "the extractor broke on purpose"
    assert case.decision_json is None
    # A failed job is never picked up again.
    third = process_job(accepted.job_id, engine=engine, settings=settings, policy=policy)
    assert third.outcome is JobOutcome.SKIPPED


def test_a_worker_that_lost_its_lease_cannot_finish(engine: Engine) -> None:
    job_id = new_job(engine)
    assert claim_job(engine=engine, job_id=job_id, worker_id="slow", lease_s=60)
    expire_lease(engine, job_id)
    assert claim_job(engine=engine, job_id=job_id, worker_id="fast", lease_s=60)
    with session_scope(engine) as session:
        assert not finish_job(session=session, job_id=job_id, worker_id="slow")
    with session_scope(engine) as session:
        assert finish_job(session=session, job_id=job_id, worker_id="fast")
    job = load_job(engine, job_id)
    assert (job.status, job.lease_owner, job.attempts) == (JobStatus.DONE, None, 2)


class LeaseThief(Extractor):
    """While the first worker extracts, its lease runs out and another worker claims the job."""

    name: ClassVar[str] = "thief"
    version: ClassVar[str] = "1"
    checks: ClassVar[frozenset[str]] = frozenset()
    engine: ClassVar[Engine | None] = None
    job_id: ClassVar[str] = ""

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        assert self.engine is not None
        expire_lease(self.engine, self.job_id)
        assert claim_job(engine=self.engine, job_id=self.job_id, worker_id="other", lease_s=60)
        return []


def test_a_decision_made_without_the_lease_is_rolled_back(
    engine: Engine, policy: Policy, tmp_path: Path
) -> None:
    settings = job_settings(engine, tmp_path, offline_extractors=["thief"])
    accepted = accept_contract(engine, settings)
    LeaseThief.engine, LeaseThief.job_id = engine, accepted.job_id
    register_extractor("thief", LeaseThief)
    try:
        result = process_job(accepted.job_id, engine=engine, settings=settings, policy=policy)
    finally:
        unregister_extractor("thief")
    assert result.outcome is JobOutcome.SKIPPED
    case = load_case(engine, accepted.case_id)
    assert case.decision_json is None
    assert case.facts_json is None
    assert case.status is CaseStatus.PROCESSING  # the other worker's to finish
    job = load_job(engine, accepted.job_id)
    assert (job.status, job.lease_owner, job.attempts) == (JobStatus.RUNNING, "other", 2)


class LeaseThiefThenCrash(Extractor):
    """The first worker's lease runs out, another worker decides the case, then the first fails."""

    name: ClassVar[str] = "thief-crash"
    version: ClassVar[str] = "1"
    checks: ClassVar[frozenset[str]] = frozenset()
    engine: ClassVar[Engine | None] = None
    job_id: ClassVar[str] = ""

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        assert self.engine is not None
        expire_lease(self.engine, self.job_id)
        assert claim_job(engine=self.engine, job_id=self.job_id, worker_id="other", lease_s=60)
        with session_scope(self.engine) as session:
            job = session.get(Job, self.job_id)
            assert job is not None
            case = session.get(Case, job.case_id)
            assert case is not None
            case.status = CaseStatus.DECIDED
            case.decision_json = "{}"
            session.add(case)
            assert finish_job(session=session, job_id=self.job_id, worker_id="other")
        raise RuntimeError("the stalled worker fails after all")


def test_a_worker_that_fails_after_losing_its_lease_leaves_the_case_alone(
    engine: Engine, policy: Policy, tmp_path: Path
) -> None:
    settings = job_settings(engine, tmp_path, offline_extractors=["thief-crash"])
    accepted = accept_contract(engine, settings)
    LeaseThiefThenCrash.engine, LeaseThiefThenCrash.job_id = engine, accepted.job_id
    register_extractor("thief-crash", LeaseThiefThenCrash)
    try:
        result = process_job(accepted.job_id, engine=engine, settings=settings, policy=policy)
    finally:
        unregister_extractor("thief-crash")
    assert result.outcome is JobOutcome.SKIPPED
    job = load_job(engine, accepted.job_id)
    assert (job.status, job.error_code) == (JobStatus.DONE, None)
    # The other worker's decision stands: the case is not sent back to the queue.
    case = load_case(engine, accepted.case_id)
    assert (case.status, case.decision_json) == (CaseStatus.DECIDED, "{}")
