"""Which document of a case says it overrides another: precedence clauses, read as data.

A later document overrides an earlier one only where a document says so. Two ways:

- the later document claims it for itself: "This Order Form prevails over the Agreement",
  "Notwithstanding Section 5.2 of the Agreement", "the terms of this SOW shall govern";
- the earlier document grants it: "Unless otherwise stated in the Order Form",
  "the Order Form or SOW shall control", "In case of contradictions the Order prevails".

A general clause ("This Order Form prevails", "the Order Form shall control") reaches the
whole document; a clause that varies one sentence ("Notwithstanding Section 5.2 ...",
"Unless otherwise stated in the Order Form, invoices are due ...") reaches only the value
found in that sentence. Amendments override what they amend without saying so; that is
the merge's business, not a clause read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from extractors.facts import DocumentKind

# How contracts name each kind of document that may be granted precedence.
KIND_NAMES: dict[DocumentKind, str] = {
    DocumentKind.ORDER_FORM: r"(?:order(?:ing)? (?:form|document|schedule)|order)s?",
    DocumentKind.SOW: r"(?:sows?|statements? of work)",
    DocumentKind.DPA: r"(?:dpa|data processing (?:agreement|addendum))",
    DocumentKind.SECURITY_ADDENDUM: r"(?:security (?:addendum|schedule|exhibit))",
    DocumentKind.AMENDMENT: r"(?:amendments?)",
}
# A document naming itself: "this Order Form", "this SOW", "this DPA".
_THIS_DOCUMENT = r"this (?:" + "|".join(KIND_NAMES.values()) + r"|addendum|schedule)"
# "supersedes all prior proposals" is an entire-agreement clause, not precedence.
_PREVAILS = (
    r"(?:shall |will |does |is to )?"
    r"(?:prevails?|controls?|governs?|takes? precedence|supersedes?(?! (?:all|any) "
    r"(?:prior|previous|earlier|other)))\b"
)
_AGREEMENT = (
    r"(?:the|any) (?:agreement|msa|master|framework|main agreement|terms of service"
    r"|terms and conditions|subscription terms)"
)
# "Nothing in this Order Form supersedes", "shall not prevail": a denial, not a claim.
_DENIAL = re.compile(r"\b(?:nothing|not|no|never|neither|nor)\b")

# The document claims precedence for itself over the agreement it is placed under. Each
# pattern says whether the claim covers the whole document or only its own sentence:
# "Notwithstanding Section 5.2 of the Agreement, invoices are payable net 60" varies the
# payment terms, not the uptime two pages later.
SELF_CLAIMS: tuple[tuple[str, bool], ...] = (
    (_THIS_DOCUMENT + r"[^.;]{0,40}?" + _PREVAILS, True),
    (
        r"(?:terms|provisions) of this [a-z ]{2,30}? (?:shall|will) (?:prevail|control|govern)\b",
        True,
    ),
    (_PREVAILS + r" over " + _AGREEMENT, True),
    (r"notwithstanding " + _AGREEMENT, False),
    # "Section 5.2": a dot between digits does not end the clause.
    (
        r"notwithstanding (?:anything|any (?:term|provision)|section|clause)"
        r"(?:[^.;]|\.(?=\d)){0,80}?(?:in|of) " + _AGREEMENT,
        False,
    ),
)


def _grants(kind_name: str) -> tuple[tuple[str, bool], ...]:
    article = r"(?:the|an?|any|each|such|the applicable|the relevant) "
    return (
        (
            r"unless (?:otherwise )?(?:stated|specified|provided|set (?:out|forth)|agreed"
            r"|indicated)(?: otherwise)? in " + article + kind_name,
            False,
        ),
        (
            r"unless " + article + kind_name + r" (?:expressly )?"
            r"(?:states?|provides?|specif(?:y|ies)|says?|sets? out) otherwise",
            False,
        ),
        (
            r"except as (?:otherwise )?(?:stated|specified|provided|set (?:out|forth)) in "
            + article
            + kind_name,
            False,
        ),
        # "the Order Form or SOW shall control"
        (
            r"\b"
            + kind_name
            + r"(?: or (?:the |an? |any )?[a-z]{2,20}(?: [a-z]{2,10})?)? "
            + _PREVAILS,
            True,
        ),
    )


# The document lets documents of another kind override it.
GRANTS: dict[DocumentKind, tuple[tuple[str, bool], ...]] = {
    kind: _grants(name) for kind, name in KIND_NAMES.items()
}


def _spaced(pattern: str) -> re.Pattern[str]:
    """A space matches any run of whitespace: PDF text breaks lines mid-sentence."""
    return re.compile(pattern.replace(" ", r"\s+"))


_SELF_CLAIMS = tuple((_spaced(pattern), general) for pattern, general in SELF_CLAIMS)
_GRANTS = {
    kind: tuple((_spaced(pattern), general) for pattern, general in patterns)
    for kind, patterns in GRANTS.items()
}
# Where a sentence ends: a full stop before a space, or a blank line.
_SENTENCE_END = re.compile(r"\.(?=\s)|\n\s*\n")


@dataclass(frozen=True)
class PrecedenceClause:
    """Words that give one document precedence, and how far they reach in the text."""

    quote: str
    # None: the whole document; else the [start, end) of the sentence the clause governs.
    sentence: tuple[int, int] | None = None

    def covers(self, position: int | None) -> bool:
        """Whether the clause reaches a value found at ``position`` of its document."""
        if self.sentence is None:
            return True
        return position is not None and self.sentence[0] <= position < self.sentence[1]


@dataclass(frozen=True)
class PrecedenceClauses:
    """What one document says about precedence, each with the words that say it."""

    # The document's own claims to prevail over the agreement.
    claims: tuple[PrecedenceClause, ...] = ()
    # Kinds of document this one lets override it, with the words that grant it.
    grants: tuple[tuple[DocumentKind, PrecedenceClause], ...] = ()

    def claim_at(self, position: int | None) -> str | None:
        """The words by which this document overrides the agreement for a value at
        ``position`` (None: a value whose place is unknown, reached only by general claims)."""
        return next((c.quote for c in self.claims if c.covers(position)), None)

    def grant_to(self, kind: DocumentKind | None, position: int | None = None) -> str | None:
        """The words by which this document lets a document of ``kind`` override its value
        at ``position``."""
        return next(
            (c.quote for granted, c in self.grants if granted is kind and c.covers(position)),
            None,
        )


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the sentence holding ``text[start:end]``."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 600), start)]
    after = _SENTENCE_END.search(text, end)
    return (before[-1] if before else max(0, start - 600), after.start() if after else len(text))


def _clauses(
    patterns: tuple[tuple[re.Pattern[str], bool], ...], lowered: str, text: str
) -> tuple[PrecedenceClause, ...]:
    found: list[tuple[int, PrecedenceClause]] = []
    for pattern, general in patterns:
        for match in pattern.finditer(lowered):
            if _DENIAL.search(lowered[max(0, match.start() - 30) : match.end()]):
                continue
            quote = " ".join(text[match.start() : match.end()].split())
            scope = None if general else _sentence(lowered, match.start(), match.end())
            found.append((match.start(), PrecedenceClause(quote, scope)))
    return tuple(clause for _, clause in sorted(found, key=lambda item: item[0]))


def read_precedence(text: str) -> PrecedenceClauses:
    """The precedence claims and grants a document's text makes."""
    # str.lower keeps offsets for the Latin text contracts are written in; where it would
    # not, the quote is merely approximate, never wrong about what was found.
    lowered = text.lower()
    source = text if len(lowered) == len(text) else lowered
    grants = tuple(
        (kind, clause)
        for kind, patterns in _GRANTS.items()
        for clause in _clauses(patterns, lowered, source)
    )
    return PrecedenceClauses(claims=_clauses(_SELF_CLAIMS, lowered, source), grants=grants)


class CasePrecedence(Mapping[str, PrecedenceClauses]):
    """The precedence clauses of each document of a case, read when first asked for.

    Only documents that disagree with another are ever asked about: a document alone, or
    one that agrees with the rest, is not searched for clauses (a few hundredths of a
    second on a long contract).
    """

    def __init__(self, texts: Mapping[str, str]) -> None:
        self._texts = texts
        self._read: dict[str, PrecedenceClauses] = {}

    def __getitem__(self, document_id: str) -> PrecedenceClauses:
        clauses = self._read.get(document_id)
        if clauses is None:
            clauses = self._read[document_id] = read_precedence(self._texts[document_id])
        return clauses

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)
