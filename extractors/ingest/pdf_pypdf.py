"""Reading PDF text with pypdf, inside a parser worker, with its own limits tightened."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pypdf
from pypdf import Configuration, PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError
from pypdf.generic import DictionaryObject, IndirectObject, PdfObject

from extractors.ingest.limits import IngestLimits
from extractors.ingest.raw import PYPDF_LOADER, LoaderUnavailableError, RawDocument, RawPage
from extractors.ingest.refusals import needs_password, too_many_pages, too_much_text

LOADER = PYPDF_LOADER
LOADER_VERSION = pypdf.__version__

# Enough to find scanned pages; a page that nests images deeper is not a plain scan.
_IMAGE_SEARCH_DEPTH = 3
_IMAGE_SEARCH_ENTRIES = 1_000


@contextmanager
def pypdf_limits(limits: IngestLimits) -> Iterator[None]:
    """pypdf's own resource limits, tightened from its library-wide defaults to one upload."""
    with apply_configuration(**_configuration(limits)):
        yield


def _configuration(limits: IngestLimits) -> dict[str, Any]:
    stream_bytes = limits.max_stream_bytes
    return {
        "maximum_declared_stream_length": stream_bytes,
        "array_based_stream_maximum_output_length": stream_bytes,
        "zlib_maximum_output_length": stream_bytes,
        "lzw_maximum_output_length": stream_bytes,
        "run_length_maximum_output_length": stream_bytes,
        "brotli_maximum_output_length": stream_bytes,
        "jbig2_maximum_output_length": stream_bytes,
        "image_maximum_buffer_size": stream_bytes,
        "stream_decoding_work_maximum_length": 4 * stream_bytes,
        # A page tree only needs a few nodes per page it declares.
        "page_tree_maximum_entries": 8 * limits.max_pages + 64,
        "page_tree_maximum_page_entries": 64 * limits.max_pages + 1_024,
        "page_tree_maximum_depth": 32,
        "xform_maximum_invocations_per_extraction": 1_000,
        # Text extraction never needs an external JBIG2 decoder.
        "jbig2dec_binary": None,
        "disable_legacy_handling": True,
    }


# An older pypdf lacks some of these limits; refuse to run unprotected rather than fail later.
_MISSING = set(_configuration(IngestLimits())) - {f.name for f in dataclasses.fields(Configuration)}
if _MISSING:
    raise ImportError(f"pypdf {pypdf.__version__} lacks limits {sorted(_MISSING)}; need >= 7.1")


@contextmanager
def crypto_required() -> Iterator[None]:
    """Turn pypdf's "no crypto backend" into ``LoaderUnavailableError``, so PDFium reads it.

    pypdf needs a crypto library (``cryptography``) for AES. Without one, an AES-256 file
    fails as it is opened, but an AES-128 one opens (its key comes from MD5 and RC4) and
    fails only when the first stream is decrypted, in the middle of reading the pages.
    """
    try:
        yield
    except DependencyError as error:
        raise LoaderUnavailableError(f"pypdf cannot decrypt this PDF ({error})") from error


def open_pdf(data: bytes) -> PdfReader:
    """A reader over ``data``, decrypted when an empty user password opens it."""
    with crypto_required():
        reader = PdfReader(io.BytesIO(data), strict=False)
        opened = reader.decrypt("") if reader.is_encrypted else None
    if opened == PasswordType.NOT_DECRYPTED:
        raise needs_password()
    return reader


def declared_page_count(reader: PdfReader) -> int:
    """The page count the document's page tree declares, read without walking the tree."""
    pages = reader.root_object.get("/Pages")
    count = pages.get_object().get("/Count") if pages is not None else None
    if count is not None:
        count = count.get_object()
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        return int(count)
    # No usable /Count: the walk below is bounded by pypdf's page-tree limits.
    return len(reader.pages)


def probe_pdf(data: bytes, limits: IngestLimits) -> int:
    """Open ``data`` and return its declared page count, refusing encrypted files."""
    with pypdf_limits(limits), crypto_required():
        return declared_page_count(open_pdf(data))


def read_pdf(
    data: bytes, limits: IngestLimits, first: int = 0, stop: int | None = None
) -> RawDocument:
    """Plain-mode text of every page (never layout mode: it loses most CUAD text), or of
    pages ``first`` up to ``stop`` (0-based, ``stop`` excluded; None: to the last page)."""
    with pypdf_limits(limits), crypto_required():
        reader = open_pdf(data)
        page_count = len(reader.pages)
        if page_count > limits.max_pages:
            raise too_many_pages(page_count, limits)
        pages: list[RawPage] = []
        characters = 0
        for number in range(first, page_count if stop is None else min(stop, page_count)):
            page = reader.pages[number]
            text = page.extract_text(extraction_mode="plain") or ""
            characters += len(text)
            if characters > limits.max_chars:
                raise too_much_text(limits)
            pages.append(RawPage(text=text, image_count=_count_images(page)))
    return RawDocument(pages=tuple(pages), loader=LOADER, loader_version=LOADER_VERSION)


def _count_images(page: DictionaryObject) -> int:
    """Image XObjects the page paints, looking a few form XObjects deep."""
    count = 0
    budget = _IMAGE_SEARCH_ENTRIES
    seen: set[int] = set()
    stack: list[tuple[PdfObject | None, int]] = [(page.get("/Resources"), 0)]
    while stack and budget > 0:
        resources, depth = stack.pop()
        resources = _resolve(resources)
        xobjects = _resolve(resources.get("/XObject")) if resources is not None else None
        if xobjects is None:
            continue
        for reference in list(xobjects.values())[:budget]:
            budget -= 1
            if isinstance(reference, IndirectObject):
                if reference.idnum in seen:
                    continue
                seen.add(reference.idnum)
            xobject = _resolve(reference)
            if xobject is None:
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                count += 1
            elif subtype == "/Form" and depth < _IMAGE_SEARCH_DEPTH:
                stack.append((xobject.get("/Resources"), depth + 1))
    return count


def _resolve(value: PdfObject | None) -> DictionaryObject | None:
    """The dictionary behind ``value``, or None when it is missing or not a dictionary."""
    if value is None:
        return None
    resolved = value.get_object()
    return resolved if isinstance(resolved, DictionaryObject) else None
