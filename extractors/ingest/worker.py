"""What runs inside a parser worker process: every parse of every format, the text's
normalisation, a memory cap, and errors that can cross back.

Every parser bug on hostile input (an exception of any type) becomes a ``corrupt`` refusal;
running out of memory or into a parser's own safety limit becomes ``resource_exhausted``.
Only ``IngestError`` and ``LoaderUnavailableError`` leave this module.
"""

from __future__ import annotations

import logging
import resource
import warnings
from collections.abc import Callable
from typing import TypeVar

from extractors.document import MediaType
from extractors.errors import ErrorCode, IngestError
from extractors.ingest import text_loader
from extractors.ingest.detect import detect_media_type
from extractors.ingest.limits import IngestLimits
from extractors.ingest.normalise import normalise_document
from extractors.ingest.raw import (
    PYPDF_LOADER,
    PYPDFIUM2_LOADER,
    LoaderUnavailableError,
    RawDocument,
)
from extractors.ingest.refusals import corrupt, describe

T = TypeVar("T")

# The parsers (pypdf, pypdfium2, python-docx) are imported where a worker first uses them,
# never in the service process, which only names the functions below for the pool.
PYPDF = PYPDF_LOADER
PYPDFIUM2 = PYPDFIUM2_LOADER


def _pdf_reader(loader: str) -> Callable[[bytes, IngestLimits], RawDocument]:
    if loader == PYPDF:
        from extractors.ingest import pdf_pypdf  # noqa: PLC0415 - in the worker only

        return pdf_pypdf.read_pdf
    if loader == PYPDFIUM2:
        from extractors.ingest import pdf_pdfium  # noqa: PLC0415 - in the worker only

        return pdf_pdfium.read_pdf
    raise KeyError(loader)


def initialise() -> None:
    """Run once per worker: parsers complain loudly about damaged files, the caller is told.

    pypdf, which reads nearly every upload, is imported now, while the worker waits for
    its first file; the fallback and DOCX parsers when a file first needs them.
    """
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    from extractors.ingest import pdf_pypdf  # noqa: F401, PLC0415 - warms the worker


def ready() -> None:
    """Nothing: scheduled only to start the pool's workers before the first file comes."""


def probe_pdf(data: bytes, limits: IngestLimits) -> int:
    """The page count a PDF declares (see ``pdf_pypdf.probe_pdf``)."""
    from extractors.ingest import pdf_pypdf  # noqa: PLC0415 - in the worker only

    return _guarded("PDF", limits, lambda: pdf_pypdf.probe_pdf(data, limits))


def read_pdf(data: bytes, limits: IngestLimits, loader: str) -> RawDocument:
    """Normalised page texts of a PDF read by ``loader`` (``pypdf`` or ``pypdfium2``)."""
    read = _pdf_reader(loader)
    return _guarded("PDF", limits, lambda: normalise_document(read(data, limits), limits))


def read_pdf_pages(data: bytes, limits: IngestLimits, first: int, stop: int | None) -> RawDocument:
    """Pages ``first`` up to ``stop`` of a PDF read by pypdf, not normalised yet: one part of
    a document read over several workers, normalised once whole (``normalise``)."""
    from extractors.ingest import pdf_pypdf  # noqa: PLC0415 - in the worker only

    return _guarded("PDF", limits, lambda: pdf_pypdf.read_pdf(data, limits, first, stop))


def normalise(raw: RawDocument, limits: IngestLimits) -> RawDocument:
    """``raw`` normalised as every loader's output is (see ``normalise_document``)."""
    return _guarded("PDF", limits, lambda: normalise_document(raw, limits))


def read_archive(
    data: bytes, filename: str | None, limits: IngestLimits
) -> tuple[MediaType, RawDocument]:
    """Normalised page texts of a ZIP upload, which must be a DOCX.

    Even telling a DOCX from another archive means reading the archive's directory, which
    can list a million entries: that too happens here, not in the service.
    """

    def read() -> tuple[MediaType, RawDocument]:
        from extractors.ingest import docx_loader  # noqa: PLC0415 - in the worker only

        media_type = detect_media_type(data, filename)
        if media_type is not MediaType.DOCX:  # pragma: no cover - detection only finds DOCX
            raise AssertionError(f"a ZIP detected as {media_type}")
        return media_type, normalise_document(docx_loader.read_docx(data, limits), limits)

    return _guarded("DOCX", limits, read)


def read_text(data: bytes, limits: IngestLimits) -> RawDocument:
    """Normalised page texts of a text or Markdown file."""
    return _guarded(
        "text", limits, lambda: normalise_document(text_loader.read_text(data, limits), limits)
    )


def _guarded(kind: str, limits: IngestLimits, parse: Callable[[], T]) -> T:
    from pypdf.errors import LimitReachedError  # noqa: PLC0415 - in the worker only

    _cap_memory(limits.memory_bytes)
    try:
        return parse()
    except (IngestError, LoaderUnavailableError):
        raise
    except MemoryError:
        # Raised without the original: its traceback pins the memory we need back.
        raise IngestError(
            ErrorCode.RESOURCE_EXHAUSTED,
            f"Reading the {kind} needed more than the {limits.memory_bytes // 1_000_000:,} MB "
            "of memory a parser may use.",
        ) from None
    except LimitReachedError as error:
        raise IngestError(
            ErrorCode.RESOURCE_EXHAUSTED,
            f"The {kind} exceeds a safety limit of the parser ({error}).",
        ) from error
    except RecursionError as error:
        raise corrupt(kind, "its objects nest too deeply") from error
    except Exception as error:  # any parser failure on malformed input means a damaged file
        raise corrupt(kind, describe(error)) from error


def _cap_memory(limit: int) -> None:
    """Cap this process's address space; the soft limit can be set again for every task."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
