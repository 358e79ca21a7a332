"""One page of a stored document's text, with a cited quote marked where it stands."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import InvalidRequestError
from extractors.document import Document


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool


@dataclass(frozen=True)
class DocumentPage:
    number: int
    count: int
    segments: list[Segment]
    marked: bool

    @property
    def has_text(self) -> bool:
        return any(segment.text.strip() for segment in self.segments)


def document_page(
    document: Document, number: int, *, start: int | None = None, end: int | None = None
) -> DocumentPage:
    """Page ``number``'s text cut into plain and marked segments.

    ``start``/``end`` are offsets in the whole document's text (as evidence stores them);
    the part of ``[start, end)`` that falls on this page is marked, so a quote that runs
    over a page break is marked on both pages.
    """
    if not 1 <= number <= document.page_count:
        raise InvalidRequestError(
            f"The document has {document.page_count} page(s); there is no page {number}.",
            field="page",
        )
    page = document.pages[number - 1]
    text = document.text[page.start : page.end]
    if start is None or end is None or end <= start:
        return DocumentPage(number, document.page_count, [Segment(text, False)], False)
    lo = min(max(start, page.start), page.end) - page.start
    hi = min(max(end, page.start), page.end) - page.start
    if hi <= lo:
        return DocumentPage(number, document.page_count, [Segment(text, False)], False)
    segments = [Segment(text[:lo], False), Segment(text[lo:hi], True), Segment(text[hi:], False)]
    return DocumentPage(number, document.page_count, [s for s in segments if s.text], marked=True)
