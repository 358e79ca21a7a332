"""The refusals more than one loader raises, worded once."""

from __future__ import annotations

import re

from extractors.errors import ErrorCode, IngestError
from extractors.ingest.limits import IngestLimits

_SURROGATES = re.compile("[\ud800-\udfff]")


def too_many_pages(count: int, limits: IngestLimits) -> IngestError:
    """The refusal for a document longer than the page limit."""
    return IngestError(
        ErrorCode.TOO_MANY_PAGES,
        f"The document has {count:,} pages; at most {limits.max_pages:,} are accepted.",
    )


def too_large(size: int | None, max_bytes: int) -> IngestError:
    """The refusal for a file over ``max_bytes``; ``size`` None when it was not measured.

    A file read only up to the limit (a stream, a device, a growing file) has no known size,
    and a size that rounds to the limit would read as if it were allowed: both are "larger".
    """
    limit = format_size(max_bytes)
    shown = format_size(size) if size is not None else limit
    said = f"is {shown}" if shown != limit else f"is larger than {limit}"
    return IngestError(ErrorCode.TOO_LARGE, f"The file {said}; at most {limit} is accepted.")


def format_size(size: int) -> str:
    """A byte count for people: '950 bytes', '12 KB', '2.5 MB' (decimal units, as the limits)."""
    if size < 1_000:
        return f"{size:,} bytes" if size != 1 else "1 byte"
    for unit, scale in (("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000)):
        value = round(size / scale, 1)
        if value < 1_000 or unit == "GB":
            return f"{value:,.1f}".removesuffix(".0") + f" {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


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
    detail = printable(" ".join(detail.split())).rstrip(".")
    if len(detail) > 160:
        detail = detail[:157] + "..."
    return IngestError(ErrorCode.CORRUPT, f"The {kind} is damaged and cannot be read ({detail}).")


def printable(text: str) -> str:
    """``text`` safe to show and to encode as UTF-8: lone surrogates become U+FFFD."""
    return _SURROGATES.sub("\ufffd", text)


def describe(error: BaseException) -> str:
    """A short description of a parser's exception for a refusal message."""
    message = str(error).strip()
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
