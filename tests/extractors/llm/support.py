"""Documents for the model-backed reader tests, built without ingestion."""

from __future__ import annotations

import hashlib

from extractors.document import PAGE_SEPARATOR, Document, MediaType, Page


def make_document(*pages: str, filename: str = "contract.txt") -> Document:
    """A document of ``pages`` (no ingestion: offsets and pages as the loaders make them)."""
    spans = []
    cursor = 0
    for number, text in enumerate(pages, start=1):
        spans.append(Page(number=number, start=cursor, end=cursor + len(text)))
        cursor += len(text) + len(PAGE_SEPARATOR)
    text = PAGE_SEPARATOR.join(pages)
    return Document(
        text=text,
        pages=spans,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        media_type=MediaType.TEXT,
        loader="test",
        loader_version="1",
        filename=filename,
    )


MSA_PAGE_1 = (
    "MASTER SUBSCRIPTION AGREEMENT between Nimbus Cloud Ltd (Provider) and Harbor Foods Inc. "
    "(Customer).\nThe Customer shall pay each invoice within thirty (30) days of receipt.\n"
)
MSA_PAGE_2 = (
    "Provider shall offer Customer prices no less favourable than those it offers any other "
    "customer for the same services.\nThe parties agree that the Customer's affiliates are "
    "intended third-party beneficiaries of this Agreement.\n"
)
