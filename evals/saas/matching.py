"""When a predicted value counts as the expected one, per value type of the schema."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from extractors.facts import (
    Indemnity,
    LiabilityCap,
    Milestone,
    Money,
    Obligation,
    Party,
    Product,
)

MONEY_TOLERANCE = 0.005
FLOAT_TOLERANCE = 1e-6

# Lists of codes compare exactly after normalisation; other string lists compare as text.
CODE_LIST_PATHS = frozenset(
    {
        "commercial.currencies",
        "security.data_residency",
        "tax.billing_countries",
        "tax.vat_numbers",
        "security.sso",
    }
)
_CODE_ALIASES = {"UK": "GB", "EEA": "EU"}
_STOPWORDS = frozenset(
    """a an and any as at by for from in into its of on or the to with within under
    all each such this that be is are shall will may must""".split()  # noqa: SIM905
)
_LEGAL_SUFFIXES = frozenset(
    """inc incorporated llc ltd limited plc gmbh ag sa sas bv nv pty co corp corporation
    company lp llp kk pte ab oy srl spa ulc dac""".split()  # noqa: SIM905
)
_ABBREVIATIONS = {"ip": "intellectual property", "ipr": "intellectual property rights"}
_PLACE_WORDS = frozenset(
    "state commonwealth province laws law of the courts court".split()  # noqa: SIM905
)


def fold(text: str) -> str:
    """Lower-case ASCII-ish form: accents, punctuation and runs of space removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _stems(text: str, drop: frozenset[str] = _STOPWORDS) -> set[str]:
    words = " ".join(_ABBREVIATIONS.get(word, word) for word in fold(text).split()).split()
    # A five-letter prefix is a crude stem, enough for "infringe"/"infringement".
    return {word[:5] for word in words if word not in drop}


def text_match(expected: str, predicted: str) -> bool:
    """Free text: more than half of the shorter side's content words appear in the other."""
    left, right = _stems(expected), _stems(predicted)
    if not left or not right:
        return fold(expected) == fold(predicted)
    return len(left & right) / min(len(left), len(right)) > 0.5


def name_match(expected: str, predicted: str) -> bool:
    """Names and jurisdictions: equal after folding and dropping legal suffixes and place words."""
    drop = _LEGAL_SUFFIXES | _PLACE_WORDS
    left = [word for word in fold(expected).split() if word not in drop]
    right = [word for word in fold(predicted).split() if word not in drop]
    if not left or not right:
        return fold(expected) == fold(predicted)
    short, long = sorted((left, right), key=len)
    # "England and Wales" ~ "England"; "Delaware" ~ "Delaware, USA": a whole-word run inside.
    return any(long[index : index + len(short)] == short for index in range(len(long)))


def code(value: str) -> str:
    """Canonical form of a code: currency, country/region, VAT number or SSO protocol."""
    folded = re.sub(r"[^A-Z0-9]", "", value.upper())
    if folded.startswith("SAML"):
        return "SAML"
    if folded.startswith(("OIDC", "OPENID")):
        return "OIDC"
    return _CODE_ALIASES.get(folded, folded)


def money_match(expected: Money, predicted: Money) -> bool:
    """Same currency and an amount within 0.5%."""
    if expected.currency != predicted.currency:
        return False
    if expected.amount == 0:
        return predicted.amount == 0
    return abs(predicted.amount - expected.amount) <= MONEY_TOLERANCE * expected.amount


def float_match(expected: float, predicted: float) -> bool:
    """Numbers equal up to rounding noise."""
    return abs(expected - predicted) <= FLOAT_TOLERANCE * max(1.0, abs(expected))


def cap_match(expected: LiabilityCap, predicted: LiabilityCap) -> bool:
    """The same components stated, each equal (amount as money, multiple, months)."""
    pairs: list[tuple[Any, Any, Callable[[Any, Any], bool]]] = [
        (expected.amount, predicted.amount, money_match),
        (expected.fees_multiple, predicted.fees_multiple, float_match),
        (expected.months_of_fees, predicted.months_of_fees, lambda a, b: a == b),
    ]
    for want, got, same in pairs:
        if (want is None) != (got is None):
            return False
        if want is not None and not same(want, got):
            return False
    return True


def party_match(expected: Party, predicted: Party) -> bool:
    """Same legal name and role; a country, where both sides give one, must agree."""
    if not name_match(expected.name, predicted.name):
        return False
    if expected.role.value != "other" and expected.role is not predicted.role:
        return False
    if expected.country is None or predicted.country is None:
        return True
    return code(expected.country) == code(predicted.country)


def product_match(expected: Product, predicted: Product) -> bool:
    """Same product name; quantity too where the label gives one."""
    if not text_match(expected.name, predicted.name):
        return False
    return expected.quantity is None or (
        predicted.quantity is not None and float_match(expected.quantity, predicted.quantity)
    )


def indemnity_match(expected: Indemnity, predicted: Indemnity) -> bool:
    """Same indemnifying party, same (un)limitedness, overlapping scope."""
    return (
        expected.by is predicted.by
        and expected.unlimited == predicted.unlimited
        and text_match(expected.scope, predicted.scope)
    )


def milestone_match(expected: Milestone, predicted: Milestone) -> bool:
    """Overlapping name, and the same date where the label gives one."""
    if not text_match(expected.name, predicted.name):
        return False
    return expected.due_date is None or expected.due_date == predicted.due_date


def obligation_match(expected: Obligation, predicted: Obligation) -> bool:
    """Same party and recurrence, overlapping action, same date where the label gives one."""
    return (
        expected.party is predicted.party
        and expected.recurring == predicted.recurring
        and text_match(expected.action, predicted.action)
        and (expected.due_date is None or expected.due_date == predicted.due_date)
    )


def element_matcher(path: str, sample: Any) -> Callable[[Any, Any], bool]:
    """How two elements of the list at ``path`` are compared, chosen by the element's type."""
    typed: list[tuple[type, Callable[[Any, Any], bool]]] = [
        (Party, party_match),
        (Product, product_match),
        (Indemnity, indemnity_match),
        (Milestone, milestone_match),
        (Obligation, obligation_match),
        (Money, money_match),
        (Enum, lambda a, b: a == b),
    ]
    for kind, matcher in typed:
        if isinstance(sample, kind):
            return matcher
    if path in CODE_LIST_PATHS:
        return lambda a, b: code(a) == code(b)
    return text_match


def scalar_match(expected: Any, predicted: Any) -> bool:
    """One value against another, by the expected value's type."""
    same = _scalar_matcher(expected)
    return predicted is not None and _safe(same, expected, predicted)


def _scalar_matcher(expected: Any) -> Callable[[Any, Any], bool]:
    if isinstance(expected, bool):
        return lambda want, got: got is want
    if isinstance(expected, Money):
        return money_match
    if isinstance(expected, LiabilityCap):
        return cap_match
    if isinstance(expected, float):
        return lambda want, got: not isinstance(got, bool) and float_match(want, float(got))
    if isinstance(expected, str):
        return name_match
    # Numbers, dates and enums: equal, but a yes/no never stands in for a number.
    return lambda want, got: not isinstance(got, bool) and bool(want == got)


def match_lists(
    path: str, expected: Sequence[Any], predicted: Sequence[Any]
) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) pairing elements one to one."""
    if not expected:
        return 0, len(predicted), 0
    matcher = element_matcher(path, expected[0])
    unused = list(predicted)
    hits = 0
    for want in expected:
        for index, got in enumerate(unused):
            if _safe(matcher, want, got):
                hits += 1
                del unused[index]
                break
    return hits, len(unused), len(expected) - hits


def _safe(matcher: Callable[[Any, Any], bool], want: Any, got: Any) -> bool:
    # A prediction of the wrong shape is simply not a match.
    try:
        return matcher(want, got)
    except (AttributeError, TypeError):
        return False
