"""``triage db upgrade``: the configured database at the latest schema revision."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from app.db import alembic_config
from tests.app.cli.conftest import invoke


def test_upgrade_migrates_the_configured_database_and_names_its_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh' / 'triage.db'}"
    monkeypatch.setenv("TRIAGE_DATABASE_URL", url)
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    first = invoke(["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == f"{url}: at revision {head} (upgraded from empty)."
    assert (tmp_path / "fresh" / "triage.db").is_file()
    again = invoke(["db", "upgrade"])
    assert again.stdout.strip() == f"{url}: at revision {head} (already up to date)."
    # The migrated database serves the other commands.
    assert invoke(["cases", "list"]).stdout.strip() == "No cases."
