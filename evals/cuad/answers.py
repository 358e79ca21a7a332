"""Scoring extracted governing law and agreement date against CUAD's answers.

This is the one definition every CUAD script uses (``evals.cuad.evaluate`` for the whole
offline extraction, ``evals.cuad.score_values`` for the pattern extractor alone): both
feed their predictions to ``AnswerScores`` and print its ``figures()``.

Governing law (``Governing Law-Answer``). Both sides are reduced to a set of
jurisdictions: lower case, without "State of", "Commonwealth of", "Province of",
"Republic of" or a trailing country ("Ontario, Canada" -> "ontario"), split on ";",
",", "and", "&" and "/" (CUAD's "England; Wales" and our "England and Wales" both become
{"england", "wales"}; "Delaware, Illinois" names two), US postal codes spelled out and
common aliases folded ("PRC" -> "china"). Only parts that name a real jurisdiction
(a US state, a country or a country subdivision known to ``pycountry``) count on the
answer's side: "the state in which the breach occurs", a convention, "[]" or "[* * *]"
name none. The extracted value is right when it names a jurisdiction of the answer.
Contracts whose answer names none are not scored (``governing_law_skipped``); a value
extracted where CUAD has no answer is counted as ``governing_law_extra``.

Agreement date (``Agreement Date-Answer``). CUAD writes ``m/d/yyyy`` and puts ``[]`` for
a part the signed copy leaves blank ("[]/[]/2004", "11/[]/2006"); where it lists several
dates (";") the first is the answer.
- ``agreement_date_accuracy`` is over contracts whose answer is a full, valid date: the
  extracted date must equal it.
- Answers with some parts blank are reported apart: ``agreement_date_partial`` counts
  them and ``agreement_date_partial_agreeing`` how many extracted dates agree with every
  part CUAD gives.
- ``agreement_date_inclusive_accuracy`` puts both together: full answers right plus
  partial answers agreed with, over full plus partial answers.
Blank answers and answers without any part ("[]/[]/[]") are not scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import pycountry

_PREFIXES = re.compile(
    r"^(?:the\s+)?(?:state|commonwealth|province|republic|kingdom|federal republic|laws)\s+of\s+"
)
_COUNTRY_SUFFIX = re.compile(
    r",\s*(?:canada|united states(?: of america)?|usa|u\.s\.a?\.?|united kingdom|uk|australia"
    r"|china|india|germany)$"
)
_ALIASES = {
    "people's republic of china": "china",
    "peoples republic of china": "china",
    "prc": "china",
    "the people's republic of china": "china",
    "hong kong sar": "hong kong",
    "hong kong special administrative region": "hong kong",
    "republic of china": "taiwan",
    "united kingdom": "england",
    "uk": "england",
    "washington, d.c.": "district of columbia",
    "washington d.c.": "district of columbia",
    "dc": "district of columbia",
    "u.s.": "united states",
    "u.s.a.": "united states",
    "usa": "united states",
    "united states of america": "united states",
}
US_STATES = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california",
    "CO": "colorado", "CT": "connecticut", "DE": "delaware", "DC": "district of columbia",
    "FL": "florida", "GA": "georgia", "HI": "hawaii", "ID": "idaho", "IL": "illinois",
    "IN": "indiana", "IA": "iowa", "KS": "kansas", "KY": "kentucky", "LA": "louisiana",
    "ME": "maine", "MD": "maryland", "MA": "massachusetts", "MI": "michigan", "MN": "minnesota",
    "MS": "mississippi", "MO": "missouri", "MT": "montana", "NE": "nebraska", "NV": "nevada",
    "NH": "new hampshire", "NJ": "new jersey", "NM": "new mexico", "NY": "new york",
    "NC": "north carolina", "ND": "north dakota", "OH": "ohio", "OK": "oklahoma", "OR": "oregon",
    "PA": "pennsylvania", "RI": "rhode island", "SC": "south carolina", "SD": "south dakota",
    "TN": "tennessee", "TX": "texas", "UT": "utah", "VT": "vermont", "VA": "virginia",
    "WA": "washington", "WV": "west virginia", "WI": "wisconsin", "WY": "wyoming",
}  # fmt: skip
# pycountry spells Chinese subdivisions with their kind ("Beijing Shi").
_SUBDIVISION_KIND = re.compile(r"\s+(?:shi|sheng|sar|zizhiqu)$")


def _jurisdiction(part: str) -> str:
    text = " ".join(part.replace("’", "'").split()).strip(" .,").lower()
    text = _ALIASES.get(text, text)
    previous = None
    while previous != text:
        previous = text
        text = _COUNTRY_SUFFIX.sub("", text).strip(" .,")
        text = _PREFIXES.sub("", text).strip(" .,")
        text = _ALIASES.get(text, text)
    code = re.fullmatch(r"(?:us-)?([a-z]{2})", text)
    if code and code.group(1).upper() in US_STATES:
        text = US_STATES[code.group(1).upper()]
    return text


def jurisdictions(value: str) -> set[str]:
    """The normalised names a governing-law answer or extracted value is made of."""
    names: set[str] = set()
    for part in re.split(r";|\band\b|&|/", value, flags=re.IGNORECASE):
        # A trailing country goes first, so "Ontario, Canada" stays one place; what
        # still holds a comma lists several ("Delaware, Illinois").
        whole = _jurisdiction(part)
        pieces = [whole] if "," not in whole else [_jurisdiction(p) for p in whole.split(",")]
        names.update(piece for piece in pieces if piece)
    return names


@cache
def known_jurisdictions() -> frozenset[str]:
    """Lower-case names of US states, countries and country subdivisions."""
    names = set(US_STATES.values()) | set(_ALIASES.values()) | {"england", "wales", "scotland"}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                names.add(_jurisdiction(name))
    for subdivision in pycountry.subdivisions:
        names.add(_SUBDIVISION_KIND.sub("", _jurisdiction(subdivision.name)))
    return frozenset(names)


def governing_law_answers(answer: str) -> set[str]:
    """The jurisdictions a CUAD ``Governing Law-Answer`` names (empty: none, not scored)."""
    return jurisdictions(answer) & known_jurisdictions()


def governing_law_matches(extracted: str | None, answer: str) -> bool:
    """Whether the extracted governing law names a jurisdiction of CUAD's answer."""
    if not extracted:
        return False
    return bool(jurisdictions(extracted) & governing_law_answers(answer))


_DATE_ANSWER = re.compile(r"^\s*(\[\]|\d{1,2})/(\[\]|\d{1,2})/(\d{4}|[\d\[\]]+)\s*$")
DateParts = tuple[int | None, int | None, int | None]


def parse_date_answer(answer: str) -> DateParts | None:
    """``(month, day, year)`` of CUAD's (first) date, None for a blank part; None if no answer.

    A year with a blank digit ("200[]") counts as blank.
    """
    match = _DATE_ANSWER.match(answer.split(";", maxsplit=1)[0])
    if not match:
        return None
    month, day, year = (int(piece) if piece.isdigit() else None for piece in match.groups())
    if year is not None and year < 1000:
        year = None
    if month is None and day is None and year is None:
        return None
    return month, day, year


def agreement_date_answer(answer: str) -> date | None:
    """CUAD's agreement date when it is a full, valid date; None if blank or partial."""
    month, day, year = parse_date_answer(answer) or (None, None, None)
    if month is None or day is None or year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def agreement_date_matches(extracted: date | None, answer: str) -> bool:
    """Whether the extracted date agrees with every part CUAD's answer gives."""
    expected = parse_date_answer(answer)
    if extracted is None or expected is None:
        return False
    month, day, year = expected
    return (
        (month is None or extracted.month == month)
        and (day is None or extracted.day == day)
        and (year is None or extracted.year == year)
    )


@dataclass
class _Tally:
    scored: int = 0
    correct: int = 0

    def add(self, right: bool) -> None:
        self.scored += 1
        self.correct += int(right)

    @property
    def accuracy(self) -> float | None:
        return round(self.correct / self.scored, 4) if self.scored else None


@dataclass
class AnswerScores:
    """Governing-law and agreement-date figures over a set of contracts (see the module)."""

    law: _Tally = field(default_factory=_Tally)
    law_skipped: int = 0
    law_extra: int = 0
    full_date: _Tally = field(default_factory=_Tally)
    partial_date: _Tally = field(default_factory=_Tally)
    errors: list[str] = field(default_factory=list)

    def add_law(self, contract_id: str, answer: str, extracted: str | None) -> None:
        """Score one contract's extracted governing law against CUAD's answer."""
        if not answer.strip():
            self.law_extra += extracted is not None
            return
        if not governing_law_answers(answer):
            self.law_skipped += 1
            return
        right = governing_law_matches(extracted, answer)
        self.law.add(right)
        if not right:
            self.errors.append(f"{contract_id} governing law {extracted!r}, CUAD {answer!r}")

    def add_date(self, contract_id: str, answer: str, extracted: date | None) -> None:
        """Score one contract's extracted agreement date against CUAD's answer."""
        parts = parse_date_answer(answer)
        if parts is None:
            return
        right = agreement_date_matches(extracted, answer)
        if None in parts:
            self.partial_date.add(right)
        elif agreement_date_answer(answer) is not None:
            self.full_date.add(right)
        else:
            # All parts given but no calendar date ("2/30/2001"): nothing to compare with.
            return
        if not right:
            self.errors.append(f"{contract_id} agreement date {extracted}, CUAD {answer!r}")

    def figures(self) -> dict[str, Any]:
        """The figures, under the keys every CUAD script reports."""
        inclusive = _Tally(
            self.full_date.scored + self.partial_date.scored,
            self.full_date.correct + self.partial_date.correct,
        )
        return {
            "governing_law_accuracy": self.law.accuracy,
            "governing_law_scored": self.law.scored,
            "governing_law_correct": self.law.correct,
            "governing_law_skipped": self.law_skipped,
            "governing_law_extra": self.law_extra,
            "agreement_date_accuracy": self.full_date.accuracy,
            "agreement_date_scored": self.full_date.scored,
            "agreement_date_correct": self.full_date.correct,
            "agreement_date_partial": self.partial_date.scored,
            "agreement_date_partial_agreeing": self.partial_date.correct,
            "agreement_date_inclusive_accuracy": inclusive.accuracy,
            "agreement_date_inclusive_scored": inclusive.scored,
        }
