"""Running the ``triage`` command in-process (CliRunner) or as a real process on a pipe."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from app import deciding
from app.cli.main import app
from app.cli.warm import wait_for_warm_ups

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "app" / "samples" / "kepler-maritime"
SAMPLE_FILES = [str(SAMPLE / "msa.pdf"), str(SAMPLE / "order_form.docx")]
TRIAGE = Path(sys.executable).parent / "triage"

# A one-page order form that decides in a second: three approvals, each with its clause.
ORDER_FORM = (
    "ORDER FORM\n\n"
    "Provider: Nimbus Cloud Ltd. Customer: Harbor Foods GmbH, Berlin, Germany.\n"
    "Subscription fees: EUR 48,000 per year, invoiced annually in advance.\n"
    "Invoices are payable within ninety (90) days of receipt.\n"
    "Customer Data shall be stored and processed only in the European Union.\n"
    "This Agreement is governed by the laws of Germany.\n"
)


@pytest.fixture(autouse=True)
def _close_deciders() -> Iterator[None]:
    # The rules engine runs in a worker process; no test leaves one behind, not even one
    # a command that failed early was still starting.
    yield
    wait_for_warm_ups(timeout_s=60)
    deciding.close_deciders()
    # ``triage run`` freezes what its start-up built (app.cli.heap): here, in the test
    # process, it goes back to the collector.
    gc.unfreeze()


@pytest.fixture
def order_form(tmp_path: Path) -> Path:
    path = tmp_path / "order_form.txt"
    path.write_text(ORDER_FORM, "utf-8")
    return path


@pytest.fixture
def empty_file(tmp_path: Path) -> Path:
    path = tmp_path / "scan.txt"
    path.write_bytes(b"")
    return path


def invoke(args: Sequence[str], *, columns: int = 80) -> Result:
    """``triage ARGS`` in this process, as a pipe of ``columns`` would show it."""
    return CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})


def run_process(
    args: Sequence[str], *, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``triage ARGS`` as its own process writing to a pipe, with this test's database."""
    base = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "FORCE_COLOR", "NO_COLOR"}}
    return subprocess.run(  # the venv's own entry point, never a shell
        [str(TRIAGE), *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
