"""Fixtures for the auth tests: a migrated database, an API app, users made to order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app import deciding
from app.db import create_db_engine, migrate
from app.settings import Settings
from extractors.ingest import shutdown_pool
from tests.app.api.conftest import RecordingQueue, api_client


@pytest.fixture(scope="session", autouse=True)
def _stop_worker_processes() -> Iterator[None]:
    # Uploads start the parser pool and decisions the rules engine's process: none outlives us.
    yield
    deciding.close_deciders()
    shutdown_pool()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A fresh, migrated database (SQLite or PostgreSQL)."""
    engine = create_db_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh SQLite database; the decisions by the reference evaluator."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'auth.db'}",
        data_dir=tmp_path / "data",
        rules_engine="reference",
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The API with jobs left queued; it calls as a csm+admin user unless told otherwise."""
    with api_client(settings, RecordingQueue) as test_client:
        yield test_client
