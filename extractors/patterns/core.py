"""What every pattern module shares: the document view, hits, and regex helpers.

A topic module looks at a ``TextView`` and returns ``Hit``s — a path, a value and the
character span of the clause that says it. ``PatternExtractor`` turns hits into findings.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import Any, TypeVar

from extractors.document import Document, MediaType
from extractors.facts import FactStatus
from extractors.patterns.numbers import NUMBER_WORDS

# A quote longer than this is cut down to a window around the match: evidence is read by
# people, and a whole run-on paragraph does not point at anything.
MAX_QUOTE = 600
_WINDOW = 260
# No real contract repeats one clause shape hundreds of times; a text that does is degenerate
# (or hostile), and reading further would only cost time.
MAX_MATCHES = 200
# A "line" longer than this is running text or garbage, not a table row or a field.
MAX_LINE = 1000
# Rows read under one table header.
MAX_ROWS = 60

# Abbreviations whose full stop never ends a sentence, a row or a name: legal forms
# ("Ravenscroft Hotels, Inc. USD 40,000"), titles and "No. 5".
NON_ENDING_ABBREVIATIONS: tuple[str, ...] = (
    "Inc",
    "Ltd",
    "Co",
    "Corp",
    "Pty",
    "Pte",
    "Bhd",
    "Ltda",
    "Cia",
    "No",
    "Nos",
    "St",
    "Dr",
    "Mr",
    "Ms",
    "Mrs",
)
# A lookbehind for each: the full stop just read is not one of theirs.
NOT_AFTER_ABBREVIATION = "".join(rf"(?<!\b{word}\.)" for word in NON_ENDING_ABBREVIATIONS)

# Sentence ends: terminal punctuation before a capital/number/opening quote, a blank line, or
# a line break before something that starts a new item (table row, heading, numbered clause).
# A bare line break is not an end: PDF text wraps mid-sentence.
_SENTENCE_BREAK = re.compile(
    # A full stop then a tab is inside a table row ("Kepler B.V.\t1\tEUR 35,000"), not an end.
    r"(?<=[.!?])"
    + NOT_AFTER_ABBREVIATION
    + r"(?:[^\S\n\t]+|[^\S\n\t]*\n[^\S\n]*)(?=[\"“(\[A-Z0-9])"
    # A blank line ends a sentence, except where a page break fell inside one: the text
    # before it runs on (a lower-case word or a comma) and the text after it goes on in
    # lower case ("... inspections, conducted\n\nby the Controller or an auditor ...").
    r"|(?<![a-z,])\n[^\S\n]*\n\s*+"
    r"|\n[^\S\n]*\n\s*+(?![a-z])"
    r"|(?<=[|:])[^\S\n]*\n"
    # A line that is a field set out with dot leaders ("Service period ... twelve (12) months").
    r"|\n(?=[^\S\n]*[A-Z][\w &/()'-]{0,40}?[^\S\n]*(?:\.{3,}|\u2026+)[^\S\n]*[^\s.\u2026])"
    # A line that is a labelled field, its label a few words ("Payment: each invoice is
    # payable within ..."); a wrapped line of prose rarely opens with one.
    r"|\n(?=[^\S\n]*[A-Z][\w&/()'-]*(?:[^\S\n]+[\w&/()'-]+){0,3}:[^\S\n]+\S)"
    r"|\n(?=[^\S\n]*(?:[|#•*>\u2022-]|\d{1,2}(?:\.\d{1,2})*\.?[^\S\n]+[A-Z]|"
    r"\([a-z0-9]{1,4}\)[^\S\n]"
    r"|[A-Z][A-Z .&-]{3,60}\n))"
)


_LINE_BREAK = re.compile(r"\n+")
_NUMBER_WORD_BEFORE = re.compile(rf"\b(?:{'|'.join(NUMBER_WORDS)}|thousand)\s*$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"\bpage\s+\d+(?:\s+of\s+\d+)?\b|^\s*-?\s*\d{1,3}\s*-?\s*$", re.IGNORECASE
)
# "(a) ..., (b) ...": the label of an item of an enumeration, and the item's start.
ITEM_LABEL = r"(?P<label>[a-z]|[ivx]{1,4}|\d{1,2})"
_ITEM_LABEL = re.compile(rf"\({ITEM_LABEL}\)\s+")


def follows_label(previous: str, label: str) -> bool:
    """Whether ``label`` follows ``previous`` in an enumeration: (a) (b), (ii) (iii), (1) (2)."""
    if previous.isdigit():
        return label.isdigit() and int(label) == int(previous) + 1
    if set(previous) <= set("ivx") and set(label) <= set("ivx") and len(previous) + len(label) > 2:
        return True  # roman numerals; "i" then "j" is not one
    return len(label) == 1 and ord(label) == ord(previous[-1]) + 1


# How far back the item before a list label is looked for.
_LIST_REACH = 600
_FIRST_LABELS = ("a", "i", "1")


def continues_sentence(text: str, start: int) -> bool:
    """Whether the "(x)" opening a line at ``start`` carries on the sentence of the line before.

    A wrapped line can start with the figure after a number word ("within ninety\n(90) days")
    or with a later item of a list written inline ("integrations with (a) Bank's core
    platform, ...,\n(b) Workday"): the items of a list set out line by line all start lines,
    "(a)" included, so "(b)" opens an item only where its "(a)" did.
    """
    if _NUMBER_WORD_BEFORE.search(text, max(0, start - 30), start):
        return True
    label = _ITEM_LABEL.match(text, start)
    if label is None:
        return False
    if label.group("label") in _FIRST_LABELS:
        return False
    earlier = list(_ITEM_LABEL.finditer(text, max(0, start - _LIST_REACH), start))
    for previous in reversed(earlier):
        if follows_label(previous.group("label"), label.group("label")):
            line_start = text.rfind("\n", 0, previous.start()) + 1
            return bool(text[line_start : previous.start()].strip())
    return False


def enumeration(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of an enumeration "(a) ..., (b) ..." in ``text[start:end]`` ([] if none)."""
    labels: list[re.Match[str]] = []
    for label in _ITEM_LABEL.finditer(text, start, end):
        if not labels:
            if label.group("label") in ("a", "i", "1"):
                labels.append(label)
        elif follows_label(labels[-1].group("label"), label.group("label")):
            labels.append(label)
    if len(labels) < 2:
        return []
    bounds = [label.start() for label in labels[1:]] + [end]
    return [(label.end(), bound) for label, bound in zip(labels, bounds, strict=True)]


# Space inside one clause: a PDF wraps a line anywhere, but a blank line ends the clause.
WRAPPED_SPACE = r"[^\S\n]*(?:\n[^\S\n]*)?"
# A character of the same clause: no sentence end, and a line break only where a line wraps.
CLAUSE_CHAR = r"(?:[^.;\n]|\n(?![^\S\n]*\n))"


# The words that deny a clause in the sentence that names it ("no obligation to deposit
# source code", "without any termination fee"): such a sentence is the negation reader's.
DENIAL = re.compile(r"\b(?:no|not|never|neither|nor|nothing|without)\b", re.IGNORECASE)
# Close before a clause, the same words deny it, except in the phrases that deny something
# else: "terminated without cause", "without prejudice to", "no later than", "not less than".
NEAR_DENIAL = re.compile(
    r"\b(?:no|not|never|neither|nor|nothing|without)\b"
    r"(?!\s+(?:cause|prejudice|limit\w*|later|earlier|sooner|less|more|fewer)\b)",
    re.IGNORECASE,
)
# How far before a clause such a word still reaches it: "no obligation to pay", "shall not
# be entitled to recover", "without any".
DENIAL_WINDOW = 60


def words(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Compile ``pattern`` with every literal space widened to ``\\s+`` (PDF text wraps anywhere).

    Spaces inside character classes (``[ \\t]``) are left as they are.
    """
    out: list[str] = []
    in_class = False
    escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
            out.append(char)
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        elif char == " " and not in_class:
            out.append(r"\s+")
        else:
            out.append(char)
    return re.compile("".join(out), flags)


def alternation(options: list[str] | tuple[str, ...]) -> str:
    """A non-capturing group matching any of ``options`` literally, longest first."""
    escaped = sorted((re.escape(option) for option in options), key=len, reverse=True)
    return "(?:" + "|".join(escaped) + ")"


def reader_name(depth: int = 1) -> str:
    """``module.function`` of the caller ``depth`` frames up: who read a hit.

    A comprehension or lambda is named after the function it is written in.
    """
    frame = sys._getframe(depth + 1)
    while frame.f_code.co_name.startswith("<") and frame.f_back is not None:
        frame = frame.f_back
    module = str(frame.f_globals.get("__name__", "")).rsplit(".", 1)[-1]
    return f"{module}.{frame.f_code.co_name}"


@dataclass(frozen=True)
class Hit:
    """One piece of evidence for one path: the value it supports and the span that says it.

    A value computed from several statements (an annual value from a total and a term)
    quotes each of them: ``more`` holds the spans besides ``[start, end)``, and ``note``
    says how the value was derived.
    """

    path: str
    value: Any
    start: int
    end: int
    confidence: float
    status: FactStatus = FactStatus.PRESENT
    more: tuple[tuple[int, int], ...] = ()
    note: str | None = None
    # The reader that found it ("legal._liquidated_damages"), named after the function that
    # made the hit: ``python -m evals.wordings`` counts how often each reader fires and is
    # right, so no count of documents has to live in the code.
    reader: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.reader:
            object.__setattr__(self, "reader", reader_name(2))

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Every span the hit quotes, its own first."""
        return [(self.start, self.end), *self.more]


_Windows = tuple[tuple[int, int], ...]
# Keywords longer than this are looked for among the occurrences of their first characters,
# when those occur at most ``_STEM_FILTER`` times (checking more would cost more than a scan).
_STEM = 4
_STEM_FILTER = 150


class TextView:
    """The document text with the look-ups every module needs, computed once."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.text = document.text
        # Lower case with the same length as the text, so offsets found in it hold in both.
        self.lower = _fold(document.text)
        # Readings of the whole document several readers use (its title, its parties), by the
        # ``per_view`` function that makes them.
        self._readings: dict[Callable[..., Any], Any] = {}
        self._positions: dict[tuple[str, ...], list[int]] = {}
        self._keyword_offsets: dict[str, list[int]] = {}
        self._windows_cache: dict[tuple[tuple[str, ...], int, int], _Windows] = {}

    def mentions(self, *needles: str) -> bool:
        """Whether any of the lower-case ``needles`` occurs; lets a module skip its regexes."""
        return any(needle in self.lower for needle in needles)

    def positions(self, keywords: tuple[str, ...]) -> list[int]:
        """Sorted offsets of every occurrence of the lower-case ``keywords``."""
        cached = self._positions.get(keywords)
        if cached is not None:
            return cached
        found: list[int] = []
        for keyword in keywords:
            found.extend(self._occurrences(keyword))
        found.sort()
        self._positions[keywords] = found
        return found

    def _occurrences(self, keyword: str) -> list[int]:
        """Every offset where ``keyword`` starts in the lower-case text, overlaps included.

        Each keyword is looked up once per document, and a long one among the occurrences of
        its first few characters when those are few ("term:", "term|" and "term of" among
        those of "term"): a scan of the whole text per keyword was most of the look-ups' cost.
        """
        cached = self._keyword_offsets.get(keyword)
        if cached is not None:
            return cached
        lower = self.lower
        stem = keyword[:_STEM]
        if len(keyword) > _STEM and len(stem_offsets := self._occurrences(stem)) <= _STEM_FILTER:
            found = [index for index in stem_offsets if lower.startswith(keyword, index)]
        else:
            found = []
            index = lower.find(keyword)
            while index >= 0:
                found.append(index)
                index = lower.find(keyword, index + 1)
        self._keyword_offsets[keyword] = found
        return found

    def finditer(
        self,
        pattern: re.Pattern[str],
        keywords: tuple[str, ...],
        *,
        before: int = 300,
        after: int = 300,
        limit: int = MAX_MATCHES,
    ) -> Iterator[re.Match[str]]:
        """Matches of ``pattern`` near any of ``keywords``; the text elsewhere is never scanned.

        Python's regex engine cannot skip ahead to a keyword inside a pattern, so a pattern
        run over the whole text costs time at every character; finding the keywords with
        ``str.find`` first and matching only around them keeps extraction fast.
        """
        last_end = -1
        count = 0
        for start, end in self._windows(keywords, before, after):
            for match in pattern.finditer(self.text, start, end):
                if match.start() >= last_end:
                    last_end = match.end()
                    yield match
                    count += 1
                    if count >= limit:
                        return

    def _windows(self, keywords: tuple[str, ...], before: int, after: int) -> _Windows:
        """The stretches within ``before``/``after`` characters of a keyword, overlaps merged
        (computed once per view: several patterns look around the same keywords)."""
        key = (keywords, before, after)
        cached = self._windows_cache.get(key)
        if cached is not None:
            return cached
        windows: list[list[int]] = []
        length = len(self.text)
        for position in self.positions(keywords):
            start, end = max(0, position - before), min(length, position + after)
            if windows and start <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], end)
            else:
                windows.append([start, end])
        merged = tuple((start, end) for start, end in windows)
        self._windows_cache[key] = merged
        return merged

    def lines_with(self, keywords: tuple[str, ...]) -> list[tuple[int, int]]:
        """Distinct lines holding any of ``keywords``: table headers, fields (bounded in number)."""
        found: list[tuple[int, int]] = []
        last_end = -1
        for position in self.positions(keywords):
            if position <= last_end:
                continue
            start, end = self.line(position)
            last_end = end
            if end - start <= MAX_LINE:
                found.append((start, end))
                if len(found) >= MAX_MATCHES:
                    break
        return found

    @cached_property
    def _sentence_starts(self) -> list[int]:
        starts = [0]
        starts.extend(match.end() for match in _SENTENCE_BREAK.finditer(self.text))
        if self.document.media_type is MediaType.DOCX:
            # A DOCX line is a paragraph or a table row, never a wrapped line.
            starts.extend(match.end() for match in _LINE_BREAK.finditer(self.text))
        else:
            # Rows of tab-separated tables (and the line after one) start anew.
            text = self.text
            tab = text.find("\t")
            while tab >= 0:
                row_start, row_end = self.line(tab)
                starts.extend((row_start, min(row_end + 1, len(text))))
                tab = text.find("\t", row_end)
        # A wrapped line that opens with "(90)" or "(b)" can carry on the sentence before it.
        text = self.text
        return sorted(
            {
                start
                for start in starts
                if not (text.startswith("(", start) and continues_sentence(text, start))
            }
        )

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around ``[start, end)``, trimmed of whitespace and cut to ``MAX_QUOTE``."""
        end = min(end, len(self.text))
        start = min(start, end)
        starts = self._sentence_starts
        index = bisect_right(starts, start) - 1
        sentence_start = starts[index]
        following = bisect_right(starts, max(start, end - 1))
        sentence_end = starts[following] if following < len(starts) else len(self.text)
        if sentence_end - sentence_start > MAX_QUOTE:
            sentence_start = max(sentence_start, self._word_edge(start - _WINDOW, forward=True))
            sentence_end = min(sentence_end, self._word_edge(end + _WINDOW, forward=False))
        sentence_start = min(sentence_start, start)
        sentence_end = max(sentence_end, end)
        return self.trim(sentence_start, sentence_end)

    def _word_edge(self, offset: int, *, forward: bool) -> int:
        offset = min(max(offset, 0), len(self.text))
        step = 1 if forward else -1
        limit = 40
        while 0 < offset < len(self.text) and limit and not self.text[offset].isspace():
            offset += step
            limit -= 1
        return offset

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` without leading or trailing whitespace."""
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def hit(
        self,
        path: str,
        value: Any,
        start: int,
        end: int,
        confidence: float,
        *,
        status: FactStatus = FactStatus.PRESENT,
        exact: bool = False,
        reader: str = "",
    ) -> Hit:
        """A hit quoting the sentence around ``[start, end)`` (or exactly that span)."""
        span = self.trim(start, end) if exact else self.sentence(start, end)
        reader = reader or reader_name()
        return Hit(path, value, span[0], span[1], confidence, status, reader=reader)

    @cached_property
    def furniture(self) -> frozenset[str]:
        """Running headers, footers and page numbers: lines repeated on pages, "Page 2 of 5"."""
        counts: dict[str, int] = {}
        for raw in self.text.splitlines():
            line = raw.strip()
            if 5 <= len(line) <= 150:
                counts[line] = counts.get(line, 0) + 1
        return frozenset(
            line for line, count in counts.items() if count >= 2 or _PAGE_NUMBER.search(line)
        )

    def without_furniture(self, start: int, end: int) -> str:
        """``text[start:end]`` with the page furniture lines a page break put inside it dropped."""
        piece = self.text[start:end]
        if "\n" not in piece:
            return piece
        furniture = self.furniture
        return "\n".join(line for line in piece.split("\n") if line.strip() not in furniture)

    def lines_after(self, offset: int, limit: int = MAX_ROWS) -> Iterator[tuple[int, int]]:
        """The ``[start, end)`` of up to ``limit`` lines from ``offset`` on: rows under a header."""
        position = offset
        for _ in range(limit):
            if position >= len(self.text):
                return
            start, end = self.line(position)
            yield start, end
            position = end + 1

    def line(self, offset: int) -> tuple[int, int]:
        """The ``[start, end)`` of the line holding ``offset``."""
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return start, len(self.text) if end < 0 else end


_Reading = TypeVar("_Reading")


def per_view(read: Callable[[TextView], _Reading]) -> Callable[[TextView], _Reading]:
    """A reading of the whole document that several readers use (its title, its parties):
    made once per view, on first use, by whichever reader asks first.

    A reader that needs another's result calls that function, so the dependency is explicit
    and no reader relies on the order the topic modules run in.
    """

    @wraps(read)
    def once(view: TextView) -> _Reading:
        readings = view._readings
        if read not in readings:
            readings[read] = read(view)
        result: _Reading = readings[read]
        return result

    return once


# PDF text is full of no-break and thin spaces; keywords are looked up with plain ones.
_SPACES = str.maketrans(dict.fromkeys("\u00a0\u2007\u2009\u200a\u202f\u205f\u3000", " "))


def _fold(text: str) -> str:
    folded = text.lower()
    if len(folded) != len(text):
        # A few characters lower-case to two ("İ" -> "i̇"); keep those as they are.
        folded = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    return folded.translate(_SPACES)


def squash(text: str) -> str:
    """``text`` with whitespace runs collapsed to one space and trimmed."""
    return " ".join(text.split())
