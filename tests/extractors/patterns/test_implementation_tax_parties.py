"""Implementation scope, tax and entities, parties and document kinds."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from extractors.facts import DocumentKind, Milestone, Money, PartyRole
from extractors.patterns import document_kind, implementation, parties, tax

from .helpers import values, view


def _impl(text: str, path: str) -> list[Any]:
    return values(implementation.extract(view(text)), path)


def test_integrations_need_an_integration_context() -> None:
    text = (
        "Provider will build bi-directional integrations with Salesforce and NetSuite, and SSO "
        "with Okta."
    )
    assert _impl(text, "implementation.integrations") == ["Salesforce", "NetSuite", "Okta"]
    assert (
        _impl("Our founder previously worked at Salesforce.", "implementation.integrations") == []
    )


def test_services_fee_hours_and_go_live() -> None:
    text = (
        "The Professional Services are provided for a fixed fee of USD 48,000.00, based on an "
        "estimated effort of 320 hours. "
        "The target Go-Live date is May 31, 2024."
    )
    assert _impl(text, "implementation.services_fee") == [Money(amount=48_000, currency="USD")]
    assert _impl(text, "implementation.services_hours") == [320]
    assert _impl(text, "implementation.go_live_date") == [date(2024, 5, 31)]


def test_hours_of_notice_are_not_services_hours() -> None:
    text = "Professional services maintenance windows are announced at least 48 hours in advance."
    assert _impl(text, "implementation.services_hours") == []


def test_milestone_table() -> None:
    text = (
        "## Milestones\n"
        "| Milestone | Target date |\n"
        "|---|---|\n"
        "| Project Kickoff | March 11, 2024 |\n"
        "| Go-Live | May 31, 2024 |\n"
    )
    assert _impl(text, "implementation.milestones") == [
        Milestone(name="Project Kickoff", due_date=date(2024, 3, 11)),
        Milestone(name="Go-Live", due_date=date(2024, 5, 31)),
    ]


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            "Provider will migrate five years of historical shipment data from the legacy system.",
            "implementation.data_migration",
        ),
        (
            "Provider will deliver three live administrator training sessions.",
            "implementation.training",
        ),
        (
            "Each deliverable will be tested against the acceptance criteria in the project plan.",
            "implementation.acceptance_criteria",
        ),
        (
            "Implementation services are described in the Statement of Work.",
            "implementation.professional_services",
        ),
    ],
)
def test_implementation_mentions(text: str, path: str) -> None:
    assert _impl(text, path)[:1] == [True]


def _tax(text: str, path: str) -> list[Any]:
    v = view(text)
    parties.extract(v)
    return values(tax.extract(v), path)


def test_tax_terms() -> None:
    text = (
        "Bill to: Veridia Retail B.V., Keizersgracht 220, Amsterdam, the Netherlands\n"
        "VAT ID: NL861234567B01\n"
        "If Customer is required by law to withhold taxes, Customer shall gross up the payment.\n"
        "Customer will provide a valid tax exemption certificate.\n"
        "Customer requires a purchase order for each invoice; invoices must reference the PO "
        "number.\n"
        "Customer's Affiliates may use the Services under this Agreement.\n"
    )
    assert _tax(text, "tax.billing_countries") == ["NL"]
    assert _tax(text, "tax.vat_numbers") == ["NL861234567B01"]
    assert _tax(text, "tax.withholding_tax")[:1] == [True]
    assert _tax(text, "tax.tax_exempt")[:1] == [True]
    assert _tax(text, "tax.po_required")[:1] == [True]
    assert _tax(text, "tax.affiliates_covered")[:1] == [True]


def test_purchase_order_mentioned_but_not_required() -> None:
    text = "Pre-printed terms of any purchase order are void."
    assert _tax(text, "tax.po_required") == []


def test_parties_from_the_opening() -> None:
    text = (
        "This Master Subscription Agreement is entered into by and between Brightline Analytics, "
        "Inc., a "
        'Delaware corporation ("Brightline"), and Harborview Logistics LLC, a Washington limited '
        "liability "
        'company ("Customer").'
    )
    found = values(parties.extract(view(text)), "commercial.parties")
    assert [(p.name, p.role, p.country) for p in found] == [
        ("Brightline Analytics, Inc.", PartyRole.PROVIDER, "US"),
        ("Harborview Logistics LLC", PartyRole.CUSTOMER, "US"),
    ]


def test_parties_from_labelled_lines() -> None:
    text = (
        'Supplier: Fjord Metrics AS, org. no. 998 877 665 MVA ("Fjord")\n'
        'Customer: Nordkyst Sjomat AS, Storgata 4, 6002 Alesund, Norway ("Customer")\n'
    )
    found = values(parties.extract(view(text)), "commercial.parties")
    assert [(p.name, p.role) for p in found] == [
        ("Fjord Metrics AS", PartyRole.PROVIDER),
        ("Nordkyst Sjomat AS", PartyRole.CUSTOMER),
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("MASTER SUBSCRIPTION AGREEMENT\n\nThis Agreement ...", DocumentKind.MSA),
        (
            "# ORDER FORM HV-2024-001\nThis Order Form is entered into under the Master "
            "Subscription Agreement.",
            DocumentKind.ORDER_FORM,
        ),
        ("STATEMENT OF WORK No. 1\n\nScope", DocumentKind.SOW),
        ("DATA PROCESSING ADDENDUM\n\nThis DPA forms part of the Agreement.", DocumentKind.DPA),
        ("Exhibit C – Security Addendum\n\n1. Scope", DocumentKind.SECURITY_ADDENDUM),
        (
            "FIRST AMENDMENT TO MASTER SERVICES AGREEMENT\n\nThe parties agree.",
            DocumentKind.AMENDMENT,
        ),
        ("DISTRIBUTION AGREEMENT\n\nThe parties agree.", DocumentKind.OTHER),
    ],
)
def test_document_kind_from_the_title(text: str, kind: DocumentKind) -> None:
    assert values(document_kind.extract(view(text)), "commercial.document_kinds")[0] is kind


def test_attached_exhibit_adds_a_kind() -> None:
    text = (
        "MASTER SERVICES AGREEMENT\n\n"
        + "Terms apply. " * 100
        + "\n\nEXHIBIT B - DATA PROCESSING ADDENDUM\n\nText."
    )
    assert values(document_kind.extract(view(text)), "commercial.document_kinds") == [
        DocumentKind.MSA,
        DocumentKind.DPA,
    ]


def test_integration_targets_outside_the_known_list() -> None:
    text = "Provider will build an integration with Guidewire ClaimCenter for claims intake."
    assert _impl(text, "implementation.integrations") == ["Guidewire ClaimCenter"]
    assert (
        _impl(
            "Integration with the Services is described in Section 4.",
            "implementation.integrations",
        )
        == []
    )


def test_numbered_milestone_rows_take_their_name_cell() -> None:
    text = (
        "| Milestone | Description | Date |\n"
        "|---|---|---|\n"
        "| 1 | Design complete and approved | November 15, 2024 |\n"
    )
    assert _impl(text, "implementation.milestones") == [
        Milestone(name="Design complete and approved", due_date=date(2024, 11, 15))
    ]
