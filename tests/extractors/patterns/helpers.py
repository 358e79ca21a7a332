"""Building documents and reading findings in the pattern extractor's tests."""

from __future__ import annotations

import hashlib
from typing import Any

from extractors.document import PAGE_SEPARATOR, Document, MediaType, Page
from extractors.facts import Fact, FactStatus, Finding
from extractors.patterns import PatternExtractor
from extractors.patterns.core import Hit, TextView


def make_document(*pages: str) -> Document:
    """A text document whose pages are ``pages``, joined as ingestion joins them."""
    text = ""
    spans: list[Page] = []
    for number, page in enumerate(pages, start=1):
        if number > 1:
            text += PAGE_SEPARATOR
        spans.append(Page(number=number, start=len(text), end=len(text) + len(page)))
        text += page
    return Document(
        text=text,
        pages=spans,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        media_type=MediaType.TEXT,
        loader="test",
        loader_version="1",
    )


def docx_view(text: str) -> TextView:
    """A one-page view of ``text`` as a DOCX loader gives it (tab-separated table cells)."""
    document = make_document(text).model_copy(update={"media_type": MediaType.DOCX})
    return TextView(document)


def view(text: str) -> TextView:
    """A one-page view of ``text``."""
    return TextView(make_document(text))


def findings(*pages: str) -> dict[str, Fact[Any]]:
    """The extractor's facts for a document, by path (obligations excluded)."""
    found: list[Finding] = PatternExtractor().extract(make_document(*pages), [])
    return {finding.path: finding.fact for finding in found if finding.path != "obligations"}


def values(hits: list[Hit], path: str) -> list[Any]:
    """Values of ``hits`` for ``path``, in text order."""
    return [hit.value for hit in sorted(hits, key=lambda hit: hit.start) if hit.path == path]


def facts_of(document: Document) -> dict[str, Any]:
    """The pattern extractor's fact values for ``document``, by path (obligations excluded)."""
    return {
        finding.path: finding.fact.value
        for finding in PatternExtractor().extract(document, [])
        if finding.path != "obligations"
    }


def value(text: str, path: str) -> Any:
    """The value the extractor finds at ``path`` in a one-page ``text`` (None if none)."""
    fact = findings(text).get(path)
    return fact.value if fact is not None else None


def present(text: str, path: str) -> Any:
    """The value the extractor finds present for ``path`` in ``text``, else None."""
    fact = findings(text).get(path)
    return fact.value if fact is not None and fact.status is FactStatus.PRESENT else None


def status_of(text: str, path: str) -> FactStatus | None:
    """The status of the extractor's fact for ``path`` in ``text`` (None: no finding)."""
    fact = findings(text).get(path)
    return fact.status if fact is not None else None


def present_fact(document: Document, path: str) -> Fact[Any] | None:
    """The first finding present for ``path`` in ``document``, as a fact."""
    for finding in PatternExtractor().extract(document, []):
        if finding.path == path and finding.fact.status is FactStatus.PRESENT:
            return finding.fact
    return None


def present_in(document: Document, path: str) -> Any:
    """The value of the first finding present for ``path`` in ``document``, else None."""
    fact = present_fact(document, path)
    return fact.value if fact is not None else None
