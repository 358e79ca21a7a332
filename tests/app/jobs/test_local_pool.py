"""The in-process worker pool: real contracts in, decided cases out, nothing lost on stop."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import Engine

from app.jobs.local import LocalWorkerPool
from app.jobs.queue import make_job_queue
from app.jobs.store import claim_job, requeue_expired
from app.models import SETTLED_STATUSES, Case, CaseDocument, CaseStatus, JobStatus
from extractors.base import Extractor
from extractors.document import Chunk, Document
from extractors.facts import Finding
from extractors.registry import register_extractor, unregister_extractor
from rules import Policy
from tests.app.jobs.helpers import (
    BUNDLES,
    CONTRACT,
    accept_contract,
    count_rows,
    expire_lease,
    job_settings,
    load_case,
    load_job,
    wait_for,
)

OTHER_CONTRACT = BUNDLES / "26-keystone-pennant" / "msa.txt"
THIRD_CONTRACT = BUNDLES / "10-pinecrest-oakmont" / "order_form.txt"


@pytest.fixture
def stop_pools() -> Iterator[list[LocalWorkerPool]]:
    """Pools the test starts, stopped whatever happens."""
    pools: list[LocalWorkerPool] = []
    yield pools
    for pool in pools:
        pool.stop(timeout_s=10)


def settled(engine: Engine, case_id: str) -> bool:
    return load_case(engine, case_id).status in SETTLED_STATUSES


def test_a_submitted_contract_is_decided(
    engine: Engine, policy: Policy, tmp_path: Path, stop_pools: list[LocalWorkerPool]
) -> None:
    settings = job_settings(engine, tmp_path, local_workers=2)
    queue = make_job_queue(engine=engine, settings=settings, policy=policy)
    assert isinstance(queue, LocalWorkerPool)
    stop_pools.append(queue)
    assert not queue.healthy()  # not started yet
    queue.start()
    assert queue.healthy()
    accepted = accept_contract(engine, settings)
    queue.submit(accepted.job_id)
    wait_for(lambda: settled(engine, accepted.case_id), what="the case to be decided")
    case = load_case(engine, accepted.case_id)
    assert case.status in SETTLED_STATUSES
    assert case.decision_json is not None
    assert case.path is not None
    job = load_job(engine, accepted.job_id)
    assert (job.status, job.attempts, job.lease_owner) == (JobStatus.DONE, 1, None)
    queue.stop(timeout_s=10)
    assert not queue.healthy()


def test_jobs_stored_while_no_pool_ran_are_picked_up_at_start(
    engine: Engine, policy: Policy, tmp_path: Path, stop_pools: list[LocalWorkerPool]
) -> None:
    settings = job_settings(engine, tmp_path, local_workers=3)
    accepted = [accept_contract(engine, settings, path) for path in (CONTRACT, OTHER_CONTRACT)]
    # A third job was held by a worker that died: its lease ran out.
    lost = accept_contract(engine, settings, THIRD_CONTRACT)
    assert claim_job(engine=engine, job_id=lost.job_id, worker_id="dead", lease_s=60)
    expire_lease(engine, lost.job_id)
    pool = LocalWorkerPool(engine=engine, settings=settings, policy=policy, poll_interval_s=0.1)
    stop_pools.append(pool)
    pool.start()  # nothing submitted: the pool finds them in the table
    wait_for(
        lambda: all(settled(engine, item.case_id) for item in [*accepted, lost]),
        what="every stored job to run",
    )
    assert [load_job(engine, item.job_id).attempts for item in accepted] == [1, 1]
    assert load_job(engine, lost.job_id).attempts == 2
    assert load_job(engine, lost.job_id).status is JobStatus.DONE
    assert count_rows(engine, Case) == 3


class GatedExtractor(Extractor):
    """Holds a job in the middle of its work until the test lets it go."""

    name: ClassVar[str] = "gated"
    version: ClassVar[str] = "1"
    checks: ClassVar[frozenset[str]] = frozenset()
    started = threading.Event()
    release = threading.Event()

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        self.started.set()
        assert self.release.wait(30)
        return []


@pytest.fixture
def gated() -> Iterator[type[GatedExtractor]]:
    GatedExtractor.started.clear()
    GatedExtractor.release.clear()
    register_extractor("gated", GatedExtractor)
    try:
        yield GatedExtractor
    finally:
        GatedExtractor.release.set()
        unregister_extractor("gated")


def test_stop_finishes_the_running_job_and_leaves_the_others_queued(
    engine: Engine,
    policy: Policy,
    tmp_path: Path,
    gated: type[GatedExtractor],
    stop_pools: list[LocalWorkerPool],
) -> None:
    settings = job_settings(engine, tmp_path, local_workers=1, offline_extractors=["gated"])
    running = accept_contract(engine, settings)
    waiting = accept_contract(engine, settings, OTHER_CONTRACT)
    pool = LocalWorkerPool(engine=engine, settings=settings, policy=policy)
    stop_pools.append(pool)
    pool.start()
    pool.submit(running.job_id)
    pool.submit(waiting.job_id)
    assert gated.started.wait(30)
    stopper = threading.Thread(target=pool.stop, kwargs={"timeout_s": 30})
    stopper.start()
    wait_for(lambda: not pool.healthy(), what="the pool to stop taking jobs")
    gated.release.set()
    stopper.join(30)
    assert not stopper.is_alive()
    assert load_job(engine, running.job_id).status is JobStatus.DONE
    job = load_job(engine, waiting.job_id)
    assert (job.status, job.attempts, job.lease_owner) == (JobStatus.QUEUED, 0, None)
    assert load_case(engine, waiting.case_id).status is CaseStatus.QUEUED
    assert requeue_expired(engine=engine) == []


def test_submit_never_blocks_or_raises_when_the_memory_queue_is_full(
    engine: Engine, policy: Policy, tmp_path: Path, stop_pools: list[LocalWorkerPool]
) -> None:
    settings = job_settings(engine, tmp_path, max_queued_jobs=1)
    accepted = [accept_contract(engine, settings, path) for path in (CONTRACT, OTHER_CONTRACT)]
    pool = LocalWorkerPool(engine=engine, settings=settings, policy=policy, poll_interval_s=0.1)
    stop_pools.append(pool)
    for item in accepted * 3:
        pool.submit(item.job_id)  # only the first fits; none raises
    pool.start()
    wait_for(
        lambda: all(settled(engine, item.case_id) for item in accepted), what="both jobs to run"
    )
    assert [load_job(engine, item.job_id).attempts for item in accepted] == [1, 1]
    assert count_rows(engine, CaseDocument) == 2
