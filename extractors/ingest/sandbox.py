"""The persistent pool of parser processes that hostile files run in.

A parse that overruns its budget is not merely abandoned (as with ``concurrent.futures``):
pebble kills the worker and starts a fresh one, so a file that would keep a parser busy
for hours costs its budget and nothing more. Workers are spawned, not forked, so each
starts small under its memory cap and shares nothing with the service process.
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.util
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

from extractors.errors import ErrorCode, IngestError
from extractors.ingest import worker

T = TypeVar("T")

DEFAULT_WORKERS = 2
_STOP_TIMEOUT_S = 10.0


class ParseTimeoutError(Exception):
    """A task ran past its budget; its worker has been killed and replaced."""

    def __init__(self, budget: float) -> None:
        super().__init__(f"did not finish within {budget:.0f} s")
        self.budget = budget


class _Sandbox:
    """One lazily started pool, grown (never shrunk) to the largest size asked for."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPool | None = None
        self._size = 0

    def pool(self, workers: int | None) -> ProcessPool:
        """The pool, started or grown to ``workers``; None takes the size it has (the
        default size for the first pool)."""
        with self._lock:
            if workers is None:
                workers = self._size or DEFAULT_WORKERS
            if self._pool is not None and (not self._pool.active or self._size < workers):
                self._stop_locked()
            if self._pool is None:
                self._size = max(workers, self._size, 1)
                self._pool = ProcessPool(
                    max_workers=self._size,
                    initializer=worker.initialise,
                    context=multiprocessing.get_context("spawn"),
                )
            return self._pool

    def size(self, workers: int | None) -> int:
        """How many workers ``pool(workers)`` has."""
        with self._lock:
            if workers is None:
                return self._size or DEFAULT_WORKERS
            return max(workers, self._size, 1)

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()  # type: ignore[no-untyped-call]
            _stop_workers(pool)
            pool.join(timeout=_STOP_TIMEOUT_S)


def _stop_workers(pool: ProcessPool) -> None:
    """End the pool's worker processes before pebble tears down their channel.

    pebble's ``join`` unlinks the channel's named semaphores first and stops the workers
    after: a worker that is still starting (a spawned interpreter takes a second) then fails
    to open them and prints a ``SemLock`` traceback on the way out. Workers are ended here
    first, once pebble's manager thread, the only one that starts workers, has stopped.
    This reaches into pebble's internals; if they change, pebble's own order applies.
    """
    manager_loop = getattr(pool, "_pool_manager_loop", None)
    if manager_loop is not None:
        manager_loop.join(timeout=_STOP_TIMEOUT_S)
    manager = getattr(getattr(pool, "_pool_manager", None), "worker_manager", None)
    workers = getattr(manager, "workers", None)
    if not isinstance(workers, dict):
        return
    processes = [process for process in workers.values() if isinstance(process, BaseProcess)]
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=_STOP_TIMEOUT_S)
        if process.is_alive():
            process.kill()
            process.join()


_SANDBOX = _Sandbox()
# multiprocessing's own exit handler (imported above, so registered before this one and run
# after it) unlinks the semaphores and joins child processes: the pool must be gone first.
atexit.register(_SANDBOX.stop)


def run_in_sandbox(
    function: Callable[..., T], *args: Any, budget: float, workers: int | None = DEFAULT_WORKERS
) -> T:
    """``function(*args)`` in a parser worker, killed if it runs longer than ``budget`` s.

    ``workers=None`` runs it in the pool as it is, however many workers it was started with.
    """
    return run_each_in_sandbox(function, [args], budget=budget, workers=workers)[0]


def run_each_in_sandbox(
    function: Callable[..., T],
    calls: Sequence[tuple[Any, ...]],
    *,
    budget: float,
    workers: int | None = DEFAULT_WORKERS,
) -> list[T]:
    """``function(*args)`` for each of ``calls`` at once, over the pool's workers; the
    results in order, or the first failure as ``run_in_sandbox`` raises it (the other
    calls are then cancelled: a part of a file is never worth more than the whole)."""
    for attempt in range(2):
        futures: list[Future[T]] = []
        try:
            pool = _SANDBOX.pool(workers)
            futures = [pool.schedule(function, args=args, timeout=budget) for args in calls]
            return [future.result() for future in futures]
        except TimeoutError:
            raise ParseTimeoutError(budget) from None
        except ProcessExpired as expired:
            raise _worker_died(expired.exitcode) from None
        except (BrokenProcessPool, RuntimeError, CancelledError):
            # The pool itself failed (not a task): start a new one and retry once.
            if attempt:
                raise
            _SANDBOX.stop()
        finally:
            for future in futures:
                future.cancel()
    raise AssertionError("unreachable")  # pragma: no cover


def pool_size(workers: int | None = None) -> int:
    """How many workers a parse with ``workers`` (None: the pool as it is) can use at once."""
    return _SANDBOX.size(workers)


def warm_up(workers: int = DEFAULT_WORKERS) -> None:
    """Start the parser workers now, without waiting for them.

    A spawned worker needs most of a second to start (an interpreter, then pypdf); started
    while the caller still loads its own modules, it is ready when the first file comes.
    A command that reads its files one at a time warms a single worker: ``ingest_bytes``
    uses the pool at the size it was started with.
    """
    _SANDBOX.pool(workers).schedule(worker.ready)


def shutdown_pool() -> None:
    """Stop the parser workers; the next parse starts a fresh pool."""
    _SANDBOX.stop()


def _worker_died(exitcode: int | None) -> IngestError:
    if exitcode == -signal.SIGSEGV:
        return IngestError(
            ErrorCode.CORRUPT, "The parser crashed on this file; it is damaged or malformed."
        )
    return IngestError(
        ErrorCode.RESOURCE_EXHAUSTED,
        f"The parser process died while reading the file (exit code {exitcode}), "
        "most likely out of memory.",
    )
