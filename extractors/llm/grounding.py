"""Grounding the model's quotes: found in the document (the ingestion quote locator), or not.

A quote counts only if the locator finds it — exactly, or after folding whitespace, quotes,
dashes and Unicode forms — and the evidence is then the raw span of the document, never the
model's wording. Very short quotes ("the") would be found anywhere and prove nothing, so
they never ground a finding.
"""

from __future__ import annotations

from extractors.document import Document
from extractors.evidence import make_evidence
from extractors.facts import Evidence
from extractors.locate import QuoteLocator, fold

# A quote must carry at least this many significant characters to ground anything.
MIN_QUOTE_CHARS = 12


class QuoteGrounder:
    """Locates quotes in one document, near the chunk they came from first."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._locator: QuoteLocator | None = None

    @property
    def locator(self) -> QuoteLocator:
        if self._locator is None:
            self._locator = QuoteLocator(self.document.text)
        return self._locator

    def ground(self, quote: str | None, *, near: int = 0) -> Evidence | None:
        """Evidence for the raw span ``quote`` stands for, or None when it is not in the text."""
        if not quote or len(fold(quote)) < MIN_QUOTE_CHARS:
            return None
        exact = self.document.text.find(quote, near)
        if exact < 0:
            exact = self.document.text.find(quote)
        if exact >= 0:
            return make_evidence(self.document, exact, exact + len(quote))
        span = self.locator.find(quote, near) or self.locator.find(quote)
        if span is None:
            return None
        return make_evidence(self.document, *span)
