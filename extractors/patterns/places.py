"""Jurisdictions and countries by name, with one canonical spelling each.

Countries come from pycountry (ISO 3166-1); US states, Canadian provinces, Australian
states and the UK's jurisdictions are listed here because governing-law clauses name
them ("the State of New York", "the Province of Ontario", "England and Wales").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import pycountry


class PlaceKind(StrEnum):
    """A country, or a region inside one that has its own contract law."""

    COUNTRY = "country"
    REGION = "region"  # a state, province or UK jurisdiction: has its own contract law


@dataclass(frozen=True)
class Place:
    """A named jurisdiction: its canonical name, kind and ISO 3166-1 alpha-2 country."""

    name: str
    kind: PlaceKind
    country: str


_US_STATES = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "Wisconsin",
    "Wyoming",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "West Virginia",
    "District of Columbia",
]
_CA_PROVINCES = [
    "Alberta",
    "British Columbia",
    "Manitoba",
    "New Brunswick",
    "Newfoundland and Labrador",
    "Nova Scotia",
    "Ontario",
    "Prince Edward Island",
    "Quebec",
    "Saskatchewan",
]
_AU_STATES = [
    "New South Wales",
    "Victoria",
    "Queensland",
    "Western Australia",
    "South Australia",
    "Tasmania",
]
# Alternative spellings -> (canonical name, kind, country).
_ALIASES: dict[str, tuple[str, PlaceKind, str]] = {
    "England and Wales": ("England and Wales", PlaceKind.REGION, "GB"),
    "England & Wales": ("England and Wales", PlaceKind.REGION, "GB"),
    "England": ("England and Wales", PlaceKind.REGION, "GB"),
    "Wales": ("England and Wales", PlaceKind.REGION, "GB"),
    "Scotland": ("Scotland", PlaceKind.REGION, "GB"),
    "Northern Ireland": ("Northern Ireland", PlaceKind.REGION, "GB"),
    "Québec": ("Quebec", PlaceKind.REGION, "CA"),
    "Massachussets": ("Massachusetts", PlaceKind.REGION, "US"),
    "United States of America": ("United States", PlaceKind.COUNTRY, "US"),
    "United States": ("United States", PlaceKind.COUNTRY, "US"),
    "U.S.A.": ("United States", PlaceKind.COUNTRY, "US"),
    "USA": ("United States", PlaceKind.COUNTRY, "US"),
    "U.S.": ("United States", PlaceKind.COUNTRY, "US"),
    "US": ("United States", PlaceKind.COUNTRY, "US"),
    "United Kingdom of Great Britain and Northern Ireland": (
        "United Kingdom",
        PlaceKind.COUNTRY,
        "GB",
    ),
    "United Kingdom": ("United Kingdom", PlaceKind.COUNTRY, "GB"),
    "Great Britain": ("United Kingdom", PlaceKind.COUNTRY, "GB"),
    "UK": ("United Kingdom", PlaceKind.COUNTRY, "GB"),
    "U.K.": ("United Kingdom", PlaceKind.COUNTRY, "GB"),
    "People's Republic of China": ("China", PlaceKind.COUNTRY, "CN"),
    "People’s Republic of China": ("China", PlaceKind.COUNTRY, "CN"),
    "PRC": ("China", PlaceKind.COUNTRY, "CN"),
    "P.R.C.": ("China", PlaceKind.COUNTRY, "CN"),
    "Mainland China": ("China", PlaceKind.COUNTRY, "CN"),
    "Hong Kong SAR": ("Hong Kong", PlaceKind.COUNTRY, "HK"),
    "Hong Kong Special Administrative Region": ("Hong Kong", PlaceKind.COUNTRY, "HK"),
    "Taiwan": ("Taiwan", PlaceKind.COUNTRY, "TW"),
    "Republic of China": ("Taiwan", PlaceKind.COUNTRY, "TW"),
    "South Korea": ("South Korea", PlaceKind.COUNTRY, "KR"),
    "Republic of Korea": ("South Korea", PlaceKind.COUNTRY, "KR"),
    "Korea": ("South Korea", PlaceKind.COUNTRY, "KR"),
    "Russia": ("Russia", PlaceKind.COUNTRY, "RU"),
    "The Netherlands": ("Netherlands", PlaceKind.COUNTRY, "NL"),
    "Holland": ("Netherlands", PlaceKind.COUNTRY, "NL"),
    "Czech Republic": ("Czechia", PlaceKind.COUNTRY, "CZ"),
    "Vietnam": ("Viet Nam", PlaceKind.COUNTRY, "VN"),
    "UAE": ("United Arab Emirates", PlaceKind.COUNTRY, "AE"),
    "Switzerland": ("Switzerland", PlaceKind.COUNTRY, "CH"),
}
# Names too common as ordinary words to count as places in running text.
_AMBIGUOUS = frozenset({"Jersey", "Chad", "Jordan", "Niger", "Guernsey", "Man", "Georgia"})


def _country_name(country: object) -> str:
    common = getattr(country, "common_name", None)
    name = str(common or getattr(country, "name"))  # noqa: B009 - pycountry records are dynamic
    return name.split(",", maxsplit=1)[0].strip()


@cache
def _gazetteer() -> dict[str, Place]:
    places: dict[str, Place] = {}
    for country in pycountry.countries:
        canonical = _country_name(country)
        place = Place(canonical, PlaceKind.COUNTRY, country.alpha_2)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and value not in _AMBIGUOUS:
                places.setdefault(value.lower(), place)
    for state in _US_STATES:
        places[state.lower()] = Place(state, PlaceKind.REGION, "US")
    places["georgia"] = Place("Georgia", PlaceKind.REGION, "US")
    for province in _CA_PROVINCES:
        places[province.lower()] = Place(province, PlaceKind.REGION, "CA")
    for state in _AU_STATES:
        places[state.lower()] = Place(state, PlaceKind.REGION, "AU")
    for alias, (name, kind, code) in _ALIASES.items():
        places[alias.lower()] = Place(name, kind, code)
    return places


# Short upper-case codes only count when written in capitals ("US", not "us").
_CASE_SENSITIVE = frozenset({"us", "uk", "usa", "prc", "uae", "u.s.", "u.k."})


@cache
def _place_regex() -> re.Pattern[str]:
    names = sorted(_gazetteer(), key=len, reverse=True)
    parts = []
    for name in names:
        body = re.escape(name).replace(r"\ ", r"\s+")
        if name in _CASE_SENSITIVE:
            body = "(?-i:" + re.escape(name.upper()) + ")"
        parts.append(body)
    return re.compile(r"(?<![\w.])(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE)


def lookup(name: str) -> Place | None:
    """The place called ``name`` (any known spelling), or ``None``."""
    return _gazetteer().get(" ".join(name.lower().split()))


# A place that names a street or building ("25 Canada Square", "Texas Avenue") is an address.
STREET_AFTER = re.compile(
    r"[^\S\n]+(?:Square|Street|St\.|Road|Rd\.|Avenue|Ave\.|Place|Way|Lane|Drive|Boulevard|Blvd"
    r"|Plaza|Wharf|Gate|Gardens|Terrace|Crescent|Parkway|Circle|House|Tower|Building"
    r"|Centre|Center|Quay|Row|Walk|Close|Highway)\b"
)


def find_places(
    text: str, start: int = 0, end: int | None = None
) -> Iterator[tuple[Place, int, int]]:
    """Every named place in ``text[start:end]`` with its span, in order."""
    gazetteer = _gazetteer()
    for match in _place_regex().finditer(text, start, len(text) if end is None else end):
        key = " ".join(match.group(0).lower().split())
        place = gazetteer.get(key)
        if place is not None and not STREET_AFTER.match(text, match.end()):
            yield place, match.start(), match.end()
