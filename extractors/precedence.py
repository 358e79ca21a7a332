"""Which document of a case says it overrides another: precedence clauses, read as data.

A later document overrides an earlier one only where a document says so. Two ways:

- the later document claims it for itself: "This Order Form prevails over the Agreement",
  "Notwithstanding Section 5.2 of the Agreement", "the terms of this SOW shall govern";
- the earlier document grants it: "Unless otherwise stated in the Order Form",
  "the Order Form or SOW shall control", "In case of contradictions the Order prevails".

A grant is read for the whole granting document, not for the one clause it sits in: the
merge uses it only where two documents disagree, and a master agreement that lets its
order forms vary one term rarely means the opposite for another. Amendments override what
they amend without saying so; that is the merge's business, not a clause read here.
"""

from __future__ import annotations

import re
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

# The document claims precedence for itself over the agreement it is placed under.
SELF_CLAIMS: tuple[str, ...] = (
    _THIS_DOCUMENT + r"[^.;]{0,40}?" + _PREVAILS,
    r"(?:terms|provisions) of this [a-z ]{2,30}? (?:shall|will) (?:prevail|control|govern)\b",
    _PREVAILS + r" over " + _AGREEMENT,
    # "Section 5.2": a dot between digits does not end the clause.
    r"notwithstanding " + _AGREEMENT,
    r"notwithstanding (?:anything|any (?:term|provision)|section|clause)(?:[^.;]|\.(?=\d)){0,80}?"
    r"(?:in|of) " + _AGREEMENT,
)


def _grants(kind_name: str) -> tuple[str, ...]:
    article = r"(?:the|an?|any|each|such|the applicable|the relevant) "
    return (
        r"unless (?:otherwise )?(?:stated|specified|provided|set (?:out|forth)|agreed|indicated)"
        r"(?: otherwise)? in " + article + kind_name,
        r"unless " + article + kind_name + r" (?:expressly )?"
        r"(?:states?|provides?|specif(?:y|ies)|says?|sets? out) otherwise",
        r"except as (?:otherwise )?(?:stated|specified|provided|set (?:out|forth)) in "
        + article
        + kind_name,
        r"\b"
        + kind_name
        + r"(?: or (?:the |an? |any )?[a-z]{2,20}(?: [a-z]{2,10})?)? "
        + _PREVAILS,
    )


# The document lets documents of another kind override it.
GRANTS: dict[DocumentKind, tuple[str, ...]] = {
    kind: _grants(name) for kind, name in KIND_NAMES.items()
}


def _spaced(pattern: str) -> re.Pattern[str]:
    """A space matches any run of whitespace: PDF text breaks lines mid-sentence."""
    return re.compile(pattern.replace(" ", r"\s+"))


_SELF_CLAIMS = tuple(_spaced(pattern) for pattern in SELF_CLAIMS)
_GRANTS = {kind: tuple(_spaced(p) for p in patterns) for kind, patterns in GRANTS.items()}


@dataclass(frozen=True)
class PrecedenceClauses:
    """What one document says about precedence, each with the words that say it."""

    # The document's own claim to prevail over the agreement, if any.
    claims: str | None = None
    # Kinds of document this one lets override it, with the words that grant it.
    grants: tuple[tuple[DocumentKind, str], ...] = ()

    def grant_to(self, kind: DocumentKind | None) -> str | None:
        """The words by which this document lets a document of ``kind`` override it."""
        return next((quote for granted, quote in self.grants if granted is kind), None)


def _first(patterns: tuple[re.Pattern[str], ...], lowered: str, text: str) -> str | None:
    hits = [
        match
        for pattern in patterns
        for match in pattern.finditer(lowered)
        if not _DENIAL.search(lowered[max(0, match.start() - 30) : match.end()])
    ]
    if not hits:
        return None
    first = min(hits, key=lambda match: match.start())
    return " ".join(text[first.start() : first.end()].split())


def read_precedence(text: str) -> PrecedenceClauses:
    """The precedence claims and grants a document's text makes."""
    # str.lower keeps offsets for the Latin text contracts are written in; where it would
    # not, the quote is merely approximate, never wrong about what was found.
    lowered = text.lower()
    source = text if len(lowered) == len(text) else lowered
    grants = tuple(
        (kind, quote)
        for kind, patterns in _GRANTS.items()
        if (quote := _first(patterns, lowered, source)) is not None
    )
    return PrecedenceClauses(claims=_first(_SELF_CLAIMS, lowered, source), grants=grants)
