"""What the model-backed reader needs to know, handed in by whoever configures it.

The extractors never read the environment: the service builds this from its settings
(``app.ai.config``), the evaluations and benchmarks from their own options.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# "auto": strict JSON Schema outputs, falling back to JSON mode if the endpoint refuses them.
StructuredMode = Literal["auto", "strict", "json"]


class ModelSettings(BaseModel):
    """Provider, endpoint, model and the limits of one case's reading."""

    model_config = ConfigDict(frozen=True)

    # "offline" reads nothing; "openai" is any OpenAI-compatible endpoint; tests add fakes.
    provider: str = "offline"
    model: str = "gpt-4o-mini"
    base_url: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    # Why the model is off, when it is (shown on the case).
    off_reason: str | None = None
    timeout_s: float = Field(default=30.0, gt=0)
    max_concurrency: int = Field(default=4, ge=1)
    max_retries: int = Field(default=2, ge=0)
    # The whole reading of a case gives up after this long, whatever the retries say.
    case_timeout_s: float = Field(default=120.0, gt=0)
    token_budget: int = Field(default=200_000, ge=1)
    max_output_tokens: int = Field(default=2_000, ge=1)
    backoff_s: float = Field(default=0.5, ge=0)
    backoff_max_s: float = Field(default=20.0, ge=0)
    chunk_chars: int = Field(default=24_000, ge=500)
    chunk_overlap: int = Field(default=400, ge=0)
    structured: StructuredMode = "auto"
    temperature: float = Field(default=0.0, ge=0, le=2)

    @property
    def enabled(self) -> bool:
        return self.provider != "offline"

    def fingerprint(self) -> str:
        """The settings that change an answer (never the key or the limits of waiting)."""
        shaping = {
            "provider": self.provider,
            "base_url": self.base_url,
            "model": self.model,
            "max_output_tokens": self.max_output_tokens,
            "chunk_chars": self.chunk_chars,
            "chunk_overlap": self.chunk_overlap,
            "structured": self.structured,
            "temperature": self.temperature,
        }
        return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()
