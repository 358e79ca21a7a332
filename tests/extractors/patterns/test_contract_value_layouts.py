"""The annual contract value read from every layout an order form prices it in.

Each layout is rendered from one source as PDF, DOCX and plain text (the way the SaaS
evaluation renders its bundles), ingested as an upload is, and must give the same value:
a PDF wraps lines and loses table cells, a DOCX gives table rows as tab-separated cells,
plain text aligns columns with spaces.
"""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.document import Document
from extractors.facts import Money
from extractors.patterns import PatternExtractor
from tests.layouts import FORMATS
from tests.layouts import rendered as rendered_as

ACV = "commercial.annual_contract_value"
HEAD = "# Order Form\n\nProvider: Northwind Forms, Inc. Customer: Bluejay Dental Group LLC.\n\n"


def rendered(body: str, output: OutputFormat) -> Document:
    """``body`` under the order form's head, rendered as ``output`` and ingested."""
    return rendered_as(HEAD + body, output, name="order_form")


def annual_value(document: Document) -> tuple[Money | None, str | None, list[str]]:
    """The ACV fact's value, note and quotes."""
    for finding in PatternExtractor().extract(document, []):
        if finding.path == ACV:
            fact = finding.fact
            return fact.value, fact.note, [evidence.quote for evidence in fact.evidence]
    return None, None, []


LAYOUTS = {
    "dot leaders": (
        "Subscription term: 12 months starting March 1, 2027.\n\n"
        "Platform subscription ............................ USD 48,000.00\n",
        Money(amount=48_000, currency="USD"),
    ),
    "annual fees in a sentence": (
        "Customer shall pay annual fees of USD 84,000, invoiced annually in advance.\n",
        Money(amount=84_000, currency="USD"),
    ),
    "annual fees field": ("Annual Fees: $84,000\n", Money(amount=84_000, currency="USD")),
    "annual subscription fee": (
        "Customer shall pay an annual subscription fee of EUR 30,000 for the Platform.\n",
        Money(amount=30_000, currency="EUR"),
    ),
    "total for a multi-year term": (
        "Subscription term: thirty-six (36) months from the Effective Date.\n\n"
        "Total subscription fees: USD 360,000 for the 36-month term.\n",
        Money(amount=120_000, currency="USD"),
    ),
    "monthly price": (
        "The subscription fee is USD 1,500 per month, invoiced monthly in arrears.\n",
        Money(amount=18_000, currency="USD"),
    ),
    "per user per month with a user count": (
        "Subscription fees: 120 users x USD 25.00 per user per month, billed annually.\n",
        Money(amount=36_000, currency="USD"),
    ),
    "fee table with one-time and total rows": (
        "Subscription term: 12 months.\n\n"
        "| Item | Qty | Unit price | Total |\n"
        "|---|---|---|---|\n"
        "| Platform subscription | 120 users | USD 25.00 per user per month | USD 36,000.00 |\n"
        "| Premium support | 1 | USD 6,000.00 per year | USD 6,000.00 |\n"
        "| Implementation (one-time) | 1 | USD 5,000.00 | USD 5,000.00 |\n"
        "| Sales tax | | | USD 3,760.00 |\n"
        "| Total | | | USD 50,760.00 |\n",
        Money(amount=42_000, currency="USD"),
    ),
    "fee table with a monthly column": (
        "| Product | Users | Monthly fee |\n"
        "|---|---|---|\n"
        "| Dispatch Pro | 140 users | AUD 9,800.00 |\n"
        "| Connector | 1 | AUD 750.00 |\n"
        "| Onboarding | 1 | AUD 2,000.00 |\n",
        Money(amount=126_600, currency="AUD"),
    ),
    "value in words and figures": (
        "Customer shall pay subscription fees of forty-eight thousand US dollars (USD 48,000) "
        "per year.\n",
        Money(amount=48_000, currency="USD"),
    ),
    "value wrapped before its bracketed figure": (
        # Long enough that a PDF line breaks between the words and the figure.
        "In consideration of the rights granted, the Customer shall pay to the Provider "
        "subscription fees of United States Dollars (US$900,000.00) per annum.\n",
        Money(amount=900_000, currency="USD"),
    ),
}


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_layout_gives_the_same_value_as_pdf_docx_and_text(
    layout: str, output: OutputFormat
) -> None:
    body, expected = LAYOUTS[layout]
    value, _, quotes = annual_value(rendered(body, output))
    assert value == expected
    assert quotes


def test_summed_table_lines_are_each_quoted_and_the_note_says_how() -> None:
    body, _ = LAYOUTS["fee table with one-time and total rows"]
    for output in FORMATS:
        _, note, quotes = annual_value(rendered(body, output))
        assert note is not None and note.startswith("derived: sum of 2 annual lines"), output
        assert any("Platform subscription" in quote for quote in quotes), output
        assert any("Premium support" in quote for quote in quotes), output
        assert not any("Implementation" in quote or "Total" in quote for quote in quotes)
