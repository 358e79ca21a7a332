"""Which of two readings of a number is the stricter one, per fact path, as data.

Where the documents of a case disagree and none says it overrides the other, the case
keeps the stricter reading, so adding a document never loses caution. "Stricter" means
the reading that asks more of the provider or carries more risk for it: the one the
policy is more likely to send to an approver. A path missing here has no known direction
(governing law, billing frequency, a liability cap stated as a multiple against one
stated as an amount, dates): the merge keeps the document precedence for it and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from extractors.facts import Money


@dataclass(frozen=True)
class Strictness:
    """The direction in which a fact's value grows stricter, why, and how to print a value."""

    stricter: Literal["higher", "lower"]
    why: str
    label: str = "{}"


STRICTNESS: dict[str, Strictness] = {
    "commercial.payment_terms_days": Strictness(
        "higher", "longer payment terms are longer credit extended to the customer", "net {}"
    ),
    "commercial.discount_percent": Strictness("higher", "a deeper discount", "{}%"),
    "commercial.annual_contract_value": Strictness(
        "higher", "a larger deal sets a more careful onboarding path"
    ),
    "commercial.total_contract_value": Strictness(
        "higher", "a larger deal sets a more careful onboarding path"
    ),
    "commercial.minimum_commitment_amount": Strictness(
        "higher", "a larger commitment is a larger non-standard term"
    ),
    "commercial.term_months": Strictness("higher", "a longer commitment", "{} months"),
    "commercial.renewal_term_months": Strictness(
        "higher", "a longer renewal commitment", "{} months"
    ),
    "commercial.non_renewal_notice_days": Strictness(
        "higher", "a longer notice period keeps the parties bound longer", "{} days"
    ),
    # A tighter cap restricts the provider's prices more.
    "commercial.price_increase_cap_percent": Strictness(
        "lower", "a tighter cap on price increases", "{}%"
    ),
    "legal.warranty_duration_months": Strictness(
        "higher", "a longer warranty the provider must honour", "{} months"
    ),
    "security.breach_notification_hours": Strictness(
        "lower", "the provider must report a breach sooner", "{} hours"
    ),
    "service.uptime_percent": Strictness("higher", "a higher availability commitment", "{}%"),
    "service.support_response_hours": Strictness(
        "lower", "the provider must answer sooner", "{} hours"
    ),
    "service.rpo_hours": Strictness("lower", "less data may be lost", "{} hours"),
    "service.rto_hours": Strictness("lower", "service must be restored sooner", "{} hours"),
    "implementation.services_fee": Strictness("higher", "more implementation work is owed"),
    "implementation.services_hours": Strictness(
        "higher", "more implementation work is owed", "{} hours"
    ),
}


def _magnitude(value: Any) -> tuple[str, float] | None:
    """A value as (unit, number) when it can be ordered: money only within one currency."""
    if isinstance(value, Money):
        return value.currency, value.amount
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return "", float(value)


def stricter_value(path: str, values: list[Any]) -> Any | None:
    """The strictest of ``values`` for ``path``, or None when they cannot be ordered."""
    strictness = STRICTNESS.get(path)
    magnitudes = [_magnitude(value) for value in values]
    if strictness is None or not values or any(m is None for m in magnitudes):
        return None
    if len({m[0] for m in magnitudes if m is not None}) > 1:
        return None  # amounts in different currencies are not compared here
    pick = max if strictness.stricter == "higher" else min
    return pick(values, key=lambda value: _magnitude(value)[1])  # type: ignore[index]


def reading_label(path: str, value: Any) -> str:
    """How a value reads in a note: "net 90", "99.9%", "USD 7,200"."""
    if isinstance(value, Money):
        return f"{value.currency} {value.amount:,.2f}".replace(".00", "")
    if isinstance(value, BaseModel):
        fields = value.model_dump(exclude_none=True).items()
        return ", ".join(f"{name.replace('_', ' ')} {field}" for name, field in fields)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    strictness = STRICTNESS.get(path)
    if value is None:
        return "none"
    return (strictness.label if strictness else "{}").format(value)
