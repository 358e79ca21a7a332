"""A scripted extractor: returns findings written by the test, quoting the document."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from extractors.base import Extractor
from extractors.document import Chunk, Document
from extractors.evidence import make_evidence
from extractors.facts import Evidence, Fact, FactStatus, Finding, Source


def quote_evidence(document: Document, quote: str) -> Evidence:
    """Evidence for the first occurrence of ``quote`` in ``document``."""
    start = document.text.index(quote)
    return make_evidence(document, start, start + len(quote))


def found(
    document: Document,
    path: str,
    value: Any,
    quote: str,
    *,
    source: Source = Source.PATTERN,
    status: FactStatus = FactStatus.PRESENT,
    confidence: float = 0.9,
) -> Finding:
    """A finding for ``path`` whose evidence is ``quote`` in ``document``."""
    return Finding(
        path=path,
        fact=Fact(
            status=status,
            value=value,
            evidence=[quote_evidence(document, quote)],
            source=source,
            confidence=confidence,
            extractor="fake",
        ),
    )


class ScriptedExtractor(Extractor):
    """Answers with whatever ``script(document)`` returns."""

    name: ClassVar[str] = "fake"
    version: ClassVar[str] = "1"
    checks: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self, script: Callable[[Document], list[Finding]], checks: Sequence[str] = ()
    ) -> None:
        self.script = script
        self.checks = frozenset(checks)  # type: ignore[misc]

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        return self.script(document)
