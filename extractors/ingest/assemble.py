"""Turning a loader's page texts into a Document: offsets, hash, and pages without text.

The page texts arrive already normalised (``normalise.py``, in the parser sandbox), at most
``max_pages`` of them and ``max_chars`` in all, so everything here is linear in their size.
"""

from __future__ import annotations

import hashlib

from extractors.document import PAGE_SEPARATOR, Document, MediaType, Page, Problem
from extractors.errors import ErrorCode, IngestError
from extractors.ingest.limits import IngestLimits

# Re-exported: callers (the CUAD cache, tests) know them from here.
from extractors.ingest.normalise import NORMALISATION_VERSION, normalise_page_text
from extractors.ingest.raw import PAGES_WITHOUT_TEXT, SCANNED_PAGES, RawDocument
from extractors.ingest.refusals import too_many_pages, too_much_text

__all__ = ["NORMALISATION_VERSION", "build_document", "normalise_page_text", "visible_characters"]


def visible_characters(text: str) -> int:
    """Characters that are not whitespace."""
    return len("".join(text.split()))


def build_document(
    raw: RawDocument,
    *,
    data: bytes,
    media_type: MediaType,
    filename: str | None,
    limits: IngestLimits,
) -> Document:
    """A Document whose pages tile ``PAGE_SEPARATOR.join(page texts)`` (texts normalised)."""
    if len(raw.pages) > limits.max_pages:  # the loaders refuse first; this is the backstop
        raise too_many_pages(len(raw.pages), limits)
    texts = [page.text for page in raw.pages]
    pages: list[Page] = []
    offset = 0
    for number, (text, raw_page) in enumerate(zip(texts, raw.pages, strict=True), start=1):
        pages.append(
            Page(
                number=number,
                start=offset,
                end=offset + len(text),
                image_count=raw_page.image_count,
            )
        )
        offset += len(text) + len(PAGE_SEPARATOR)
    full_text = PAGE_SEPARATOR.join(texts)
    if len(full_text) > limits.max_chars:
        raise too_much_text(limits)
    problems = [*raw.problems, *_textless_pages(texts, pages, media_type, limits)]
    return Document(
        text=full_text,
        pages=pages,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        loader=raw.loader,
        loader_version=raw.loader_version,
        filename=filename,
        byte_size=len(data),
        problems=problems,
    )


def _textless_pages(
    texts: list[str], pages: list[Page], media_type: MediaType, limits: IngestLimits
) -> list[Problem]:
    """Problems for pages without text; a document where no page has text is refused."""
    textless = [
        page
        for text, page in zip(texts, pages, strict=True)
        if visible_characters(text) < limits.min_chars_per_page
    ]
    if not pages:
        raise IngestError(ErrorCode.EMPTY_FILE, "The document has no pages.")
    if len(textless) == len(pages):
        if not any(text.strip() for text in texts) or media_type is MediaType.PDF:
            raise _no_text(media_type, any(page.image_count for page in pages))
        return []  # a short note in a text file or DOCX is still a document
    if media_type is not MediaType.PDF:
        return []
    scanned = [page.number for page in textless if page.image_count]
    blank = [page.number for page in textless if not page.image_count]
    problems: list[Problem] = []
    if scanned:
        problems.append(
            Problem(
                code=SCANNED_PAGES,
                message=f"{_pages(scanned)} only an image without a text layer (scanned); "
                "their text needs OCR.",
                pages=scanned,
            )
        )
    if blank:
        problems.append(
            Problem(
                code=PAGES_WITHOUT_TEXT,
                message=f"{_pages(blank)} no text.",
                pages=blank,
            )
        )
    return problems


def _no_text(media_type: MediaType, has_images: bool) -> IngestError:
    if media_type is not MediaType.PDF:
        return IngestError(ErrorCode.EMPTY_FILE, "The document contains no text.")
    if has_images:
        return IngestError(
            ErrorCode.NO_TEXT_LAYER,
            "The PDF has no text layer, only images of its pages (a scan); it needs OCR "
            "before it can be read.",
        )
    return IngestError(
        ErrorCode.NO_TEXT_LAYER,
        "The PDF has no extractable text on any page; it needs OCR before it can be read.",
    )


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:20])
    more = f" and {len(numbers) - 20} more" if len(numbers) > 20 else ""
    return f"Page {shown} has" if len(numbers) == 1 else f"Pages {shown}{more} have"
