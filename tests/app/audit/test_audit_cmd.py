"""``triage audit verify``: OK with the counts and head, or the first break and exit status 1."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner, Result

from app.cli.main import app
from app.settings import get_settings
from tests.app.audit.conftest import write_trail


@pytest.fixture(autouse=True)
def _configured(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DATABASE_URL", db_url)
    get_settings.cache_clear()


def verify(*args: str) -> Result:
    return CliRunner().invoke(app, ["audit", "verify", *args], env={"COLUMNS": "200"})


def test_a_whole_trail_is_ok_with_its_counts_and_head(engine: Engine) -> None:
    events = write_trail(engine)
    result = verify()
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"OK: 10 events, 3 case chains; head {events[-1].hash}"


def test_a_deleted_row_is_named_and_fails(engine: Engine) -> None:
    events = write_trail(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": events[4].id})
    result = verify()
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "BROKEN: 9 events, 3 case chains checked"
    assert lines[1] == (
        f"First break: event {events[5].id} (case case-c, no. 1), global chain, broken_link: "
        f"it does not link to event {events[3].id} before it: a row between them was deleted, "
        "or rows were reordered"
    )
    assert lines[2] == "2 breaks in all (each chain reports its own)."


def test_a_noted_head_that_is_gone_fails(engine: Engine) -> None:
    events = write_trail(engine)
    noted = events[-1].hash
    assert verify("--anchor", noted).exit_code == 0
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": events[-1].id})
    result = verify("--anchor", noted)
    assert result.exit_code == 1
    assert f"The noted head {noted} is not in the chain" in result.stdout
