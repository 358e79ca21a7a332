"""Facts that read the same from a contract as PDF, DOCX and plain text.

Each source is rendered in the three formats (as the SaaS evaluation renders its bundles),
ingested as an upload is, and must give the same fact: a PDF or a plain-text file wraps a
sentence where the line is full, so "(b)" of a list written inline or the figure of
"payable net thirty (30) days" can start a line, and a DOCX keeps its footer apart from
the body.
"""

from __future__ import annotations

from typing import Any

import pytest

from evals.saas.sources import OutputFormat
from extractors.document import Document
from extractors.patterns import PatternExtractor
from tests.layouts import FORMATS, rendered


def fact(document: Document, path: str) -> Any:
    """The value the pattern extractor reads for ``path`` (None if it reads none)."""
    for finding in PatternExtractor().extract(document, []):
        if finding.path == path:
            return finding.fact.value
    return None


SOW = (
    "# Statement of Work\n"
    "## 2. Scope of Services\n"
    "2.1 Integrations. Ledgerly will build and support production integrations with (a) "
    "Bank's Fiserv DNA core banking platform for daily general ledger and transaction files, "
    "(b) Workday Financials for journal postings, and (c) the Federal Reserve FedLine file "
    "feeds.\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_list_written_inline_is_one_sentence_where_its_item_starts_a_line(
    output: OutputFormat,
) -> None:
    document = rendered(SOW, output)
    assert set(fact(document, "implementation.integrations") or []) >= {
        "Fiserv DNA",
        "Workday",
        "Federal Reserve FedLine",
    }


def test_the_text_rendering_starts_a_line_with_the_second_item() -> None:
    # The layout the test above is about: without it the test proves nothing.
    assert "\n(b) Workday" in rendered(SOW, OutputFormat.TXT).text


ORDER_FORM = (
    "# Order Form\n"
    "Payment. Notwithstanding Section 6.2 of the MSA, invoices under this Order Form are "
    "payable net thirty (30) days from the invoice date. In the event of any conflict between "
    "this Order Form and the MSA, this Order Form prevails.\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_net_terms_wrapped_before_their_figure(output: OutputFormat) -> None:
    assert fact(rendered(ORDER_FORM, output), "commercial.payment_terms_days") == 30


def test_the_pdf_rendering_wraps_between_net_and_its_figure() -> None:
    assert "net\nthirty" in rendered(ORDER_FORM, OutputFormat.PDF).text


FOOTER = "Maplewood Cloud Inc., 100 King Street West, Toronto, ON - GST/HST No. 81234 5678 RT0001"


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_tax_number_only_in_the_footer_is_read(output: OutputFormat) -> None:
    body = "# Order Form\nCustomer: Prairie Cobalt Credit Union Limited, Winnipeg, Manitoba.\n"
    document = rendered(body, output, footer=FOOTER)
    assert fact(document, "tax.vat_numbers") == ["81234 5678 RT0001"]


TERM_SHEET = (
    "# Order Form\n"
    "| Field | Value |\n"
    "|---|---|\n"
    "| Plan | Business |\n"
    "| Subscription term | 36 months from November 1, 2025 |\n"
    "| Services | Fenwick Member Onboarding - Business, up to 40,000 members |\n"
    "\n"
    "Total subscription fees for the three-year term: CAD 180,000, invoiced in equal annual "
    "instalments in advance in Canadian dollars.\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_total_opening_its_line_is_not_read_with_the_row_above(output: OutputFormat) -> None:
    # A PDF keeps no cells: "up to 40,000 members" in the row above is no ceiling on the total.
    value = fact(rendered(TERM_SHEET, output), "commercial.total_contract_value")
    assert value is not None
    assert (value.amount, value.currency) == (180_000, "CAD")
