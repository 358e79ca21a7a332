"""Fixtures for cases read by a model: the stub server, settings pointing at it, a database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.db import create_db_engine, migrate
from app.settings import Settings
from rules import Policy, load_policy
from tests.support.openai_stub import OpenAIStub, running_stub

ModelEnv = Callable[..., Settings]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'ai.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with running_stub() as server:
        yield server


@pytest.fixture
def model_on(stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch) -> ModelEnv:
    """Settings with the model at the stub (small timeouts), as the environment gives them."""

    def settings(**overrides: str) -> Settings:
        values = {
            "OPENAI_BASE_URL": stub.base_url,
            "OPENAI_API_KEY": "sk-test-not-a-real-key",
            "TRIAGE_OPENAI_MODEL": "stub-model",
            "TRIAGE_LLM_TIMEOUT_S": "1",
            "TRIAGE_LLM_CASE_TIMEOUT_S": "8",
            "TRIAGE_LLM_MAX_RETRIES": "2",
            "TRIAGE_LLM_BACKOFF_S": "0.01",
            "TRIAGE_LLM_BACKOFF_MAX_S": "0.2",
            "TRIAGE_LLM_PRICES": '{"stub-model": [1.0, 4.0]}',
            **overrides,
        }
        for key, value in values.items():
            monkeypatch.setenv(key, value)
        return Settings(_env_file=None)

    return settings
