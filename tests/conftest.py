"""Shared fixtures: where the CUAD data lives, the rule that CI never skips it, and the
guard that keeps every test on this machine (no model call can leave 127.0.0.1)."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CUAD_DIR = Path(os.environ.get("CUAD_DIR", REPO_ROOT.parent / "shared" / "datasets" / "cuad"))


def running_in_ci() -> bool:
    """Under CI every dataset and service is present, so nothing may be skipped for lack of it."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, reason: str) -> None:
    """Skip with a visible reason outside CI; fail under CI, where the resource must exist."""
    if available:
        return
    if running_in_ci():
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test gets its own SQLite file, data folder and fresh settings; never ``var/``."""
    from app.settings import get_settings

    monkeypatch.setenv("TRIAGE_DATABASE_URL", f"sqlite:///{tmp_path / 'settings.db'}")
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


class NonLocalNetworkError(OSError):
    """A test tried to reach a host other than this machine.

    An OSError, so that the socket libraries close what they opened; the attempt is also
    recorded, and the test that made it fails at teardown even if the error was swallowed.
    """


# Every refused attempt, so that a test whose code swallowed the error still fails.
_NETWORK_VIOLATIONS: list[str] = []
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: Any) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # a Unix socket path
    host = str(address[0])
    if host in {"localhost", "localhost.localdomain", ""}:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a name other than localhost would need a lookup: not local


def _check_address(sock: socket.socket, address: Any) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
        message = f"tests may only connect to 127.0.0.1; refused {address!r}"
        _NETWORK_VIOLATIONS.append(message)
        raise NonLocalNetworkError(message)


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _check_address(self, address)
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _check_address(self, address)
    return _real_connect_ex(self, address)


def pytest_configure(config: pytest.Config) -> None:
    """Refuse any connection off this machine for the whole session."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]


@pytest.fixture(autouse=True)
def local_network_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No model unless a test configures one; a test that tried to leave 127.0.0.1 fails."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TRIAGE_LLM_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    before = len(_NETWORK_VIOLATIONS)
    yield
    refused = _NETWORK_VIOLATIONS[before:]
    if refused:
        pytest.fail("; ".join(refused))


@pytest.fixture(scope="session")
def cuad_dir() -> Path:
    """The CUAD development split (``pdf/``, ``txt/``, ``master_clauses.csv``)."""
    require(
        (CUAD_DIR / "master_clauses.csv").is_file(),
        f"CUAD dataset not found at {CUAD_DIR} (set CUAD_DIR to point at it)",
    )
    return CUAD_DIR


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI a skipped test, or a run with no passing test, fails the session."""
    if not running_in_ci():
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = [r for r in reporter.stats.get("skipped", []) if not hasattr(r, "wasxfail")]
    passed = reporter.stats.get("passed", [])
    reporter.ensure_newline()
    if skipped:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; nothing may skip in CI.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if not passed:
        reporter.write_line("CI=true: no test passed; an empty run is not a pass.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_reachable() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.service)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a throw-away PostgreSQL database."""
    if request.param == "sqlite":
        from app.db import dispose_engines

        yield f"sqlite:///{tmp_path / 'triage.db'}"
        dispose_engines()
        return
    require(_postgres_reachable(), "PostgreSQL is not reachable on 127.0.0.1:5432")
    import uuid

    from sqlalchemy import create_engine, text

    from app.db import dispose_engines

    name = f"triage_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        # Close the app's connections to it before it is dropped, not when they are collected.
        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
