"""Migrating at start-up: a database at the latest revision is left alone without Alembic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

import app.db
from app.db import alembic_config, at_head, create_db_engine, head_revision, migrate


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    yield engine
    engine.dispose()


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _no_alembic(url: str) -> None:
    raise AssertionError("Alembic was loaded for a database at the latest revision")


def test_the_head_read_from_the_migrations_is_alembics() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert head_revision() == script.get_current_head()


def test_a_database_at_the_head_is_not_migrated_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not at_head(engine)  # empty: no version table yet
    migrate(engine)
    assert at_head(engine)
    monkeypatch.setattr(app.db, "alembic_config", _no_alembic)
    migrate(engine)  # would raise if it reached Alembic


def test_a_database_behind_the_head_is_migrated(engine: Engine) -> None:
    config = alembic_config(_url(engine))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    assert not at_head(engine)
    assert "case_model_readings" not in inspect(engine).get_table_names()

    migrate(engine)

    assert at_head(engine)
    assert "case_model_readings" in inspect(engine).get_table_names()


def _write_migrations(folder: Path, headers: dict[str, str]) -> None:
    versions = folder / "versions"
    versions.mkdir(parents=True)
    (versions / "__init__.py").write_text("")
    for name, header in headers.items():
        (versions / f"{name}.py").write_text(f'"""A migration."""\n\n{header}\n')


@pytest.mark.parametrize(
    ("headers", "head"),
    [
        (
            {
                "a": 'revision = "a"\ndown_revision = None',
                "b": 'revision = "b"\ndown_revision = "a"',
            },
            "b",
        ),
        # Two heads (a branch): Alembic decides.
        (
            {
                "a": 'revision = "a"\ndown_revision = None',
                "b": 'revision = "b"\ndown_revision = None',
            },
            None,
        ),
        # A merge names two parents.
        (
            {
                "a": 'revision = "a"\ndown_revision = None',
                "b": 'revision = "b"\ndown_revision = ("a", "c")',
                "c": 'revision = "c"\ndown_revision = None',
            },
            None,
        ),
        # A parent that is not shipped, and a header that is not a literal.
        ({"b": 'revision = "b"\ndown_revision = "a"'}, None),
        ({"a": "revision = make_id()\ndown_revision = None"}, None),
    ],
)
def test_anything_but_one_plain_chain_has_no_head_here(
    headers: dict[str, str], head: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_migrations(tmp_path, headers)
    monkeypatch.setattr(app.db, "MIGRATIONS_DIR", tmp_path)
    head_revision.cache_clear()
    try:
        assert head_revision() == head
    finally:
        head_revision.cache_clear()
