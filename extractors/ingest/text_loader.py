"""Reading plain text and Markdown: UTF-8, or UTF-16/32 with a byte-order mark, or UTF-16
without one when its zero bytes give it away (Windows tools write it that way)."""

from __future__ import annotations

import sys

from extractors.errors import ErrorCode, IngestError
from extractors.ingest.limits import IngestLimits
from extractors.ingest.raw import RawDocument, RawPage
from extractors.ingest.refusals import too_many_pages, too_much_text

LOADER = "text"
LOADER_VERSION = f"python-{sys.version_info.major}.{sys.version_info.minor}"

_FORM_FEED = "\f"
UTF8 = "utf-8-sig"
# Longest first: a UTF-32-LE mark starts with the UTF-16-LE one.
_BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SNIFF_BYTES = 8192
# Latin-script UTF-16 has a zero byte in almost every code unit, on one side only.
_ZERO_SIDE_SHARE = 0.4
_OTHER_SIDE_SHARE = 0.05
_SPACING = "\t\n\r\f\v"
_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}


def text_encoding(data: bytes) -> str:
    """The codec ``data`` is written in: a byte-order mark's, UTF-16 by its zero bytes, or UTF-8."""
    for mark, codec in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return codec
    return _utf16_by_zero_bytes(data[:_SNIFF_BYTES]) or UTF8


def decode_text(data: bytes) -> str:
    """``data`` as a string with ``\\n`` line ends; text in no encoding we read is refused."""
    codec = text_encoding(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise _undecodable(codec, error) from error
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def read_text(data: bytes, limits: IngestLimits) -> RawDocument:
    """Pages of a text file; a form feed starts a new page, as in printed text filings."""
    text = decode_text(data)
    if len(text) > limits.max_chars:
        raise too_much_text(limits)
    # Blank pages at the end are dropped; the pages are counted before any is built, so a
    # file of a million form feeds costs a count, not a million strings.
    page_count = text.rstrip().count(_FORM_FEED) + 1
    if page_count > limits.max_pages:
        raise too_many_pages(page_count, limits)
    pages = text.split(_FORM_FEED)
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return RawDocument(
        pages=tuple(RawPage(text=page) for page in pages),
        loader=LOADER,
        loader_version=LOADER_VERSION,
    )


def _utf16_by_zero_bytes(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the zero bytes of ``head`` say so, else None."""
    units = len(head) // 2
    if units < 2:
        return None
    even_zeros = head[0 : 2 * units : 2].count(0)
    odd_zeros = head[1 : 2 * units : 2].count(0)
    if odd_zeros >= _ZERO_SIDE_SHARE * units and even_zeros <= _OTHER_SIDE_SHARE * units:
        codec = "utf-16-le"
    elif even_zeros >= _ZERO_SIDE_SHARE * units and odd_zeros <= _OTHER_SIDE_SHARE * units:
        codec = "utf-16-be"
    else:
        return None
    # Binary data can have that pattern too; text decoded this way has few control codes.
    sample = head[: 2 * units].decode(codec, "replace")
    odd = sum(1 for char in sample if char == "\ufffd" or (char < " " and char not in _SPACING))
    return codec if odd <= len(sample) // 20 else None


def _undecodable(codec: str, error: UnicodeDecodeError) -> IngestError:
    if codec == UTF8:
        tried = (
            f"it is not UTF-8 (invalid byte at offset {error.start:,}), and not UTF-16 "
            "(it has no byte-order mark and no UTF-16 pattern of zero bytes)"
        )
    else:
        name = _NAMES.get(codec, codec.upper())
        how = "as its byte-order mark says" if codec in _NAMES else "judged by its zero bytes"
        tried = f"it was read as {name} ({how}) but is not valid {name} at byte {error.start:,}"
    return IngestError(
        ErrorCode.UNDECODABLE_TEXT,
        f"The text cannot be decoded: {tried}; save it as UTF-8 and upload it again.",
    )
