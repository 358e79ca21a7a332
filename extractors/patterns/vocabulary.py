"""The vocabulary of clause concepts: what the extractor knows about a clause, as typed data.

A clause concept is a fact path (``legal.source_code_escrow``) and the wordings that state
it. Each ``Wording`` says, in one place, everything a reader of it needs: its name (the
report ``python -m evals.wordings`` counts by it), the regular expression (spaces widen to
any whitespace, as PDF text wraps anywhere), the keywords it is looked for around and how
far either side, a named confidence tier (``extractors.patterns.confidence``) and its
denial policy — how a sentence that rules the clause out ("no obligation to deposit source
code") is told from one that states it. ``read_concept`` is the one reader of them all.
A concept's ``Term`` is how a denial names it ("no source code escrow", "SSO: not
included"): the negation reader builds its denial wordings around it.

The tables themselves live in ``extractors.patterns.clauses``; a topic module reads a
concept with ``read_concept(view, CONCEPT)`` and keeps its own code only for values a
wording cannot give (amounts, durations, parties).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from extractors.patterns import confidence
from extractors.patterns.core import DENIAL, DENIAL_WINDOW, NEAR_DENIAL, Hit, TextView, words


class DenialScope(Enum):
    """Where a denying word ("no", "not", "without", ...) takes a wording's match back."""

    # Nothing denies it: the wording itself is affirmative ("as liquidated damages").
    NONE = "none"
    # Any denying word in the sentence around the match.
    SENTENCE = "sentence"
    # A denying word in the stretch just before the match, within the sentence: a long
    # sentence holds denials of other things ("terminated without cause, ... a termination
    # fee").
    BEFORE = "before"
    # The same stretch before, and the match itself: the promise is inside the wording
    # ("neither party shall be required to pay an amount equal to").
    THROUGH = "through"


@dataclass(frozen=True)
class Denial:
    """A denial policy: which words deny, and where they must stand to deny the match."""

    scope: DenialScope
    # The words that deny; NEAR_DENIAL leaves out "without cause", "no later than", ...
    pattern: re.Pattern[str] = NEAR_DENIAL
    # For BEFORE and THROUGH: how many characters before the match count.
    window: int = DENIAL_WINDOW

    def denies(self, view: TextView, start: int, end: int) -> bool:
        """Whether the match ``[start, end)`` is taken back by a denial around it."""
        if self.scope is DenialScope.NONE:
            return False
        sentence_start, sentence_end = view.sentence(start, end)
        if self.scope is DenialScope.SENTENCE:
            return self.pattern.search(view.text, sentence_start, sentence_end) is not None
        stretch_end = end if self.scope is DenialScope.THROUGH else start
        stretch_start = max(sentence_start, start - self.window)
        return self.pattern.search(view.text, stretch_start, stretch_end) is not None


NO_DENIAL = Denial(DenialScope.NONE)
DENIED_IN_SENTENCE = Denial(DenialScope.SENTENCE, DENIAL)


def denied_before(window: int = DENIAL_WINDOW) -> Denial:
    """Denied by a denying word up to ``window`` characters before the match."""
    return Denial(DenialScope.BEFORE, NEAR_DENIAL, window)


def denied_through(window: int = DENIAL_WINDOW) -> Denial:
    """Denied by a denying word up to ``window`` characters before the match, or inside it."""
    return Denial(DenialScope.THROUGH, NEAR_DENIAL, window)


@dataclass(frozen=True)
class Wording:
    """One way contracts state a clause, with all that reading it takes."""

    name: str
    pattern: str
    # A sentence it reads: the tests check every wording reads its example through the
    # whole extractor, and ``describe`` shows it.
    example: str
    keywords: tuple[str, ...]
    before: int
    after: int
    tier: float
    denial: Denial = NO_DENIAL
    # Case matters for acronyms that are also words ("BAA", "SCIM"): pass 0.
    flags: int = re.IGNORECASE
    # A test of the sentence around a match that keeps it: "the customer demands it", not
    # "the provider offers it" (None: every match not denied is kept).
    kept_where: Callable[[TextView, str], bool] | None = None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern, spaces widened (compiled on first use, then kept)."""
        return words(self.pattern, self.flags)


@dataclass(frozen=True)
class Term:
    """How a denial names a concept: the noun phrase of "no source code escrow is provided"."""

    # A regex fragment the negation reader puts inside its denial wordings.
    pattern: str
    # Lower-case words every occurrence of the term contains: only sentences holding one are read.
    keys: tuple[str, ...]
    # Further paths a denial of the term excludes beside the concept's own (its amount).
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClauseConcept:
    """A fact that is present where any of its wordings states it (and nothing denies it)."""

    path: str
    wordings: tuple[Wording, ...]
    # What the concept means, in a sentence: shown by ``describe``.
    meaning: str = ""
    # Lower-case words without which no wording can match: a document lacking all of them
    # is skipped outright.
    needs: tuple[str, ...] = field(default=())
    # How a denial names it (None: the negation reader does not look for its denials).
    term: Term | None = None


def read_wording(view: TextView, path: str, wording: Wording) -> list[Hit]:
    """``path`` present wherever ``wording`` matches and its denial policy does not take it back."""
    if not view.mentions(*wording.keywords):
        return []
    reader = f"{path}: {wording.name}"
    hits: list[Hit] = []
    for match in view.finditer(
        wording.regex, wording.keywords, before=wording.before, after=wording.after
    ):
        if wording.denial.denies(view, match.start(), match.end()):
            continue
        if wording.kept_where is not None:
            start, end = view.sentence(match.start(), match.end())
            if not wording.kept_where(view, view.text[start:end]):
                continue
        hits.append(view.hit(path, True, match.start(), match.end(), wording.tier, reader=reader))
    return hits


def read_concept(view: TextView, *concepts: ClauseConcept) -> list[Hit]:
    """Every hit of every wording of ``concepts``, in the order they and their wordings are
    listed."""
    hits: list[Hit] = []
    for concept in concepts:
        if concept.needs and not view.mentions(*concept.needs):
            continue
        for wording in concept.wordings:
            hits += read_wording(view, concept.path, wording)
    return hits


def tier_name(value: float) -> str:
    """The confidence ladder's name for ``value`` ("CHECKED_CLAUSE 0.8")."""
    names = [name for name, tier in vars(confidence).items() if name.isupper() and tier == value]
    return f"{names[0]} {value:g}" if names else f"confidence {value:g}"


def describe(concepts: Sequence[ClauseConcept]) -> str:
    """The vocabulary in words: each concept, its meaning, and each wording's reading."""
    lines: list[str] = []
    for concept in concepts:
        lines.append(f"{concept.path}: {concept.meaning}")
        for wording in concept.wordings:
            lines.append(
                f"  - {wording.name} (near {', '.join(wording.keywords)}; "
                f"{tier_name(wording.tier)}; denial: {wording.denial.scope.value})"
            )
            lines.append(f"    e.g. {wording.example!r}")
    return "\n".join(lines)
