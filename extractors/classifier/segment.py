"""Cutting contract text into sentence-sized units with exact offsets.

Clauses are labelled and quoted at roughly sentence granularity, so the classifier scores
sentences. Blank lines (paragraphs, page joins) always end a unit, and so does a line break
before a line that starts a new item (a numbered clause, "§ 2", a bullet, a heading in
capitals, "(b)" of a list whose "(a)" started a line too) and after a heading line: a PDF or
DOCX sets headings and clauses on lines of their own where plain text puts a blank line
between them, and the units must not depend on which. A heading is joined to the first
sentence of the clause it heads, in every format. Inside a paragraph a sentence ends at
``.``, ``;``, ``!`` or ``?`` followed by space and a capital, digit or opening bracket.
Fragments too short to mean anything ("Inc.") are joined to the next sentence of their
paragraph, a block that reads as a table is cut into its rows, and run-on text is cut into
windows at whitespace.
"""

from __future__ import annotations

import re

from extractors.patterns.core import continues_sentence

MIN_UNIT_CHARS = 40
MAX_UNIT_CHARS = 900

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v\r]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.;!?])[\"'”’)]?\s+(?=[(\"“A-Z0-9])")


# A line that starts a new item: "12.1 The", "4. Fees", "(b) ", "§ 2", a bullet, a heading in
# capitals ("SCHEDULE 2 - PROCESSING OF PERSONAL DATA").
_ITEM_LINE = re.compile(
    r"\n(?=[^\S\n]*(?:§[^\S\n]*\d|[•*\u2022-][^\S\n]|\d{1,2}(?:\.\d{1,2})*\.?[^\S\n]+[A-Z]"
    r"|\((?P<label>[a-z]|[ivx]{1,4}|\d{1,2})\)[^\S\n]|[A-Z][A-Z0-9 .,&/()'-]{3,80}(?:\n|$)))"
)
# A heading on a line of its own: a numbered or capitalised title with no sentence end.
_HEADING_LINE = re.compile(
    r"[^\S\n]*(?:(?:§[^\S\n]*)?\d{1,2}(?:\.\d{1,2})*\.?[^\S\n]+[A-Z][^\n.;:,]{0,60}"
    r"|[A-Z][A-Z0-9 &/()'-]{3,80})[^\S\n]*"
)


def _line_breaks(text: str) -> list[tuple[int, int]]:
    """Line breaks that end a unit as a blank line does: before items, after headings."""
    breaks: list[tuple[int, int]] = []
    for match in _ITEM_LINE.finditer(text):
        label = text.index("(", match.start()) if match.group("label") else -1
        if label < 0 or not continues_sentence(text, label):
            breaks.append((match.start(), match.end()))
    cursor = 0
    while True:
        newline = text.find("\n", cursor)
        if newline < 0:
            break
        line_start = cursor
        cursor = newline + 1
        if _HEADING_LINE.fullmatch(text, line_start, newline):
            breaks.append((newline, newline + 1))
    return breaks


def _paragraphs(text: str) -> list[tuple[int, int]]:
    breaks = [(match.start(), match.end()) for match in _PARAGRAPH_BREAK.finditer(text)]
    breaks.extend(_line_breaks(text))
    spans: list[tuple[int, int]] = []
    cursor = 0
    for start, end in sorted(breaks):
        if start < cursor:
            continue
        spans.append((cursor, start))
        cursor = end
    spans.append((cursor, len(text)))
    return [span for span in spans if span[1] > span[0]]


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


# A block of at least this many lines, most of them short and none or few ending a sentence,
# is a table (an order form's terms, a price list), not wrapped prose: PDF lines of prose
# run most of the page width.
_TABLE_MIN_LINES = 4
_TABLE_MAX_MEDIAN_LINE = 45
_LINE_END = re.compile(r"[.;:!?]\s*$")


def _table_rows(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The rows of ``[start, end)`` if it reads as a table, joined up to unit size; else None."""
    lines: list[tuple[int, int]] = []
    cursor = start
    while cursor < end:
        newline = text.find("\n", cursor, end)
        stop = end if newline < 0 else newline
        line = _strip(text, cursor, stop)
        if line[1] > line[0]:
            lines.append(line)
        cursor = stop + 1
    if len(lines) < _TABLE_MIN_LINES:
        return None
    lengths = sorted(line_end - line_start for line_start, line_end in lines)
    ended = sum(bool(_LINE_END.search(text, a, b)) for a, b in lines)
    if lengths[len(lengths) // 2] > _TABLE_MAX_MEDIAN_LINE or ended * 3 > len(lines):
        return None
    rows: list[tuple[int, int]] = []
    pending: int | None = None
    for line_start, line_end in lines:
        row_start = line_start if pending is None else pending
        if line_end - row_start < MIN_UNIT_CHARS:
            pending = row_start
            continue
        rows.append((row_start, line_end))
        pending = None
    if pending is not None:
        if rows:
            rows[-1] = (rows[-1][0], lines[-1][1])
        else:
            rows.append((pending, lines[-1][1]))
    return rows


# The last text cut and its units: the document verdicts and the evidence ranking of one
# contract both cut it (a tuple, replaced whole, so threads never see half of one).
_last: tuple[str, tuple[tuple[int, int], ...]] | None = None


def segment(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each unit of ``text``, in order, stripped and non-overlapping."""
    global _last  # noqa: PLW0603 - a one-entry memo of a pure function
    last = _last
    if last is not None and (last[0] is text or last[0] == text):
        return list(last[1])
    units = _segment(text)
    _last = (text, tuple(units))
    return units


def _segment(text: str) -> list[tuple[int, int]]:
    units: list[tuple[int, int]] = []
    heading: int | None = None
    for para_start, para_end in _paragraphs(text):
        start, end = _strip(text, para_start, para_end)
        if end <= start:
            continue
        if _HEADING_LINE.fullmatch(text, start, end):
            # A heading belongs to the clause it heads, however the page set it apart.
            heading = start if heading is None else heading
            continue
        pending: int | None = heading
        heading = None
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
            rows = _table_rows(text, start, end)
            for row_start, row_end in rows or [(start, end)]:
                units.extend(_windows(text, row_start, row_end))
    if heading is not None:
        units.extend(_windows(text, *_strip(text, heading, len(text))))
    return units
