"""Rows of the tables contracts hold, however a loader rendered them.

A DOCX table row arrives as one line of tab-separated cells, a Markdown table as pipes, a
plain-text table as columns aligned with runs of spaces, a price list as dot leaders
("Platform subscription ........ USD 48,000.00"), and a PDF table as a line of words with
single spaces and no cells at all. ``Row`` reads all of them the same way: a line, its cells
where they can be told apart, and the lines above it that head its table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.patterns.core import MAX_LINE, NOT_AFTER_ABBREVIATION, TextView
from extractors.patterns.money import find_amounts, named_currency

# What separates two cells of a Markdown or DOCX row: a pipe or a tab, with the spaces around it.
_CELL_SEPARATOR = re.compile(r"[^\S\n]*(?:\||\t)[^\S\n]*")
# What separates two cells: a pipe, a tab, a run of spaces, a run of dot leaders.
_CELL_BREAK = re.compile(
    r"[^\S\n]*(?:\||\t)[^\S\n]*|[^\S\n]{2,}|[^\S\n]*(?:\.{3,}|\u2026+|_{3,})[^\S\n]*"
)
# A rule under a header ("|---|---|", "-----  -----").
_RULE = re.compile(r"^[\s|:=+\-_.]*$")
# Running text rather than a row: a verb of obligation or a full stop inside the line.
# A sentence ending inside a line of a row: "... go-live. Customer shall ...".
SENTENCE_IN_ROW = re.compile(r"(?<=\w\w)[.;]\s+[A-Z]")
_PROSE = re.compile(
    # A full stop after a word, not after an abbreviation ("B.V. EUR 24,000", "Inc. USD 9").
    r"\b(?:is|are|was|will|shall|may|must|be|been|has|have|agrees?|pays?)\b"
    r"|(?:[a-z]{2}|\d)(?:;|\." + NOT_AFTER_ABBREVIATION + r")(?:\s+[A-Za-z]|\s*$)|;",
    re.IGNORECASE,
)
# A line this long is wrapped prose, not a row.
_ROW_LIMIT = 200
# A line of wrapped prose is at least this long (PDF and e-mail text wrap near 80-100).
_WRAPPED = 70
# A row ends with its amount; a wrapped line of prose rarely does.
_ENDS_WITH_FIGURE = re.compile(r"\d[^\S\n]*\)?$")
# A column of amounts, named in a header.
_MONEY_COLUMN = re.compile(
    r"\b(?:fees?|prices?|amounts?|totals?|costs?|charges?|rates?|values?|subscription"
    r"|monthly|annual|yearly|quarterly|extended|ext)\b",
    re.IGNORECASE,
)
# How far up a table's header and heading are looked for.
_HEAD_REACH = 15


@dataclass(frozen=True)
class Row:
    """A line read as a table row: its span, its cells, and the text heading its table."""

    start: int
    end: int
    cells: tuple[tuple[int, int], ...]
    head: str

    @property
    def tabular(self) -> bool:
        """Whether the row's cells are told apart by separators (not a PDF row)."""
        return len(self.cells) > 1


def cells(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Spans of the non-empty cells of ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    position = start
    for gap in _CELL_BREAK.finditer(text, start, end):
        if gap.start() > position:
            spans.append((position, gap.start()))
        position = max(position, gap.end())
    if position < end:
        spans.append((position, end))
    return tuple((a, b) for a, b in spans if text[a:b].strip())


def is_delimited(line: str) -> bool:
    """Whether ``line`` tells its cells apart with pipes or tabs (a Markdown or DOCX row)."""
    return "|" in line or "\t" in line


def split_cells(line: str, *, trim_inside: bool = False) -> list[str]:
    """The cells of a row whose cells pipes or tabs separate, left to right.

    The line's outer whitespace and then its outer pipes are dropped, and the line is split at
    each pipe or tab together with the spaces around it: "| Plan | Seats |" gives
    [" Plan", "Seats "] (the outer cells keep the spaces next to the dropped pipes), a blank
    cell between two pipes gives "" (a run of tabs is one separator), and a line with neither
    gives itself. A tab right after a leading pipe (or before a trailing one) still separates,
    giving an empty first (or last) cell, unless ``trim_inside``: then the whitespace left
    inside the outer pipes is dropped too.
    """
    inner = line.strip().strip("|")
    if trim_inside:
        inner = inner.strip()
    return _CELL_SEPARATOR.split(inner)


def is_rule(line: str) -> bool:
    """Whether ``line`` only draws a table rule."""
    return bool(line.strip()) and bool(_RULE.match(line))


def _is_prose(view: TextView, start: int, end: int) -> bool:
    if end - start > MAX_LINE:
        return True
    line = view.text[start:end]
    if is_delimited(line) or _CELL_BREAK.search(line.strip()):
        return False
    if len(line) > _ROW_LIMIT or _PROSE.search(line):
        return True
    # A short line that carries on a wrapped sentence from the line before it.
    previous_end = start - 1
    if previous_end <= 0:
        return False
    previous_start, _ = view.line(previous_end)
    previous = view.text[previous_start:previous_end].rstrip()
    return (
        len(previous) >= _WRAPPED
        and not previous.endswith((":", ".", ";", "|"))
        and not _ENDS_WITH_FIGURE.search(previous)
    )


def row_at(view: TextView, offset: int) -> Row | None:
    """The table row holding ``offset``, or None if its line is running text."""
    start, end = view.line(offset)
    if _is_prose(view, start, end):
        return None
    return Row(start, end, cells(view.text, start, end), _head(view, start))


def head_above(view: TextView, offset: int) -> str:
    """The lines heading the table whose line holds ``offset`` (see ``Row.head``), for a line
    ``row_at`` takes for prose by a word of its cells ("BE 0712.345.678" is no verb)."""
    start, end = view.line(offset)
    return "" if end - start > _ROW_LIMIT else _head(view, start)


def _head(view: TextView, row_start: int) -> str:
    """The lines above a row up to the running text or blank line before its table."""
    lines: list[str] = []
    position = row_start - 1
    for _ in range(_HEAD_REACH):
        if position <= 0:
            break
        start, end = view.line(position)
        line = view.text[start:end]
        position = start - 1
        if not line.strip():
            if lines:
                break
            continue
        if is_rule(line):
            continue
        lines.append(line)
        if _is_prose(view, start, end):
            break
    return "\n".join(reversed(lines))


# A figure inside brackets qualifies a column ("Extended (12 mo)"); a row holds bare ones.
_BRACKETED = re.compile(r"\([^()\n]{0,20}\)")


def header_line(head: str) -> str:
    """The line of a table's head naming its columns: the last with no figure and a money column."""
    for line in reversed(head.split("\n")):
        bare = _BRACKETED.sub("", line)
        if line.strip() and not re.search(r"\d", bare) and _MONEY_COLUMN.search(line):
            return line
    return ""


# A period naming a column ("24-month total", "Term (mo)" aside): a header's figure, not a row's.
_PERIOD_FIGURE = re.compile(r"\b\d{1,3}[- ]?(?:months?|mos?|years?|yrs?)\b", re.IGNORECASE)


def header_currency(head: str) -> str | None:
    """The currency a table's header gives its bare figures: "Quarterly Charge (USD)".

    The header is the last line of the head with no figure of its own that names one currency
    and either names a money column ("Amount (GBP)", "Fees in Australian dollars") or has
    cells ("Item | Qty | €").
    """
    for line in reversed(head.split("\n")):
        bare = _PERIOD_FIGURE.sub("", _BRACKETED.sub("", line))
        if not line.strip() or re.search(r"\d", bare) or next(find_amounts(line), None):
            continue
        if _PROSE.search(line) and not is_delimited(line):
            break  # the running text above the table
        if not (_MONEY_COLUMN.search(line) or is_delimited(line) or _CELL_BREAK.search(line)):
            continue
        currency = named_currency(line)
        if currency is not None:
            return currency
    return None
