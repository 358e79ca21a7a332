"""Cutting a document into overlapping chunks that keep exact offsets and pages.

The whole document is split at once (not page by page) so a clause that runs across a
page break stays in one chunk. Offsets are recovered by searching each chunk's text in
the document from the previous chunk's start rather than trusting the splitter's
``start_index``, which drifts when whitespace is stripped or separators are dropped.
"""

from __future__ import annotations

from extractors.document import Chunk, Document

DEFAULT_CHUNK_SIZE = 2000
DEFAULT_CHUNK_OVERLAP = 200
_SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]


def chunk_text(
    text: str,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    chunk_overlap: int = DEFAULT_CHUNK_OVERLAP,
) -> list[tuple[int, int]]:
    """``[start, end)`` of each chunk of ``text``; ``text[start:end]`` is the chunk."""
    # Imported when text is cut: langchain takes a tenth of a second to import, and a process
    # that only shows a case (the CLI as a client) never cuts text.
    from langchain_text_splitters import RecursiveCharacterTextSplitter  # noqa: PLC0415

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=_SEPARATORS,
        keep_separator=True,
        strip_whitespace=True,
        length_function=len,
    )
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in splitter.split_text(text):
        start = text.find(piece, cursor)
        if start < 0:  # pragma: no cover - the splitter only returns substrings
            raise ValueError("text splitter returned text that is not in the document")
        spans.append((start, start + len(piece)))
        cursor = start + 1
    return spans


def chunk_document(
    document: Document,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    chunk_overlap: int = DEFAULT_CHUNK_OVERLAP,
) -> list[Chunk]:
    """Chunks of the whole document text, each with its offsets and first/last page."""
    chunks: list[Chunk] = []
    spans = chunk_text(document.text, chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    for index, (start, end) in enumerate(spans):
        first, last = document.pages_for_span(start, end)
        chunks.append(
            Chunk(
                index=index,
                text=document.text[start:end],
                start=start,
                end=end,
                page_start=first,
                page_end=last,
            )
        )
    return chunks
