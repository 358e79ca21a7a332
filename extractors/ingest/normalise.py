"""Canonical page text, computed in the parser sandbox in time linear in the text's length.

Python's NFC sorts each run of combining marks in time quadratic in the run's length, so
a file of nothing but combining marks (a few MB of "Zalgo" text) would keep it busy for
hours. No real text stacks more than 30 marks on one character (the Unicode "stream-safe"
limit of UAX #15), so every run is cut to its first 30 before normalising; the document
notes where marks were dropped.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
import unicodedata

from extractors.document import Problem
from extractors.ingest.limits import IngestLimits
from extractors.ingest.raw import COMBINING_MARKS_DROPPED, RawDocument, RawPage
from extractors.ingest.refusals import too_much_text

# Bump when ``normalise_page_text`` changes: caches of parsed text are keyed by it.
NORMALISATION_VERSION = "4"

# UAX #15 stream-safe text format: at most 30 non-starters in a row.
MAX_COMBINING_MARKS = 30
# Every non-starter is at or above U+0300 (a test checks it against the Unicode tables), so
# a text without 31 characters in a row from there up has no run to cut: nearly every page.
# That is told at once, without the class of every non-starter, whose table takes a quarter
# of a second to build and compile in each new parser process.
FIRST_NON_STARTER = 0x300
_MAYBE_LONG_MARK_RUN = re.compile(
    f"[^\\x00-{re.escape(chr(FIRST_NON_STARTER - 1))}]{{{MAX_COMBINING_MARKS + 1}}}"
)

# Curly quotes and primes become ASCII quotes, one character for one. Contracts mix both
# forms at random (often within one sentence), so every consumer (patterns, the quotes a
# model returns, search, CUAD's own text) would otherwise have to allow for both; dashes
# stay as they are, since an en dash in "2024–2026" carries meaning a hyphen does not.
# Every Unicode space separator (no-break, en, em, thin, narrow no-break, ideographic ...)
# becomes a plain space, one for one: some PDFs set every word gap as a no-break space,
# and patterns, the cut of over-long sentences and search all expect a plain one. The
# line and paragraph separators become a newline; zero-width spaces and NUL go.
_SPACES = "\xa0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_CANONICAL = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys(_SPACES, " "),
        **dict.fromkeys("\u2028\u2029", "\n"),
        **dict.fromkeys("\x00\u200b\ufeff", None),
    }
)


def normalise_page_text(text: str) -> str:
    """Canonical Unicode (NFC) with ASCII quotes, plain spaces and no invisible characters.

    NFC only merges canonically equivalent forms, e.g. the GREEK QUESTION MARK some PDF
    fonts map their semicolon to becomes ';'; it never changes what the text says. Runs of
    more than 30 combining marks keep their first 30.
    """
    return unicodedata.normalize("NFC", cap_combining_marks(text.translate(_CANONICAL)))


def cap_combining_marks(text: str) -> str:
    """``text`` with every run of more than 30 combining marks cut to its first 30."""
    if _MAYBE_LONG_MARK_RUN.search(text) is None:
        return text
    return _long_mark_runs().sub(r"\1", text)


def normalise_document(raw: RawDocument, limits: IngestLimits) -> RawDocument:
    """``raw`` with every page normalised; refused if the result holds too much text."""
    pages: list[RawPage] = []
    characters = 0
    capped: list[int] = []
    dropped = 0
    for number, page in enumerate(raw.pages, start=1):
        translated = page.text.translate(_CANONICAL)
        cut = cap_combining_marks(translated)
        if len(cut) < len(translated):
            capped.append(number)
            dropped += len(translated) - len(cut)
        text = unicodedata.normalize("NFC", cut)
        characters += len(text)
        if characters > limits.max_chars:
            raise too_much_text(limits)
        pages.append(dataclasses.replace(page, text=text))
    problems = raw.problems
    if capped:
        problems = (*problems, _marks_dropped(capped, dropped))
    return dataclasses.replace(raw, pages=tuple(pages), problems=problems)


def _marks_dropped(pages: list[int], dropped: int) -> Problem:
    shown = ", ".join(str(number) for number in pages[:20])
    more = f" and {len(pages) - 20} more" if len(pages) > 20 else ""
    where = f"page {shown}" if len(pages) == 1 else f"pages {shown}{more}"
    return Problem(
        code=COMBINING_MARKS_DROPPED,
        message=f"Characters on {where} carried more than {MAX_COMBINING_MARKS} combining "
        f"marks; {dropped:,} marks beyond the {MAX_COMBINING_MARKS}th were dropped.",
        pages=pages,
    )


@functools.cache
def _long_mark_runs() -> re.Pattern[str]:
    """A run of more than 30 non-starters, its first 30 as group 1."""
    marks = f"[{_non_starter_ranges()}]"
    return re.compile(f"({marks}{{{MAX_COMBINING_MARKS}}}){marks}+")


def _non_starter_ranges() -> str:
    """Characters whose canonical decomposition is all non-starters, as regex class ranges.

    Built from the running Python's Unicode tables (a few tenths of a second, once per
    process), so it always matches what ``unicodedata.normalize`` reorders.
    """
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if not _is_non_starter(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        re.escape(chr(first))
        if first == last
        else f"{re.escape(chr(first))}-{re.escape(chr(last))}"
        for first, last in ranges
    )


def _is_non_starter(char: str) -> bool:
    if unicodedata.combining(char):
        return True
    decomposition = unicodedata.decomposition(char)
    if not decomposition or decomposition.startswith("<"):  # none, or compatibility only
        return False
    return all(unicodedata.combining(part) for part in unicodedata.normalize("NFD", char))
