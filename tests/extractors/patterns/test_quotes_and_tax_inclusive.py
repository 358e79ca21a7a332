"""Quotes: line items priced per unit, a party line under the quote's title, acceptance dates.

A quote or an order lists its items as a quantity, the item and a unit price with its unit
and period ("25 x Routing Planner seat @ USD 60 per user per month"): the year's fees are
quantity x price x periods per year, summed over the lines. A party named on the line under
the quote's title is named from the line holding its legal form. A subscription's start is
no agreement date; the date of the acceptance or signature line stands in for one. A price
stated both without and with a sales tax is worth the amount without it.
"""

from __future__ import annotations

from datetime import date

import pytest

from evals.saas.sources import OutputFormat
from extractors.document import Document
from extractors.facts import Money, PartyRole
from tests.extractors.patterns.helpers import facts_of, findings, value
from tests.layouts import FORMATS
from tests.layouts import rendered as rendered_as

ACV = "commercial.annual_contract_value"
AGREEMENT_DATE = "commercial.agreement_date"


def usd(amount: float) -> Money:
    return Money(amount=amount, currency="USD")


# ---- line items: quantity x unit price x periods per year --------------------------------

HEAD = (
    "# Quote Q-2026-1187\n\nProvider: Fernbrook Software LLC. Customer: Oaktide Logistics Inc.\n\n"
)

LINE_ITEMS: dict[str, tuple[str, Money | None]] = {
    "quantity x item @ unit price, one line each": (
        "Line items\n\n"
        "25 x Routing Planner seat @ USD 60 per user per month\n\n"
        "1 x Fleet API add-on @ USD 300 per month\n",
        usd(21_600),
    ),
    "bullets with a multiplication sign and a slashed unit and period": (
        "Line items\n\n"
        "- 25 × Routing Planner seat at $60/user/mo\n"
        "- 3 × Fleet API sandbox at $100/mo\n",
        usd(21_600),
    ),
    "a table with the quantity in a cell of its own": (
        "| Qty | Item | Unit price |\n|---|---|---|\n"
        "| 25 x | Routing Planner seat | @ USD 60 per user per month |\n"
        "| 1 x | Fleet API add-on | @ USD 300 per month |\n",
        usd(21_600),
    ),
    "Qty before the count, the price after a multiplication sign": (
        "Line items\n\nQty 25 Routing Planner × USD 60 / seat / month\n",
        usd(18_000),
    ),
    "a count of units of an item": (
        "Fees: 25 seats of Routing Planner at $60/user/mo, billed annually in advance.\n",
        usd(18_000),
    ),
    "a number in the item's name is no quantity": (
        "Line items\n\n25 x Office 365 E3 seat @ USD 20 per user per month\n",
        usd(6_000),
    ),
    # Look-alikes: a unit price with no period; a number in an item's name with no "x";
    # months of a term are no quantity; a line's own price after a count is not multiplied.
    "a unit price with no period": (
        "Line items\n\n25 x Routing Planner seat @ USD 60 per user\n",
        None,
    ),
    "a tier number is no quantity": (
        "Line items\n\nTier 2 support @ USD 300 per month\n",
        usd(3_600),
    ),
    "months of the term are no quantity": (
        "Line items\n\n12 months of Routing Planner at USD 60 per user per month\n",
        None,
    ),
    "the price of the line, not of each unit": (
        "Line items\n\n2 x Fleet API add-on, USD 600 per month\n",
        usd(7_200),
    ),
}


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
@pytest.mark.parametrize("layout", list(LINE_ITEMS))
def test_line_items_give_the_same_value_as_pdf_docx_and_text(
    layout: str, output: OutputFormat
) -> None:
    body, expected = LINE_ITEMS[layout]
    document = rendered_as(HEAD + body, output, name="quote")
    assert facts_of(document).get(ACV) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An e-mailed quote: rows aligned with spaces.
        (
            "Line items\n"
            "  25 x Routing Planner seat  @ USD 60 per user per month\n"
            "   1 x Fleet API add-on      @ USD 300 per month\n",
            usd(21_600),
        ),
        ("Line items\n  25x Routing Planner seat  @ USD 60 per user per month\n", usd(18_000)),
        ("Line items\n  Qty: 25  Routing Planner  at $60/user/mo\n", usd(18_000)),
        (
            "Line items\n  Quantity 4  Analytics add-on  @ EUR 50 per month\n",
            Money(amount=2_400, currency="EUR"),
        ),
        ("Line items\n  10 x Driver licence  @ USD 90 per driver per quarter\n", usd(3_600)),
        # Look-alikes: a table in several currencies whose other rows are not read as fees
        # (a currency column before the seats, a tax number in the row); years of a term; an
        # optional extra's price.
        (
            "Billing entity Country Tax ID Currency Seats Annual fee\n"
            "Aurora Biotech,\nInc. United States - USD 220 USD 396,000\n"
            "Aurora Biotech\nUK Ltd United Kingdom VAT GB 456 7890 12 GBP 60 GBP 86,400\n"
            "Each billing entity is invoiced separately, annually in advance.\n",
            None,
        ),
        ("Line items\n  2 years of Routing Planner at USD 60 per user per month\n", None),
        ("Additional seats may be added at USD 60 per user per month.\n", None),
    ],
)
def test_line_item_wordings(text: str, expected: Money | None) -> None:
    assert value(text, ACV) == expected


def test_the_note_says_how_the_lines_were_multiplied() -> None:
    text = (
        "Line items\n"
        "  25 x Routing Planner seat  @ USD 60 per user per month\n"
        "   1 x Fleet API add-on      @ USD 300 per month\n"
    )
    fact = findings(text)[ACV]
    assert fact.note == (
        "derived: sum of 2 annual lines (25 x USD 60 per user per month x 12"
        " + 1 x USD 300 per month x 12)"
    )


# ---- a party line under the quote's title ---------------------------------------------

QUOTE_PARTIES = (
    "QUOTE Q-2026-1187\n\n"
    'Fernbrook Software LLC, 410 Pine Street, Portland, OR 97204, USA ("Fernbrook")\n\n'
    'Bill to: Oaktide Logistics Inc., 88 Harbor Way, Tacoma, WA 98402, USA ("Customer")\n\n'
    "Fernbrook will provide the Routing Planner service.\n"
)


def _parties(document: Document) -> list[tuple[str, PartyRole, str | None]]:
    parties = facts_of(document).get("commercial.parties") or []
    return [(party.name, party.role, party.country) for party in parties]


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_party_under_the_title_is_named_without_it(output: OutputFormat) -> None:
    document = rendered_as(QUOTE_PARTIES, output, name="quote")
    assert _parties(document) == [
        ("Fernbrook Software LLC", PartyRole.PROVIDER, "US"),
        ("Oaktide Logistics Inc.", PartyRole.CUSTOMER, "US"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The e-mailed quote: the title on the line right above the party.
        (
            "QUOTE Q-2026-1187\n"
            'Fernbrook Software LLC, 410 Pine Street, Portland, OR 97204, USA ("Fernbrook")\n'
            'Bill to: Oaktide Logistics Inc., 88 Harbor Way, Tacoma, WA 98402, USA ("Customer")\n',
            ["Fernbrook Software LLC", "Oaktide Logistics Inc."],
        ),
        (
            "ORDER CONFIRMATION 4471\n"
            'Kestrel Analytics Ltd, 12 Mill Lane, Leeds LS1 4AB, United Kingdom ("Kestrel")\n'
            'Bill to: Bluebird Foods Ltd, 3 Quay Street, Bristol BS1 4DJ ("Customer")\n',
            ["Kestrel Analytics Ltd", "Bluebird Foods Ltd"],
        ),
        # Look-alike: a name a PDF wrapped across two full lines keeps both of its parts.
        (
            'THIS AGREEMENT is made between Thornbury Systems Limited ("Supplier") and CALLOWAY\n'
            "FREIGHT LINES, INC., a corporation organised under the laws of the State of Ohio "
            '("Customer").\n',
            ["Thornbury Systems Limited", "CALLOWAY FREIGHT LINES, INC."],
        ),
    ],
)
def test_party_names_start_at_the_line_of_their_legal_form(text: str, expected: list[str]) -> None:
    assert [party.name for party in value(text, "commercial.parties")] == expected


# ---- the agreement date: not a subscription's start; an acceptance line stands in ---------

RENEWAL_QUOTE = (
    "QUOTE Q-2026-1187\n"
    'Fernbrook Software LLC, 410 Pine Street, Portland, OR 97204, USA ("Fernbrook")\n'
    'Bill to: Oaktide Logistics Inc., 88 Harbor Way, Tacoma, WA 98402, USA ("Customer")\n\n'
    "Subscription period: 12 months starting 1 January 2027. Billed annually in advance.\n\n"
    "This quote is governed by Fernbrook's Online Terms of Service, which Customer accepted on "
    "14 March 2024.\n\n"
)


@pytest.mark.parametrize(
    ("closing", "expected"),
    [
        (
            "Accepted for Oaktide Logistics Inc. by Dana Reyes, VP Operations, 2 December 2026.\n",
            date(2026, 12, 2),
        ),
        ("Accepted by Dana Reyes (Oaktide Logistics Inc.) on 2 December 2026\n", date(2026, 12, 2)),
        (
            "Agreed and accepted on behalf of Oaktide Logistics Inc.: Dana Reyes, 2026-12-02\n",
            date(2026, 12, 2),
        ),
        (
            "Signed for Oaktide Logistics Inc. by Dana Reyes on December 2, 2026.\n",
            date(2026, 12, 2),
        ),
        # No acceptance line: neither the start of the subscription nor the date the customer
        # accepted other terms is this quote's date.
        ("Questions? Reply to this e-mail.\n", None),
    ],
)
def test_an_acceptance_line_dates_a_quote_not_its_start(
    closing: str, expected: date | None
) -> None:
    facts = findings(RENEWAL_QUOTE + closing)
    found = facts.get(AGREEMENT_DATE)
    assert (found.value if found is not None else None) == expected
    assert facts["commercial.effective_date"].value == date(2027, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "Subscription period: 12 months starting 1 January 2027.\nFees: USD 12,000 per year.\n",
        "The Services commence on 1 March 2025 and run for 12 months.\n",
        "Term: from 1 March 2025 until 28 February 2026.\n",
    ],
)
def test_a_start_or_end_is_no_agreement_date(text: str) -> None:
    assert value(text, AGREEMENT_DATE) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This Outsourcing Agreement is effective as from the 1st day of January, 2009, by and "
            "between Acme Inc. and Beta LLC.\n",
            date(2009, 1, 1),
        ),
        (
            "This email confirms the order below, which your team\nsigned through our e-signature "
            "flow on February 3, 2025.\n",
            date(2025, 2, 3),
        ),
        (
            "Effective date: September 1, 2025 | Term: 12 months | Plan: Professional\n",
            date(2025, 9, 1),
        ),
    ],
)
def test_an_undated_text_is_still_dated_by_its_only_date(text: str, expected: date) -> None:
    assert value(text, AGREEMENT_DATE) == expected


def test_a_dated_opening_still_wins_over_an_acceptance_line() -> None:
    text = (
        "This Order Form is dated 20 November 2026.\n\n"
        "Subscription period: 12 months starting 1 January 2027.\n\n"
        "Accepted for Oaktide Logistics Inc. by Dana Reyes, VP Operations, 2 December 2026.\n"
    )
    assert value(text, AGREEMENT_DATE) == date(2026, 11, 20)


# ---- prices stated without and with a sales tax -----------------------------------------

TAX_HEAD = (
    "# Customer Order\n\nThis Customer Order is made on 2 September 2025 between Jarrah Cloud "
    'Pty Ltd ("Jarrah") and Moreton Bay Aged Care Ltd ("Customer").\n\n'
)

TAXED: dict[str, tuple[str, Money | None]] = {
    "ex-tax and inc-tax columns": (
        "| Item | Annual fee (ex GST) | Annual fee (incl. GST) |\n|---|---|---|\n"
        "| CareRoster Enterprise | AUD 54,000.00 | AUD 59,400.00 |\n"
        "| Family Portal add-on | AUD 6,000.00 | AUD 6,600.00 |\n"
        "| Total | AUD 60,000.00 | AUD 66,000.00 |\n",
        Money(amount=60_000, currency="AUD"),
    ),
    "inc-tax column first": (
        "| Item | Annual price incl. VAT | Annual price excl. VAT |\n|---|---|---|\n"
        "| Platform | EUR 12,100.00 | EUR 10,000.00 |\n",
        Money(amount=10_000, currency="EUR"),
    ),
    "a tax-inclusive total and its tax component": (
        "| Item | Quantity | Annual price (GST incl.) |\n|---|---|---|\n"
        "| CareRoster Enterprise | 300 staff | $59,400.00 |\n"
        "| Family Portal add-on | 6 facilities | $6,600.00 |\n"
        "| Total annual price (GST incl.) | | $66,000.00 |\n\n"
        "All prices are in Australian dollars and include GST. The GST component of the total "
        "annual price is $6,000.00.\n",
        Money(amount=60_000, currency="AUD"),
    ),
    "a price plus tax, then with it": (
        "Annual subscription fee: AUD 60,000 + GST (AUD 66,000 incl. GST).\n",
        Money(amount=60_000, currency="AUD"),
    ),
    "a price with tax, then without it": (
        "Annual subscription fee: AUD 66,000 incl. GST (AUD 60,000 excl. GST).\n",
        Money(amount=60_000, currency="AUD"),
    ),
    # Look-alikes: a price with tax and nothing to take it off; a price that excludes tax.
    "tax-inclusive with nothing stated without it": (
        "Annual subscription fee: AUD 66,000 incl. GST.\n",
        Money(amount=66_000, currency="AUD"),
    ),
    "a price excluding tax": (
        "Annual subscription fee: AUD 60,000 excl. GST, which will be added to each invoice.\n",
        Money(amount=60_000, currency="AUD"),
    ),
}


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
@pytest.mark.parametrize("layout", list(TAXED))
def test_the_value_is_without_tax_in_pdf_docx_and_text(layout: str, output: OutputFormat) -> None:
    body, expected = TAXED[layout]
    document = rendered_as(TAX_HEAD + body, output, name="order_form")
    assert facts_of(document).get(ACV) == expected
