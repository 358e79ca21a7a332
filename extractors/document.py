"""The ingested document: text, pages with offsets, and the chunks and spans cut from it.

Offsets are always into ``Document.text`` (pages joined by ``PAGE_SEPARATOR``), so a span
found anywhere in the pipeline can be cited with its page and quoted back exactly.
"""

from __future__ import annotations

from bisect import bisect_right
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

PAGE_SEPARATOR = "\n\n"


class MediaType(StrEnum):
    """The document types the service reads, detected from the bytes."""

    PDF = "application/pdf"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    TEXT = "text/plain"
    MARKDOWN = "text/markdown"


class Page(BaseModel):
    """One page: its 1-based number and the ``[start, end)`` of its text in the document."""

    model_config = ConfigDict(frozen=True)

    number: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    image_count: int = 0

    @property
    def char_count(self) -> int:
        return self.end - self.start


class Problem(BaseModel):
    """Something noticed while reading that did not stop it (e.g. a page without text)."""

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    pages: list[int] = Field(default_factory=list)


class Document(BaseModel):
    """Full text of one uploaded file, its pages, and where it came from."""

    model_config = ConfigDict(frozen=True)

    text: str
    pages: list[Page]
    sha256: str
    media_type: MediaType
    loader: str
    loader_version: str
    filename: str | None = None
    byte_size: int = 0
    problems: list[Problem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _pages_tile_the_text(self) -> Document:
        previous_end = 0
        for index, page in enumerate(self.pages):
            if page.number != index + 1:
                raise ValueError(f"page {index + 1} is numbered {page.number}")
            if page.start < previous_end or page.end < page.start or page.end > len(self.text):
                raise ValueError(
                    f"page {page.number} offsets [{page.start}, {page.end}) are invalid"
                )
            previous_end = page.end
        return self

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def document_id(self) -> str:
        """Short, stable id used in evidence spans of multi-document bundles."""
        return self.sha256[:16]

    def page_text(self, number: int) -> str:
        """Text of the 1-based page ``number``."""
        page = self.pages[number - 1]
        return self.text[page.start : page.end]

    def page_at(self, offset: int) -> int:
        """The 1-based page holding character ``offset``; separators belong to the page before."""
        if not self.pages:
            return 1
        starts = [page.start for page in self.pages]
        return max(1, bisect_right(starts, offset))

    def pages_for_span(self, start: int, end: int) -> tuple[int, int]:
        """First and last page that the ``[start, end)`` span touches."""
        if end <= start:
            page = self.page_at(start)
            return page, page
        return self.page_at(start), self.page_at(end - 1)


class Chunk(BaseModel):
    """A piece of the document text with its exact offsets and the pages it spans."""

    model_config = ConfigDict(frozen=True)

    index: int
    text: str
    start: int
    end: int
    page_start: int
    page_end: int


class Span(BaseModel):
    """A located quote: ``document.text[start:end] == quote``."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page_start: int = Field(ge=1)
    page_end: int = Field(ge=1)
    quote: str
