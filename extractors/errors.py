"""The extraction layer's one exception root and the machine-readable refusal codes."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Why an upload was refused; stable strings that API callers can switch on."""

    UNSUPPORTED_TYPE = "unsupported_type"
    EMPTY_FILE = "empty_file"
    ENCRYPTED = "encrypted"
    NO_TEXT_LAYER = "no_text_layer"
    TOO_LARGE = "too_large"
    TOO_MANY_PAGES = "too_many_pages"
    TOO_MUCH_TEXT = "too_much_text"
    CORRUPT = "corrupt"
    PARSE_TIMEOUT = "parse_timeout"
    RESOURCE_EXHAUSTED = "resource_exhausted"
    UNDECODABLE_TEXT = "undecodable_text"
    NOT_A_REGULAR_FILE = "not_a_regular_file"


class ExtractorsError(Exception):
    """Root of every error raised by the extractors package."""


class IngestError(ExtractorsError):
    """A document that cannot be turned into text, with a code and one plain sentence."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code.value}: {self.message}"

    def __reduce__(self) -> tuple[type[IngestError], tuple[ErrorCode, str]]:
        # Raised inside parser worker processes; must survive pickling back to the parent.
        return (type(self), (self.code, self.message))
