"""Any OpenAI-compatible chat-completions endpoint through the ``openai`` client.

OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp server ...: ``base_url`` chooses the server.
The client's own retries are off: the reader retries with jittered backoff under the case's
deadline, and every library error is wrapped here as a ``ModelError`` (original kept).
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Any

import openai
from openai import OpenAI

from extractors.llm.config import ModelSettings
from extractors.llm.errors import (
    ModelError,
    ModelRefusalError,
    StructuredOutputUnsupportedError,
)
from extractors.llm.provider import ModelAnswer, ModelProvider, ModelRequest

# Local servers (Ollama, llama.cpp, vLLM) take any key; the client insists on one.
_NO_KEY = "not-needed"
_SCHEMA_WORDS = ("response_format", "json_schema", "structured", "schema")


class OpenAICompatibleProvider(ModelProvider):
    """Chat completions against ``settings.base_url`` (OpenAI itself when unset)."""

    name = "openai"

    def __init__(self, settings: ModelSettings) -> None:
        self.settings = settings
        self.client = OpenAI(
            api_key=settings.api_key or _NO_KEY,
            base_url=settings.base_url,
            timeout=settings.timeout_s,
            max_retries=0,
        )

    def complete(self, request: ModelRequest) -> ModelAnswer:
        """One chat completion; errors become ``ModelError`` saying whether to retry."""
        arguments: dict[str, Any] = {
            "model": self.settings.model,
            "messages": [m.model_dump() for m in request.messages],
            "temperature": request.temperature,
            "response_format": _response_format(request),
        }
        # OpenAI's newer models want max_completion_tokens; most other servers max_tokens.
        limit = "max_completion_tokens" if self.settings.base_url is None else "max_tokens"
        arguments[limit] = request.max_output_tokens
        started = time.perf_counter()
        try:
            completion = self.client.chat.completions.create(**arguments)
        except openai.APITimeoutError as error:
            raise ModelError(
                f"the model timed out after {self.settings.timeout_s:g} s", retryable=True
            ) from error
        except openai.APIConnectionError as error:
            raise ModelError(
                f"the endpoint could not be reached ({error})", retryable=True
            ) from error
        except openai.RateLimitError as error:
            raise ModelError(
                "the endpoint is rate-limiting (429)",
                retryable=True,
                retry_after_s=retry_after(error.response.headers),
            ) from error
        except openai.InternalServerError as error:
            raise ModelError(
                f"the endpoint failed ({error.status_code})",
                retryable=True,
                retry_after_s=retry_after(error.response.headers),
            ) from error
        except (openai.BadRequestError, openai.UnprocessableEntityError) as error:
            message = str(error)
            if request.strict and any(word in message.lower() for word in _SCHEMA_WORDS):
                raise StructuredOutputUnsupportedError(
                    f"the endpoint refuses JSON Schema outputs ({error.status_code})"
                ) from error
            raise ModelError(f"the endpoint refused the request ({error.status_code})") from error
        except openai.APIStatusError as error:
            raise ModelError(
                f"the endpoint answered {error.status_code}", retryable=error.status_code >= 500
            ) from error
        except openai.OpenAIError as error:
            raise ModelError(f"the model call failed ({type(error).__name__})") from error
        latency_ms = (time.perf_counter() - started) * 1000
        if not completion.choices:
            raise ModelError("the endpoint answered without a choice", retryable=True)
        choice = completion.choices[0]
        refusal = getattr(choice.message, "refusal", None)
        if refusal:
            raise ModelRefusalError(f"the model refused: {refusal[:200]}")
        usage = completion.usage
        return ModelAnswer(
            content=choice.message.content,
            refusal=None,
            finish_reason=choice.finish_reason,
            model=completion.model or self.settings.model,
            tokens_in=usage.prompt_tokens if usage else 0,
            tokens_out=usage.completion_tokens if usage else 0,
            latency_ms=latency_ms,
        )

    def close(self) -> None:
        """Close the client's connection pool."""
        self.client.close()


def _response_format(request: ModelRequest) -> dict[str, Any]:
    if request.strict:
        return {
            "type": "json_schema",
            "json_schema": {
                "name": request.schema_name,
                "schema": request.json_schema,
                "strict": True,
            },
        }
    return {"type": "json_object"}


def retry_after(headers: Any) -> float | None:
    """Seconds a ``Retry-After`` (or ``retry-after-ms``) header asks to wait, if any."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
