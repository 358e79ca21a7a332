"""Why a model could not answer, in words a case can show."""

from __future__ import annotations

from extractors.errors import ExtractorsError


class ModelError(ExtractorsError):
    """A model call that failed; ``retryable`` says whether trying again may help."""

    def __init__(
        self, reason: str, *, retryable: bool = False, retry_after_s: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after_s = retry_after_s


class StructuredOutputUnsupportedError(ModelError):
    """The endpoint refuses JSON Schema outputs; JSON mode may still work."""


class ModelRefusalError(ModelError):
    """The model declined to answer."""


class ModelUnavailableError(ExtractorsError):
    """The reading of a case gave up: the case falls back to the offline extractors."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
