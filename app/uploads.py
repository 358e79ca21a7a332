"""Request bodies read as a stream: refused as soon as they pass a cap, never held whole first.

A declared ``Content-Length`` is checked before the first byte is read; then every chunk
counts against the request cap and every file part against the per-file cap, so an
oversized upload costs the server at most the cap in memory. Multipart bodies are parsed
by python-multipart's streaming parser, part by part, and each part is hashed as it
arrives so a request can be fingerprinted by its content rather than its bytes on the wire.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from app.errors import InvalidRequestError, TriageError
from app.settings import Settings

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

# A contract bundle is a handful of documents (MSA, order form, SOW, DPA, amendments).
MAX_FILES = 20
MAX_FIELDS = 20
MAX_FIELD_BYTES = 64_000
# A request may carry several files near the per-file cap, never more than this many caps.
REQUEST_CAP_FILES = 4
# Multipart framing (boundaries, part headers) on top of the content itself.
FRAMING_ALLOWANCE_BYTES = 64_000
MAX_FILENAME_CHARS = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadTooLargeError(TriageError):
    code = "too_large"
    status = 413
    title = "The upload is too large"


class TooManyFilesError(TriageError):
    code = "too_many_files"
    status = 422
    title = "Too many files in one request"


class UnsupportedMediaTypeError(TriageError):
    code = "unsupported_media_type"
    status = 415
    title = "The request body is not of a type this endpoint reads"


@dataclass(frozen=True)
class UploadLimits:
    """How much one request may carry."""

    max_file_bytes: int
    max_request_bytes: int
    max_files: int = MAX_FILES
    max_fields: int = MAX_FIELDS
    max_field_bytes: int = MAX_FIELD_BYTES


def upload_limits(settings: Settings) -> UploadLimits:
    """The caps of a document upload under ``settings`` (the per-file cap is the ingestion one)."""
    per_file = int(settings.max_upload_mb * 1_000_000)
    return UploadLimits(
        max_file_bytes=per_file,
        max_request_bytes=per_file * REQUEST_CAP_FILES + FRAMING_ALLOWANCE_BYTES,
    )


@dataclass(frozen=True)
class FilePart:
    """One uploaded file of a multipart body."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes
    sha256: str


@dataclass(frozen=True)
class MultipartForm:
    """The parts of a multipart body: files with their bytes, and text fields."""

    files: list[FilePart]
    fields: list[tuple[str, str]]

    def files_named(self, name: str) -> list[FilePart]:
        """The files sent under the field ``name``, in order."""
        return [part for part in self.files if part.field == name]

    def field(self, name: str) -> str | None:
        """The one value of the text field ``name`` (InvalidRequestError when repeated)."""
        values = [value for key, value in self.fields if key == name]
        if len(values) > 1:
            raise InvalidRequestError(f"The field {name!r} may be sent once.", field=name)
        return values[0] if values else None

    def refuse_unknown(self, *, files: set[str], fields: set[str]) -> None:
        """InvalidRequestError for any part under a name the endpoint does not read."""
        unknown = sorted(
            {part.field for part in self.files if part.field not in files}
            | {key for key, _ in self.fields if key not in fields}
        )
        if unknown:
            raise InvalidRequestError(
                f"Unknown form field(s): {', '.join(unknown)}.",
                fields=unknown,
                expected=sorted(files | fields),
            )

    def fingerprint(self) -> str:
        """SHA-256 over the content (names, file names, content hashes, field values).

        The multipart boundary changes between retries of the same request, so the raw
        body cannot identify it; what it carries can.
        """
        content = {
            "files": [[p.field, p.filename, p.sha256] for p in self.files],
            "fields": [[key, value] for key, value in self.fields],
        }
        return content_digest(content)


def content_digest(content: object) -> str:
    """SHA-256 of ``content`` as canonical JSON."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_content_length(value: str | None, *, limit: int) -> None:
    """Refuse a declared body over ``limit`` before reading any of it."""
    if value is None:
        return
    try:
        declared = int(value)
    except ValueError as error:
        raise InvalidRequestError("The Content-Length header is not a number.") from error
    if declared > limit:
        raise UploadTooLargeError(
            f"The request body is {declared:,} bytes; at most {limit:,} are accepted.",
            limit_bytes=limit,
        )


async def read_capped(
    chunks: AsyncIterator[bytes], *, content_length: str | None, limit: int
) -> bytes:
    """The whole body, refused with 413 as soon as it passes ``limit`` bytes."""
    check_content_length(content_length, limit=limit)
    body = bytearray()
    async for chunk in chunks:
        if len(body) + len(chunk) > limit:
            raise UploadTooLargeError(
                f"The request body is over {limit:,} bytes.", limit_bytes=limit
            )
        body += chunk
    return bytes(body)


async def read_multipart(
    chunks: AsyncIterator[bytes],
    *,
    content_type: str | None,
    content_length: str | None,
    limits: UploadLimits,
) -> MultipartForm:
    """Parse a ``multipart/form-data`` body as it arrives, within ``limits``."""
    media_type, options = parse_options_header(content_type)
    if media_type != b"multipart/form-data":
        raise UnsupportedMediaTypeError(
            "Send the documents as multipart/form-data.", content_type=content_type
        )
    boundary = options.get(b"boundary")
    if not boundary:
        raise InvalidRequestError("The multipart Content-Type has no boundary.")
    check_content_length(content_length, limit=limits.max_request_bytes)
    reader = _PartReader(limits)
    try:
        parser = MultipartParser(boundary, reader.callbacks())
    except FormParserError as error:
        raise InvalidRequestError(f"The multipart boundary is not valid: {error}") from error
    received = 0
    try:
        async for chunk in chunks:
            received += len(chunk)
            if received > limits.max_request_bytes:
                raise UploadTooLargeError(
                    f"The request body is over {limits.max_request_bytes:,} bytes.",
                    limit_bytes=limits.max_request_bytes,
                )
            parser.write(chunk)
        parser.finalize()
    except FormParserError as error:
        raise InvalidRequestError(f"The multipart body is malformed: {error}") from error
    if parser.state is not MultipartState.END:
        raise InvalidRequestError("The multipart body ended before its closing boundary.")
    return MultipartForm(files=reader.files, fields=reader.fields)


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    is_file: bool = False
    content_type: str | None = None
    data: bytearray = field(default_factory=bytearray)
    digest: hashlib._Hash = field(default_factory=hashlib.sha256)


class _PartReader:
    """python-multipart callbacks that collect parts and enforce the caps as data arrives."""

    def __init__(self, limits: UploadLimits) -> None:
        self.limits = limits
        self.files: list[FilePart] = []
        self.fields: list[tuple[str, str]] = []
        self._part = _Part()
        self._headers: dict[str, str] = {}
        self._header_name = bytearray()
        self._header_value = bytearray()

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.on_part_begin,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
        }

    def on_part_begin(self) -> None:
        self._part = _Part()
        self._headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        name = bytes(self._header_name).decode("latin-1").strip().lower()
        self._headers[name] = bytes(self._header_value).decode("latin-1").strip()
        self._header_name.clear()
        self._header_value.clear()

    def on_headers_finished(self) -> None:
        disposition, options = parse_options_header(self._headers.get("content-disposition"))
        if disposition != b"form-data" or b"name" not in options:
            raise InvalidRequestError(
                "Every part needs a 'Content-Disposition: form-data; name=...' header."
            )
        part = self._part
        part.name = _text(options[b"name"])
        part.content_type = self._headers.get("content-type")
        if b"filename" in options:
            part.is_file = True
            part.filename = safe_filename(_text(options[b"filename"]))
            if len(self.files) + 1 > self.limits.max_files:
                raise TooManyFilesError(
                    f"At most {self.limits.max_files} files may be sent in one request.",
                    max_files=self.limits.max_files,
                )
        elif len(self.fields) + 1 > self.limits.max_fields:
            raise InvalidRequestError(
                f"At most {self.limits.max_fields} form fields may be sent in one request."
            )

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._part
        size = len(part.data) + (end - start)
        if part.is_file and size > self.limits.max_file_bytes:
            raise UploadTooLargeError(
                f"{part.filename or 'The upload'} is over the {self.limits.max_file_bytes:,}-byte "
                "limit for one document.",
                filename=part.filename,
                limit_bytes=self.limits.max_file_bytes,
            )
        if not part.is_file and size > self.limits.max_field_bytes:
            raise UploadTooLargeError(
                f"The field {part.name!r} is over {self.limits.max_field_bytes:,} bytes.",
                field=part.name,
                limit_bytes=self.limits.max_field_bytes,
            )
        chunk = data[start:end]
        part.data += chunk
        if part.is_file:
            part.digest.update(chunk)

    def on_part_end(self) -> None:
        part = self._part
        if part.is_file:
            self.files.append(
                FilePart(
                    field=part.name,
                    filename=part.filename,
                    content_type=part.content_type,
                    data=bytes(part.data),
                    sha256=part.digest.hexdigest(),
                )
            )
        else:
            try:
                value = bytes(part.data).decode("utf-8")
            except UnicodeDecodeError as error:
                raise InvalidRequestError(
                    f"The field {part.name!r} is not UTF-8 text.", field=part.name
                ) from error
            self.fields.append((part.name, value))
        self._part = _Part()


def _text(raw: bytes) -> str:
    # Browsers and httpx send UTF-8 names; parse_options_header hands them over as Latin-1 bytes.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def safe_filename(name: str) -> str | None:
    """The last path component of ``name``, without control characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", name)
    name = _CONTROL.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if name in {"", ".", ".."}:
        return None
    return name[:MAX_FILENAME_CHARS]
