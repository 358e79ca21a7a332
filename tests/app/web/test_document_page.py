"""A page of a document with the cited span marked, even across a page break."""

from __future__ import annotations

import pytest

from app.errors import InvalidRequestError
from app.web.document_page import document_page
from extractors.document import Document, MediaType, Page

TEXT = "Page one ends with a clause that runs\nover the break. Page two goes on."
BREAK = TEXT.index("over")


def _document() -> Document:
    return Document(
        text=TEXT,
        pages=[Page(number=1, start=0, end=BREAK), Page(number=2, start=BREAK, end=len(TEXT))],
        sha256="0" * 64,
        media_type=MediaType.TEXT,
        loader="test",
        loader_version="1",
    )


def test_the_quote_is_marked_on_each_page_it_spans() -> None:
    start, end = TEXT.index("a clause"), TEXT.index(" Page two")
    first = document_page(_document(), 1, start=start, end=end)
    second = document_page(_document(), 2, start=start, end=end)
    assert first.marked and second.marked
    assert [s.text for s in first.segments if s.marked] == ["a clause that runs\n"]
    assert [s.text for s in second.segments if s.marked] == ["over the break."]
    assert "".join(s.text for s in first.segments) == TEXT[:BREAK]


def test_a_page_the_quote_is_not_on_has_nothing_marked() -> None:
    start, end = TEXT.index("Page two"), len(TEXT)
    page = document_page(_document(), 1, start=start, end=end)
    assert not page.marked
    assert [s.marked for s in page.segments] == [False]


@pytest.mark.parametrize("number", [0, 3])
def test_a_page_the_document_does_not_have_is_refused(number: int) -> None:
    with pytest.raises(InvalidRequestError, match="has 2 page"):
        document_page(_document(), number)
