"""Parser workers started ahead of the first file, and a service process that never loads a
parser itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.ingest import ingest_bytes, sandbox, shutdown_pool, warm_up, worker
from tests.conftest import REPO_ROOT
from tests.extractors.ingest.conftest import GOOD_PAGES


def test_warm_up_starts_the_workers_and_the_first_file_is_read_as_usual(good_pdf: bytes) -> None:
    shutdown_pool()
    warm_up()
    pool = sandbox._SANDBOX._pool
    assert pool is not None and pool.active
    workers = pool._pool_manager.worker_manager.workers
    assert len(workers) == sandbox.DEFAULT_WORKERS
    document = ingest_bytes(good_pdf, filename="good.pdf")
    assert sandbox._SANDBOX._pool is pool  # the warmed pool read it, none was started anew
    assert document.page_count == 2
    assert GOOD_PAGES[1] in document.text


def _modules_after(code: str) -> set[str]:
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(  # the interpreter under test, never a shell
        [sys.executable, "-c", probe],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_the_service_process_imports_no_parser() -> None:
    # Only the workers parse: the process that schedules them needs none of the parsers.
    loaded = _modules_after("import extractors.ingest.load, extractors.ingest.sandbox")
    assert not loaded & {"pypdf", "pypdfium2", "docx", "lxml"}


def test_reading_an_upload_file_loads_neither_pool_nor_document_model() -> None:
    loaded = _modules_after("from extractors.ingest import read_upload_file")
    assert not loaded & {"pebble", "pydantic", "extractors.ingest.load", "pypdf"}


SCRIPT = """
from extractors.ingest import warm_up

if __name__ == "__main__":
    warm_up()
    print("warmed")
"""


def test_a_process_that_exits_while_its_workers_start_exits_cleanly(tmp_path: Path) -> None:
    script = tmp_path / "warm_and_exit.py"
    script.write_text(SCRIPT)
    for _ in range(3):
        finished = subprocess.run(
            [sys.executable, str(script)],
            cwd=REPO_ROOT,
            env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (finished.returncode, finished.stdout, finished.stderr) == (0, "warmed\n", "")


def test_an_upload_is_read_in_the_pool_as_it_was_warmed(
    good_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = sandbox._Sandbox()  # as in a new process: no pool has been started yet
    monkeypatch.setattr(sandbox, "_SANDBOX", fresh)
    try:
        warm_up(1)
        pool = fresh._pool
        assert pool is not None
        assert len(pool._pool_manager.worker_manager.workers) == 1
        assert ingest_bytes(good_pdf, filename="good.pdf").page_count == 2
        assert fresh._pool is pool  # not restarted at the default size
        # Asking for more workers explicitly still grows it.
        assert sandbox.run_in_sandbox(worker.ready, budget=30) is None
        assert fresh._pool is not None
        assert len(fresh._pool._pool_manager.worker_manager.workers) == 2
    finally:
        fresh.stop()
