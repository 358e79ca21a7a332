"""Fact records made up to exercise a policy: near its thresholds, with every status.

Used by the property tests (through hypothesis) and the benchmark (through ``random``): the
caller supplies the source of choices, this module knows what a plausible record looks like.
"""

from __future__ import annotations

import random
import typing
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from enum import Enum
from typing import Any, Protocol, TypeVar

from extractors.facts import (
    FactRecord,
    FactStatus,
    LiabilityCap,
    Money,
    Party,
    Source,
    fact_value_type,
)
from rules.context import CaseContext
from rules.language import leaves
from rules.loader import Policy
from rules.paths import is_context, path_table

T = TypeVar("T")

WORDS = (
    "acme",
    "Texas",
    "new  york",
    "DELAWARE",
    "Ontario",
    "ß-law",
    'quote"d',
    "tab\there",
    "ü",
    "1e-05",
)
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CHF")
COUNTRIES = ("US", "GB", "DE", "FR", "CA", "IN")


class Chooser(Protocol):
    """A source of choices: ``random.Random`` or a hypothesis draw."""

    def choice(self, options: Sequence[T]) -> T: ...

    def integer(self, low: int, high: int) -> int: ...


class RandomChooser:
    """Choices from a seeded ``random.Random``."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)  # noqa: S311 - made-up test data, not secrets

    def choice(self, options: Sequence[T]) -> T:
        return self._random.choice(options)

    def integer(self, low: int, high: int) -> int:
        return self._random.randint(low, high)


def _thresholds(policy: Policy) -> dict[str, list[float]]:
    found: dict[str, list[float]] = defaultdict(list)
    for rule in policy.rules:
        for leaf in leaves(rule.when):
            operands = leaf.operand if isinstance(leaf.operand, tuple) else (leaf.operand,)
            for operand in operands:
                if isinstance(operand, int | float) and not isinstance(operand, bool):
                    found[leaf.fact_path].append(float(operand))
    return found


def _literals(policy: Policy) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for rule in policy.rules:
        for leaf in leaves(rule.when):
            operands = leaf.operand if isinstance(leaf.operand, tuple) else (leaf.operand,)
            found[leaf.fact_path].extend(str(item) for item in operands if isinstance(item, str))
    return found


class _Maker:
    def __init__(self, chooser: Chooser, thresholds: list[float], literals: list[str]) -> None:
        self.c = chooser
        self.thresholds = thresholds
        self.literals = literals

    def number(self, integer: bool) -> float | int:
        base = self.c.choice([*self.thresholds, 0.0, 1.0, 2.0, float(self.c.integer(0, 1_000_000))])
        delta = self.c.choice([0.0, 0.0, 1.0, -1.0, 0.5, -0.5, 0.00001, 1e-7])
        value = max(0.0, base + delta)
        return round(value) if integer else value

    def text(self) -> str:
        word = self.c.choice([*self.literals, *WORDS])
        return self.c.choice([word, word.upper(), f"  {word} ", word.title()])

    def value(self, annotation: Any) -> Any:
        origin = typing.get_origin(annotation)
        if origin is typing.Union or isinstance(annotation, type(int | None)):
            annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
            origin = typing.get_origin(annotation)
        if annotation is bool:
            return self.c.choice([True, False])
        if annotation is int:
            return self.number(integer=True)
        if annotation is float:
            return self.number(integer=False)
        if annotation is str:
            return self.text()
        if annotation is date:
            return (date(2024, 1, 1) + timedelta(days=self.c.integer(0, 1000))).isoformat()
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            return self.c.choice(list(annotation)).value
        if annotation is Money:
            return {"amount": self.number(integer=False), "currency": self.c.choice(CURRENCIES)}
        if annotation is LiabilityCap:
            return {
                "fees_multiple": self.c.choice([None, 1.0, 2.5]),
                "months_of_fees": self.c.choice([None, 12]),
            }
        if annotation is Party:
            country = (
                self.c.choice([None, *self.literals, *COUNTRIES])
                if self.literals
                else self.c.choice([None, *COUNTRIES])
            )
            return {
                "name": self.c.choice(["Acme Ltd", "Acme GmbH", "Beta Inc"]),
                "role": "customer",
                "country": country and country.upper(),
            }
        if origin is list:
            (item,) = typing.get_args(annotation)
            return [self.value(item) for _ in range(self.c.integer(0, 3))]
        fields = getattr(annotation, "model_fields", None)
        if fields is not None:
            return {
                name: self.value(field.annotation)
                for name, field in fields.items()
                if field.is_required()
            }
        raise TypeError(f"cannot make up a {annotation!r}")


MIXED = (
    FactStatus.PRESENT,
    FactStatus.PRESENT,
    FactStatus.NOT_FOUND,
    FactStatus.EXCLUDED,
    FactStatus.NOT_CHECKED,
)
# Closer to real bundles: most terms are looked for and not there.
REALISTIC = (
    FactStatus.PRESENT,
    *(FactStatus.NOT_FOUND,) * 7,
    FactStatus.EXCLUDED,
    FactStatus.NOT_CHECKED,
)


def sample_case(
    chooser: Chooser, policy: Policy, statuses: Sequence[FactStatus] = MIXED
) -> tuple[FactRecord, CaseContext]:
    """A fact record and case context touching every path ``policy`` tests."""
    thresholds = _thresholds(policy)
    literals = _literals(policy)
    sections: dict[str, dict[str, Any]] = defaultdict(dict)
    context = CaseContext()
    table = path_table()
    for fact_path in policy.fact_paths:
        if is_context(fact_path):
            count = chooser.choice([0, 0, 0, 1, 2])
            context = CaseContext(unreadable_documents=[f"file{i}.pdf" for i in range(count)])
            continue
        status = chooser.choice(statuses)
        fact: dict[str, Any] = {"status": status.value}
        if status is FactStatus.PRESENT:
            maker = _Maker(chooser, thresholds.get(fact_path, []), literals.get(fact_path, []))
            fact["value"] = maker.value(fact_value_type(fact_path))
            fact["source"] = chooser.choice([Source.PATTERN, Source.PATTERN, Source.LLM]).value
            fact["grounded"] = chooser.choice([True, True, True, False])
            quote = f"quote for {fact_path}"
            fact["evidence"] = [{"page": 1, "start": 0, "end": len(quote), "quote": quote}]
        elif status is FactStatus.EXCLUDED and table[fact_path].kind.value == "boolean":
            fact["value"] = False
        section, name = fact_path.split(".", 1)
        sections[section][name] = fact
    return FactRecord.model_validate(dict(sections)), context
