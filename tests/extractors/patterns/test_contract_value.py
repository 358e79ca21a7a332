"""Total and annual contract value: stated, read from an order table, or derived."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractors.facts import Money
from extractors.patterns import contract_value

from .helpers import findings, values, view

ACV = "commercial.annual_contract_value"
TCV = "commercial.total_contract_value"


def _values(text: str, path: str) -> list[Any]:
    return values(contract_value.extract(view(text)), path)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Annual fees are set out in the Order Form.",
        "Customer commits to minimum annual fees of USD 500,000 in each contract year.",
        "Each party's liability shall not exceed the annual fees, up to USD 1,000,000.",
        "The annual fees may increase by no more than 3% at each renewal.",
        "Aurora commits to aggregate annual fees equivalent to at least USD 500,000.",
        # A per-unit price is not the year's value.
        "Additional seats cost EUR 210 per user per year, being EUR 16,800 per year.",
        # Look-alikes of the year's fees: a liability cap, an insurance minimum, a services
        # fee alone, a price-increase cap, taxes, an hourly rate.
        "Each party's liability shall not exceed the fees paid in the 12 months before the claim.",
        "Liability is capped at USD 500,000 per year.",
        "Provider shall maintain insurance of not less than USD 2,000,000 per occurrence and "
        "USD 5,000,000 per year in the aggregate.",
        "Professional services fee: USD 20,000, payable on signature.",
        "Implementation services ............ USD 15,000.00",
        "Provider may increase the fees by up to USD 2,000 per year at each renewal.",
        "Taxes (GST 5%): CAD 5.88 per month.",
        "Additional consulting is charged at USD 200 per hour.",
        "Additional users may be purchased at USD 25 per user per month.",
    ],
)
def test_no_annual_value_where_none_is_stated_or_determined(text: str) -> None:
    assert _values(text, ACV) == []


@pytest.mark.parametrize(
    "between",
    [
        "Archive\nmodule\n\n",  # a blank line among the fragments
        "The archive module below is offered on request.\nArchive\nmodule\n",  # running text
    ],
)
def test_only_wrapped_cells_keep_two_distant_fee_lines_together(between: str) -> None:
    text = (
        f"Item Annual fee\nPlatform subscription USD 40,000.00\n{between}extension USD 5,000.00\n"
    )
    hits = [hit for hit in contract_value.extract(view(text)) if hit.path == ACV]
    assert [hit.value.amount for hit in hits] != [45_000]


def test_a_table_in_several_currencies_gives_no_annual_value() -> None:
    text = (
        "Entity\tCurrency\tUsers\tAnnual fee\n"
        "Vesta GmbH\tEUR\t300\tEUR 172,800\n"
        "Vesta Inc.\tUSD\t100\tUSD 62,400\n"
    )
    assert _values(text, ACV) == []


def test_a_monthly_price_table_is_summed_and_annualised() -> None:
    text = (
        "Item Entity Quantity Monthly fee\n"
        "Dispatch Pro Acme Pty Ltd 140 users AUD 9,800.00\n"
        "Connector Acme Pty Ltd 1 AUD 750.00\n"
    )
    hits = [hit for hit in contract_value.extract(view(text)) if hit.path == ACV]
    assert [hit.value for hit in hits] == [Money(amount=126_600, currency="AUD")]
    assert hits[0].note == (
        "derived: sum of 2 annual lines (AUD 9,800 per month x 12 + AUD 750 per month x 12)"
    )
    assert len(hits[0].spans) == 2


PLAIN_ORDER_FORM = Path(__file__).parents[3] / ".." / "shared" / "hooks" / "plain-order-form.txt"


@pytest.mark.parametrize(
    ("text", "expected", "note"),
    [
        ("Platform subscription ............ USD 48,000.00", 48_000, "no period stated"),
        ("Fees ........................ USD 7,200.00 per year", 7_200, None),
        ("Customer shall pay annual fees of USD 84,000.", 84_000, None),
        ("Annual Fees: $84,000", 84_000, None),
        ("The annual subscription fee of USD 30,000 is invoiced in advance.", 30_000, None),
        (
            "Total subscription fees: USD 360,000 for the 36-month term.",
            120_000,
            "derived: total USD 360,000 / 3 years",
        ),
        (
            "The subscription fee is USD 1,500 per month.",
            18_000,
            "derived: USD 1,500 per month x 12",
        ),
        (
            "Subscription: 120 users x USD 25.00 per user per month.",
            36_000,
            "derived: 120 x USD 25 per user per month x 12",
        ),
        (
            "| Item | Qty | Unit price | Total |\n|---|---|---|---|\n"
            "| Platform | 100 users | USD 20.00 per user per month | USD 24,000.00 |\n"
            "| Support | 1 | USD 6,000.00 per year | USD 6,000.00 |\n"
            "| Set-up (one-time) | 1 | USD 5,000.00 | USD 5,000.00 |\n"
            "| VAT | | | USD 7,000.00 |\n| Total | | | USD 42,000.00 |\n",
            30_000,
            "derived: sum of 2 annual lines",
        ),
        (
            "Item          Qty   Monthly price\n"
            "Workspace     1     USD 1,200.00\n"
            "Extra sites   5     USD 250.00\n"
            "Monthly total       USD 1,450.00\n",
            17_400,
            "derived: sum of 2 annual lines",
        ),
        (
            "Product\tSeats\tAnnual fee\nAnalytics Suite\t40 seats\tUSD 20.00 per seat per month\n",
            9_600,
            "derived: 40 x USD 20 per seat per month x 12",
        ),
        (
            "Customer shall pay subscription fees of United States Dollars\n(US$900,000.00) "
            "per annum.",
            900_000,
            None,
        ),
        (
            "Customer shall pay subscription fees of United States Dollars (US$900,000.00) "
            "per annum.",
            900_000,
            None,
        ),
        ("Fees: forty-eight thousand US dollars (USD 48,000) per year.", 48_000, None),
        ("Fees: forty-eight thousand US dollars per year.", 48_000, None),
        (
            # A PDF table whose cells wrap onto lines of their own, with "Inc." inside a row.
            "Item Invoiced to Annual fee\n"
            "Summit Ledger Close - Enterprise,\n"
            "160 users Ravenscroft Hotels, Inc. USD 40,000.00\n"
            "Summit Ledger Close - Enterprise,\n"
            "100 users\n"
            "Ravenscroft Resorts Management\n"
            "LLC USD 25,000.00\n",
            65_000,
            "sum of 2 annual lines",
        ),
        (
            # Unit prices whose period only their column names; a line-number column first.
            "  Line  Description                      Qty   Monthly   Extended (12 mo)\n"
            "  1     Scheduling - Clinic tier           6    $95.00        $6,840.00\n"
            "  2     SMS reminders add-on               2    $40.00          $960.00\n"
            "                                              Renewal total:   $7,800.00\n",
            7_800,
            "sum of 2 annual lines",
        ),
    ],
)
def test_annual_value_in_every_layout(text: str, expected: float, note: str | None) -> None:
    hits = [hit for hit in contract_value.extract(view(text)) if hit.path == ACV]
    assert [hit.value.amount for hit in hits] == [expected]
    if note is None:
        assert hits[0].note is None
    else:
        assert hits[0].note is not None and note in hits[0].note


def test_a_derived_value_is_less_sure_than_a_stated_one() -> None:
    stated = contract_value.extract(view("Annual fees: USD 18,000."))
    monthly = contract_value.extract(view("The subscription fee is USD 1,500 per month."))
    assert stated[0].value == monthly[0].value
    assert monthly[0].confidence < stated[0].confidence


def test_the_plain_order_form_gives_its_yearly_fee() -> None:
    text = PLAIN_ORDER_FORM.read_text(encoding="utf-8")
    assert _values(text, ACV) == [Money(amount=7_200, currency="USD")]


def test_fee_lines_in_several_currencies_are_never_added_up() -> None:
    text = (
        "Item Entity Quantity Monthly fee\n"
        "Pulse Acme Pty Ltd 140 users AUD 9,800.00\n"
        "Pulse Acme NZ Limited 40 users NZD 3,040.00\n"
    )
    assert _values(text, ACV) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Annual Contract Value (ACV): USD 120,000", Money(amount=120_000, currency="USD")),
        ("Year 1 fees: EUR 50,000.00, payable on signature.", Money(amount=50_000, currency="EUR")),
        ("The annual subscription fees are GBP 24,000.", Money(amount=24_000, currency="GBP")),
        ("First-year subscription fees: $48,000", Money(amount=48_000, currency="USD")),
        # A field whose value wrapped onto the next line of a PDF.
        ("Price list applies. Annual fees:\nUSD 975,000.", Money(amount=975_000, currency="USD")),
        # A total row whose cells the PDF put on lines of their own.
        (
            "Total Annual Subscription\nFees\nUSD 967,200\n",
            Money(amount=967_200, currency="USD"),
        ),
    ],
)
def test_stated_annual_values(text: str, expected: Money) -> None:
    assert _values(text, ACV) == [expected]


def test_total_row_of_an_annual_table_with_the_currency_in_its_header() -> None:
    text = (
        "Module Scope Annual price (NOK)\n"
        "Core platform 10 sites, unlimited users 1,150,000\n"
        "Sensor packs 40 packs 230,000\n"
        "Total per year 1,380,000\n"
    )
    assert _values(text, ACV) == [Money(amount=1_380_000, currency="NOK")]


def test_the_net_column_of_a_total_row_wins_over_the_list_column() -> None:
    text = (
        "Service Quantity Annual List Fee (CAD) Annual Net Fee (CAD)\n"
        "Member Suite 150 users 99,000.00 89,100.00\n"
        "Total 106,500.00 95,850.00\n"
    )
    assert _values(text, ACV) == [Money(amount=95_850, currency="CAD")]


def test_annual_value_derived_from_recurring_lines_only() -> None:
    text = (
        "| Item | Qty | Unit price | Annual fee |\n"
        "|---|---|---|---|\n"
        "| Platform | 100 users | USD 20.00 / user / month | USD 24,000.00 |\n"
        "| Premium support | 1 | USD 6,000.00 | USD 6,000.00 |\n"
        "| Loyalty discount | | | - USD 1,000.00 |\n"
        "| Onboarding package (one-time) | 1 | USD 5,000.00 | USD 5,000.00 |\n"
    )
    hits = [hit for hit in contract_value.extract(view(text)) if hit.path == ACV]
    assert [hit.value for hit in hits] == [Money(amount=29_000, currency="USD")]
    hit = hits[0]
    assert hit.note is not None and hit.note.startswith("derived: sum of 3 annual")
    quoted = [text[start:end] for start, end in hit.spans]
    assert len(quoted) == 3
    assert not any("Onboarding" in quote for quote in quoted)


def test_annual_value_derived_from_total_value_and_term() -> None:
    text = (
        "Subscription Term: thirty-six (36) months from May 1, 2025.\n\n"
        "Total Contract Value: USD 454,500.00, exclusive of taxes.\n"
    )
    assert _values(text, TCV) == [Money(amount=454_500, currency="USD")]
    hits = [hit for hit in contract_value.extract(view(text)) if hit.path == ACV]
    assert [hit.value for hit in hits] == [Money(amount=151_500, currency="USD")]
    assert hits[0].note == "derived: total USD 454,500 / 3 years"
    quoted = [text[start:end] for start, end in hits[0].spans]
    assert any("454,500.00" in quote for quote in quoted)
    assert any("thirty-six (36) months" in quote for quote in quoted)


def test_a_total_that_names_its_own_term_is_spread_over_it() -> None:
    text = "Total fees for the Initial Term of twenty-four (24) months: CAD 191,700.00."
    assert _values(text, TCV) == [Money(amount=191_700, currency="CAD")]
    assert _values(text, ACV) == [Money(amount=95_850, currency="CAD")]


@pytest.mark.parametrize(
    "text",
    [
        # The total includes one-time fees: dividing it by the term would overstate the year.
        "Term: 36 months.\n\nTotal contract value, including the one-time implementation fee: "
        "USD 300,000.",
        # No term to spread it over.
        "Total Contract Value: USD 300,000.",
        # A term shorter than a year is not annualised.
        "Pilot term: 6 months.\n\nTotal Contract Value: USD 30,000.",
    ],
)
def test_no_annual_value_derived_without_a_clean_total_and_term(text: str) -> None:
    assert _values(text, ACV) == []


def test_a_stated_annual_value_wins_over_a_derived_one() -> None:
    text = (
        "Subscription Term: 36 months.\n\n"
        "Total Contract Value: USD 300,000.\n\n"
        "Annual subscription fees: USD 95,000.\n"
    )
    assert _values(text, ACV) == [Money(amount=95_000, currency="USD")]


def test_a_derived_fact_quotes_every_source_and_says_how() -> None:
    text = (
        "ORDER FORM\n\nSubscription Term: 24 months from March 1, 2025.\n\n"
        "Total Contract Value for the Subscription Term: EUR 200,000.00.\n"
    )
    fact = findings(text)[ACV]
    assert fact.value == Money(amount=100_000, currency="EUR")
    assert fact.note == "derived: total EUR 200,000 / 2 years"
    assert len(fact.evidence) == 2
    for evidence in fact.evidence:
        assert text[evidence.start : evidence.end] == evidence.quote


def test_two_derivations_that_agree_are_both_quoted() -> None:
    text = (
        "Product Users Price Annual fee\n"
        "Plant Insights - Industrial 300 EUR 60.00 per user per month EUR 216,000.00\n\n"
        "Subscription term: thirty-six (36) months starting 1 September 2025.\n\n"
        "Total subscription fees: EUR 648,000.00.\n"
    )
    hits = [hit for hit in contract_value.extract(view(text)) if hit.path == ACV]
    assert [hit.value for hit in hits] == [Money(amount=216_000, currency="EUR")]
    assert (
        hits[0].note is not None and "agrees with the total EUR 648,000 / 3 years" in hits[0].note
    )
    assert len(hits[0].spans) == 3


def test_derivations_that_disagree_keep_the_line_items() -> None:
    text = (
        "| Item | Qty | Annual fee |\n|---|---|---|\n| Platform | 10 users | USD 10,000.00 |\n\n"
        "Subscription term: 24 months.\n\nTotal Contract Value: USD 30,000.\n"
    )
    assert _values(text, ACV) == [Money(amount=10_000, currency="USD")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Key and value: the unit and period in the price's label, the count on its own row.
        (
            "  Seats ................................ 40\n"
            "  Price per seat per month ............. GBP 35.00\n"
            "  Billing .............................. monthly in arrears\n",
            16_800,
        ),
        (
            "Number of users: 120\nFee per user per year: USD 150\n",
            18_000,
        ),
    ],
)
def test_a_unit_price_named_by_its_label_is_multiplied_by_the_count_beside_it(
    text: str, expected: float
) -> None:
    hits = [hit for hit in contract_value.extract(view(text)) if hit.path == ACV]
    assert [hit.value.amount for hit in hits] == [expected]
    assert hits[0].note is not None and " x " in hits[0].note


def test_a_unit_price_named_by_its_label_without_a_count_is_no_annual_value() -> None:
    text = "  Price per seat per month ............. GBP 35.00\n"
    assert _values(text, ACV) == []
