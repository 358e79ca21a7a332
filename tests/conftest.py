"""Shared fixtures: where the CUAD data lives, and the rule that CI never skips it."""

from __future__ import annotations

import os
from pathlib import Path

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
