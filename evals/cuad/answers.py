"""Comparing extracted governing law and agreement date with CUAD's normalised answers.

Governing law: both sides are reduced to a set of jurisdictions, lower case, without
"State of", "Commonwealth of", "Province of" or a trailing country ("Ontario, Canada" ->
"ontario"), with CUAD's "England; Wales" and our "England and Wales" split into parts,
US postal codes spelled out, and common aliases folded ("PRC" -> "china"). The extracted
value is right when it shares a jurisdiction with the answer.

Agreement date: CUAD writes ``m/d/yyyy`` with ``[]`` for a part the contract leaves
blank ("[]/[]/2004"); the extracted date is right when every part CUAD gives matches.
Contracts without an answer are not scored.
"""

from __future__ import annotations

import re
from datetime import date

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
    """The normalised jurisdictions named by a governing-law answer or extracted value."""
    parts = re.split(r";|\band\b|&|/", value, flags=re.IGNORECASE)
    return {name for part in parts if (name := _jurisdiction(part))}


def governing_law_matches(extracted: str | None, answer: str) -> bool:
    """Whether the extracted governing law names a jurisdiction of CUAD's answer."""
    if not extracted:
        return False
    return bool(jurisdictions(extracted) & jurisdictions(answer))


_DATE_ANSWER = re.compile(
    r"^\s*(\[\]|\d{1,2})/(\[\]|\d{1,2})/(\[\]|\d{2}\[\]|\d{4}|\d{2,3}\[\])\s*$"
)


def parse_date_answer(answer: str) -> tuple[int | None, int | None, int | None] | None:
    """``(month, day, year)`` of a CUAD date answer, None for a blank part; None if no answer."""
    match = _DATE_ANSWER.match(answer)
    if not match:
        return None
    parts: list[int | None] = []
    for piece in match.groups():
        parts.append(int(piece) if piece.isdigit() else None)
    month, day, year = parts
    if month is None and day is None and year is None:
        return None
    return month, day, year


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
