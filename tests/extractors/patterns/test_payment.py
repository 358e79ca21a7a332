"""Payment terms, billing frequency, discount, price caps, contract values, plan and products."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.facts import BillingFrequency, Money
from extractors.patterns import payment

from .helpers import values, view


def _values(text: str, path: str) -> list[Any]:
    return values(payment.extract(view(text)), path)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "See Section 30 of the Agreement for the invoicing procedure.",
        "Customer may terminate upon thirty (30) days' notice for material breach.",
        "Net revenue shall be calculated after returns.",
        "Overdue amounts bear interest at 1.5% per month.",
    ],
)
def test_no_payment_term_without_one(text: str) -> None:
    assert _values(text, "commercial.payment_terms_days") == []


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Payment terms: Net 45.", 45),
        ("Invoices are due net thirty (30) days from the invoice date.", 30),
        ("Each invoice is payable within sixty (60) days of the invoice date.", 60),
        (
            "Customer shall pay all undisputed amounts within forty-five (45) days after receipt "
            "of the invoice.",
            45,
        ),
        ("All invoices shall be due and payable in full within 90 days.", 90),
        ("| Payment Terms | Net-60 |", 60),
        # Key and value joined by dot leaders: the dots are a gap, not a sentence's end.
        ("  Payment ............................ within 30 days of invoice\n", 30),
    ],
)
def test_payment_days(text: str, days: int) -> None:
    assert _values(text, "commercial.payment_terms_days")[0] == days


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("Billing frequency: annually in advance.", BillingFrequency.ANNUAL),
        (
            "Provider will invoice Customer quarterly in advance for the subscription fees.",
            BillingFrequency.QUARTERLY,
        ),
        ("Fees are billed monthly in arrears.", BillingFrequency.MONTHLY),
        (
            "Professional services are invoiced on completion of each milestone.",
            BillingFrequency.MILESTONE,
        ),
    ],
)
def test_billing_frequency(text: str, frequency: BillingFrequency) -> None:
    assert _values(text, "commercial.billing_frequency")[0] is frequency


def test_discount_and_custom_pricing() -> None:
    text = (
        "All subscription fees reflect a discount of twenty-two percent (22%) from the list price."
    )
    assert _values(text, "commercial.discount_percent") == [22]
    assert _values(text, "commercial.custom_pricing") == [True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The parties agreed special pricing for the first year of the Term.", [True]),
        ("Negotiated rates apply to all seats ordered under this Order Form.", [True]),
        ("No discounts, credits or promotional pricing apply to this order.", []),
        ("This order carries no special pricing and no custom rates.", []),
    ],
)
def test_custom_pricing_unless_the_sentence_denies_it(text: str, expected: list[bool]) -> None:
    assert _values(text, "commercial.custom_pricing") == expected


def test_price_increase_cap_but_not_late_interest() -> None:
    text = (
        "Renewal fees shall not increase by more than five percent (5%) over the prior term. "
        "Late payments bear interest at 1.0% per month."
    )
    assert _values(text, "commercial.price_increase_cap_percent") == [5]
    assert (
        _values(
            "Late payments accrue interest of 1.5% per month.",
            "commercial.price_increase_cap_percent",
        )
        == []
    )


def test_contract_values_and_minimum_commitment() -> None:
    text = (
        "Total Contract Value: USD 454,500.00, exclusive of taxes.\n"
        "| Total Annual Subscription Fees | | USD 151,500.00 |\n"
        "Customer commits to a minimum annual spend of EUR 200,000 during each contract year."
    )
    assert _values(text, "commercial.total_contract_value") == [
        Money(amount=454_500, currency="USD")
    ]
    assert _values(text, "commercial.annual_contract_value") == [
        Money(amount=151_500, currency="USD")
    ]
    assert _values(text, "commercial.minimum_commitment_amount") == [
        Money(amount=200_000, currency="EUR")
    ]


def test_plan_tier_from_a_field_and_from_prose() -> None:
    assert _values("Plan: Enterprise\nSeats: 40", "commercial.plan_tier") == ["Enterprise"]
    assert _values(
        "Customer subscribes to the Professional plan for 40 users.", "commercial.plan_tier"
    ) == ["Professional"]
    assert _values("The project plan will be agreed at kickoff.", "commercial.plan_tier") == []


def test_products_from_an_order_table() -> None:
    text = (
        "| Product | Quantity | Annual Fee |\n"
        "|---|---|---|\n"
        "| Insights Platform - Enterprise | 250 Users | USD 150,000.00 |\n"
        "| Premium Support | 1 | USD 18,000.00 |\n"
        "| Total | | USD 168,000.00 |\n"
    )
    products = _values(text, "commercial.products")
    assert [(p.name, p.quantity, p.unit) for p in products] == [
        ("Insights Platform - Enterprise", 250, "Users"),
        ("Premium Support", 1, None),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "| Total recurring fees per year | | | EUR 143,040.00 |",
        "| Total annual subscription Charges | | EUR 143,040.00 |",
        "Annual Contract Value: EUR 143,040.00",
    ],
)
def test_annual_value_labels(line: str) -> None:
    assert _values(line, "commercial.annual_contract_value") == [
        Money(amount=143_040, currency="EUR")
    ]


def test_plan_tier_from_a_plan_column_and_a_named_edition() -> None:
    table = "| Plan | Seats | Price |\n|---|---|---|\n| Lumen Pro (annual) | 12 | GBP 95.00 |\n"
    assert _values(table, "commercial.plan_tier") == ["Pro"]
    assert _values("Edition: Commerce Suite - Professional", "commercial.plan_tier") == [
        "Professional"
    ]


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("Billing is annual, in advance, by card or Direct Debit.", BillingFrequency.ANNUAL),
        ("Billing Quarterly in advance\nPayment Terms Net 90", BillingFrequency.QUARTERLY),
        (
            "We will charge the card at the start of each monthly billing\nperiod.",
            BillingFrequency.MONTHLY,
        ),
        (
            "Each billing entity will be invoiced at the start of each calendar quarter.",
            BillingFrequency.QUARTERLY,
        ),
    ],
)
def test_billing_frequency_in_more_wordings(text: str, frequency: BillingFrequency) -> None:
    assert _values(text, "commercial.billing_frequency")[0] is frequency


@pytest.mark.parametrize(
    ("text", "cap"),
    [
        (
            "The Supplier may increase the Charges on each anniversary, provided that any increase "
            "shall not exceed the lower of (a) the percentage increase in the Consumer Prices "
            "Index and (b) four per cent (4%).",
            4,
        ),
        (
            "Thereafter Ledgerly may increase the annual fees once per contract year by no more "
            "than the lesser of the increase in CPI-U over the prior twelve months\nor three "
            "percent (3%).",
            3,
        ),
        (
            "Prices are fixed for the renewal term. Any increase after the renewal term shall not "
            "exceed three and a half percent (3.5%) per year.",
            3.5,
        ),
    ],
)
def test_price_increase_caps_in_more_wordings(text: str, cap: float) -> None:
    assert _values(text, "commercial.price_increase_cap_percent") == [cap]


@pytest.mark.parametrize(
    "text",
    [
        "Licensee shall pay to Fox an additional minimum recoupable guarantee of US$250,000.",
        "All interventions on site are subject to a minimum total charge of $2,000.",
        "Customer shall purchase from Manufacturer at least the Exclusive Purchase Requirement.",
        "Customer commits to fees of not less than USD 750,000 in each contract year.",
        "Minimum Annual Commitment: EUR 200,000",
    ],
)
def test_a_minimum_commitment_with_or_without_its_amount(text: str) -> None:
    assert _values(text, "commercial.minimum_commitment") == [True]


@pytest.mark.parametrize(
    "text",
    [
        "Distributor shall not be subject to any minimum purchase requirements, but shall agree "
        "to the annual sales targets.",
        "There is no minimum commitment under this Order Form.",
        "Customer may add seats at any time at the prices in this Order Form.",
    ],
)
def test_no_minimum_commitment_where_none_is_set(text: str) -> None:
    assert _values(text, "commercial.minimum_commitment") == []


def test_an_increase_of_something_other_than_prices_is_no_cap() -> None:
    text = "Headcount may increase by no more than the lesser of ten people or 5% of staff."
    assert _values(text, "commercial.price_increase_cap_percent") == []


@pytest.mark.parametrize(
    "text",
    [
        # The size of an event a clause turns on is no ceiling on the price.
        "A discrepancy in the fees reported shall be deemed material if it involves an "
        "adjustment of more than five percent (5%).",
        "If an increase in Shipper's rates of more than ten percent (10%) would be required, "
        "Carrier may terminate this Agreement.",
    ],
)
def test_a_condition_on_the_size_of_an_increase_is_no_cap(text: str) -> None:
    assert _values(text, "commercial.price_increase_cap_percent") == []


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        (
            "Customer commits to subscription fees of not less than USD 750,000 in each contract "
            "year.",
            Money(amount=750_000, currency="USD"),
        ),
        (
            "Aurora commits, on behalf of the group, to aggregate annual fees equivalent to at "
            "least USD 500,000 in each contract year.",
            Money(amount=500_000, currency="USD"),
        ),
    ],
)
def test_minimum_commitment_stated_as_a_commitment(text: str, amount: Money) -> None:
    assert _values(text, "commercial.minimum_commitment_amount") == [amount]


@pytest.mark.parametrize(
    "text",
    [
        "Customer shall receive Most Favored Customer pricing for all Products.",
        "Distributor shall be treated no less favorably than any other distributor.",
        "Prices to Buyer shall be no less favourable than those offered to any other "
        "similarly situated customer.",
        "This clause constitutes a most-favoured-nation undertaking by Supplier.",
        "Royalty rates shall be not less favorable than those granted to any other licensee.",
        # A ceiling at what the other customers pay is the same promise.
        "Such fees shall not exceed the fees charged by Licensor to unaffiliated third parties "
        "for use of the Licensed Content.",
        "The adjusted per-share price shall be no greater than the lowest price paid by any "
        "subsequent purchaser of its shares.",
        "Prices for the Products will not be higher than the prices offered by Supplier to any "
        "other customer.",
        "The per unit pricing charged by BLI to Ginkgo at any time shall be no greater than the "
        "lowest of the lowest price per unit charged by BLI to any third party customer.",
        "Product prices offered to Alfa shall not be less favorable than those offered to "
        "agents, distributors or any customers.",
        "The terms shall be no less favourable to Nortel than the terms in effect with any of "
        "Entrust's resellers.",
        "Drivers may lease vehicles from Party B with the most favorable treatment in the market.",
        # The "no" that freezes the price earlier in the sentence does not deny the ceiling.
        "(a) With respect to any Product, (i) there will be no increases from the per unit "
        "pricing set forth in Schedule 5 for at least the first year and (ii) the per unit "
        "pricing charged by BLI to Ginkgo at any time shall be no greater than the lowest price "
        "charged by BLI to any third party.",
    ],
)
def test_most_favoured_nation_in_its_own_words(text: str) -> None:
    assert _values(text, "commercial.most_favoured_nation") == [True]


@pytest.mark.parametrize(
    "text",
    [
        # Protecting information as one protects one's own is not a better-price promise.
        "Recipient shall protect it with no less favorable care than its own information.",
        "Nothing in this Agreement grants Customer most favored customer status.",
        "Provider does not offer most-favoured-nation pricing.",
        # A liability cap at the fees paid names no one else.
        "The total liability of either party will not exceed the fees paid by Customer "
        "hereunder during the twelve months preceding the claim.",
        # A cap on the rise of the price is a price restriction, not a parity promise.
        "Prices shall not increase by more than five percent in any year.",
        "Nothing herein requires that such fees shall not exceed the fees charged to any other "
        "customer.",
        "Supplier shall not be required to offer terms no less favourable than those given to "
        "any other distributor.",
    ],
)
def test_no_most_favoured_nation_where_none_is_promised(text: str) -> None:
    assert _values(text, "commercial.most_favoured_nation") == []
