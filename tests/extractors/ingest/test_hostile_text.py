"""Text built to be expensive: combining marks by the megabyte, page breaks by the million.

Each is parsed and normalised in a parser worker, within its budget, and reaches the
service process as at most ``max_pages`` pages: it is read (or refused) in seconds, and
the service process never holds more than a few copies of the upload.
"""

from __future__ import annotations

import time
import tracemalloc
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from extractors.errors import ErrorCode, IngestError
from extractors.ingest import IngestLimits, ingest_bytes
from extractors.ingest.normalise import (
    FIRST_NON_STARTER,
    MAX_COMBINING_MARKS,
    _is_non_starter,
    _long_mark_runs,
    cap_combining_marks,
    normalise_page_text,
)
from extractors.ingest.raw import COMBINING_MARKS_DROPPED
from tests.extractors.ingest import hostile
from tests.extractors.ingest.conftest import assert_still_parses

# Before the fix these took minutes (or gigabytes); a broken build fails on the budget.
SECONDS = 15.0
SHORT_BUDGET = IngestLimits(timeout_cap_s=SECONDS)
MAIN_PROCESS_BYTES = 64_000_000


@contextmanager
def bounded(seconds: float, peak_bytes: int) -> Iterator[None]:
    """Fail unless the block takes under ``seconds`` and this process allocates at most
    ``peak_bytes`` (Python allocations, as ``tracemalloc`` counts them) while it runs."""
    tracemalloc.start()
    start = time.monotonic()
    try:
        yield
    finally:
        elapsed = time.monotonic() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < peak_bytes, f"the service process allocated {peak:,} bytes"


def test_runs_of_combining_marks_keep_their_first_thirty() -> None:
    marks = "\u0301\u0316" * 20  # 40 marks of two classes on one letter

    text = normalise_page_text("Fee a" + marks + " due")

    assert text == unicodedata.normalize("NFC", "Fee a" + marks[:MAX_COMBINING_MARKS] + " due")
    assert normalise_page_text("Cafe\u0301 x" + "\u0301" * 30) == "Café x" + "\u0301" * 30


def test_no_character_below_the_first_non_starter_is_one() -> None:
    # The quick look for a run of marks skips every text with none of these characters.
    assert not any(_is_non_starter(chr(code)) for code in range(FIRST_NON_STARTER))
    assert _is_non_starter(chr(FIRST_NON_STARTER))


@pytest.mark.parametrize(
    "text",
    [
        "Ежемесячная плата составляет 100 евро и подлежит оплате в течение 30 дней",
        "ab" + "\u0301" * 31 + "c",
        "x" + "\u0301" * 30 + "y",
        "Ω" * 29 + "\u0301\u0316" * 16,
        "Λ" * 40 + " \u0301" * 40,
        "",
    ],
)
def test_the_quick_look_cuts_what_the_full_class_cuts(text: str) -> None:
    assert cap_combining_marks(text) == _long_mark_runs().sub(r"\1", text)


def test_normalising_a_million_combining_marks_takes_linear_time() -> None:
    start = time.monotonic()

    text = normalise_page_text("a" + "\u0301\u0316" * 500_000)

    assert time.monotonic() - start < 2.0  # NFC alone: minutes
    assert len(text) == MAX_COMBINING_MARKS  # 'a' and the first mark compose


@pytest.mark.parametrize(
    ("make", "filename"),
    [
        (hostile.combining_marks_text, "zalgo.txt"),  # 2 MB: over 4 minutes before
        (hostile.combining_marks_pdf, "zalgo.pdf"),  # 100k marks: 21 s before
    ],
    ids=["2 MB text", "100k marks in a PDF"],
)
def test_combining_marks_are_read_in_seconds_and_the_cut_is_noted(
    make: Callable[[], bytes], filename: str, good_pdf: bytes
) -> None:
    data = make()

    with bounded(SECONDS, MAIN_PROCESS_BYTES):
        document = ingest_bytes(data, filename=filename, limits=SHORT_BUDGET)

    assert document.text.startswith("Zalgo")
    assert len(document.text) < 100
    [problem] = [p for p in document.problems if p.code == COMBINING_MARKS_DROPPED]
    assert problem.pages == [1]
    assert "more than 30 combining marks" in problem.message
    assert_still_parses(good_pdf)


@pytest.mark.parametrize(
    ("make", "filename", "pages"),
    [
        (hostile.docx_with_page_breaks, "breaks.docx", 900_001),  # 1.6 GB, 4 minutes before
        (hostile.form_feed_text, "feeds.txt", 4_800_001),  # 1.85 GB before its refusal
    ],
    ids=["DOCX with 900k page breaks", "4.8 MB of form feeds"],
)
def test_millions_of_page_breaks_are_refused_quickly_in_bounded_memory(
    make: Callable[[], bytes], filename: str, pages: int, good_pdf: bytes
) -> None:
    data = make()

    with bounded(SECONDS, MAIN_PROCESS_BYTES), pytest.raises(IngestError) as refused:
        ingest_bytes(data, filename=filename, limits=SHORT_BUDGET)

    assert refused.value.code is ErrorCode.TOO_MANY_PAGES, refused.value.message
    assert f"has {pages:,} pages; at most 500" in refused.value.message
    assert_still_parses(good_pdf)
