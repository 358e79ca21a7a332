"""What every pattern-extractor test module shares."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from extractors.ingest import shutdown_pool


@pytest.fixture(scope="module", autouse=True)
def _stop_parser_pool() -> Iterator[None]:
    """Modules that render PDF, DOCX or text through ingestion leave no parser behind."""
    yield
    shutdown_pool()
