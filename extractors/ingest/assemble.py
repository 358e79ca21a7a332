"""Turning a loader's page texts into a Document: offsets, hash, and pages without text."""

from __future__ import annotations

import hashlib
import unicodedata

from extractors.document import PAGE_SEPARATOR, Document, MediaType, Page, Problem
from extractors.errors import ErrorCode, IngestError
from extractors.ingest.limits import IngestLimits
from extractors.ingest.raw import PAGES_WITHOUT_TEXT, SCANNED_PAGES, RawDocument
from extractors.ingest.refusals import too_much_text

# Bump when ``normalise_page_text`` changes: caches of parsed text are keyed by it.
NORMALISATION_VERSION = "3"

# Curly quotes and primes become ASCII quotes, one character for one. Contracts mix both
# forms at random (often within one sentence), so every consumer (patterns, the quotes a
# model returns, search, CUAD's own text) would otherwise have to allow for both; dashes
# stay as they are, since an en dash in "2024–2026" carries meaning a hyphen does not.
# Every Unicode space separator (no-break, en, em, thin, narrow no-break, ideographic ...)
# becomes a plain space, one for one: some PDFs set every word gap as a no-break space,
# and patterns, the cut of over-long sentences and search all expect a plain one. The
# line and paragraph separators become a newline; zero-width spaces and NUL go.
_SPACES = "\xa0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_CANONICAL = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys(_SPACES, " "),
        **dict.fromkeys("\u2028\u2029", "\n"),
        **dict.fromkeys("\x00\u200b\ufeff", None),
    }
)


def normalise_page_text(text: str) -> str:
    """Canonical Unicode (NFC) with ASCII quotes, plain spaces and no invisible characters.

    NFC only merges canonically equivalent forms, e.g. the GREEK QUESTION MARK some PDF
    fonts map their semicolon to becomes ';'; it never changes what the text says.
    """
    return unicodedata.normalize("NFC", text.translate(_CANONICAL))


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
    """A Document whose pages tile ``PAGE_SEPARATOR.join(page texts)``."""
    texts = [normalise_page_text(page.text) for page in raw.pages]
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
