"""What a loader hands back from the sandbox: page texts, before they become a Document."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.document import Problem

# Codes of the problems ingestion records on a document it still accepts.
SCANNED_PAGES = "scanned_pages"
PAGES_WITHOUT_TEXT = "pages_without_text"
LOADER_FALLBACK = "loader_fallback"
COMBINING_MARKS_DROPPED = "combining_marks_dropped"

# The PDF loaders, by the names documents record; the parsers themselves are imported only
# in the worker processes that use them.
PYPDF_LOADER = "pypdf"
PYPDFIUM2_LOADER = "pypdfium2"


class LoaderUnavailableError(Exception):
    """pypdf cannot read this (legitimate) file at all, e.g. AES without a crypto backend."""


@dataclass(frozen=True)
class RawPage:
    """Text of one page as the loader produced it, and how many images the page paints."""

    text: str
    image_count: int = 0


@dataclass(frozen=True)
class RawDocument:
    """Pages read by one loader; small and picklable so it can leave a worker process."""

    pages: tuple[RawPage, ...]
    loader: str
    loader_version: str
    problems: tuple[Problem, ...] = field(default_factory=tuple)
