"""Amounts as different countries write them, and currencies named away from the amounts.

"1 380 000,00" (spaces for thousands, a decimal comma), "38,40,000" (Indian lakh grouping),
a currency named only in a column heading ("Amount (INR)", "24-month total (USD)") or in a
sentence ("invoiced in Indian Rupees (INR)"), a recurring subtotal labelled annual, an
"annual subscription of USD ...", and a multi-year prepaid total spread over its term.
"""

from __future__ import annotations

from typing import Any

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import Money
from extractors.patterns.money import find_amounts
from tests.layouts import FORMATS, rendered

from .helpers import present, present_in

ACV = "commercial.annual_contract_value"
TCV = "commercial.total_contract_value"
CURRENCIES = "commercial.currencies"


def _money(value: Any) -> tuple[float, str] | None:
    return None if value is None else (value.amount, value.currency)


# ---- figures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("INR 38,40,000", 3_840_000, "INR"),
        ("₹ 4,80,000", 480_000, "INR"),
        ("INR 1,23,45,678.50", 12_345_678.5, "INR"),
        ("ZAR 1 380 000,00", 1_380_000, "ZAR"),
        ("EUR 48 000", 48_000, "EUR"),
        ("USD 1,380,000.00", 1_380_000, "USD"),
    ],
)
def test_grouped_figures_read_whole(text: str, amount: float, currency: str) -> None:
    found = list(find_amounts(text))
    assert [(item.money.amount, item.money.currency) for item in found] == [(amount, currency)]


# ---- the annual value ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Item                          Sites  Price per site (ZAR)  Annual fee (ZAR)\n"
            "Cold Chain Monitor            120    9 200,00              1 104 000,00\n"
            "Pack-house analytics add-on   1      276 000,00            276 000,00\n"
            "Total annual fee                                           1 380 000,00\n",
            (1_380_000, "ZAR"),
        ),
        (
            "All amounts are in Indian Rupees (INR) and are exclusive of GST.\n"
            "Sr. No. Description Users Rate per user per annum (INR) Amount (INR)\n"
            "1 Field Operations 200 16,800 33,60,000\n"
            "2 Offline Sync add-on 200 2,400 4,80,000\n"
            "Total annual fees\n(excluding GST) 38,40,000\n",
            (3_840_000, "INR"),
        ),
        (
            "Summary Amount (USD)\nSubtotal (recurring, annual) 66,000.00\nDiscount 0.00\n"
            "One-time fees 0.00\nQuote total 66,000.00\n",
            (66_000, "USD"),
        ),
        ("The annual subscription of USD 66,000.00 is invoiced once.", (66_000, "USD")),
        ("Your annual subscription is EUR 24 500, invoiced in advance.", (24_500, "EUR")),
        (
            "Total (per year, recurring) .......... GBP 18,000.00\n",
            (18_000, "GBP"),
        ),
    ],
)
def test_the_annual_value_in_national_styles(text: str, expected: tuple[float, str]) -> None:
    assert _money(present(text, ACV)) == expected


@pytest.mark.parametrize(
    ("text", "total", "annual"),
    [
        (
            "| Item | Seats | Price per seat per month (USD) | 24-month total (USD) |\n"
            "|---|---|---|---|\n"
            "| Sales Analytics | 60 | 55.00 | 79,200.00 |\n"
            "| Reporting pack (flat) | 1 | 1,650.00 | 39,600.00 |\n"
            "| **Subscription total, 24 months, prepaid** |  |  | **118,800.00** |\n",
            (118_800, "USD"),
            (59_400, "USD"),
        ),
        (
            "Order total, 36 months, paid in advance: CAD 270,000.00\n",
            (270_000, "CAD"),
            (90_000, "CAD"),
        ),
        (
            "Subscription total for the 36-month term: USD 180,000\n",
            (180_000, "USD"),
            (60_000, "USD"),
        ),
    ],
)
def test_a_prepaid_multi_year_total_is_spread_over_its_term(
    text: str, total: tuple[float, str], annual: tuple[float, str]
) -> None:
    assert _money(present(text, TCV)) == total
    assert _money(present(text, ACV)) == annual


@pytest.mark.parametrize(
    "text",
    [
        # Figures of a PDF row written with dot decimals are never joined across a space.
        "1 TMA-PRO 140 12 360.00 0.00 360.00 50,400.00\n",
        # A count and a year are no amount.
        "In 2025 120 sites were live.",
    ],
)
def test_spaced_figures_need_their_style(text: str) -> None:
    value = present("Currency: USD\n" + text, ACV)
    assert value is None or value.amount in {50_400}


# ---- currencies ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("Fees are stated and invoiced in Indian Rupees (INR).", "INR"),
        ("All amounts are in Indian Rupees (INR) and are exclusive of GST.", "INR"),
        ("The annual fee is invoiced in South African rand, annually in advance.", "ZAR"),
        ("Payments are payable in Brazilian reais.", "BRL"),
        (
            "| Item | Users | Amount (INR) |\n|---|---|---|\n| Platform | 200 | 33,60,000 |\n",
            "INR",
        ),
        (
            "| Item | Seats | 24-month total (USD) |\n|---|---|---|\n"
            "| Platform | 60 | 79,200.00 |\n",
            "USD",
        ),
        ("Summary Amount (USD)\nSubtotal (recurring, annual) 66,000.00\n", "USD"),
        ("Site Quarterly fee (USD)\nGreywater HQ 8,100.00\n", "USD"),
    ],
)
def test_currencies_named_away_from_the_amounts(text: str, currency: str) -> None:
    assert present(text, CURRENCIES) == [currency]


@pytest.mark.parametrize(
    "text",
    [
        "Liability cap (USD) 1,000,000.00\n",
        "The insurance amount (EUR) is set out in Schedule 2.",
    ],
)
def test_a_currency_of_a_cap_or_insurance_is_not_the_billing_currency(text: str) -> None:
    assert present(text, CURRENCIES) is None


# ---- the same tables as PDF, DOCX and text ---------------------------------------------------

RAND = (
    "# Order Form\n"
    "Customer: Karoo Fresh Produce (Pty) Ltd, Cape Town, South Africa.\n"
    "Initial term: 12 months\n"
    "## Fees\n"
    "| Item | Sites | Price per site (ZAR) | Annual fee (ZAR) |\n"
    "|---|---|---|---|\n"
    "| Cold Chain Monitor - Professional | 120 | 9 200,00 | 1 104 000,00 |\n"
    "| Pack-house analytics add-on | 1 | 276 000,00 | 276 000,00 |\n"
    "| Total annual fee | | | 1 380 000,00 |\n"
    "The annual fee is invoiced in South African rand, annually in advance.\n"
)
RUPEES = (
    "# Order Form\n"
    "Customer: Kaveri Agritech Private Limited, Bengaluru, India.\n"
    "## Fees\n"
    "All amounts are in Indian Rupees (INR) and are exclusive of GST.\n"
    "| Sr. No. | Description | Users | Rate per user per annum (INR) | Amount (INR) |\n"
    "|---|---|---|---|---|\n"
    "| 1 | Field Operations - Business plan | 200 | 16,800 | 33,60,000 |\n"
    "| 2 | Offline Sync add-on | 200 | 2,400 | 4,80,000 |\n"
    "| | **Total annual fees (excluding GST)** | | | **38,40,000** |\n"
)
PREPAID = (
    "# Order Form\n"
    "**Subscription start:** September 1, 2025 · **Subscription term:** 24 months\n"
    "## Subscription (prepaid for the full term)\n"
    "| Item | Seats | Price per seat per month (USD) | 24-month total (USD) |\n"
    "|---|---|---|---|\n"
    "| Sales Analytics - Growth | 60 | 55.00 | 79,200.00 |\n"
    "| Advanced Reporting pack (flat) | 1 | 1,650.00 | 39,600.00 |\n"
    "| **Subscription total, 24 months, prepaid** |  |  | **118,800.00** |\n"
    "The full 24-month subscription total is invoiced on the subscription start date.\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
@pytest.mark.parametrize(
    ("body", "annual", "currency"),
    [(RAND, 1_380_000, "ZAR"), (RUPEES, 3_840_000, "INR"), (PREPAID, 59_400, "USD")],
    ids=["rand", "rupees", "prepaid"],
)
def test_national_fee_tables_in_every_layout(
    body: str, annual: float, currency: str, output: OutputFormat
) -> None:
    document = rendered(body, output)
    assert present_in(document, ACV) == Money(amount=annual, currency=currency)
    assert present_in(document, CURRENCIES) == [currency]
