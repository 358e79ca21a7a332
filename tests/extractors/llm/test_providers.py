"""The provider contract and registries: providers by name, extractors built with settings."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from extractors.document import Document
from extractors.llm import (
    ModelAnswer,
    ModelProvider,
    ModelRequest,
    ModelSettings,
    get_provider,
    read_documents,
    register_provider,
    unregister_provider,
)
from extractors.llm.extractor import ModelExtractor
from extractors.llm.openai_compatible import OpenAICompatibleProvider, retry_after
from extractors.llm.provider import UnknownProviderError
from extractors.registry import get_extractor, register_extractor, unregister_extractor
from tests import conftest
from tests.support.openai_stub import OpenAIStub, good_answer


class EchoProvider(ModelProvider):
    """The test fake: answers well from the excerpt it is sent, and keeps a history."""

    name = "echo"

    def __init__(self, settings: ModelSettings) -> None:
        self.settings = settings
        self.history: list[ModelRequest] = []

    def complete(self, request: ModelRequest) -> ModelAnswer:
        self.history.append(request)
        text = request.messages[-1].content.split("\n", 1)[-1]
        return ModelAnswer(content=json.dumps(good_answer(text)), model="echo", tokens_in=1)


@pytest.fixture
def echo() -> Iterator[list[EchoProvider]]:
    made: list[EchoProvider] = []

    def factory(settings: ModelSettings) -> EchoProvider:
        made.append(EchoProvider(settings))
        return made[-1]

    register_provider("echo", factory)
    try:
        yield made
    finally:
        unregister_provider("echo")


def test_providers_by_name(echo: list[EchoProvider]) -> None:
    assert get_provider(ModelSettings()) is None
    openai_provider = get_provider(ModelSettings(provider="openai", base_url="http://127.0.0.1:9"))
    assert isinstance(openai_provider, OpenAICompatibleProvider)
    openai_provider.close()
    assert isinstance(get_provider(ModelSettings(provider="echo")), EchoProvider)
    with pytest.raises(UnknownProviderError, match="known: echo, offline, openai"):
        get_provider(ModelSettings(provider="nope"))


def test_a_registered_fake_provider_reads_documents(
    echo: list[EchoProvider], msa: Document
) -> None:
    reading = read_documents([msa], ModelSettings(provider="echo", model="echo"))
    assert reading.status == "used"
    assert len(echo[0].history) == 1


def test_extractor_factories_receive_the_settings(stub: OpenAIStub, msa: Document) -> None:
    settings = ModelSettings(provider="openai", base_url=stub.base_url, model="m", timeout_s=1)
    extractor = get_extractor("llm", settings)
    assert isinstance(extractor, ModelExtractor) and extractor.settings == settings
    assert extractor.checks == frozenset()  # never turns "not checked" into "not found"
    findings = extractor.extract(msa, [])
    assert {f.path for f in findings} >= {"commercial.most_favoured_nation"}
    seen: list[ModelSettings] = []

    def factory(settings: ModelSettings) -> ModelExtractor:
        seen.append(settings)
        return ModelExtractor(settings)

    register_extractor("configured", factory)
    register_extractor("plain", ModelExtractor)
    try:
        get_extractor("configured", settings)
        assert seen == [settings]
        assert isinstance(get_extractor("plain"), ModelExtractor)
    finally:
        unregister_extractor("configured")
        unregister_extractor("plain")


def test_retry_after_in_seconds_milliseconds_or_a_date() -> None:
    assert retry_after({"retry-after": "2"}) == 2.0
    assert retry_after({"retry-after-ms": "250"}) == 0.25
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert retry_after({}) is None


def test_tests_cannot_reach_beyond_this_machine() -> None:
    before = len(conftest._NETWORK_VIOLATIONS)
    with pytest.raises(conftest.NonLocalNetworkError, match=r"192\.0\.2\.1"):
        socket.create_connection(("192.0.2.1", 443), timeout=0.5)
    with (
        socket.socket() as sock,
        pytest.raises(conftest.NonLocalNetworkError, match=r"api\.openai\.com"),
    ):
        sock.connect(("api.openai.com", 443))
    # Counted as refused; cleared here because this test provoked them on purpose.
    assert len(conftest._NETWORK_VIOLATIONS) == before + 2
    del conftest._NETWORK_VIOLATIONS[before:]


def test_a_model_call_to_a_remote_endpoint_fails_loudly(msa: Document) -> None:
    before = len(conftest._NETWORK_VIOLATIONS)
    settings = ModelSettings(
        provider="openai", base_url="http://192.0.2.1/v1", timeout_s=1, max_retries=0
    )
    reading = read_documents([msa], settings)
    assert reading.status == "unavailable"
    assert conftest._NETWORK_VIOLATIONS[before:], "the guard did not see the attempt"
    del conftest._NETWORK_VIOLATIONS[before:]
