"""The embedded job queue: worker threads in this process, fed by submits and by the table.

A submit only puts the id in a bounded in-memory queue, to wake a worker at once; the job
itself is already stored. Idle workers poll the table for ready jobs, and a sweeper
requeues the jobs whose worker died (its lease ran out), so a full queue, a restart or a
kill -9 delays a job but never loses it. A thread of the pool delivers the outbox's events
to the webhook URL, if one is configured.
"""

from __future__ import annotations

import logging
import queue
import threading
import time

from sqlalchemy import Engine

from app.approvals.clock import approval_clock
from app.events.delivery import OutboxDispatcher
from app.jobs.process import JobOutcome, JobResult, process_job, worker_identity
from app.jobs.store import ready_job_ids, requeue_expired
from app.jobs.sweeper import PeriodicSweeper, sweep_interval_s
from app.settings import Settings
from rules import Policy

log = logging.getLogger(__name__)

DEFAULT_POLL_INTERVAL_S = 0.5


class LocalWorkerPool:
    """Runs jobs in ``settings.local_workers`` threads of this process."""

    def __init__(
        self,
        *,
        engine: Engine,
        settings: Settings,
        policy: Policy,
        poll_interval_s: float = DEFAULT_POLL_INTERVAL_S,
    ) -> None:
        self.engine, self.settings, self.policy = engine, settings, policy
        self._poll_interval_s = poll_interval_s
        # None is the wake-up call of stop(); ids beyond the bound wait for the poller.
        self._ids: queue.Queue[str | None] = queue.Queue(maxsize=settings.max_queued_jobs)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._sweeper = PeriodicSweeper(
            sweep=self._sweep, interval_s=sweep_interval_s(settings.job_lease_s), name="job-sweeper"
        )
        self._dispatcher = OutboxDispatcher(engine=engine, settings=settings)
        # Reminds and escalates approvals on time.
        self._clock = approval_clock(engine=engine, settings=settings)

    def submit(self, job_id: str) -> None:
        """Wake a worker for ``job_id``; when the queue is full the poller finds the job later."""
        if self._stopping.is_set():
            return
        try:
            self._ids.put_nowait(job_id)
        except queue.Full:
            log.info("in-memory job queue full; job %s waits in the table", job_id)

    def start(self) -> None:
        """Start the sweeper (which requeues lost jobs at once) and the worker threads."""
        with self._lock:
            if self._threads or self._stopping.is_set():
                return
            self._sweeper.start()
            self._clock.start()
            self._dispatcher.start()
            for index in range(self.settings.local_workers):
                thread = threading.Thread(
                    target=self._work, name=f"job-worker-{index}", daemon=True
                )
                thread.start()
                self._threads.append(thread)

    def stop(self, *, timeout_s: float = 30.0) -> None:
        """Take no new job; let running ones finish within ``timeout_s``.

        Ids still in memory are dropped: their jobs stay queued in the table. A job still
        running after the timeout keeps its lease until this process exits; the lease then
        runs out and another worker runs the job again.
        """
        self._stopping.set()
        for _ in self._threads:
            try:
                self._ids.put_nowait(None)
            except queue.Full:
                break  # idle workers notice the stop at their next poll tick
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0))
        self._sweeper.stop(timeout_s=max(deadline - time.monotonic(), 0.1))
        self._clock.stop(timeout_s=max(deadline - time.monotonic(), 0.1))
        self._dispatcher.stop(timeout_s=max(deadline - time.monotonic(), 0.1))
        running = sum(thread.is_alive() for thread in self._threads)
        if running:
            log.warning(
                "%d job(s) still running after %.0f s; they are run again once their lease expires",
                running,
                timeout_s,
            )

    def healthy(self) -> bool:
        """True while started, not stopping, and every thread is alive."""
        return (
            bool(self._threads)
            and not self._stopping.is_set()
            and self._sweeper.alive()
            and all(thread.is_alive() for thread in self._threads)
        )

    def _sweep(self) -> None:
        # Ready jobs are within the pollers' reach already; only lost ones need requeueing.
        requeued = requeue_expired(engine=self.engine)
        if requeued:
            log.warning("requeued %d job(s) whose worker stopped: %s", len(requeued), requeued)
        for job_id in requeued:
            self.submit(job_id)

    def _work(self) -> None:
        worked = False
        while not self._stopping.is_set():
            try:
                # After a job found by polling, look again at once: a backlog drains fast.
                job_id = self._ids.get(timeout=0.001 if worked else self._poll_interval_s)
            except queue.Empty:
                job_id = None
            if self._stopping.is_set():
                return
            try:
                worked = (self._run(job_id) if job_id else self._poll()) is not None
            except Exception:  # the database is away: keep the thread, try again later
                log.warning("job worker error; retrying", exc_info=True)
                worked = False
                self._stopping.wait(self._poll_interval_s)

    def _poll(self) -> JobResult | None:
        """Run the first ready job no other worker takes first; None when there was none."""
        for job_id in ready_job_ids(engine=self.engine, limit=self.settings.local_workers + 1):
            if self._stopping.is_set():
                return None
            result = self._run(job_id)
            if result.outcome is not JobOutcome.SKIPPED:
                return result
        return None

    def _run(self, job_id: str) -> JobResult:
        return process_job(
            job_id,
            engine=self.engine,
            settings=self.settings,
            policy=self.policy,
            worker_id=worker_identity("local"),
        )
