"""Shared pieces of the ingestion tests: small limits that trip fast, and a known-good file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from extractors.document import Document
from extractors.ingest import IngestLimits, ingest_bytes, shutdown_pool
from tests.extractors.ingest import hostile

GOOD_PAGES = [
    "This Master Services Agreement is made between Brightline Inc. and Harborview LLC.",
    "Either party may terminate this Agreement on ninety days written notice.",
]

# Budgets of a second, so the files built to keep a parser busy time out quickly.
FAST = IngestLimits(timeout_base_s=1.0, timeout_per_page_s=0.0, timeout_cap_s=1.0)


@pytest.fixture(scope="session", autouse=True)
def _stop_parser_pool() -> Iterator[None]:
    yield
    shutdown_pool()


@pytest.fixture(scope="session")
def good_pdf() -> bytes:
    """A two-page text PDF every healthy pool reads."""
    return hostile.text_pdf(GOOD_PAGES)


def assert_still_parses(good_pdf: bytes) -> Document:
    """The pool (after whatever the test fed it) still reads an ordinary PDF correctly."""
    document = ingest_bytes(good_pdf, filename="good.pdf")
    for number, expected in enumerate(GOOD_PAGES, start=1):
        assert document.page_text(number).strip() == expected
    return document
