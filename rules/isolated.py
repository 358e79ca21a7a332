"""durable_rules in a process of its own: a crash of the C engine cannot take the service down.

The engine is C code that never releases the GIL and has crashed on misuse (see
``rules.durable_engine``). ``IsolatedDecider`` evaluates each case in one persistent
worker process; a worker that dies or overruns its budget is killed and replaced. A case
whose worker dies or hangs is decided in-process by the reference evaluator, which agrees
with durable_rules on every scenario and on generated cases (the differential tests); the
decision records which engine made it, and ``fallbacks`` says why.

The worker loads the policy from the same directory and refuses to decide if the files
there no longer hash to the version the service validated at start: a policy edited on
disk must be checked and loaded again, never picked up half-way.

The worker is spoken to over two socket pairs in length-prefixed frames, with no thread or
pool in between: ``decide`` (threads, the CLI, the job workers) sends one case at a time
and blocks on the answer; ``decide_async`` (the API's routes) is read by the event loop
itself, cases pipelined. The worker decides one case at a time and keeps the id of the one
it is deciding in shared memory, so when it dies the case that killed it is known: that
case goes to the reference evaluator, and a case it had not started is sent once more, to
a new worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import itertools
import logging
import multiprocessing
import os
import pickle
import selectors
import signal
import socket
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extractors.facts import FactRecord
from rules.context import CaseContext
from rules.decide import decide
from rules.decision import Decision
from rules.errors import EngineError
from rules.loader import Policy, load_policy

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 10.0
_STOP_TIMEOUT_S = 10.0
# How long a new worker may take to load the policy and say it is ready. A case's own
# budget (``timeout_s``) starts then: a start slowed by a busy machine is not a hung case.
_START_TIMEOUT_S = 60.0
# How long a worker whose socket closed gets to be reaped before its exit code is read.
_EXIT_WAIT_S = 5.0

# Policies the worker has loaded, by directory: loading compiles the rulesets once.
_WORKER_POLICIES: dict[str, Policy] = {}

# A frame: request id, kind, payload length, then the payload.
_HEADER = struct.Struct("!QBI")
_DECIDE = 0  # parent -> worker: the pickled arguments of the task
_DECIDED = 1  # worker -> parent: the task's result, UTF-8
_FAILED = 2  # worker -> parent: the pickled exception the task raised
_READY = 3  # worker -> parent, request id 0, first on each channel: the policy is loaded
_READ_CHUNK = 1 << 18


def decide_in_worker(directory: str, version: str, facts_json: str, context_json: str) -> str:
    """The durable_rules decision as canonical JSON; runs in the worker process."""
    policy = _WORKER_POLICIES.get(directory)
    if policy is None or policy.version != version:
        policy = load_policy(Path(directory))
        _WORKER_POLICIES[directory] = policy
    if policy.version != version:
        raise EngineError(
            f"the policy in {directory} changed on disk since it was loaded "
            f"({version} -> {policy.version}); check and load it again"
        )
    facts = FactRecord.model_validate_json(facts_json)
    context = CaseContext.model_validate_json(context_json)
    return decide(facts, policy=policy, context=context, engine="durable").to_json()


Task = Callable[[str, str, str, str], str]


# --- frames ---------------------------------------------------------------------------------


def _frame(request_id: int, kind: int, payload: bytes) -> bytes:
    return _HEADER.pack(request_id, kind, len(payload)) + payload


class _Frames:
    """Cuts a byte stream into frames: (request id, kind, payload)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[int, int, bytes]]:
        buffer = self._buffer
        buffer += data
        frames = []
        start = 0
        while len(buffer) - start >= _HEADER.size:
            request_id, kind, length = _HEADER.unpack_from(buffer, start)
            end = start + _HEADER.size + length
            if len(buffer) < end:
                break
            frames.append((request_id, kind, bytes(buffer[start + _HEADER.size : end])))
            start = end
        if start:
            del buffer[:start]
        return frames


# --- the worker process -----------------------------------------------------------------------


def _serve(
    channels: list[socket.socket], current: Any, directory: str, version: str, task: Task
) -> None:
    """The worker's loop: answer each frame on either channel, one case at a time.

    ``current`` (shared memory) holds the id of the case being decided, 0 between cases.
    Ends when the parent has closed both channels (or died).
    """
    # Ctrl-C reaches the whole process group; the parent decides when this process ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(Exception):  # a policy that fails to load fails each case
        _WORKER_POLICIES[directory] = load_policy(Path(directory))
    del version  # checked per case, by the task
    # What is loaded now lives as long as the worker: left out of full collections, which
    # would otherwise walk it all (some 20 ms) while cases wait.
    gc.collect()
    gc.freeze()
    selector = selectors.DefaultSelector()
    for channel in channels:
        channel.setblocking(True)
        with contextlib.suppress(OSError):  # a closed channel is seen below
            channel.sendall(_frame(0, _READY, b""))
        selector.register(channel, selectors.EVENT_READ, (channel, _Frames()))
    open_channels = len(channels)
    while open_channels:
        for key, _ in selector.select():
            channel, frames = key.data
            try:
                data = channel.recv(_READ_CHUNK)
            except OSError:
                data = b""
            if not data:
                selector.unregister(channel)
                channel.close()
                open_channels -= 1
                continue
            for request_id, _, payload in frames.feed(data):
                current.value = request_id
                kind, answer = _run(task, payload)
                current.value = 0
                try:
                    channel.sendall(_frame(request_id, kind, answer))
                except OSError:
                    break  # the parent closed the channel: its end of file comes next


def _run(task: Task, payload: bytes) -> tuple[int, bytes]:
    try:
        return _DECIDED, task(*pickle.loads(payload)).encode("utf-8")  # noqa: S301 - our parent
    except Exception as error:
        return _FAILED, _pickled(error)


def _pickled(error: Exception) -> bytes:
    """``error`` as the parent will raise it: itself, or an EngineError naming it."""
    try:
        data = pickle.dumps(error)
        pickle.loads(data)  # noqa: S301 - made just above; some exceptions do not come back
    except Exception:
        data = pickle.dumps(EngineError(f"{type(error).__name__}: {error}"))
    return data


# --- the parent's side ------------------------------------------------------------------------


class _WorkerLostError(Exception):
    """The worker went away (or its channel closed) before it answered."""


class _NotStartedError(Exception):
    """The worker did not say it was ready within ``_START_TIMEOUT_S``."""


def _answer(kind: int, payload: bytes) -> Decision:
    if kind == _FAILED:
        error = pickle.loads(payload)  # noqa: S301 - from our own worker process
        raise error if isinstance(error, BaseException) else EngineError(repr(error))
    return Decision.model_validate_json(payload)


class _SyncChannel:
    """The worker's channel for threads: one case at a time, blocking with a deadline."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.lock = threading.Lock()
        self.frames = _Frames()
        self.ready = False

    def call(self, request_id: int, frame: bytes, timeout_s: float) -> tuple[int, bytes]:
        """The answer to ``frame``; TimeoutError after ``timeout_s`` (counted once the worker
        is ready), _NotStartedError, or _WorkerLostError if the worker went."""
        with self.lock:
            try:
                if not self.ready:
                    self._wait_until_ready()
                deadline = time.monotonic() + timeout_s
                self.sock.settimeout(timeout_s)
                self.sock.sendall(frame)
                while True:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise TimeoutError
                    self.sock.settimeout(remaining)
                    data = self.sock.recv(_READ_CHUNK)
                    if not data:
                        raise _WorkerLostError
                    for answered, kind, payload in self.frames.feed(data):
                        if answered == request_id:
                            return kind, payload
            except TimeoutError:
                raise
            except OSError as error:
                raise _WorkerLostError from error

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _NotStartedError
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(_READ_CHUNK)
            except TimeoutError:
                raise _NotStartedError from None
            if not data:
                raise _WorkerLostError
            if any(kind == _READY for _, kind, _ in self.frames.feed(data)):
                self.ready = True
                return

    def close(self) -> None:
        # shutdown first: it wakes a thread blocked in recv, which close alone would not.
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


def _expire(waiter: asyncio.Future[tuple[int, bytes]]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class _LoopChannel:
    """The worker's channel for an event loop, which reads it itself: no thread in between.

    Bound to the first loop that uses it (a loop that has closed hands it on); cases are
    pipelined and answered by request id.
    """

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self.sock = sock
        self.loop: asyncio.AbstractEventLoop | None = None
        self.frames = _Frames()
        self.waiters: dict[int, asyncio.Future[tuple[int, bytes]]] = {}
        self.outgoing = bytearray()
        self.closed = False
        # Until the worker is ready, the cases sent wait for their budgets to start.
        self.ready = False
        self.budgets: dict[int, float] = {}
        self.timers: dict[int, asyncio.TimerHandle] = {}
        self.start_timer: asyncio.TimerHandle | None = None

    def serves(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Whether ``loop`` may use this channel (binding it if it is free)."""
        if self.loop is loop:
            return True
        if self.closed or (self.loop is not None and not self.loop.is_closed()):
            return self.closed  # a closed channel answers _WorkerLostError from ``call``
        # The stream goes on where the closed loop left it (a frame may be half read or
        # half sent); only that loop's waiters are gone.
        self.loop = loop
        self.waiters.clear()
        self.budgets.clear()
        self.timers.clear()
        loop.add_reader(self.sock.fileno(), self._readable)
        if self.outgoing:
            loop.add_writer(self.sock.fileno(), self._writable)
        if not self.ready:
            self.start_timer = loop.call_later(_START_TIMEOUT_S, self._not_started)
        return True

    async def call(self, request_id: int, frame: bytes, timeout_s: float) -> tuple[int, bytes]:
        """The answer to ``frame``; TimeoutError after ``timeout_s``, _WorkerLostError if the
        worker went."""
        if self.closed or self.loop is None:
            raise _WorkerLostError
        waiter = self.loop.create_future()
        self.waiters[request_id] = waiter
        if self.ready:
            self.timers[request_id] = self.loop.call_later(timeout_s, _expire, waiter)
        else:
            self.budgets[request_id] = timeout_s
        try:
            self._send(frame)
            answer: tuple[int, bytes] = await waiter
            return answer
        finally:
            timer = self.timers.pop(request_id, None)
            if timer is not None:
                timer.cancel()
            self.budgets.pop(request_id, None)
            self.waiters.pop(request_id, None)

    def _started(self) -> None:
        """The worker is ready: the cases waiting for it start their budgets now."""
        assert self.loop is not None
        self.ready = True
        if self.start_timer is not None:
            self.start_timer.cancel()
            self.start_timer = None
        for request_id, timeout_s in self.budgets.items():
            waiter = self.waiters.get(request_id)
            if waiter is not None:
                self.timers[request_id] = self.loop.call_later(timeout_s, _expire, waiter)
        self.budgets.clear()

    def _not_started(self) -> None:
        self.start_timer = None
        for waiter in self.waiters.values():
            if not waiter.done():
                waiter.set_exception(_NotStartedError())

    def _send(self, frame: bytes) -> None:
        assert self.loop is not None
        if not self.outgoing:
            try:
                sent = self.sock.send(frame)
            except (BlockingIOError, InterruptedError):
                sent = 0
            except OSError as error:
                self._lose()
                raise _WorkerLostError from error
            if sent == len(frame):
                return
            frame = frame[sent:]
            self.loop.add_writer(self.sock.fileno(), self._writable)
        self.outgoing += frame

    def _writable(self) -> None:
        try:
            sent = self.sock.send(self.outgoing)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._lose()
            return
        del self.outgoing[:sent]
        if not self.outgoing and self.loop is not None:
            self.loop.remove_writer(self.sock.fileno())

    def _readable(self) -> None:
        try:
            data = self.sock.recv(_READ_CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._lose()
            return
        for request_id, kind, payload in self.frames.feed(data):
            if kind == _READY:
                self._started()
                continue
            waiter = self.waiters.get(request_id)
            if waiter is not None and not waiter.done():
                waiter.set_result((kind, payload))

    def _lose(self) -> None:
        """The worker is gone: stop watching the socket, close it, fail every waiter."""
        if self.closed:
            return
        self.closed = True
        if self.start_timer is not None:
            self.start_timer.cancel()
            self.start_timer = None
        if self.loop is not None and not self.loop.is_closed():
            self.loop.remove_reader(self.sock.fileno())
            self.loop.remove_writer(self.sock.fileno())
        self.sock.close()
        for waiter in self.waiters.values():
            if not waiter.done():
                waiter.set_exception(_WorkerLostError())
        self.waiters.clear()

    def close(self) -> None:
        """Close from any thread: a loop that watches the socket sees its end and closes it."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        loop = self.loop
        if loop is None or loop.is_closed():
            self._lose()
            return
        with contextlib.suppress(RuntimeError):
            if asyncio.get_running_loop() is loop:
                self._lose()


class _Worker:
    """One worker process and its two channels."""

    def __init__(self, policy: Policy, task: Task) -> None:
        context = multiprocessing.get_context("spawn")
        self.owner = os.getpid()
        # The id of the case the worker is deciding, 0 between cases.
        self.current = context.RawValue(ctypes.c_uint64, 0)
        threads_end, threads_theirs = socket.socketpair()
        loop_end, loop_theirs = socket.socketpair()
        self.process = context.Process(
            target=_serve,
            args=(
                [threads_theirs, loop_theirs],
                self.current,
                str(policy.directory),
                policy.version,
                task,
            ),
            name="durable-rules",
            daemon=True,
        )
        try:
            self.process.start()
        except BaseException:
            for sock in (threads_end, loop_end):
                sock.close()
            raise
        finally:
            threads_theirs.close()
            loop_theirs.close()
        self.threads = _SyncChannel(threads_end)
        self.loop = _LoopChannel(loop_end)
        self._reaping = threading.Lock()

    def deciding(self) -> int:
        """The id of the case the worker was deciding (when it has ended: when it ended)."""
        return int(self.current.value)

    def end(self, *, kill: bool) -> int | None:
        """Stop the worker (at once with ``kill``, else once it has seen its channels close);
        its exit code."""
        if kill:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                self.process.kill()
        self.threads.close()
        self.loop.close()
        with self._reaping:
            with contextlib.suppress(ValueError, AssertionError):
                self.process.join(_EXIT_WAIT_S if kill else _STOP_TIMEOUT_S)
                if self.process.is_alive():
                    self.process.kill()
                    self.process.join(_EXIT_WAIT_S)
            return self.process.exitcode


class IsolatedDecider:
    """Decides cases with durable_rules in a worker process, the reference evaluator as fallback."""

    def __init__(
        self,
        policy: Policy,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        task: Task = decide_in_worker,
    ) -> None:
        self.policy = policy
        self.timeout_s = timeout_s
        self._task = task
        self._lock = threading.Lock()
        self._worker: _Worker | None = None
        self._ids = itertools.count(1)
        # Why a case was decided by the reference evaluator, one line a fallback.
        self.fallbacks: list[str] = []

    def decide(self, facts: FactRecord, context: CaseContext | None = None) -> Decision:
        """The decision for one case; the same bytes as ``decide`` in-process would give."""
        context = context or CaseContext()
        payload = self._payload(facts, context)
        for attempt in range(2):
            try:
                worker = self._running_worker()
            except Exception as error:
                if attempt:
                    return self._fallback(facts, context, f"could not be started ({error})")
                continue
            request_id = next(self._ids)
            try:
                kind, answer = worker.threads.call(
                    request_id, _frame(request_id, _DECIDE, payload), self.timeout_s
                )
            except (TimeoutError, _NotStartedError, _WorkerLostError) as error:
                decided = self._after_failure(
                    error,
                    worker=worker,
                    request_id=request_id,
                    attempt=attempt,
                    facts=facts,
                    context=context,
                )
                if decided is None:
                    continue
                return decided
            return _answer(kind, answer)
        raise AssertionError("unreachable")  # pragma: no cover

    async def decide_async(self, facts: FactRecord, context: CaseContext | None = None) -> Decision:
        """``decide`` for a coroutine: the event loop talks to the worker itself."""
        context = context or CaseContext()
        loop = asyncio.get_running_loop()
        payload = self._payload(facts, context)
        for attempt in range(2):
            try:
                worker = self._running_worker()
            except Exception as error:
                if attempt:
                    return self._fallback(facts, context, f"could not be started ({error})")
                continue
            if not worker.loop.serves(loop):
                # Another event loop, still open, holds the channel (two loops in threads).
                return await asyncio.to_thread(self.decide, facts, context)
            request_id = next(self._ids)
            try:
                kind, answer = await worker.loop.call(
                    request_id, _frame(request_id, _DECIDE, payload), self.timeout_s
                )
            except (TimeoutError, _NotStartedError, _WorkerLostError) as error:
                decided = self._after_failure(
                    error,
                    worker=worker,
                    request_id=request_id,
                    attempt=attempt,
                    facts=facts,
                    context=context,
                )
                if decided is None:
                    continue
                return decided
            return _answer(kind, answer)
        raise AssertionError("unreachable")  # pragma: no cover

    def _after_failure(
        self,
        error: Exception,
        *,
        worker: _Worker,
        request_id: int,
        attempt: int,
        facts: FactRecord,
        context: CaseContext,
    ) -> Decision | None:
        """The case decided without the worker after a failed call, or None to try a new one.

        A case that overran or a worker that never started is the reference evaluator's; a
        worker lost before it took the case up gets one more try with a new worker.
        """
        if isinstance(error, TimeoutError):
            self._retire(worker, kill=True)
            return self._fallback(facts, context, f"did not finish within {self.timeout_s:g} s")
        if isinstance(error, _NotStartedError):
            self._retire(worker, kill=True)
            return self._fallback(facts, context, f"did not start within {_START_TIMEOUT_S:g} s")
        reason = self._loss(worker, request_id, attempt)
        return None if reason is None else self._fallback(facts, context, reason)

    def close(self) -> None:
        """Stop the worker; a later ``decide`` starts a new one."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None and worker.owner == os.getpid():
            worker.end(kill=False)

    def _payload(self, facts: FactRecord, context: CaseContext) -> bytes:
        arguments = (
            str(self.policy.directory),
            self.policy.version,
            facts.model_dump_json(),
            context.model_dump_json(),
        )
        return pickle.dumps(arguments, protocol=pickle.HIGHEST_PROTOCOL)

    def _running_worker(self) -> _Worker:
        with self._lock:
            worker = self._worker
            if worker is None or worker.owner != os.getpid():
                # None yet, or the one a parent started before this process was forked
                # from it (its sockets are the parent's to use).
                worker = self._worker = _Worker(self.policy, self._task)
            return worker

    def _retire(self, worker: _Worker, *, kill: bool) -> int | None:
        with self._lock:
            if self._worker is worker:
                self._worker = None
        return worker.end(kill=kill)

    def _loss(self, worker: _Worker, request_id: int, attempt: int) -> str | None:
        """Why the case goes to the reference evaluator now that the worker is gone; None to
        send it once more (to a new worker) when the worker was lost to another case."""
        exit_code = self._retire(worker, kill=True)
        if worker.deciding() == request_id:
            return f"crashed (exit code {exit_code})"
        if attempt:
            return f"was lost twice (exit code {exit_code})"
        return None

    def _fallback(self, facts: FactRecord, context: CaseContext, reason: str) -> Decision:
        message = f"durable_rules {reason}; decided by the reference evaluator"
        log.warning(message)
        self.fallbacks.append(message)
        return decide(facts, policy=self.policy, context=context, engine="reference")
