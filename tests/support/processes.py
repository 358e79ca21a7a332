"""Service processes for end-to-end tests: started in a session of their own, never outliving one.

Each process leads a new process group, so the parser and rules-engine processes it starts
can be found, and ended, by that group's id even after the leader was killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_open(port: int) -> bool:
    """Whether something accepts connections on ``127.0.0.1:port``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def service_env(**settings: str) -> dict[str, str]:
    """This environment without any ``TRIAGE_`` setting of ours, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRIAGE_")}
    env.update(settings)
    return env


class Spawned:
    """One service process (``python -m module args``) with its output in a log file."""

    def __init__(self, module: str, args: Sequence[str], *, env: Mapping[str, str], log: Path):
        self.name, self.log = module, log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", module, *args],
                cwd=REPO_ROOT,
                env=dict(env),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        """Everything the process wrote so far."""
        return self.log.read_text(errors="replace")

    def group_alive(self) -> bool:
        """Whether any process of its group (it, or a child it started) is still running."""
        self.process.poll()  # reap the leader, so a dead one is not counted as a zombie
        try:
            os.killpg(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill_group(self) -> None:
        """SIGKILL the process and everything it started; reap the leader."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self, *, timeout_s: float) -> int | None:
        """SIGTERM, then up to ``timeout_s`` to exit; its exit code, or None if it did not."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            return None


def wait_until(
    condition: Callable[[], bool],
    *,
    what: str,
    timeout_s: float = 30.0,
    watch: Sequence[Spawned] = (),
) -> None:
    """Poll ``condition``; fail after ``timeout_s``, or at once if a watched process ended."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        for spawned in watch:
            if spawned.process.poll() is not None:
                pytest.fail(
                    f"{spawned.name} exited ({spawned.process.returncode}) "
                    f"before {what}:\n{spawned.output()[-4000:]}"
                )
        if time.monotonic() > deadline:
            logs = "\n".join(spawned.output()[-2000:] for spawned in watch)
            pytest.fail(f"timed out after {timeout_s:g} s waiting for {what}\n{logs}")
        time.sleep(0.1)


def wait_until_ready(base_url: str, server: Spawned, *, timeout_s: float = 60.0) -> None:
    """Wait until ``GET /readyz`` answers 200: database, job queue and rules engine up."""

    def ready() -> bool:
        try:
            return httpx.get(f"{base_url}/readyz", timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    wait_until(ready, what=f"{base_url}/readyz", timeout_s=timeout_s, watch=[server])
