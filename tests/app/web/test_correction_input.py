"""What a person types to correct a fact, read as the fact's type, or refused saying why."""

from __future__ import annotations

from typing import Any

import pytest

from app.approvals.facts import check_value
from app.web.correction_input import UnreadableValueError, read_value, value_hint

READ = [
    ("commercial.payment_terms_days", "45 days", 45),
    ("commercial.payment_terms_days", "net 60", 60),
    ("commercial.payment_terms_days", "1,000", 1000),
    ("commercial.discount_percent", "12.5%", 12.5),
    ("commercial.annual_contract_value", "USD 120,000", {"amount": 120000.0, "currency": "USD"}),
    ("commercial.annual_contract_value", "€ 9.500", {"amount": 9500.0, "currency": "EUR"}),
    ("commercial.annual_contract_value", "£1,200.50", {"amount": 1200.5, "currency": "GBP"}),
    ("commercial.annual_contract_value", "120000 cad", {"amount": 120000.0, "currency": "CAD"}),
    ("legal.uncapped_liability", "Yes", True),
    ("legal.uncapped_liability", "no", False),
    ("commercial.auto_renewal", "not in the contract", None),
    ("commercial.auto_renewal", "", None),
    ("commercial.agreement_date", "2026-03-01", "2026-03-01"),
    ("commercial.agreement_date", "March 1, 2026", "2026-03-01"),
    ("commercial.billing_frequency", "Semi annual", "semi_annual"),
    ("security.data_residency", "EU, UK", ["EU", "UK"]),
    ("commercial.currencies", "EUR; USD", ["EUR", "USD"]),
    ("commercial.document_kinds", "msa, order form", ["msa", "order_form"]),
    ("legal.governing_law", "  New York ", "New York"),
    (
        "commercial.parties",
        '[{"name": "Acme GmbH", "role": "customer", "country": "DE"}]',
        [{"name": "Acme GmbH", "role": "customer", "country": "DE"}],
    ),
]


@pytest.mark.parametrize(("path", "text", "expected"), READ)
def test_a_typed_value_is_read_as_the_facts_type(path: str, text: str, expected: Any) -> None:
    value = read_value(path, text)
    assert value == expected
    # And the schema takes it as it is (the correction checks strictly).
    check_value(path, value)


REFUSED = [
    ("commercial.payment_terms_days", "sixty", "holds no number"),
    ("commercial.payment_terms_days", "45.5", "whole number"),
    ("legal.uncapped_liability", "maybe", "yes or no"),
    ("commercial.annual_contract_value", "120,000", "currency"),
    ("commercial.annual_contract_value", "a lot", "holds no amount"),
    ("commercial.billing_frequency", "fortnightly", "is none of them"),
    ("commercial.agreement_date", "the first of never", "not a date"),
    ("commercial.parties", "Acme GmbH", "JSON list of Party"),
    ("commercial.no_such_fact", "1", "There is no fact"),
]


@pytest.mark.parametrize(("path", "text", "says"), REFUSED)
def test_a_value_that_cannot_be_read_is_refused_saying_what_is_expected(
    path: str, text: str, says: str
) -> None:
    with pytest.raises(UnreadableValueError, match=says) as refused:
        read_value(path, text)
    assert refused.value.status == 422


def test_each_fact_says_what_to_type() -> None:
    assert value_hint("legal.uncapped_liability") == "yes or no"
    assert "USD 120,000" in value_hint("commercial.annual_contract_value")
    assert value_hint("security.data_residency") == "a list, separated by commas"
    assert value_hint("commercial.billing_frequency").startswith("one of: monthly")
