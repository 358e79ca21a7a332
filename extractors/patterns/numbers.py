"""Numbers as contracts write them: "30", "thirty (30)", "thirty", "one hundred twenty (120)".

``NUMBER`` is a regex fragment (no groups of its own) to embed in larger patterns;
``parse_number`` reads back whatever it matched.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    word: 10 * value
    for value, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2
    )
}
# Every number word up to the hundreds, zero aside: what a figure in brackets may follow.
NUMBER_WORDS = (*list(_UNITS)[1:], *_TENS, "hundred")
_ORDER = sorted([*_UNITS, *_TENS], key=len, reverse=True)
_SMALL = "(?:" + "|".join(_ORDER) + ")"
_DIGIT_WORD = "(?:one|two|three|four|five|six|seven|eight|nine)"
# "twenty-one", "one hundred and twenty", "forty five"; bounded, so it cannot run away.
WORD_NUMBER = (
    rf"(?:{_DIGIT_WORD}[\s-]+hundred(?:[\s-]+(?:and[\s-]+)?{_SMALL}(?:[\s-]+{_DIGIT_WORD})?)?"
    rf"|{_SMALL}(?:[\s-]+{_DIGIT_WORD}\b)?)"
)
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "thirty (30)", "(30)", "30", "thirty"; the figure in brackets wins when both are given.
NUMBER = (
    rf"(?:\b{WORD_NUMBER}\b\s*\(\s*(?:{DIGITS})\s*\)|\(\s*(?:{DIGITS})\s*\)|\b(?:{DIGITS})|"
    rf"\b{WORD_NUMBER}\b)"
)

_BRACKETED = re.compile(rf"\(\s*({DIGITS})\s*\)")
_FIGURE = re.compile(DIGITS)
_WORD = re.compile(r"[a-z]+")


def words_to_number(text: str) -> int | None:
    """The value of an English number phrase up to the hundreds ("one hundred and twenty")."""
    total = 0
    current = 0
    seen = False
    for word in _WORD.findall(text.lower()):
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            return None
        seen = True
    total += current
    return total if seen else None


_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# "forty-eight thousand", "one million two hundred and fifty thousand", "nine hundred thousand".
WORD_AMOUNT = (
    rf"\b{WORD_NUMBER}(?:[\s-]+(?:thousand|million|billion)\b)?"
    rf"(?:,?[\s-]+(?:and[\s-]+)?{WORD_NUMBER}(?:[\s-]+(?:thousand|million|billion)\b)?){{0,4}}"
)


def words_to_amount(text: str) -> int | None:
    """The value of a number phrase with thousands and millions ("forty-eight thousand")."""
    total = 0
    current = 0
    seen = False
    for word in _WORD.findall(text.lower()):
        if word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
            seen = True
            continue
        value = words_to_number(word) if word != "hundred" else None
        if word == "hundred":
            current = max(current, 1) * 100
        elif value is not None:
            current += value
        elif word != "and":
            return None
        seen = True
    return total + current if seen else None


def parse_number(text: str) -> float | None:
    """The number ``text`` states, preferring a bracketed figure ("thirty (30)" -> 30)."""
    bracketed = _BRACKETED.search(text)
    if bracketed:
        return float(bracketed.group(1).replace(",", ""))
    figure = _FIGURE.search(text)
    if figure:
        return float(figure.group(0).replace(",", ""))
    value = words_to_number(text)
    return float(value) if value is not None else None


def parse_int(text: str) -> int | None:
    """``parse_number`` as a whole number, or ``None``."""
    value = parse_number(text)
    return int(value) if value is not None and value == int(value) else None


_PERCENT_WORD = r"(?:percent|per[^\S\n]?cent)\b"
# "5%", "5 percent", "five percent (5%)", "five (5%) percent", "five (5) percent".
PERCENT = (
    rf"(?:\b{WORD_NUMBER}\b\s*(?:{_PERCENT_WORD}\s*)?\([^\S\n]*\d+(?:\.\d+)?[^\S\n]*%?[ "
    rf"\t]*\)"
    rf"(?:\s*{_PERCENT_WORD})?"
    rf"|\b\d+(?:\.\d+)?[^\S\n]*(?:%|{_PERCENT_WORD})"
    rf"|\b{WORD_NUMBER}\s+{_PERCENT_WORD})"
)


def parse_percent(text: str) -> float | None:
    """The percentage a ``PERCENT`` match states ("five percent (5%)" -> 5.0)."""
    return parse_number(_PERCENT_SIGN.sub(" ", text))


_PERCENT_SIGN = re.compile(r"%|per[^\S\n]?cent", re.IGNORECASE)
