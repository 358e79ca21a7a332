"""Turning a FactRecord into the small, typed, flat set of values the rules compare.

Both evaluators read the same normalised facts, so they see exactly the same values. The
shape is chosen for the C engine: only the paths the policy uses, numbers without
exponents, no booleans where numbers are expected, strings without control characters.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache, lru_cache
from typing import Any

from extractors.facts import (
    Fact,
    FactRecord,
    FactStatus,
    LiabilityCap,
    Money,
    Party,
    PartyRole,
)
from rules.context import CaseContext
from rules.errors import FactsError
from rules.paths import PARTY_ATTRIBUTES, Kind, PathInfo, path_table

# Beyond any real contract; Python prints larger floats with an exponent, which the C engine
# rejects.
MAX_MAGNITUDE = 1e15
DECIMALS = 4
MAX_TEXT = 200

STATUSES: tuple[str, ...] = tuple(status.value for status in FactStatus)

Value = bool | int | float | str | tuple[str, ...]


@dataclass(frozen=True)
class NormalisedFacts:
    """Status of every used fact path, and the value of every used path that has one."""

    statuses: Mapping[str, str]
    values: Mapping[str, Value]


@dataclass(frozen=True)
class Currencies:
    """How money is compared: amounts are converted into the base currency at fixed rates."""

    base: str
    rates: Mapping[str, float]


def normalise_number(value: float | int, *, integer: bool = False) -> int | float | None:
    """A finite, clamped, rounded number (``None`` for NaN); integers stay integers."""
    if isinstance(value, bool):
        raise FactsError(f"expected a number, got the boolean {value!r}")
    if integer:
        return max(-int(MAX_MAGNITUDE), min(int(MAX_MAGNITUDE), int(value)))
    number = float(value)
    if math.isnan(number):
        return None
    number = max(-MAX_MAGNITUDE, min(MAX_MAGNITUDE, number))
    rounded = round(number, DECIMALS)
    return 0.0 if rounded == 0 else rounded  # no negative zero


@lru_cache(maxsize=8192)
def normalise_text(value: str) -> str:
    """Whitespace collapsed, control characters dropped, case folded, length bounded."""
    kept = "".join(
        ch for ch in value if not unicodedata.category(ch).startswith("C") or ch in " \t\n"
    )
    return " ".join(kept.split()).casefold()[:MAX_TEXT]


def normalise_texts(values: Iterable[str]) -> tuple[str, ...]:
    """Distinct, non-empty normalised strings in first-seen order."""
    seen: dict[str, None] = {}
    for value in values:
        text = normalise_text(value)
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def _text_of(value: Any, path: str) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return value
    raise FactsError(f"{path}: expected text, got {type(value).__name__}")


def _amount_in_base(money: Money | None, currencies: Currencies) -> float | None:
    if money is None:
        return None
    rate = currencies.rates.get(money.currency.upper())
    if rate is None:
        return None
    converted = normalise_number(money.amount * rate)
    return None if converted is None else round(converted, 2)


def _scalar(info: PathInfo, value: Any) -> Value | None:
    if info.kind is Kind.BOOL:
        if not isinstance(value, bool):
            raise FactsError(f"{info.path}: expected a boolean, got {value!r}")
        return value
    if info.kind in (Kind.INT, Kind.NUMBER):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FactsError(f"{info.path}: expected a number, got {value!r}")
        return normalise_number(value, integer=info.kind is Kind.INT)
    if info.kind is Kind.DATE:
        if not isinstance(value, date):
            raise FactsError(f"{info.path}: expected a date, got {value!r}")
        return value.toordinal()
    if info.kind is Kind.STRING:
        return normalise_text(_text_of(value, info.path)) or None
    raise FactsError(f"{info.path}: {info.kind} has no scalar value")


def _parties(info: PathInfo, value: Any) -> list[Party]:
    if not isinstance(value, list) or not all(isinstance(item, Party) for item in value):
        raise FactsError(f"{info.fact_path}: expected a list of parties")
    return value


def _party_attribute(attribute: str, parties: list[Party]) -> Value:
    """Countries of all parties, or the number and countries of the customer-side ones."""
    if attribute == "countries":
        return normalise_texts(party.country for party in parties if party.country)
    customers = [party for party in parties if party.role is PartyRole.CUSTOMER]
    if attribute == "customer_countries":
        return normalise_texts(party.country for party in customers if party.country)
    # The same entity named twice ("Acme, Inc." and "ACME INC") is one entity.
    return len({_entity_key(party.name) for party in customers})


def _entity_key(name: str) -> str:
    return "".join(ch for ch in normalise_text(name) if ch.isalnum())


def _attribute(info: PathInfo, value: Any, currencies: Currencies) -> Value | None:
    attribute = info.path[len(info.fact_path) + 1 :]
    if attribute == "count":
        if not isinstance(value, list):
            raise FactsError(f"{info.fact_path}: expected a list, got {type(value).__name__}")
        if value and isinstance(value[0], str | Enum):
            return len(normalise_texts(_text_of(item, info.path) for item in value))
        return len(value)
    if attribute in PARTY_ATTRIBUTES:
        return _party_attribute(attribute, _parties(info, value))
    if isinstance(value, list) and all(isinstance(item, Money) for item in value):
        if attribute == "currencies":
            return normalise_texts(item.currency for item in value)
        # The sum in the base currency, or nothing when a currency has no rate: a part of the
        # fees that cannot be converted leaves the whole unknown, never smaller.
        converted = [_amount_in_base(item, currencies) for item in value]
        if not converted or any(amount is None for amount in converted):
            return None
        return round(sum(amount for amount in converted if amount is not None), 2)
    if isinstance(value, Money):
        if attribute == "amount":
            return _amount_in_base(value, currencies)
        return normalise_text(value.currency) or None
    if isinstance(value, LiabilityCap):
        if attribute == "amount":
            return _amount_in_base(value.amount, currencies)
        number = getattr(value, attribute)
        if number is None:
            return None
        return normalise_number(number, integer=info.kind is Kind.INT)
    raise FactsError(f"{info.path}: unexpected value {type(value).__name__}")


def _value(info: PathInfo, value: Any, currencies: Currencies) -> Value | None:
    if info.path != info.fact_path:
        return _attribute(info, value, currencies)
    if info.kind is Kind.STRINGS:
        if not isinstance(value, list):
            raise FactsError(f"{info.path}: expected a list, got {type(value).__name__}")
        return normalise_texts(_text_of(item, info.path) for item in value)
    if info.kind is Kind.OPAQUE:
        return None
    return _scalar(info, value)


_STATUS_TEXT: dict[FactStatus, str] = {status: status.value for status in FactStatus}
_NOT_CHECKED = FactStatus.NOT_CHECKED.value
_PRESENT = FactStatus.PRESENT.value


def fact_status(fact: Fact[Any]) -> str:
    """The status the rules see: a fact that does not count is ``not_checked``."""
    return _STATUS_TEXT[fact.status] if fact.grounded else _NOT_CHECKED


@dataclass(frozen=True)
class _FactPlan:
    fact_path: str
    section: str
    name: str
    infos: tuple[PathInfo, ...]


@cache
def _plan(paths: tuple[str, ...]) -> tuple[_FactPlan, ...]:
    """The used paths grouped by fact, so each fact is read once per case."""
    table = path_table()
    grouped: dict[str, list[PathInfo]] = {}
    for path in paths:
        info = table[path]
        grouped.setdefault(info.fact_path, []).append(info)
    return tuple(
        _FactPlan(fact_path, fact_path.split(".")[0], fact_path.split(".", 1)[1], tuple(infos))
        for fact_path, infos in grouped.items()
    )


def normalise(
    record: FactRecord,
    context: CaseContext | None,
    *,
    paths: Iterable[str],
    currencies: Currencies,
) -> NormalisedFacts:
    """The statuses and values of ``paths`` (and of their facts) in ``record`` and ``context``."""
    case = context or _EMPTY_CONTEXT
    statuses: dict[str, str] = {}
    values: dict[str, Value] = {}
    for plan in _plan(tuple(paths)):
        if plan.section == "context":
            statuses[plan.fact_path] = _PRESENT
            raw: Any = getattr(case, plan.name)
        else:
            fact = getattr(getattr(record, plan.section), plan.name)
            status = fact_status(fact)
            statuses[plan.fact_path] = status
            if status != _PRESENT or fact.value is None:
                continue
            raw = fact.value
        for info in plan.infos:
            value = _value(info, raw, currencies)
            if value is not None:
                values[info.path] = value
    return NormalisedFacts(statuses, values)


_EMPTY_CONTEXT = CaseContext()
