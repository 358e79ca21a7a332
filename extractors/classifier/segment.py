"""Cutting contract text into sentence-sized units with exact offsets.

Clauses are labelled and quoted at roughly sentence granularity, so the classifier scores
sentences. Blank lines (paragraphs, page joins) always end a unit; inside a paragraph a
sentence ends at ``.``, ``;``, ``!`` or ``?`` followed by space and a capital, digit or
opening bracket. Fragments too short to mean anything (headings, "Inc.") are joined to the
next sentence of their paragraph, and run-on text is cut into windows at whitespace.
"""

from __future__ import annotations

import re

MIN_UNIT_CHARS = 40
MAX_UNIT_CHARS = 900

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v\r]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.;!?])[\"'”’)]?\s+(?=[(\"“A-Z0-9])")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, len(text)))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``[start, end)`` into pieces of at most ``MAX_UNIT_CHARS`` at whitespace."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_UNIT_CHARS:
        cut = text.rfind(" ", start + MAX_UNIT_CHARS // 2, start + MAX_UNIT_CHARS)
        if cut <= start:
            cut = start + MAX_UNIT_CHARS
        pieces.append(_strip(text, start, cut))
        start = cut
    pieces.append(_strip(text, start, end))
    return [piece for piece in pieces if piece[1] > piece[0]]


def segment(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each unit of ``text``, in order, stripped and non-overlapping."""
    units: list[tuple[int, int]] = []
    for para_start, para_end in _paragraphs(text):
        pending: int | None = None
        cursor = para_start
        bounds = [m.start() for m in _SENTENCE_END.finditer(text, para_start, para_end)]
        bounds.append(para_end)
        for bound in bounds:
            start, end = _strip(text, cursor, bound)
            cursor = bound
            if end <= start:
                continue
            if pending is not None:
                start = pending
                pending = None
            if end - start < MIN_UNIT_CHARS and bound != para_end:
                pending = start
                continue
            units.extend(_windows(text, start, end))
    return units
