"""Governing law (a canonical jurisdiction: "New York", "England and Wales", "Ontario") and venue.

A governing-law clause ties a verb of governing or construing to "the laws of" a place
(or says "Governing Law: <place>"). "Organized under the laws of the State of Delaware"
in the preamble is an incorporation, not a choice of law, and is skipped.
"""

from __future__ import annotations

import re

from extractors.patterns.confidence import (
    BARE_MENTION,
    CHECKED_CLAUSE,
    INFERRED,
    KEPT_BY_CONTEXT,
    LABELLED_FIELD,
    LOOSE_WORDING,
    RUNG,
)
from extractors.patterns.core import Hit, TextView, squash, words
from extractors.patterns.places import Place, PlaceKind, find_places

CHECKS = frozenset({"legal.governing_law", "legal.venue"})

_LAWS_OF = words(
    r"\b(?:laws?|legislation|statutes|regulations)(?:,? (?:and|or) (?:[a-z]+ ){0,2}?"
    r"(?:decisions|regulations|laws?|statutes))? (?:of|in) "
    r"|\binternal laws? (?=(?:the )?(?:state|commonwealth|province) of)"
)
# "English law", "PRC Laws", "New York law": a place or its adjective right before "law".
_ADJECTIVES = {
    "english": "England and Wales",
    "scottish": "Scotland",
    "irish": "Ireland",
    "german": "Germany",
    "french": "France",
    "swiss": "Switzerland",
    "italian": "Italy",
    "spanish": "Spain",
    "dutch": "Netherlands",
    "belgian": "Belgium",
    "austrian": "Austria",
    "swedish": "Sweden",
    "danish": "Denmark",
    "norwegian": "Norway",
    "finnish": "Finland",
    "polish": "Poland",
    "japanese": "Japan",
    "chinese": "China",
    "israeli": "Israel",
    "indian": "India",
    "canadian": "Canada",
    "australian": "Australia",
    "singaporean": "Singapore",
    "brazilian": "Brazil",
    "mexican": "Mexico",
    "korean": "South Korea",
}
_ADJECTIVE_LAW = words(r"\b(?P<adjective>" + "|".join(_ADJECTIVES) + r") (?:substantive )?laws?\b")
_LAW_WORD = re.compile(r"(?<=\s)(?:substantive\s+|internal\s+)?laws?\b", re.IGNORECASE)
_HEADING = words(
    r"\b(?:governing|applicable|choice of) law\b[^\S\n]*(?:and (?:venue|jurisdiction)\b)?"
)
_FIELD = words(r"\bgoverning law[^\S\n]*[:\-–|\t][^\S\n]*")
# Verbs that make "the laws of X" a choice of law for the agreement.
_CHOICE = words(
    r"\b(?:govern(?:ed|s|ing)?|constru(?:ed|e|ction)|interpret(?:ed|ation)?|enforced|controlled"
    r"|determined|application of|shall apply|will apply|shall be applied"
    r"|appl(?:y|ies|icable) to (?:this|the) agreement)\b"
)
_GOVERN = words(r"\bgovern(?:ed|s|ing)?\b")
# Words before "the laws of" that make it a company's place of incorporation.
_INCORPORATION = words(
    r"\b(?:organi[sz]ed|incorporated|existing|formed|registered|chartered|established|constituted)"
    r"(?: and (?:existing|in good standing))?(?: validly)? (?:under|pursuant to|in accordance with)"
    r" (?:the )?$"
)
# Where the named place stops being the chosen law.
_SCOPE_END = words(
    r"\b(?:without|excluding|except|notwithstanding|regardless|provided|other than|but not|"
    r"in the event|courts?|venue|arbitration|jurisdiction of)\b|[;:]|\.(?:\s|$)"
)
_VENUE = words(
    r"\b(?:(?:exclusive|non-exclusive) )?(?:jurisdiction|venue)(?: and venue)? (?:of|in|shall "
    r"be(?: in)?)"
    r" (?:the )?(?:(?:state|federal|provincial|competent|appropriate)(?: or| and)? ){0,3}"
    r"courts?(?: of (?:competent jurisdiction|general jurisdiction))?(?: "
    r"(?:located|sitting|situated))?"
    r" (?:in|of|at|for) (?:the )?"
    r"|\bcourts? (?:located |sitting |situated )?(?:in|of|at) (?:the )?(?=[A-Z])"
    r"|\bseat of (?:the )?arbitration (?:shall|will) be (?:in )?"
    # "The exclusive place of jurisdiction ... is Munich, Germany."
    r"|\b(?:place|seat|forum) of (?:jurisdiction|venue|arbitration)\b[^.;]{0,80}?\b(?:is|shall be"
    r"|will be) (?:in )?(?:the )?(?=[A-Z])"
    # "arbitration administered by the AAA in New York", "... Centre, seated in Singapore".
    r"|\barbitration\b[^.;]{0,100}?\b(?:seated|held|conducted|administered by [^.;,]{3,80}?)"
    r" in (?:the )?(?=[A-Z])"
)
# "Oslo District Court (Oslo tingrett) is the agreed venue": the court named before the word.
_COURT_NAMED_FIRST = re.compile(
    r"\b(?P<city>[A-Z][a-z]+(?:[^\S\n]+[A-Z][a-z]+)?)\s+(?:District|City|County|Regional"
    r"|High|Superior|Municipal|Commercial)\s+Court\b[^.;]{0,60}?\b(?:is|shall be|will be)"
    r"\s+the\s+(?:agreed|exclusive|competent|sole)?\s*(?:venue|forum|place of jurisdiction)\b"
)
# A clause that chooses courts, and a town named as its place ("Bengaluru, Karnataka").
_CHOSEN_COURTS = re.compile(r"\b(?:jurisdiction|venue)\b", re.IGNORECASE)
_NO_TOWN = (
    r"(?!(?:Such|Said|Competent|Applicable|Relevant|Appropriate|Any|Each|Either|Other|This|That"
    r"|The|Party|Parties|Agreement|Company|Licensor|Licensee|Customer|Provider|Supplier|Vendor"
    r"|Seller|Buyer|State|States|County|Court|Courts|Federal|General)\b)"
)
_TOWN = re.compile(
    rf"{_NO_TOWN}[A-Z][a-z]+(?:[ -]{_NO_TOWN}[A-Z][a-z]+){{0,2}}"
    rf"(?:, {_NO_TOWN}[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}})?"
)
# Courts named by the district they sit in: "the courts of the Judicial District of São
# Paulo/SP", "the courts of the County of Santa Clara", "the courts of the City of Zurich".
_DISTRICT_COURTS = re.compile(
    r"\bcourts?[^\S\n]+(?:located[^\S\n]+|sitting[^\S\n]+)?(?:of|in|for)[^\S\n]+(?:the[^\S\n]+)?"
    r"(?:Judicial[^\S\n]+)?(?:District|County|City|Circuit|Comarca|Municipality|Canton|Borough)"
    r"[^\S\n]+of[^\S\n]+(?P<town>[A-ZÀ-Þ][a-zß-ÿ'’-]+(?:[ -](?:(?:de|do|da|del|la|le|am|sur)"
    r" )?[A-ZÀ-Þ][a-zß-ÿ'’-]+){0,2})(?:/[A-Z]{2})?(?![\w-])"
)
# A sentence that chooses them: they are chosen, settle disputes, or have jurisdiction.
_CHOOSES = re.compile(
    r"\b(?:chosen|elected|agreed|selected|submit\w*|jurisdiction|venue|forum|settle[sd]?"
    r"|resolve[sd]?|disputes?|controvers\w+)\b",
    re.IGNORECASE,
)
# Where the place ends; a line break does not (PDF text wraps "Wilmington,\nDelaware").
_VENUE_END = re.compile(
    r"[;.(]|\n[^\S\n]*\n|\b(?:and (?:the|each)|for|to|with|over|in connection|which|if|shall|will"
    r"|have|has|in respect|in relation|relating|arising|as|under|pursuant)\b"
)


def _law_place(view: TextView, start: int) -> tuple[Place, int, int] | None:
    """The place named right after "the laws of", preferring a state or province to its country."""
    text = view.text
    limit = min(len(text), start + 220)
    stop = _SCOPE_END.search(text, start, limit)
    end = stop.start() if stop else limit
    found = list(find_places(text, start, end))
    if not found:
        return None
    regions = [item for item in found if item[0].kind is PlaceKind.REGION]
    return regions[0] if regions else found[0]


def _choice_confidence(view: TextView, start: int, end: int) -> float | None:
    """How surely the law named at ``[start, end)`` is the agreement's choice of law."""
    sentence_start, sentence_end = view.sentence(start, end)
    near = view.text[max(sentence_start, start - 200) : min(sentence_end, end + 60)]
    sentence = view.text[sentence_start:sentence_end]
    if _GOVERN.search(near):
        confidence = LABELLED_FIELD
    elif _CHOICE.search(near):
        confidence = CHECKED_CLAUSE
    elif _CHOICE.search(sentence):
        confidence = INFERRED
    else:
        return None
    if re.search(r"\bagreement\b", sentence, re.IGNORECASE):
        confidence += RUNG
    return confidence


def _laws_of(view: TextView) -> list[Hit]:
    """ "... governed by the laws of the State of New York"."""
    hits: list[Hit] = []
    text = view.text
    for match in view.finditer(
        _LAWS_OF, ("law", "legislation", "statute", "regulation"), before=20, after=80
    ):
        before = text[max(0, match.start() - 80) : match.start()]
        if _INCORPORATION.search(before):
            continue
        place = _law_place(view, match.end())
        if place is None:
            continue
        confidence = _choice_confidence(view, match.start(), place[2])
        if confidence is not None:
            hits.append(
                view.hit("legal.governing_law", place[0].name, match.start(), place[2], confidence)
            )
    return hits


def _named_law(view: TextView) -> list[Hit]:
    """ "... governed by English law" / "... by New York law"."""
    hits: list[Hit] = []
    text = view.text
    for match in view.finditer(_ADJECTIVE_LAW, ("law",), before=40, after=20):
        confidence = _choice_confidence(view, match.start(), match.end())
        if confidence is not None:
            name = _ADJECTIVES[match.group("adjective").lower()]
            hits.append(
                view.hit("legal.governing_law", name, match.start(), match.end(), confidence)
            )
    for match in view.finditer(_LAW_WORD, ("law",), before=30, after=10):
        # Only the place written immediately before "law" counts ("New York law").
        window_start = max(0, match.start() - 48)
        found = list(find_places(text, window_start, match.start()))
        if not found or text[found[-1][2] : match.start()].strip():
            continue
        place, place_start, _ = found[-1]
        confidence = _choice_confidence(view, place_start, match.end())
        if confidence is not None:
            hits.append(
                view.hit("legal.governing_law", place.name, place_start, match.end(), confidence)
            )
    return hits


def _law_field(view: TextView) -> list[Hit]:
    """ "Governing Law: England & Wales" in an order form."""
    hits: list[Hit] = []
    text = view.text
    for match in view.finditer(_FIELD, ("governing law",), before=5, after=40):
        line_end = view.line(match.end())[1]
        found = list(find_places(text, match.end(), min(line_end, match.end() + 120)))
        if found:
            regions = [item for item in found if item[0].kind is PlaceKind.REGION]
            place = (regions or found)[0][0]
            hits.append(
                view.hit(
                    "legal.governing_law",
                    place.name,
                    match.start(),
                    line_end,
                    LABELLED_FIELD,
                    exact=True,
                )
            )
    return hits


def _governing_law(view: TextView) -> list[Hit]:
    hits = _laws_of(view) + _named_law(view) + _law_field(view)
    if hits:
        return hits
    # "Governing Law. This Agreement is subject to New York law." — a heading, then a place.
    for match in view.finditer(_HEADING, ("law",), before=40, after=60):
        stop = min(len(view.text), match.end() + 250)
        found = list(find_places(view.text, match.end(), stop))
        if found:
            place, _, place_end = found[0]
            hits.append(
                view.hit("legal.governing_law", place.name, match.start(), place_end, BARE_MENTION)
            )
    return hits


def _venue(view: TextView) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    keys = ("court", "venue", "arbitration", "jurisdiction")
    for match in view.finditer(_VENUE, keys, before=220, after=120):
        limit = min(len(text), match.end() + 120)
        end_match = _VENUE_END.search(text, match.end(), limit)
        end = end_match.start() if end_match else limit
        phrase = squash(text[match.end() : end]).strip(" ,")
        if not phrase:
            continue
        if any(True for _ in find_places(text, match.end(), end)):
            hits.append(view.hit("legal.venue", phrase[:120], match.start(), end, LOOSE_WORDING))
        elif _CHOSEN_COURTS.search(match.group(0)) and _TOWN.fullmatch(phrase):
            # "the exclusive jurisdiction of the courts at Bengaluru, Karnataka": a town no
            # list of jurisdictions names, where the clause says its courts are chosen.
            hits.append(view.hit("legal.venue", phrase, match.start(), end, KEPT_BY_CONTEXT))
    for match in view.finditer(_DISTRICT_COURTS, ("court",), before=10, after=160):
        start, end = view.sentence(match.start(), match.end())
        if _CHOOSES.search(text, start, end):
            hits.append(
                view.hit(
                    "legal.venue", match.group("town"), match.start(), match.end(), KEPT_BY_CONTEXT
                )
            )
    for match in view.finditer(_COURT_NAMED_FIRST, ("court",), before=60, after=120):
        hits.append(
            view.hit(
                "legal.venue", match.group("city"), match.start(), match.end(), KEPT_BY_CONTEXT
            )
        )
    return hits


def extract(view: TextView) -> list[Hit]:
    """Governing law and venue hits."""
    if not view.mentions("law", "legislation", "court", "arbitration", "venue", "jurisdiction"):
        return []
    return _governing_law(view) + _venue(view)
