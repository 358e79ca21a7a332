"""An app shaped like the service's (state, health router, observability) around test routes."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from app.api.routes import health
from app.db import create_db_engine, migrate
from app.jobs.inline import InlineJobQueue
from app.jobs.queue import JobQueue
from app.logs import JsonFormatter, RequestIdFilter
from app.observability import install_observability
from app.settings import Settings
from rules import Policy, load_policy

log = logging.getLogger("tests.ops")


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy(None)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # The reference evaluator keeps these tests free of the rules worker process; one
    # readiness test runs the default (durable_rules, isolated) on its own.
    return Settings(database_url=f"sqlite:///{tmp_path / 'ops.db'}", rules_engine="reference")


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    yield engine
    engine.dispose()


AppFactory = Callable[..., FastAPI]


@pytest.fixture
def make_app(engine: Engine, settings: Settings, policy: Policy) -> AppFactory:
    """``make_app(engine=, queue=, settings=)``: a service-shaped app, defaults filled in."""

    def build(
        *,
        engine: Engine = engine,
        queue: JobQueue | None = None,
        settings: Settings = settings,
    ) -> FastAPI:
        app = FastAPI()
        app.state.settings = settings
        app.state.engine = engine
        app.state.policy = policy
        app.state.queue = queue or InlineJobQueue(engine=engine, settings=settings, policy=policy)
        app.include_router(health.router)

        @app.get("/things/{thing_id}")
        def thing(thing_id: str) -> dict[str, str]:
            log.info("looked at thing %s", thing_id)
            return {"id": thing_id}

        @app.get("/boom")
        def boom() -> dict[str, str]:
            raise RuntimeError("kaboom")

        install_observability(app)
        return app

    return build


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Every record at INFO and above, formatted as the service formats it, one per line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Undo a test's ``configure_logging`` (it replaces the root logger's handlers)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
