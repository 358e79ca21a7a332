"""Literal text that every match of a regular expression must contain: a free prefilter.

Python's regex engine tries a pattern that opens with an alternation, a class or ``\\b`` at
every character of the text, so a cue that never occurs in a contract still costs a full
scan. Every match of ``(?:shall|will) not [^.;]{0,120}?assign`` contains ``assign``; when
``assign`` is nowhere in the text, the pattern cannot match and need not run. Skipping it
changes no result: the literals are read from the pattern's own parse tree, and only parts
a match cannot do without count (lookarounds, optional and repeated-zero parts do not).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Iterator
from importlib import import_module
from typing import Any

# The parser behind ``re.compile`` (``re._parser``; ``sre_parse`` is its deprecated alias).
_PARSER: Any = import_module("re._parser")
_CONSTANTS: Any = import_module("re._constants")

Literals = frozenset[str]


@functools.cache
def _parse(pattern: str, flags: int) -> Any:
    """The parse tree of ``pattern`` (read, never changed, by the functions below)."""
    return _PARSER.parse(pattern, flags)


def _better(first: Literals | None, second: Literals | None) -> Literals | None:
    """The more selective of two literal sets: longer shortest literal, then fewer of them."""
    if first is None:
        return second
    if second is None:
        return first
    rank_first = (min(map(len, first)), -len(first))
    rank_second = (min(map(len, second)), -len(second))
    return first if rank_first >= rank_second else second


def _sequence(items: list[tuple[Any, Any]]) -> Literals | None:
    """Best literal set of a concatenation: a run of literal characters, or one mandatory item."""
    best: Literals | None = None
    run: list[str] = []
    for op, argument in items:
        if op is _CONSTANTS.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        best = _better(best, _item(op, argument))
    if run:
        best = _better(best, frozenset({"".join(run)}))
    return best


def _item(op: Any, argument: Any) -> Literals | None:
    """Literals one of which every match of this single item contains (None if unknown)."""
    constants = _CONSTANTS
    if op is constants.SUBPATTERN:
        _, add_flags, del_flags, body = argument
        if add_flags or del_flags:
            return None
        return _sequence(list(body))
    if op is constants.BRANCH:
        _, branches = argument
        union: set[str] = set()
        for branch in branches:
            found = _sequence(list(branch))
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op in (constants.MAX_REPEAT, constants.MIN_REPEAT, constants.POSSESSIVE_REPEAT):
        low, _, body = argument
        return _sequence(list(body)) if low >= 1 else None
    if op is constants.IN:
        # A class of plain characters only ("[ey]"); ranges, categories, negation: unknown.
        if all(member_op is constants.LITERAL for member_op, _ in argument):
            return frozenset(chr(code) for _, code in argument)
        return None
    # Lookarounds, anchors, any character, back references: no literal of their own.
    return None


def prefix_literals(pattern: str, flags: int = 0) -> Literals | None:
    """Strings one of which every match of ``pattern`` starts with; None when unknown."""
    if flags & (re.IGNORECASE | re.VERBOSE):
        return None
    parsed = _parse(pattern, flags)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = _prefix(list(parsed))
    if found is None or not all(found):
        return None
    return found


def _prefix(items: list[tuple[Any, Any]]) -> Literals | None:
    constants = _CONSTANTS
    run: list[str] = []
    for op, argument in items:
        if op is constants.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            return frozenset({"".join(run)})
        if op in (constants.AT, constants.ASSERT, constants.ASSERT_NOT):
            continue  # zero width: the match still starts with what follows
        return _item_prefix(op, argument)
    return frozenset({"".join(run)}) if run else None


def _item_prefix(op: Any, argument: Any) -> Literals | None:
    constants = _CONSTANTS
    if op is constants.SUBPATTERN:
        _, add_flags, del_flags, body = argument
        return None if add_flags or del_flags else _prefix(list(body))
    if op is constants.BRANCH:
        union: set[str] = set()
        for branch in argument[1]:
            found = _prefix(list(branch))
            if not found:
                return None
            union |= found
        return frozenset(union)
    if op in (constants.MAX_REPEAT, constants.MIN_REPEAT, constants.POSSESSIVE_REPEAT):
        low, _, body = argument
        return _prefix(list(body)) if low >= 1 else None
    if op is constants.IN and all(member_op is constants.LITERAL for member_op, _ in argument):
        return frozenset(chr(code) for _, code in argument)
    return None


def mandatory_literal_sets(pattern: str, flags: int = 0) -> tuple[Literals, ...]:
    """Every literal set the pattern's top-level sequence cannot do without (maybe none).

    A match contains a literal of each set: of a run of literal characters, or of an
    alternation, group or repetition that every match goes through.
    """
    if flags & (re.IGNORECASE | re.VERBOSE):
        return ()
    parsed = _parse(pattern, flags)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return ()
    sets: list[Literals] = []
    run: list[str] = []
    for op, argument in list(parsed):
        if op is _CONSTANTS.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            sets.append(frozenset({"".join(run)}))
            run = []
        found = _item(op, argument)
        if found and all(found):
            sets.append(found)
    if run:
        sets.append(frozenset({"".join(run)}))
    return tuple(sets)


def consumes_any(pattern: str, characters: str, flags: int = 0) -> bool:
    """Whether some match of ``pattern`` could contain one of ``characters`` (True if unsure).

    Lookarounds consume nothing and do not count.
    """
    parsed = _parse(pattern, flags)
    if parsed.state.flags & re.IGNORECASE:
        return True
    return any(_consumes(list(parsed), character) for character in characters)


_CATEGORY_PATTERNS = {
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
}


def _consumes(items: list[tuple[Any, Any]], character: str) -> bool:
    return any(_item_consumes(op, argument, character) for op, argument in items)


def _item_consumes(op: Any, argument: Any, character: str) -> bool:
    constants = _CONSTANTS
    if op is constants.LITERAL:
        return bool(argument == ord(character))
    if op is constants.NOT_LITERAL:
        return bool(argument != ord(character))
    if op is constants.IN:
        return _class_has(argument, character)
    if op is constants.SUBPATTERN:
        return _consumes(list(argument[3]), character)
    if op is constants.BRANCH:
        return any(_consumes(list(branch), character) for branch in argument[1])
    if op in (constants.MAX_REPEAT, constants.MIN_REPEAT, constants.POSSESSIVE_REPEAT):
        return bool(argument[1] >= 1) and _consumes(list(argument[2]), character)
    # Anchors and lookarounds consume nothing; anything else (any character, a back
    # reference, an atomic group) is assumed to be able to.
    return op not in (constants.AT, constants.ASSERT, constants.ASSERT_NOT)


def _class_has(members: list[tuple[Any, Any]], character: str) -> bool:
    constants = _CONSTANTS
    code = ord(character)
    negated = bool(members) and members[0][0] is constants.NEGATE
    found = False
    for op, argument in members[1:] if negated else members:
        if op is constants.LITERAL:
            found = found or argument == code
        elif op is constants.RANGE:
            found = found or argument[0] <= code <= argument[1]
        elif op is constants.CATEGORY and str(argument) in _CATEGORY_PATTERNS:
            found = found or re.fullmatch(_CATEGORY_PATTERNS[str(argument)], character) is not None
        else:
            return True  # a member this reader does not know: assume the class may match
    return found != negated


class TextIndex:
    """Where literals occur in one text, each looked up once, and the stretches between
    separators."""

    def __init__(self, text: str, separators: str) -> None:
        self.text = text
        self.separators = separators
        self._contains: dict[str, bool] = {}
        self._ends: list[int] | None = None
        self._found: dict[str, list[int]] = {}

    def contains(self, literal: str) -> bool:
        known = self._contains.get(literal)
        if known is None:
            known = self._contains[literal] = literal in self.text
        return known

    def occurrences(self, literal: str) -> list[int]:
        """Sorted offsets of every (possibly overlapping) occurrence of ``literal``."""
        found = self._found.get(literal)
        if found is None:
            found = []
            index = self.text.find(literal)
            while index >= 0:
                found.append(index)
                index = self.text.find(literal, index + 1)
            self._found[literal] = found
        return found

    def piece(self, offset: int) -> tuple[int, int]:
        """The ``[start, end)`` between the last separator before ``offset`` and the first at
        or after it (the text's ends where there is none)."""
        if self._ends is None:
            separators = re.compile("[" + re.escape(self.separators) + "]")
            self._ends = [match.start() for match in separators.finditer(self.text)]
        ends = self._ends
        at = bisect_left(ends, offset)
        return (ends[at - 1] + 1 if at else 0), (ends[at] if at < len(ends) else len(self.text))

    def holds(self, literals: Literals, start: int, end: int) -> bool:
        """Whether a literal of ``literals`` lies wholly within ``[start, end)``."""
        return any(self.text.find(literal, start, end) >= 0 for literal in literals)


def _selectivity(literals: Literals) -> tuple[int, int]:
    return (min(map(len, literals)), -len(literals))


class LiteralPlan:
    """How to find a pattern's matches without scanning the whole text for them.

    ``finditer`` yields exactly what ``pattern.finditer(text)`` yields. Nothing is tried
    when one of the literals every match needs is absent. When no match can contain a
    separator (".", ";") and every match starts with a known prefix, only the places where
    a prefix occurs inside a separator-free stretch holding a literal of every needed set
    are tried, with ``pattern.match``, in order, each after the end of the last match:
    ``finditer`` takes the leftmost match at or after that end, and every match starts at
    such a place (``match`` at an offset sees the text before it for ``\\b`` and
    lookbehinds, as ``search`` does). Otherwise the engine scans as usual.
    """

    def __init__(self, pattern: re.Pattern[str], separators: str) -> None:
        flags = pattern.flags & ~re.UNICODE
        self.pattern = pattern
        # The most telling set first: it picks the stretches worth a look.
        self.needed = tuple(
            sorted(mandatory_literal_sets(pattern.pattern, flags), key=_selectivity, reverse=True)
        )
        self.prefixes = prefix_literals(pattern.pattern, flags)
        self.confined = (
            bool(self.needed)
            and self.prefixes is not None
            and not consumes_any(pattern.pattern, separators, flags)
        )

    def finditer(self, index: TextIndex) -> Iterator[re.Match[str]]:
        """The matches of the pattern in ``index.text``, as ``pattern.finditer`` finds them."""
        for literals in self.needed:
            if not any(index.contains(literal) for literal in literals):
                return
        if not self.confined:
            yield from self.pattern.finditer(index.text)
            return
        position = 0
        for start in self._starts(index):
            if start < position:
                continue
            match = self.pattern.match(index.text, start)
            if match is not None:
                yield match
                # A prefix is never empty, so neither is a match: the next starts at its end.
                position = match.end()

    def _starts(self, index: TextIndex) -> list[int]:
        """Sorted places where a prefix occurs in a stretch holding every needed set."""
        text = index.text
        anchors = sorted(
            (offset, offset + len(literal))
            for literal in self.needed[0]
            for offset in index.occurrences(literal)
        )
        pieces: list[tuple[int, int]] = []
        for offset, anchor_end in anchors:
            if pieces and pieces[-1][0] <= offset < pieces[-1][1]:
                piece = pieces[-1]
            else:
                piece = index.piece(offset)
            if anchor_end <= piece[1] and (not pieces or pieces[-1] != piece):
                pieces.append(piece)
        starts: set[int] = set()
        for start, end in pieces:
            if not all(index.holds(literals, start, end) for literals in self.needed[1:]):
                continue
            for prefix in self.prefixes or ():
                found = text.find(prefix, start, end)
                while found >= 0:
                    starts.add(found)
                    found = text.find(prefix, found + 1, end)
        return sorted(starts)
