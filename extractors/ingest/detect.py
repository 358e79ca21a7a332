"""Telling what a file is from its bytes; the file name only separates Markdown from text."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from extractors.document import MediaType
from extractors.errors import ErrorCode, IngestError
from extractors.ingest.refusals import printable
from extractors.ingest.text_loader import UTF8, text_encoding

# PDF readers accept the header anywhere in the first kilobyte (some generators prepend junk).
_PDF_HEADER_WINDOW = 1024
_SNIFF_BYTES = 8192
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office stores a password-protected DOCX as an OLE2 container with this stream name.
_OLE2_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_DOCX_MAIN_PART = "word/document.xml"
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})

# Known binary formats, named so that the refusal says what the file actually is.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"RIFF", "a RIFF media file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "an executable"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
)
_MARKUP_PREFIXES: tuple[tuple[str, str], ...] = (
    ("<!doctype html", "an HTML page"),
    ("<html", "an HTML page"),
    ("<head", "an HTML page"),
    ("<body", "an HTML page"),
    ("<?xml", "an XML document"),
    ("<svg", "an SVG image"),
)
_ACCEPTED = "a PDF, DOCX, text or Markdown file"


def detect_media_type(data: bytes, filename: str | None = None) -> MediaType:
    """The media type of ``data`` judged from its bytes; refuses anything it cannot read."""
    media_type = sniff_media_type(data, filename)
    return _detect_zip(data, filename) if media_type is None else media_type


def sniff_media_type(data: bytes, filename: str | None = None) -> MediaType | None:
    """Like ``detect_media_type`` from the first bytes alone; None for a ZIP archive.

    Telling a DOCX from another ZIP means reading the archive's directory, which hostile
    input can make huge: the loader does that in its sandbox.
    """
    if not data:
        raise IngestError(ErrorCode.EMPTY_FILE, "The file is empty.")
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return MediaType.PDF
    if data.startswith(_ZIP_MAGIC):
        return None
    if data.startswith(_OLE2_MAGIC):
        if _OLE2_ENCRYPTED_PACKAGE in data:
            raise IngestError(
                ErrorCode.ENCRYPTED,
                "The document is password-protected; remove the password and upload it again.",
            )
        raise _unsupported("a legacy Microsoft Office (OLE2) file such as .doc", filename)
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise _unsupported(kind, filename)
    if text_encoding(data) != UTF8:  # UTF-16 or UTF-32: zero bytes, yet text
        return _text_type(filename)
    head = data[:_SNIFF_BYTES]
    if _looks_binary(head):
        raise _unsupported("binary data of an unknown format", filename)
    markup = head.lstrip(b"\xef\xbb\xbf \t\r\n").decode("utf-8", "replace").lower()
    for prefix, kind in _MARKUP_PREFIXES:
        if markup.startswith(prefix):
            raise _unsupported(kind, filename)
    return _text_type(filename)


def _detect_zip(data: bytes, filename: str | None) -> MediaType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        # A damaged archive: if it still names the Word main part, let the DOCX loader report
        # it as corrupt rather than calling it an unknown type.
        if _DOCX_MAIN_PART.encode() in data or _suffix(filename) == ".docx":
            return MediaType.DOCX
        raise _unsupported("a damaged ZIP archive", filename) from None
    if _DOCX_MAIN_PART in names:
        return MediaType.DOCX
    if any(name.startswith("xl/") for name in names):
        raise _unsupported("an Excel workbook", filename)
    if any(name.startswith("ppt/") for name in names):
        raise _unsupported("a PowerPoint presentation", filename)
    if "mimetype" in names:
        raise _unsupported("an OpenDocument file", filename)
    raise _unsupported("a ZIP archive", filename)


def _looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters: not text in any encoding we accept."""
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\f\v\x1b")
    return controls > len(head) // 20


def _text_type(filename: str | None) -> MediaType:
    if _suffix(filename) in _MARKDOWN_SUFFIXES:
        return MediaType.MARKDOWN
    return MediaType.TEXT


def _suffix(filename: str | None) -> str:
    return PurePath(filename).suffix.lower() if filename else ""


def _unsupported(kind: str, filename: str | None) -> IngestError:
    suffix = printable(_suffix(filename))
    named = f" despite its {suffix} name" if suffix else ""
    return IngestError(
        ErrorCode.UNSUPPORTED_TYPE, f"The file is {kind}{named}; upload {_ACCEPTED} instead."
    )
