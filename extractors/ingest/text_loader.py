"""Reading plain text and Markdown: UTF-8 (or UTF-16 with a byte-order mark)."""

from __future__ import annotations

import sys

from extractors.errors import ErrorCode, IngestError
from extractors.ingest.limits import IngestLimits
from extractors.ingest.raw import RawDocument, RawPage
from extractors.ingest.refusals import too_much_text

LOADER = "text"
LOADER_VERSION = f"python-{sys.version_info.major}.{sys.version_info.minor}"

_FORM_FEED = "\f"


def decode_text(data: bytes) -> str:
    """``data`` as a string with ``\\n`` line ends; bytes that are not UTF-8 are refused."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            ErrorCode.UNDECODABLE_TEXT,
            f"The text is not valid UTF-8 (first bad byte at offset {error.start}); "
            "save it as UTF-8 and upload it again.",
        ) from error
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def read_text(data: bytes, limits: IngestLimits) -> RawDocument:
    """Pages of a text file; a form feed starts a new page, as in printed text filings."""
    text = decode_text(data)
    if len(text) > limits.max_chars:
        raise too_much_text(limits)
    pages = text.split(_FORM_FEED)
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return RawDocument(
        pages=tuple(RawPage(text=page) for page in pages),
        loader=LOADER,
        loader_version=LOADER_VERSION,
    )
