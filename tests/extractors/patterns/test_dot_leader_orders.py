"""Orders set out as dot-leader fields, and the wordings such orders use.

"Fee .............. US$3,200 per month, invoiced annually in advance (US$38,400 for each
twelve-month period)", its value wrapped onto an indented line; "Provider ......... see
signature block" (a field pointing elsewhere names no party); the provider named in a
numbered clause ("1.1 Northwind Ledger, Inc. ("Northwind") will provide ..."); a term
counted from a date ("twelve (12) months beginning on January 15, 2027"); and invoices
"due thirty (30) days after the invoice date".
"""

from __future__ import annotations

from typing import Any

import pytest

from evals.saas.sources import OutputFormat
from extractors.document import Document
from extractors.facts import FactStatus, PartyRole
from extractors.patterns import PatternExtractor
from extractors.patterns.contract_value import _negative_lead
from extractors.patterns.money import find_amounts
from tests.layouts import FORMATS, rendered

from .helpers import make_document, present

ACV = "commercial.annual_contract_value"
TERM = "commercial.term_months"
PAYMENT = "commercial.payment_terms_days"
PARTIES = "commercial.parties"


def _values(document: Document) -> dict[str, Any]:
    return {
        finding.path: finding.fact.value
        for finding in PatternExtractor().extract(document, [])
        if finding.fact.status is FactStatus.PRESENT
    }


def _parties(value: Any) -> dict[str, PartyRole]:
    return {party.name: party.role for party in value or []}


ORDER = (
    "NORTHWIND LEDGER CLOUD — SERVICE ORDER NO. NL-2026-0412\n"
    "\n"
    "At a glance\n"
    "  Provider ......... see signature block\n"
    "  Subscriber ....... Calder River Food Co-operative, 2200 Hennepin Avenue, Minneapolis, "
    "MN 55405, USA\n"
    "  Edition .......... Team edition, 60 named users\n"
    "  Service period ... twelve (12) months beginning on January 15, 2027\n"
    "  Fee .............. US$3,200 per month, invoiced annually in advance (US$38,400 for each\n"
    "                     twelve-month period)\n"
    "  Invoices ......... due thirty (30) days after the invoice date\n"
    "\n"
    "1. What this order covers\n"
    '1.1 Northwind Ledger, Inc. ("Northwind") will provide the Team edition of Northwind Ledger\n'
    "Cloud to the Subscriber for the service period.\n"
    "1.2 The service period renews for further twelve-month periods unless either of us gives\n"
    "written notice of non-renewal at least sixty (60) days before the period ends.\n"
    "\n"
    "Signed for Northwind Ledger, Inc., 500 Fifth Avenue, New York, NY 10110: Dana Whitfield, CFO\n"
    "Signed for Calder River Food Co-operative: Luis Ortega, General Manager\n"
)


def test_the_order_as_written_in_plain_text() -> None:
    values = _values(make_document(ORDER))
    assert values.get(ACV) is not None
    assert (values[ACV].amount, values[ACV].currency) == (38_400, "USD")
    assert values.get(TERM) == 12
    assert values.get(PAYMENT) == 30
    assert _parties(values.get(PARTIES)) == {
        "Northwind Ledger, Inc.": PartyRole.PROVIDER,
        "Calder River Food Co-operative": PartyRole.CUSTOMER,
    }


# The same order as the evaluation renders sources: a field a paragraph of its own, the long
# fee field wrapped where the PDF or text line is full.
SOURCE = (
    "# Service Order NL-2026-0412\n"
    "Provider ......... see signature block\n"
    "Subscriber ....... Calder River Food Co-operative, 2200 Hennepin Avenue, Minneapolis, "
    "MN 55405, USA\n"
    "Service period ... twelve (12) months beginning on January 15, 2027\n"
    "Fee .............. US$3,200 per month, invoiced annually in advance (US$38,400 for each "
    "twelve-month period)\n"
    "Invoices ......... due thirty (30) days after the invoice date\n"
    '1.1 Northwind Ledger, Inc. ("Northwind") will provide the Team edition of Northwind Ledger '
    "Cloud to the Subscriber for the service period.\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_the_order_in_every_layout(output: OutputFormat) -> None:
    values = _values(rendered(SOURCE, output))
    assert (values[ACV].amount, values[ACV].currency) == (38_400, "USD")
    assert values.get(TERM) == 12
    assert values.get(PAYMENT) == 30
    roles = _parties(values.get(PARTIES))
    assert roles.get("Northwind Ledger, Inc.") is PartyRole.PROVIDER
    assert "see signature block" not in {name.lower() for name in roles}


@pytest.mark.parametrize(
    "text",
    [
        "Fee: US$3,200 per month (US$38,400 per year)",
        "Fee .............. US$3,200 per month, invoiced annually in advance (US$38,400 for each\n"
        "                   twelve-month period)",
        "Subscription fee: USD 3,200.00 per month (USD 38,400.00 for each twelve-month period)",
    ],
)
def test_a_fee_restated_in_brackets_is_no_credit(text: str) -> None:
    value = present(text, ACV)
    assert value is not None and (value.amount, value.currency) == (38_400, "USD")


@pytest.mark.parametrize(
    ("row", "negative"),
    [
        ("Loyalty credit | (USD 4,000.00)", True),
        ("Loyalty credit | (4,000.00 USD)", True),
        ("Loyalty credit | -USD 4,000.00", True),
        ("Fee | USD 3,200 per month (USD 38,400 per year)", False),
    ],
)
def test_only_a_bracket_closing_on_the_figure_is_a_minus(row: str, negative: bool) -> None:
    last = list(find_amounts(row))[-1]
    assert _negative_lead(row, max(0, last.start - 3), last) is negative


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Service period ... twelve (12) months beginning on January 15, 2027", 12),
        ("3. Term. Twenty-four (24) months from October 1, 2025, without automatic renewal.", 24),
        (
            "Orrery Demand Sensing, Professional plan, 12 months from 1 January 2026, renewing "
            "for further 12-month terms unless either party gives 60 days' notice.",
            12,
        ),
        ("Subscription period: 36 months commencing on 1 March 2026.", 36),
    ],
)
def test_a_term_counted_from_a_date(text: str, months: int) -> None:
    assert present(text, TERM) == months


@pytest.mark.parametrize(
    "text",
    [
        "This Agreement renews for 12 months from January 1, 2027.",
        "The warranty period is 12 months from January 1, 2027 under this agreement.",
        "Either party may terminate on notice given within 6 months from March 1, 2026 under "
        "this agreement.",
    ],
)
def test_other_periods_counted_from_a_date_are_no_term(text: str) -> None:
    assert present(text, TERM) is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Invoices ......... due thirty (30) days after the invoice date", 30),
        ("Invoices: due thirty (30) days after the invoice date", 30),
        ("Each invoice is payable 45 days from the date of the invoice.", 45),
        ("Payment: due 30 days following receipt of invoice", 30),
    ],
)
def test_payment_due_counted_from_the_invoice(text: str, days: int) -> None:
    assert present(text, PAYMENT) == days


@pytest.mark.parametrize(
    "field",
    [
        "Provider ......... see signature block",
        "Provider: as set out below",
        "Supplier: TBD",
    ],
)
def test_a_field_pointing_elsewhere_names_no_party(field: str) -> None:
    text = field + "\nCustomer: Calder River Food Co-operative, Minneapolis, MN 55405, USA\n"
    names = {name.lower() for name in _parties(present(text, PARTIES))}
    assert not any(name.startswith(("see", "as set", "tbd")) for name in names)


def test_a_party_named_in_a_numbered_clause_loses_the_number() -> None:
    text = (
        "Customer: Calder River Food Co-operative, Minneapolis, MN 55405, USA\n\n"
        "1. What this order covers\n"
        '1.1 Northwind Ledger, Inc. ("Northwind") will provide the service to the Customer.\n'
    )
    roles = _parties(present(text, PARTIES))
    assert roles.get("Northwind Ledger, Inc.") is PartyRole.PROVIDER
