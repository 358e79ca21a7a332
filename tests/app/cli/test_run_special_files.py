"""``triage run`` never reads a path unbounded: special files and oversized files are refused
before any case is opened."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.db import get_engine, session_scope
from app.settings import get_settings
from tests.app.cli.conftest import invoke


def _case_count() -> int:
    from sqlmodel import func, select

    from app.models import Case

    with session_scope(get_engine(get_settings().database_url)) as session:
        return int(session.exec(select(func.count()).select_from(Case)).one())


def test_a_fifo_is_refused_without_being_read(tmp_path: Path, order_form: Path) -> None:
    fifo = tmp_path / "contract.pdf"
    os.mkfifo(fifo)
    # Nothing writes to the FIFO: reading it would block this test for ever.
    result = invoke(["run", str(order_form), str(fifo)])
    assert result.exit_code == 1
    assert "not_a_regular_file" in result.output
    assert "Nothing was stored." in result.output
    assert _case_count() == 0


def test_a_file_over_the_limit_is_refused_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIAGE_MAX_UPLOAD_MB", "0.001")
    get_settings.cache_clear()
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5_000)
    result = invoke(["run", str(big)])
    assert result.exit_code == 1
    assert "too_large" in result.output
    assert _case_count() == 0
