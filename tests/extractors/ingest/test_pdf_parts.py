"""A long PDF read over several parser workers at once is the document one worker reads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from extractors.errors import ErrorCode, IngestError
from extractors.ingest import IngestLimits, load, sandbox
from extractors.ingest.load import _ingest
from tests.extractors.ingest import hostile

# Page texts that normalisation changes (curly quotes, a non-breaking space), so a part
# that skipped it, or a page read twice or out of order, shows.
PAGES = [
    f"Page {number}: the Customer\u2019s \u201cOrder\u201d runs\u00a0{number} months."
    for number in range(1, 21)
]


def _read(data: bytes, workers: int, limits: IngestLimits | None = None) -> Any:
    return _ingest(data, "long.pdf", limits or IngestLimits(), workers)


def _read_whole(data: bytes, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``data`` read by one worker from its first page to its last."""
    with monkeypatch.context() as whole:
        whole.setattr(load, "_PAGES_PER_PART", 10**9)
        return _read(data, workers=2)


@pytest.fixture
def parts_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many parts each PDF read over several workers was split into."""
    counts: list[int] = []
    original = sandbox.run_each_in_sandbox

    def counting(function: Callable[..., Any], calls: Sequence[tuple[Any, ...]], **kw: Any) -> Any:
        counts.append(len(calls))
        return original(function, calls, **kw)

    monkeypatch.setattr(load, "run_each_in_sandbox", counting)
    return counts


def test_a_long_pdf_over_two_workers_is_the_document_one_worker_reads(
    parts_read: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = hostile.text_pdf(PAGES)
    alone = _read_whole(data, monkeypatch)
    assert parts_read == []

    together = _read(data, workers=2)

    assert parts_read == [2]
    assert together == alone
    assert together.page_count == len(PAGES)
    for number in (1, 10, 11, 20):
        assert f'Page {number}: the Customer\'s "Order" runs {number} months.' in (
            together.page_text(number)
        )


def test_a_short_pdf_is_read_whole_by_one_worker(parts_read: list[int]) -> None:
    document = _read(hostile.text_pdf(PAGES[:10]), workers=2)

    assert parts_read == []
    assert document.page_count == 10


def test_text_over_the_limit_is_refused_though_no_part_alone_reaches_it(
    parts_read: list[int],
) -> None:
    pages = [f"Clause {number}. " + "x" * 990 for number in range(20)]
    limits = IngestLimits(max_chars=15_000)

    with pytest.raises(IngestError) as refused:
        _read(hostile.text_pdf(pages), workers=2, limits=limits)

    assert parts_read == [2]
    assert refused.value.code is ErrorCode.TOO_MUCH_TEXT


def test_a_page_tree_that_declares_more_pages_than_it_has_reads_as_with_one_worker(
    parts_read: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = hostile.text_pdf(PAGES).replace(b"/Count 20", b"/Count 40")

    alone = _read_whole(data, monkeypatch)
    together = _read(data, workers=2)

    assert parts_read == [2]
    assert together == alone
    assert together.page_count == len(PAGES)
