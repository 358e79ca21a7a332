"""durable_rules in a process of its own: a crash of the C engine cannot take the service down.

The engine is C code that never releases the GIL and has crashed on misuse (see
``rules.durable_engine``). ``IsolatedDecider`` evaluates each case in one persistent
worker process (pebble kills and replaces a worker that dies or overruns its budget). A
case whose worker dies or hangs is decided in-process by the reference evaluator, which
agrees with durable_rules on every scenario and on generated cases (the differential
tests); the decision records which engine made it, and ``fallbacks`` says why.

The worker loads the policy from the same directory and refuses to decide if the files
there no longer hash to the version the service validated at start: a policy edited on
disk must be checked and loaded again, never picked up half-way.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from extractors.facts import FactRecord
from rules.context import CaseContext
from rules.decide import decide
from rules.decision import Decision
from rules.errors import EngineError
from rules.loader import Policy, load_policy

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 10.0
_STOP_TIMEOUT_S = 10.0

# Policies the worker has loaded, by directory: loading compiles the rulesets once.
_WORKER_POLICIES: dict[str, Policy] = {}


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
        self._pool: ProcessPool | None = None
        # Why a case was decided by the reference evaluator, one line a fallback.
        self.fallbacks: list[str] = []

    def decide(self, facts: FactRecord, context: CaseContext | None = None) -> Decision:
        """The decision for one case; the same bytes as ``decide`` in-process would give."""
        context = context or CaseContext()
        arguments = (
            str(self.policy.directory),
            self.policy.version,
            facts.model_dump_json(),
            context.model_dump_json(),
        )
        for attempt in range(2):
            try:
                future = self._worker_pool().schedule(
                    self._task, args=arguments, timeout=self.timeout_s
                )
                return Decision.model_validate_json(future.result())
            except TimeoutError:
                return self._fallback(facts, context, f"did not finish within {self.timeout_s:g} s")
            except ProcessExpired as expired:
                return self._fallback(facts, context, f"crashed (exit code {expired.exitcode})")
            except (BrokenProcessPool, RuntimeError, CancelledError):
                # The pool itself failed, not the case: start a new one and try once more.
                self._stop()
                if attempt:
                    return self._fallback(facts, context, "its worker pool could not be started")
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        """Stop the worker; a later ``decide`` starts a new one."""
        self._stop()

    def _fallback(self, facts: FactRecord, context: CaseContext, reason: str) -> Decision:
        message = f"durable_rules {reason}; decided by the reference evaluator"
        log.warning(message)
        self.fallbacks.append(message)
        return decide(facts, policy=self.policy, context=context, engine="reference")

    def _worker_pool(self) -> ProcessPool:
        with self._lock:
            if self._pool is not None and not self._pool.active:
                self._stop_locked()
            if self._pool is None:
                self._pool = ProcessPool(
                    max_workers=1, context=multiprocessing.get_context("spawn")
                )
            return self._pool

    def _stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        if self._pool is not None:
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join(timeout=_STOP_TIMEOUT_S)
            self._pool = None
