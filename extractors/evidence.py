"""Building evidence spans that always quote the document exactly."""

from __future__ import annotations

from extractors.document import Document
from extractors.facts import Evidence


def make_evidence(document: Document, start: int, end: int) -> Evidence:
    """Evidence for ``document.text[start:end]`` with its pages and document id."""
    if not 0 <= start <= end <= len(document.text):
        raise ValueError(f"span [{start}, {end}) is outside the document")
    first, last = document.pages_for_span(start, end)
    return Evidence(
        document_id=document.document_id,
        start=start,
        end=end,
        page=first,
        page_end=last if last != first else None,
        quote=document.text[start:end],
    )
