"""Bytes in, Document out: size checks, type detection, the right loader, and its budget.

Every format is parsed, and its text normalised, in the sandboxed worker pool, under the
same memory cap and a time budget; the service process itself only looks at the first
bytes of an upload and assembles what a worker returns, at most ``max_pages`` pages and
``max_chars`` characters. (Plain text needs the sandbox too: a few MB of form feeds or
combining marks cost gigabytes or hours when handled naively.) A PDF is first probed for its
declared page count (so that a file claiming a million pages is refused before any page is
parsed, and the time budget can grow with the pages), then read with pypdf; if pypdf
overruns that budget or cannot read a legitimate file at all, PDFium reads it in the same
sandbox and the document says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from extractors.document import Document, MediaType, Problem
from extractors.errors import ErrorCode, IngestError
from extractors.ingest import worker
from extractors.ingest.assemble import build_document
from extractors.ingest.detect import sniff_media_type
from extractors.ingest.files import display_filename, read_upload_file
from extractors.ingest.limits import DEFAULT_LIMITS, IngestLimits
from extractors.ingest.raw import LOADER_FALLBACK, LoaderUnavailableError, RawDocument
from extractors.ingest.refusals import too_large, too_many_pages
from extractors.ingest.sandbox import (
    DEFAULT_WORKERS,
    ParseTimeoutError,
    pool_size,
    run_each_in_sandbox,
    run_in_sandbox,
)

# DOCX and text declare no page count; their budget counts one page per this many bytes.
_DOCX_BYTES_PER_PAGE = 20_000
_TEXT_BYTES_PER_PAGE = 4_000
# A PDF is read over several workers only in parts of at least this many pages: opening the
# file again costs each worker some milliseconds, which a short document does not repay.
_PAGES_PER_PART = 8


def ingest_bytes(
    data: bytes, *, filename: str | None = None, limits: IngestLimits | None = None
) -> Document:
    """Read an uploaded file into a Document, or refuse it with an ``IngestError``.

    It is read in the parser pool as it runs (``DEFAULT_WORKERS`` workers when none does).
    """
    return _ingest(data, filename, limits or DEFAULT_LIMITS, None)


def ingest_path(path: Path, *, limits: IngestLimits | None = None) -> Document:
    """Read the file at ``path`` into a Document: only a regular file, only up to the limit."""
    return _ingest_path(path, limits or DEFAULT_LIMITS, DEFAULT_WORKERS)


def ingest_many(
    paths: Iterable[Path], *, limits: IngestLimits | None = None, workers: int = DEFAULT_WORKERS
) -> Iterator[tuple[Path, Document | IngestError]]:
    """Read many files over ``workers`` parser processes, yielding each as soon as it is done.

    A refused file yields its ``IngestError``; any other error (an unreadable path) is raised.
    """
    limits = limits or DEFAULT_LIMITS
    workers = max(1, workers)
    # Twice as many files in flight as workers, so a worker never waits for the next file
    # while another file's thread assembles its Document.
    window = 2 * workers
    pending: dict[Future[Document], Path] = {}
    remaining = iter(paths)
    with ThreadPoolExecutor(max_workers=window, thread_name_prefix="ingest") as threads:
        try:
            while True:
                while len(pending) < window and (path := next(remaining, None)) is not None:
                    pending[threads.submit(_ingest_path, path, limits, workers)] = path
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    path = pending.pop(future)
                    outcome: Document | IngestError
                    try:
                        outcome = future.result()
                    except IngestError as error:
                        outcome = error
                    yield path, outcome
        finally:
            for future in pending:
                future.cancel()


def _ingest_path(path: Path, limits: IngestLimits, workers: int) -> Document:
    return _ingest(read_upload_file(path, limits.max_bytes), path.name, limits, workers)


def _ingest(
    data: bytes, filename: str | None, limits: IngestLimits, workers: int | None
) -> Document:
    filename = display_filename(filename)
    if not data:
        raise IngestError(ErrorCode.EMPTY_FILE, "The file is empty.")
    if len(data) > limits.max_bytes:
        raise too_large(len(data), limits.max_bytes)
    media_type = sniff_media_type(data, filename)
    if media_type is None:
        media_type, raw = _read_archive(data, filename, limits, workers)
    elif media_type is MediaType.PDF:
        raw = _read_pdf(data, limits, workers)
    else:
        raw = _read_text(data, limits, workers)
    return build_document(raw, data=data, media_type=media_type, filename=filename, limits=limits)


def _read_pdf(data: bytes, limits: IngestLimits, workers: int | None) -> RawDocument:
    try:
        declared = run_in_sandbox(
            worker.probe_pdf, data, limits, budget=limits.probe_budget, workers=workers
        )
    except ParseTimeoutError as timeout:
        reason = f"pypdf could not open the file within {timeout.budget:.0f} s"
        return _read_with_pdfium(data, limits, workers, limits.timeout_cap_s, reason)
    except LoaderUnavailableError as unavailable:
        return _read_with_pdfium(data, limits, workers, limits.timeout_cap_s, str(unavailable))
    if declared > limits.max_pages:
        raise too_many_pages(declared, limits)
    budget = limits.parse_budget(declared)
    try:
        return _read_with_pypdf(data, limits, workers, declared, budget)
    except ParseTimeoutError as timeout:
        reason = f"pypdf did not finish within its {timeout.budget:.0f} s budget"
        return _read_with_pdfium(data, limits, workers, budget, reason)
    except LoaderUnavailableError as unavailable:
        return _read_with_pdfium(data, limits, workers, budget, str(unavailable))


def _read_with_pypdf(
    data: bytes, limits: IngestLimits, workers: int | None, declared: int, budget: float
) -> RawDocument:
    """The PDF read by pypdf, its pages split over the pool's workers when it is long.

    pypdf reads a page at a time on one core; a 30-page contract read by two workers at
    once is ready in little more than half the time. Each worker opens the file itself
    and reads its own pages; the parts, joined in page order, are normalised once whole,
    so the document is the same as one worker would have read.
    """
    parts = min(pool_size(workers), declared // _PAGES_PER_PART)
    if parts < 2:
        return run_in_sandbox(
            worker.read_pdf, data, limits, worker.PYPDF, budget=budget, workers=workers
        )
    bounds = [declared * part // parts for part in range(parts)]
    calls = [
        (data, limits, first, stop) for first, stop in zip(bounds, [*bounds[1:], None], strict=True)
    ]
    read = run_each_in_sandbox(worker.read_pdf_pages, calls, budget=budget, workers=workers)
    whole = dataclasses.replace(
        read[0],
        pages=tuple(page for part in read for page in part.pages),
        problems=tuple(problem for part in read for problem in part.problems),
    )
    return run_in_sandbox(worker.normalise, whole, limits, budget=budget, workers=workers)


def _read_with_pdfium(
    data: bytes, limits: IngestLimits, workers: int | None, budget: float, reason: str
) -> RawDocument:
    try:
        raw = run_in_sandbox(
            worker.read_pdf, data, limits, worker.PYPDFIUM2, budget=budget, workers=workers
        )
    except ParseTimeoutError as timeout:
        raise IngestError(
            ErrorCode.PARSE_TIMEOUT,
            f"Reading the PDF took longer than its {timeout.budget:.0f} s budget "
            "with both pypdf and PDFium.",
        ) from None
    fallback = Problem(
        code=LOADER_FALLBACK, message=f"{reason}; the text was read with pypdfium2 instead."
    )
    return dataclasses.replace(raw, problems=(*raw.problems, fallback))


def _read_archive(
    data: bytes, filename: str | None, limits: IngestLimits, workers: int | None
) -> tuple[MediaType, RawDocument]:
    budget = limits.parse_budget(1 + len(data) // _DOCX_BYTES_PER_PAGE)
    try:
        return run_in_sandbox(
            worker.read_archive, data, filename, limits, budget=budget, workers=workers
        )
    except ParseTimeoutError as timeout:
        raise _timed_out("DOCX", timeout) from None


def _read_text(data: bytes, limits: IngestLimits, workers: int | None) -> RawDocument:
    budget = limits.parse_budget(1 + len(data) // _TEXT_BYTES_PER_PAGE)
    try:
        return run_in_sandbox(worker.read_text, data, limits, budget=budget, workers=workers)
    except ParseTimeoutError as timeout:
        raise _timed_out("text", timeout) from None


def _timed_out(kind: str, timeout: ParseTimeoutError) -> IngestError:
    return IngestError(
        ErrorCode.PARSE_TIMEOUT,
        f"Reading the {kind} took longer than its {timeout.budget:.0f} s budget.",
    )
