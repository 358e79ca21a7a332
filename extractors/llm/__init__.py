"""The model-backed reader: an advisory second reader behind a small provider contract.

Documents are cut into chunks, each chunk is read by the configured model (any
OpenAI-compatible endpoint) with versioned prompts from ``prompts/`` and a JSON Schema
derived from the fact schema, and every finding is grounded: its quote must be found in the
document, or it is kept for display only. Nothing here decides anything; the rules see the
grounded findings beside the deterministic facts and may only become stricter.
"""

from extractors.llm.config import ModelSettings
from extractors.llm.errors import ModelError, ModelUnavailableError
from extractors.llm.provider import (
    ModelAnswer,
    ModelProvider,
    ModelRequest,
    get_provider,
    register_provider,
    unregister_provider,
)
from extractors.llm.reader import AiFinding, AiReading, CacheEntry, ModelCall, read_documents

__all__ = [
    "AiFinding",
    "AiReading",
    "CacheEntry",
    "ModelAnswer",
    "ModelCall",
    "ModelError",
    "ModelProvider",
    "ModelRequest",
    "ModelSettings",
    "ModelUnavailableError",
    "get_provider",
    "read_documents",
    "register_provider",
    "unregister_provider",
]
