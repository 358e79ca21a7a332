"""The provider contract: one chat request in, one answer out; providers chosen by name.

The OpenAI-compatible client is one provider, "offline" (no model) another, and tests
register fakes; the reader above never knows which one answers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from importlib import import_module
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from extractors.errors import ExtractorsError
from extractors.llm.config import ModelSettings


class ChatMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


class ModelRequest(BaseModel):
    """One chat completion: the messages, and the JSON Schema the answer must follow."""

    model_config = ConfigDict(frozen=True)

    messages: list[ChatMessage]
    schema_name: str
    json_schema: dict[str, Any]
    # True: strict JSON Schema outputs; False: JSON mode, validated by the reader.
    strict: bool = True
    max_output_tokens: int = 2_000
    temperature: float = 0.0


class ModelAnswer(BaseModel):
    """What came back, with what it cost."""

    model_config = ConfigDict(frozen=True)

    content: str | None
    refusal: str | None = None
    finish_reason: str | None = None
    model: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = Field(default=0.0, ge=0)


class ModelProvider(ABC):
    """Answers chat requests; raises ``ModelError`` (retryable or not) when it cannot."""

    name: str = "provider"

    @abstractmethod
    def complete(self, request: ModelRequest) -> ModelAnswer:
        """The model's answer to ``request``."""

    def close(self) -> None:  # noqa: B027 - most providers hold nothing to release
        """Release connections."""


ProviderFactory = Callable[[ModelSettings], ModelProvider]

_BUILTIN: dict[str, str] = {"openai": "extractors.llm.openai_compatible:OpenAICompatibleProvider"}
_registered: dict[str, ProviderFactory] = {}


class UnknownProviderError(ExtractorsError):
    """A configured provider name that nothing answers to."""


def register_provider(name: str, factory: ProviderFactory) -> None:
    """Make ``factory`` available as ``name`` (replacing a built-in of that name)."""
    _registered[name] = factory


def unregister_provider(name: str) -> None:
    """Forget a registered provider; built-ins come back."""
    _registered.pop(name, None)


def get_provider(settings: ModelSettings) -> ModelProvider | None:
    """The provider ``settings`` name, built with them; None for "offline"."""
    name = settings.provider
    if name == "offline":
        return None
    if name in _registered:
        return _registered[name](settings)
    if name not in _BUILTIN:
        known = ", ".join(sorted({"offline", *_BUILTIN, *_registered}))
        raise UnknownProviderError(f"no model provider named {name!r} (known: {known})")
    module_name, _, attribute = _BUILTIN[name].partition(":")
    factory = getattr(import_module(module_name), attribute)
    provider = factory(settings)
    assert isinstance(provider, ModelProvider)
    return provider
