"""The refusals more than one loader raises, worded once."""

from __future__ import annotations

from extractors.errors import ErrorCode, IngestError
from extractors.ingest.limits import IngestLimits


def too_many_pages(count: int, limits: IngestLimits) -> IngestError:
    """The refusal for a document longer than the page limit."""
    return IngestError(
        ErrorCode.TOO_MANY_PAGES,
        f"The document has {count:,} pages; at most {limits.max_pages:,} are accepted.",
    )


def too_much_text(limits: IngestLimits) -> IngestError:
    """The refusal for a document holding more text than the character limit."""
    return IngestError(
        ErrorCode.TOO_MUCH_TEXT,
        f"The document holds more than {limits.max_chars:,} characters of text.",
    )


def needs_password() -> IngestError:
    """The refusal for a document that only opens with a password."""
    return IngestError(
        ErrorCode.ENCRYPTED,
        "The document is encrypted and needs a password to open; upload an unprotected copy.",
    )


def corrupt(kind: str, detail: str) -> IngestError:
    """The refusal for a file of a known type that its parser cannot make sense of."""
    detail = " ".join(detail.split()).rstrip(".")
    if len(detail) > 160:
        detail = detail[:157] + "..."
    return IngestError(ErrorCode.CORRUPT, f"The {kind} is damaged and cannot be read ({detail}).")


def describe(error: BaseException) -> str:
    """A short description of a parser's exception for a refusal message."""
    message = str(error).strip()
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
