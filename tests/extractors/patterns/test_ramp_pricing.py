"""A ramp deal's fee table gives each contract year its own fee: the rows are years of one
subscription, not order lines to add up, and the annual value is their average."""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import Money
from tests.layouts import FORMATS, rendered

from .helpers import present_fact

ACV = "commercial.annual_contract_value"


RAMP = """# ORDERING DOCUMENT OD-5520
Subscription term: 36 months, starting December 1, 2026.
| Year | Platform seats | Annual fee |
|---|---|---|
| Year 1 | 250 | USD 61,500.00 |
| Year 2 | 250 | USD 64,575.00 |
| Year 3 | 250 | USD 67,800.00 |
Each year's fee is invoiced at the start of that year.
"""

CONTRACT_YEARS = """# ORDER FORM
| Period | Subscription fee |
|---|---|
| Contract Year 1 (2026-01-01 to 2026-12-31) | EUR 40,000 |
| Contract Year 2 (2027-01-01 to 2027-12-31) | EUR 44,000 |
Fees are invoiced annually in advance.
"""

LINES = """# ORDER FORM
| Item | Quantity | Annual fee |
|---|---|---|
| Analytics Professional | 40 users | USD 21,600.00 |
| Viewer licences | 120 users | USD 5,400.00 |
Fees are invoiced annually in advance.
"""


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
@pytest.mark.parametrize(
    ("body", "annual", "currency"),
    [(RAMP, 64_625, "USD"), (CONTRACT_YEARS, 42_000, "EUR"), (LINES, 27_000, "USD")],
    ids=["ramp", "contract-years", "order-lines"],
)
def test_a_years_fees_are_averaged_and_order_lines_added(
    body: str, annual: float, currency: str, output: OutputFormat
) -> None:
    fact = present_fact(rendered(body, output), ACV)

    assert fact is not None
    assert fact.value == Money(amount=annual, currency=currency)


def test_the_average_says_which_years_it_is_made_of() -> None:
    fact = present_fact(rendered(RAMP, OutputFormat.TXT), ACV)

    assert fact is not None and fact.note is not None
    assert "average" in fact.note and "3" in fact.note
    assert len(fact.evidence) == 3  # every year's row is quoted
