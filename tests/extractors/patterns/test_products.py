"""Products from order tables (with and without cell separators) and from running text."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.facts import Product
from extractors.patterns import payment, products

from .helpers import values, view


def _products(text: str) -> list[Any]:
    return values(products.extract(view(text)), "commercial.products")


@pytest.mark.parametrize(
    "text",
    [
        "",
        # A heading over a table is not its header.
        "Subscription Fees\nThe fees are set out in the Order Form.",
        # Running text that mentions products and prices.
        "The Service is priced per user. Fees are payable quarterly in advance.",
        # A milestone table names no products.
        "Milestone Description Target Date\nM1 - Kickoff March 11, 2024\n",
    ],
)
def test_no_products_without_an_order_table(text: str) -> None:
    assert _products(text) == []


def test_totals_taxes_discounts_and_one_time_fees_are_not_products() -> None:
    text = (
        "Item\tQuantity\tUnit price\tAnnual amount\n"
        "Help Desk - Growth plan\t60 agents\tUSD 45.00 / agent / month\tUSD 32,400.00\n"
        "Education discount (5%)\t\t\t- USD 1,620.00\n"
        "Implementation package (one-time)\t1\tUSD 8,000.00\tUSD 8,000.00\n"
        "Sales tax\t\t\tUSD 120.00\n"
        "Total annual subscription\t\t\tUSD 30,780.00\n"
    )
    assert _products(text) == [Product(name="Help Desk - Growth plan", quantity=60, unit="agents")]


def test_a_pdf_row_that_wrapped_over_several_lines() -> None:
    text = (
        "Subscription Service Quantity Unit Fee Annual Fee\n"
        "Care Coordination\n"
        "Platform\n"
        "1,800 clinician users\n"
        "USD 42.00 per user per\n"
        "month\n"
        "USD 907,200\n"
        "Patient Messaging Module 400,000 messages per year flat USD 60,000\n"
        "Total Annual Subscription\nFees\nUSD 967,200\n"
    )
    assert [(p.name, p.quantity) for p in _products(text)] == [
        ("Care Coordination Platform", 1800),
        ("Patient Messaging Module", 400_000),
    ]


def test_a_quantity_before_a_price_with_its_code_in_front() -> None:
    text = (
        "Item Quantity Unit price Annual amount\n"
        "Commerce Suite\n"
        "Professional - named users 120 EUR 96.00 per user per month EUR 138,240.00\n"
        "Additional storage (per TB) 2 TB EUR 200.00 per TB per month EUR 4,800.00\n"
    )
    assert [(p.name, p.quantity, p.unit) for p in _products(text)] == [
        ("Commerce Suite Professional - named users", 120, None),
        ("Additional storage (per TB)", 2, "TB"),
    ]


def test_rows_without_a_quantity_and_prices_without_a_currency() -> None:
    table = (
        "Service\tVolume\tAnnual Charge\n"
        "Claims Analytics – Enterprise\t400 named users\t£72,000\n"
        "Fraud Signals module\tEnterprise-wide\t£48,000\n"
    )
    assert [(p.name, p.quantity) for p in _products(table)] == [
        ("Claims Analytics – Enterprise", 400),
        ("Fraud Signals module", None),
    ]
    pdf = (
        "Service Scope Annual price (NOK)\n"
        "AquaHealth Enterprise 14 sea sites, unlimited users 1,150,000\n"
        "Sensor data packs 40 packs 230,000\n"
        "Total per year 1,380,000\n"
    )
    assert [(p.name, p.quantity, p.unit) for p in _products(pdf)] == [
        ("AquaHealth Enterprise", 14, "sea sites"),
        ("Sensor data packs", 40, "packs"),
    ]


def test_a_product_added_in_running_text() -> None:
    text = (
        "4. Additional products. Customer adds 200 users of Vantage Payroll at USD 8.00 per user."
    )
    assert _products(text) == [Product(name="Vantage Payroll", quantity=200, unit="users")]


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        (
            "Product Users Price Annual fee\nPlant Insights - Industrial 300 EUR 60.00 per user "
            "per month EUR 216,000.00\n",
            "Industrial",
        ),
        (
            "Plan Staff accounts Billing Price\nJuniper Starter 3 Monthly CAD 49.00 / month\n",
            "Starter",
        ),
    ],
)
def test_the_plan_from_the_edition_a_product_is_named_after(text: str, tier: str) -> None:
    assert values(payment.extract(view(text)), "commercial.plan_tier") == [tier]


def test_a_named_plan_wins_over_a_product_name() -> None:
    text = (
        "Plan: Business\n\nProduct Users Price Annual fee\nPlant Insights - Industrial 300 "
        "EUR 60.00 per user per month EUR 216,000.00\n"
    )
    assert values(payment.extract(view(text)), "commercial.plan_tier") == ["Business"]
