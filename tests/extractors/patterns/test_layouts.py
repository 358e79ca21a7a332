"""Text as the loaders produce it: PDF tables without columns, DOCX tab rows, no-break spaces."""

from __future__ import annotations

from datetime import date
from typing import Any

from extractors.facts import PartyRole, Product
from extractors.patterns import parties, payment, service, term

from .helpers import docx_view, findings, values, view


def _values(hits: list[Any], path: str) -> list[Any]:
    return values(hits, path)


def test_no_break_spaces_do_not_hide_dates_or_law() -> None:
    text = (
        "This\xa0Agreement\xa0is\xa0entered\xa0into\xa0on\xa0January\xa013,\xa02005. "
        "This\xa0Agreement\xa0is\xa0governed\xa0by\xa0the\xa0laws\xa0of\xa0the\xa0State\xa0of\xa0Kansas."
    )
    facts = findings(text)
    assert facts["commercial.agreement_date"].value == date(2005, 1, 13)
    assert facts["legal.governing_law"].value == "Kansas"


def test_pdf_product_rows_without_column_separators() -> None:
    text = (
        "Service Quantity Annual List Fee (CAD) Annual Net Fee (CAD)\n"
        "Member\n"
        "Engagement Suite\n"
        "150 users 99,000.00 89,100.00\n"
        "Advanced Analytics add-on 1 7,500.00 6,750.00\n"
        "Total 106,500.00 95,850.00\n"
        "Page 1 of 2\n"
    )
    assert _values(payment.extract(view(text)), "commercial.products") == [
        Product(name="Member Engagement Suite", quantity=150, unit="users"),
        Product(name="Advanced Analytics add-on", quantity=1, unit=None),
    ]


def test_fields_whose_separator_the_pdf_lost() -> None:
    text = (
        'Provider Maplewood Cloud Inc. ("Maplewood")\n'
        "Customer Prairie Cobalt Credit Union Limited, 400 Portage Avenue, Winnipeg, Canada\n"
        "Plan Business\n"
    )
    found = _values(parties.extract(view(text)), "commercial.parties")
    assert [(p.name, p.role) for p in found] == [
        ("Maplewood Cloud Inc.", PartyRole.PROVIDER),
        ("Prairie Cobalt Credit Union Limited", PartyRole.CUSTOMER),
    ]
    assert _values(payment.extract(view(text)), "commercial.plan_tier") == ["Business"]


def test_docx_tab_rows_are_fields_and_sentences() -> None:
    text = "Plan\tEnterprise\nSubscription Term\t36 months\nPayment terms\tNet 45\n"
    hits = payment.extract(docx_view(text)) + term.extract(docx_view(text))
    assert _values(hits, "commercial.plan_tier") == ["Enterprise"]
    assert _values(hits, "commercial.term_months") == [36]
    payment_hit = next(hit for hit in hits if hit.path == "commercial.payment_terms_days")
    # The quote is the row, not the whole table.
    assert text[payment_hit.start : payment_hit.end] == "Payment terms\tNet 45"


def test_severity_response_from_a_table_that_lost_its_columns() -> None:
    text = (
        "Provider will respond to support requests within the following times:\n"
        "Severity Description Initial Response\n"
        "Severity 1\nServices unavailable or materially\nimpaired for all Users\n1 hour\n"
        "Severity 2\nMajor function impaired\n4 business hours\n"
    )
    assert _values(service.extract(view(text)), "service.support_response_hours") == [1.0]
