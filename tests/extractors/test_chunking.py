"""Chunks must quote the document exactly and know their pages, whatever the text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.chunking import chunk_document, chunk_text
from extractors.document import PAGE_SEPARATOR, Document, MediaType, Page

_ALPHABET = st.sampled_from([*list("ab ,.;\n\t"), "\n\n", "  ", "\xa0", "é", ". "])


def make_document(pages: list[str]) -> Document:
    """A document built the way loaders build one: pages joined by the page separator."""
    parts: list[Page] = []
    offset = 0
    for number, page_text in enumerate(pages, start=1):
        parts.append(Page(number=number, start=offset, end=offset + len(page_text)))
        offset += len(page_text) + len(PAGE_SEPARATOR)
    text = PAGE_SEPARATOR.join(pages)
    return Document(
        text=text,
        pages=parts,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        media_type=MediaType.TEXT,
        loader="test",
        loader_version="0",
    )


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(_ALPHABET, max_size=600).map("".join),
    size=st.integers(min_value=20, max_value=300),
    overlap_share=st.floats(min_value=0, max_value=0.5),
)
def test_every_chunk_is_an_exact_slice(text: str, size: int, overlap_share: float) -> None:
    spans = chunk_text(text, chunk_size=size, chunk_overlap=int(size * overlap_share))
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
    starts = [start for start, _ in spans]
    assert starts == sorted(starts)
    # Nothing but whitespace is ever left out between chunks.
    covered = 0
    for start, end in spans:
        assert text[covered:start].strip() == "" or start < covered
        covered = max(covered, end)
    assert text[covered:].strip() == ""


@settings(max_examples=200, deadline=None)
@given(pages=st.lists(st.lists(_ALPHABET, min_size=1, max_size=200).map("".join), min_size=1))
def test_chunk_pages_match_offsets(pages: list[str]) -> None:
    document = make_document(pages)
    for chunk in chunk_document(document, chunk_size=80, chunk_overlap=10):
        assert document.text[chunk.start : chunk.end] == chunk.text
        assert chunk.page_start == document.page_at(chunk.start)
        assert chunk.page_end == document.page_at(chunk.end - 1)
        assert 1 <= chunk.page_start <= chunk.page_end <= document.page_count


def test_chunk_crossing_a_page_break_names_both_pages() -> None:
    document = make_document(["First page ends mid sentence and", "continues on the second page."])
    chunks = chunk_document(document, chunk_size=500, chunk_overlap=0)
    assert len(chunks) == 1
    assert (chunks[0].page_start, chunks[0].page_end) == (1, 2)


def test_span_to_pages_helper() -> None:
    document = make_document(["aaaa", "bbbb", "cccc"])
    b_start = document.text.index("bbbb")
    c_end = document.text.index("cccc") + 4
    assert document.pages_for_span(0, 4) == (1, 1)
    assert document.pages_for_span(b_start, c_end) == (2, 3)
    assert document.pages_for_span(2, b_start + 1) == (1, 2)


@pytest.mark.cuad
def test_cuad_texts_chunk_exactly(cuad_dir: Path) -> None:
    for path in sorted((cuad_dir / "txt").glob("*.txt"))[:60]:
        text = path.read_text(encoding="utf-8")
        for start, end in chunk_text(text):
            assert text[start:end].strip() == text[start:end]
            assert end - start <= 2000
