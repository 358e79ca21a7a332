"""Order lines in several currencies: each currency's year of fees, never one sum or one share.

The reader has no exchange rate to add them at; the policy converts them at its own.
"""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import Money
from tests.layouts import FORMATS, rendered

from .helpers import present_fact, present_in

ACV = "commercial.annual_contract_value"
BY_CURRENCY = "commercial.annual_fees_by_currency"

GROUP = """# GROUP ORDER FORM
| Billing entity | Country | Tax ID | Currency | Seats | Annual fee |
|---|---|---|---|---|---|
| Aurora Biotech, Inc. | United States | - | USD | 220 | USD 396,000 |
| Aurora Biotech UK Ltd | United Kingdom | VAT GB 456 7890 12 | GBP | 60 | GBP 86,400 |
| Aurora Biotech Asia Pte. Ltd. | Singapore | GST 201912345K | SGD | 40 | SGD 96,000 |
Each billing entity is invoiced separately, annually in advance, in the currency shown.
"""

MONTHLY = """# ORDER FORM
## Subscription fees (billed monthly in advance)
| Item | Entity | Quantity | Monthly fee |
|---|---|---|---|
| FreightPulse Professional | Southern Cross Freight Pty Ltd | 140 users | AUD 9,800.00 |
| FreightPulse Professional | Southern Cross Freight NZ Limited | 40 users | NZD 3,040.00 |
| Telematics feed connector | Southern Cross Freight Pty Ltd | 1 | AUD 750.00 |
Fees exclude GST.
"""

ONE_CURRENCY = """# ORDER FORM
| Billing entity | Country | Tax ID | Annual fee |
|---|---|---|---|
| Kepler Maritime B.V. | Netherlands | VAT NL 8123 45678 B01 | EUR 30,000 |
| Kepler Maritime GmbH | Germany | VAT DE 123 456 789 | EUR 12,000 |
Fees are invoiced annually in advance.
"""


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
@pytest.mark.parametrize(
    ("body", "expected", "lines"),
    [
        (GROUP, [("USD", 396_000), ("GBP", 86_400), ("SGD", 96_000)], 3),
        (MONTHLY, [("AUD", 126_600), ("NZD", 36_480)], 3),
    ],
    ids=["annual-column", "monthly-lines"],
)
def test_each_currency_has_its_own_year_of_fees(
    body: str, expected: list[tuple[str, float]], lines: int, output: OutputFormat
) -> None:
    document = rendered(body, output)

    fact = present_fact(document, BY_CURRENCY)

    assert fact is not None
    assert fact.value == [Money(amount=amount, currency=code) for code, amount in expected]
    assert len(fact.evidence) == lines  # every line is quoted
    assert present_in(document, ACV) is None  # no one annual value is made up


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_lines_in_one_currency_are_still_added_up(output: OutputFormat) -> None:
    document = rendered(ONE_CURRENCY, output)

    assert present_in(document, ACV) == Money(amount=42_000, currency="EUR")
    assert present_in(document, BY_CURRENCY) is None
