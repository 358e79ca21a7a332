"""Calendar dates and durations as contracts write them.

Dates: "June 21, 1999", "21st day of June, 1999", "the 7t h day of April, 2020",
"21 June 1999", "2019-10-01", "06/21/1999" (month first, the US habit of the corpus;
day first when the first number cannot be a month). Durations: "thirty (30) days",
"12 months", "one (1) year".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from extractors.patterns.numbers import NUMBER, parse_number

_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
# Ordinals come broken out of some PDFs ("7t h"); the space inside is tolerated.
_DAY = r"(?<!\d)(?:[12]\d|3[01]|0?[1-9])(?:\s?(?:st|nd|rd|th|t\s?h|s\s?t|n\s?d|r\s?d))?"
_YEAR = r"(?:19|20)\d\d"

DATE = (
    rf"(?:(?P<m1>{MONTH})\s{{1,4}}(?P<d1>{_DAY})\s{{0,3}},?\s{{0,4}}(?P<y1>{_YEAR})"
    rf"|(?P<d2>{_DAY})\s{{1,4}}(?:day\s{{1,4}}of\s{{1,4}})?(?P<m2>{MONTH})[ "
    rf"\t]{{0,2}},?"
    rf"\s{{0,4}}(?P<y2>{_YEAR})"
    rf"|(?P<y3>{_YEAR})-(?P<m3>[01]?\d)-(?P<d3>[0-3]?\d)\b"
    rf"|\b(?P<a4>[0-3]?\d)(?P<sep>[/.-])(?P<b4>[0-3]?\d)(?P=sep)(?P<y4>{_YEAR}|\d\d)\b(?![/.-]?\d))"
)
DATE_RE = re.compile(DATE, re.IGNORECASE)
_DIGITS = re.compile(r"\d+")

DURATION = (
    rf"(?:{NUMBER})\s*(?:\([^)\n]{{0,12}}\)\s*)?(?:full\s+|consecutive\s+)?"
    r"(?:calendar\s+|business\s+|working\s+)?(?:-\s*)?"
    r"(?:days?|months?|years?|weeks?|hours?|hrs?|minutes?|mins?)\b"
)
DURATION_RX = re.compile(DURATION, re.IGNORECASE)
_UNIT = re.compile(r"(day|month|year|week|hour|hr|minute|min)s?\b", re.IGNORECASE)
_NOT_A_NUMBER = re.compile(
    r"\b(?:days?|months?|years?|weeks?|hours?|hrs?|minutes?|mins?|calendar|business|working|full|"
    r"consecutive)\b",
    re.IGNORECASE,
)
_BUSINESS = re.compile(r"\b(?:business|working)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Duration:
    """An amount of time as written: ``value`` of ``unit`` (day, week, month, year, hour...)."""

    value: float
    unit: str
    business: bool = False

    def days(self) -> int:
        """Whole days (months as 30, years as 365; business days counted as days)."""
        factor = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 1 / 24, "minute": 0}
        return round(self.value * factor[self.unit])

    def months(self) -> int | None:
        """Whole months, when the duration is stated in months or years."""
        if self.unit == "month":
            return round(self.value)
        if self.unit == "year":
            return round(self.value * 12)
        return None

    def hours(self) -> float:
        """Hours (days as 24, business days as 24 too: contracts rarely mean 8)."""
        factor = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 168, "month": 720, "year": 8760}
        return self.value * factor[self.unit]


def parse_duration(text: str) -> Duration | None:
    """The duration in a ``DURATION`` match ("thirty (30) calendar days" -> 30 day)."""
    units = _UNIT.findall(text)
    value = parse_number(_NOT_A_NUMBER.sub(" ", text))
    if not units or value is None:
        return None
    unit = units[-1].lower()
    unit = {"hr": "hour", "min": "minute"}.get(unit, unit)
    return Duration(value, unit, business=bool(_BUSINESS.search(text)))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_NUMERIC_DATE = re.compile(r"\b([0-3]?\d)([/.-])([0-3]?\d)\2(?:\d{4}|\d\d)\b(?![/.-]?\d)")


@functools.lru_cache(maxsize=4)
def _day_first(text: str) -> bool:
    """Whether a document writes its numeric dates day first: one of them can only be read
    that way ("15-07-2025") and none only month first ("07/15/2025"). Then "01-08-2025" in
    it is the first of August."""
    day_first = False
    for match in _NUMERIC_DATE.finditer(text):
        first, second = int(match.group(1)), int(match.group(3))
        if second > 12 >= first:
            return False
        day_first = day_first or first > 12 >= second
    return day_first


def date_from_match(match: re.Match[str]) -> date | None:
    """The calendar date a ``DATE_RE`` match names, or ``None`` if it is not a real date."""
    groups = match.groupdict()
    if groups["m1"]:
        month, day, year = groups["m1"], groups["d1"], groups["y1"]
    elif groups["m2"]:
        month, day, year = groups["m2"], groups["d2"], groups["y2"]
    elif groups["y3"]:
        return _safe_date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
    else:
        first, second, year_text = int(groups["a4"]), int(groups["b4"]), groups["y4"]
        year_value = int(year_text)
        if year_value < 100:
            year_value += 2000 if year_value < 70 else 1900
        if first > 12 or (second <= 12 and _day_first(match.string)):
            return _safe_date(year_value, second, first)
        return _safe_date(year_value, first, second)
    day_digits = _DIGITS.search(day)
    if day_digits is None:
        return None
    return _safe_date(int(year), _MONTHS[month[:3].lower()], int(day_digits.group(0)))


def find_dates(
    text: str, start: int = 0, end: int | None = None
) -> Iterator[tuple[date, int, int]]:
    """Every real date in ``text[start:end]`` with its span."""
    for match in DATE_RE.finditer(text, start, len(text) if end is None else end):
        value = date_from_match(match)
        if value is not None:
            yield value, match.start(), match.end()
