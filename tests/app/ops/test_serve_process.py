"""``triage serve`` as a real process: it answers the probes and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, *, deadline: float) -> httpx.Response:
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_triage_serve_answers_probes_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "TRIAGE_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "TRIAGE_DATA_DIR": str(tmp_path / "data"),
        "TRIAGE_LOG_FORMAT": "json",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli.serve_cmd", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        health = wait_for(f"{base}/healthz", deadline=time.monotonic() + 60)
        assert health.status_code == 200
        ready = httpx.get(f"{base}/readyz", headers={"X-Request-ID": "serve-test"}, timeout=10)
        assert ready.status_code == 200, ready.text
        assert ready.headers["X-Request-ID"] == "serve-test"
        assert {"database", "queue", "rules"} <= set(ready.json()["checks"])
        assert "triage_http_requests_total" in httpx.get(f"{base}/metrics", timeout=10).text
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=15)
        assert time.monotonic() - started < 10
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, stderr
    assert f"http://127.0.0.1:{port}/docs" in stdout
    messages = [json.loads(line)["message"] for line in stderr.splitlines() if line.startswith("{")]
    assert "Application shutdown complete." in messages
