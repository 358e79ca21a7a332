"""Finding a quote in a document despite the noise PDF extraction and typography add.

A quote from a lawyer, a model or another text rendering of the same contract rarely
matches the parsed text byte for byte: whitespace and line breaks differ, quotes are curly
or straight, dashes vary, soft hyphens and non-breaking spaces come and go, ligatures are
compatibility characters. Both sides are folded to a canonical form; the match is mapped
back to the exact raw ``[start, end)`` so the evidence still quotes the document verbatim.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache

# How CUAD (and our prompts) mark a stretch left out of a quoted excerpt.
ELISION_MARKER = "<omitted>"

_DROPPED = frozenset(
    "\u00ad"  # soft hyphen
    "\ufffe\ufeff"  # pdfium hyphenation marker, byte-order mark
    "\u200b\u200c\u200d\u2060"  # zero-width characters
)
_TRANSLATE = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    "\u2026": "...",
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """Canonical form of one character; '' for whitespace and invisible characters."""
    if char in _DROPPED or char.isspace():
        return ""
    if char in _TRANSLATE:
        return _TRANSLATE[char]
    if char.isascii():
        return char.lower()
    return "".join(
        _TRANSLATE.get(part, part)
        for part in unicodedata.normalize("NFKC", char).lower()
        if not part.isspace() and part not in _DROPPED
    )


def fold(text: str) -> str:
    """The canonical form used for matching (no whitespace, plain quotes and dashes, lower case)."""
    return "".join(_fold_char(char) for char in text)


class QuoteLocator:
    """Folds one document once so that many quotes can be located in it cheaply."""

    def __init__(self, text: str) -> None:
        self.text = text
        pieces: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(text):
            folded = _fold_char(char)
            if folded:
                pieces.append(folded)
                origin.extend([index] * len(folded))
        self._folded = "".join(pieces)
        # origin[i] is the raw offset of the character that produced folded[i].
        self._origin = origin

    def find(self, quote: str, start: int = 0) -> tuple[int, int] | None:
        """Raw ``[start, end)`` of the first match of ``quote`` at or after raw offset ``start``."""
        return next(self._matches(quote, start), None)

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Every non-overlapping raw span matching ``quote``, in document order."""
        return list(self._matches(quote, 0))

    def find_elided(
        self, quote: str, marker: str = ELISION_MARKER, max_gap: int = 20_000
    ) -> list[tuple[int, int]] | None:
        """Spans of each part of a quote whose omitted stretches are marked by ``marker``.

        The parts must appear in order, each within ``max_gap`` characters of the previous
        one; a quote without the marker gives a single span.
        """
        spans: list[tuple[int, int]] = []
        cursor = 0
        for part in quote.split(marker):
            if not fold(part):
                continue
            span = self.find(part, cursor)
            if span is None or (spans and span[0] - spans[-1][1] > max_gap):
                return None
            spans.append(span)
            cursor = span[1]
        return spans or None

    def _matches(self, quote: str, start: int) -> Iterator[tuple[int, int]]:
        needle = fold(quote)
        if not needle:
            return
        position = bisect_left(self._origin, start)
        while (found := self._folded.find(needle, position)) >= 0:
            position = found + len(needle)
            yield self._origin[found], self._origin[position - 1] + 1


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Raw ``[start, end)`` of ``quote`` in ``text`` after folding, or None."""
    return QuoteLocator(text).find(quote)
