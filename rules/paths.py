"""What a rule may refer to: every schema path, its derived attributes, and their value kinds."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from functools import cache
from typing import Any

from pydantic import BaseModel

from extractors.facts import LiabilityCap, Money, Party, fact_paths, fact_value_type
from rules.context import CONTEXT_PATHS


class Kind(StrEnum):
    """How a value compares: the operators a condition may use depend on it."""

    BOOL = "boolean"
    INT = "integer"
    NUMBER = "number"
    STRING = "string"
    DATE = "date"
    STRINGS = "list of strings"
    OPAQUE = "structured value"  # only its status can be tested


@dataclass(frozen=True)
class PathInfo:
    """One path a condition can test: a fact (``section.field``) or one of its attributes."""

    path: str
    fact_path: str
    kind: Kind
    choices: frozenset[str] | None = None  # the allowed values of an enumeration


# What a rule may ask of a list of parties. The customer-side ones leave out the provider and
# any party whose role is unknown: the provider is never one of the customer's entities, and an
# entity the contract does not place on the customer's side proves nothing about it.
PARTY_ATTRIBUTES: dict[str, Kind] = {
    "countries": Kind.STRINGS,
    "customer_count": Kind.INT,
    "customer_countries": Kind.STRINGS,
}


def _unwrap_optional(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _enum_choices(annotation: Any) -> frozenset[str] | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return frozenset(str(member.value) for member in annotation)
    return None


def _scalar_kind(annotation: Any) -> Kind | None:
    if annotation is bool:
        return Kind.BOOL
    if annotation is int:
        return Kind.INT
    if annotation is float:
        return Kind.NUMBER
    if annotation is date:
        return Kind.DATE
    if annotation is str or (isinstance(annotation, type) and issubclass(annotation, StrEnum)):
        return Kind.STRING
    return None


def _infos_for_fact(fact_path: str, annotation: Any) -> list[PathInfo]:
    annotation = _unwrap_optional(annotation)
    scalar = _scalar_kind(annotation)
    if scalar is not None:
        return [PathInfo(fact_path, fact_path, scalar, _enum_choices(annotation))]
    if annotation is Money:
        return [
            PathInfo(fact_path, fact_path, Kind.OPAQUE),
            PathInfo(f"{fact_path}.amount", fact_path, Kind.NUMBER),
            PathInfo(f"{fact_path}.currency", fact_path, Kind.STRING),
        ]
    if annotation is LiabilityCap:
        return [
            PathInfo(fact_path, fact_path, Kind.OPAQUE),
            PathInfo(f"{fact_path}.amount", fact_path, Kind.NUMBER),
            PathInfo(f"{fact_path}.fees_multiple", fact_path, Kind.NUMBER),
            PathInfo(f"{fact_path}.months_of_fees", fact_path, Kind.INT),
        ]
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        count = PathInfo(f"{fact_path}.count", fact_path, Kind.INT)
        if _scalar_kind(item) is Kind.STRING:
            return [PathInfo(fact_path, fact_path, Kind.STRINGS, _enum_choices(item)), count]
        infos = [PathInfo(fact_path, fact_path, Kind.OPAQUE), count]
        if item is Party:
            infos += [
                PathInfo(f"{fact_path}.{attribute}", fact_path, kind)
                for attribute, kind in PARTY_ATTRIBUTES.items()
            ]
        if item is Money:
            # Amounts in several currencies: their sum in the base currency, and the currencies.
            infos += [
                PathInfo(f"{fact_path}.amount", fact_path, Kind.NUMBER),
                PathInfo(f"{fact_path}.currencies", fact_path, Kind.STRINGS),
            ]
        return infos
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [PathInfo(fact_path, fact_path, Kind.OPAQUE)]
    raise TypeError(f"no rule kind for {fact_path}: {annotation!r}")


@cache
def path_table() -> dict[str, PathInfo]:
    """Every path a condition may name, from the fact schema and the case context."""
    table: dict[str, PathInfo] = {}
    for fact_path in fact_paths():
        for info in _infos_for_fact(fact_path, fact_value_type(fact_path)):
            table[info.path] = info
    for context_path in CONTEXT_PATHS:
        table[context_path] = PathInfo(context_path, context_path, Kind.STRINGS)
        table[f"{context_path}.count"] = PathInfo(f"{context_path}.count", context_path, Kind.INT)
    return table


def is_context(path: str) -> bool:
    """Whether ``path`` names a case-level input rather than a contract fact."""
    return path.startswith("context.")
