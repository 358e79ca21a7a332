"""Fixtures for the model-backed reader: the stub server, settings pointing at it, documents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from extractors.document import Document
from extractors.llm import ModelSettings
from tests.extractors.llm.support import MSA_PAGE_1, MSA_PAGE_2, make_document
from tests.support.openai_stub import OpenAIStub, running_stub


@pytest.fixture
def msa() -> Document:
    return make_document(MSA_PAGE_1, MSA_PAGE_2, filename="msa.txt")


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with running_stub() as server:
        yield server


@pytest.fixture
def model_settings(stub: OpenAIStub) -> ModelSettings:
    """Settings for the stub with small timeouts, so failure tests stay fast."""
    return ModelSettings(
        provider="openai",
        base_url=stub.base_url,
        model="stub-model",
        timeout_s=1.0,
        case_timeout_s=8.0,
        max_retries=2,
        backoff_s=0.01,
        backoff_max_s=0.2,
        max_concurrency=4,
    )
