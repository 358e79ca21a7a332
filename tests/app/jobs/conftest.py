"""Fixtures for the job tests: a migrated engine and the shipped policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from app.db import create_db_engine, migrate
from rules import Policy, load_policy


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()
