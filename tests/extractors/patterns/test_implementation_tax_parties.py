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


def test_milestones_whose_rows_wrapped_and_a_sentence_after_the_table() -> None:
    text = (
        "3. Milestones\n"
        "Milestone Description Target Date Payment\n"
        "1\nDesign complete and\napproved by Bank\nNovember 15, 2024 20%\n"
        "M2 - Integrations Complete\nConnectors configured and\ntested\nJanuary 17, 2025 30%\n"
        "3 Production go-live March 31, 2025 50%\n"
        "The target go-live date is March 31, 2025. Dates assume timely approvals.\n"
    )
    found = values(implementation.extract(view(text)), "implementation.milestones")
    assert [(m.name, m.due_date) for m in found] == [
        ("Design complete and approved by Bank", date(2024, 11, 15)),
        ("Integrations Complete", date(2025, 1, 17)),
        ("Production go-live", date(2025, 3, 31)),
    ]


def test_milestones_due_relative_to_the_start() -> None:
    text = (
        "TIMELINE\n\nWeek    Milestone\n------  ---------\nWeek 1  Kickoff and data export\n"
        "Week 6  Go-live\n"
    )
    found = values(implementation.extract(view(text)), "implementation.milestones")
    assert [(m.name, m.due_relative) for m in found] == [
        ("Kickoff and data export", "Week 1"),
        ("Go-live", "Week 6"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Sable will apply for an exemption certificate (Freistellungsbescheinigung), and once it "
        "is presented the Customer shall make payments without withholding.",
        "Where a treaty reduces withholding tax, Customer shall provide a certificate of "
        "residence and an exemption certificate.",
        "Customer is exempt from withholding tax on payments under the treaty.",
    ],
)
def test_withholding_relief_is_not_a_tax_exemption(text: str) -> None:
    assert values(tax.extract(view(text)), "tax.tax_exempt") == []


@pytest.mark.parametrize(
    "text",
    [
        "Customer is a tax-exempt organisation under Section 501(c)(3).",
        "Customer is exempt from sales and use tax; its exemption certificate is on file.",
        "Customer shall provide a completed Certificate of Exemption (Form ST3).",
        "The Customer is exempt from VAT under Article 151 of the VAT Directive.",
    ],
)
def test_sales_tax_and_vat_exemptions(text: str) -> None:
    assert values(tax.extract(view(text)), "tax.tax_exempt")[:1] == [True]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "This Agreement is made between Lumaflow Software, Inc., a Delaware corporation with "
            "its principal office at 1 Lincoln Street, Boston, Massachusetts 02111, USA "
            '("Lumaflow"), and Kepler Maritime B.V., a private limited company incorporated in the '
            "Netherlands with its registered office at Wilhelminakade 91, 3072 AP Rotterdam, the "
            'Netherlands ("Customer").',
            ["Lumaflow Software, Inc.", "Kepler Maritime B.V."],
        ),
        (
            "This Agreement is entered into by and between Acme Inc. with offices at 12 Main "
            'Street, Springfield, IL 62701 ("Provider") and Beta GmbH, Hauptstrasse 1, 10115 '
            'Berlin, Germany ("Customer").',
            ["Acme Inc.", "Beta GmbH"],
        ),
        (
            "THIS AGREEMENT is made between Foo Holdings plc, a company registered in England and "
            "Wales under number 123456 whose registered office is at 1 King St, London EC2V 8AU "
            '("Foo") and Bar AG, Zurich, Switzerland ("Bar").',
            ["Foo Holdings plc", "Bar AG"],
        ),
        (
            "This Agreement is between Northwind Traders Pty Ltd ABN 12 345 678 901 of Level 3, 10 "
            'Queen St, Melbourne VIC 3000 ("Supplier") and Southwind S.A., a sociedad anonima '
            'organised under the laws of Spain ("Client").',
            ["Northwind Traders Pty Ltd", "Southwind S.A."],
        ),
    ],
)
def test_party_names_stop_at_the_legal_form(text: str, names: list[str]) -> None:
    found = values(parties.extract(view(text)), "commercial.parties")
    assert [party.name for party in found] == names


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Nordlicht Software GmbH - Order NL-2024-0317\nORDER NL-2024-0317\n",
            DocumentKind.ORDER_FORM,
        ),
        ("KESTREL FORMS - ORDER CONFIRMATION\n=====\n", DocumentKind.ORDER_FORM),
        ("Fjord Metrics AS - Renewal Order FM-R-2025-07\n", DocumentKind.ORDER_FORM),
        ("# Pinecrest Software - Master Subscription Terms\n", DocumentKind.MSA),
        ("SaaS Framework Agreement\n\nbetween A and B", DocumentKind.MSA),
        ("SUBSCRIPTION AND REFERRAL AGREEMENT\n", DocumentKind.MSA),
        (
            "# Helix Observability - Information Security and Privacy Addendum\n",
            DocumentKind.SECURITY_ADDENDUM,
        ),
    ],
)
def test_document_kind_from_more_titles(text: str, kind: DocumentKind) -> None:
    assert values(document_kind.extract(view(text)), "commercial.document_kinds")[0] is kind


def test_an_order_mentioned_in_a_title_is_not_an_order_number() -> None:
    text = "TERMS FOR ORDERING SERVICES\n\nThese terms govern purchase orders."
    kinds = values(document_kind.extract(view(text)), "commercial.document_kinds")
    assert DocumentKind.ORDER_FORM not in kinds


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Thistle Insurance DAC (VAT number IE\n3345678RH)", "IE 3345678RH"),
        ("Customer: Kronberg AG, 70191 Stuttgart, Germany, VAT\nDE145678912", "DE145678912"),
        ("Provider: Tessellate Pte. Ltd. (GST Reg. No.\nM2-0123456-7)", "M2-0123456-7"),
        ("Supplier: Fjord Metrics AS, org. no. 998 877 665 MVA", "998 877 665 MVA"),
    ],
)
def test_vat_numbers_wrapped_or_national(text: str, number: str) -> None:
    assert number in values(tax.extract(view(text)), "tax.vat_numbers")


def test_a_line_break_does_not_join_a_vat_label_to_a_price() -> None:
    text = "Prices exclude VAT\n2,500 units are included."
    assert values(tax.extract(view(text)), "tax.vat_numbers") == []


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        (
            "Atlas will provide train-the-trainer sessions for up to forty (40) super users.",
            "implementation.training",
            True,
        ),
        (
            "The target go-live date for all clinic sites is\nJune 30, 2025.",
            "implementation.go_live_date",
            date(2025, 6, 30),
        ),
        (
            "Orbital will integrate the Platform, with a target launch in all stores by October 1, "
            "2025.",
            "implementation.go_live_date",
            date(2025, 10, 1),
        ),
        (
            "Onboarding package: 60 hours remote consulting for configuration.",
            "implementation.professional_services",
            True,
        ),
    ],
)
def test_implementation_in_more_wordings(text: str, path: str, expected: Any) -> None:
    assert _impl(text, path)[:1] == [expected]


def test_a_launch_is_not_a_go_live_without_a_target() -> None:
    assert _impl("The product launch in 2019 was a success.", "implementation.go_live_date") == []


@pytest.mark.parametrize(
    "text",
    [
        "Migration of open tickets from the district's Zendesk account to the platform.",
        "Week 1  Kickoff and data export from Zendesk",
        "The Custom integration and the SAML integration are described in Annex 2.",
    ],
)
def test_migration_sources_and_generic_words_are_not_integrations(text: str) -> None:
    assert _impl(text, "implementation.integrations") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Build bidirectional integrations with Customer's Salesforce instance and with Oracle "
            "NetSuite (invoices).",
            ["Salesforce", "NetSuite"],
        ),
        (
            "Configuration of the PowerSchool SIS integration for student lookups.",
            ["PowerSchool SIS"],
        ),
        (
            "Ledgerly will build production integrations with (a) Bank's Fiserv DNA core banking "
            "platform, (b) Workday Financials for journal postings, and (c) the Federal Reserve's "
            "FedLine service.",
            ["Fiserv DNA", "FedLine", "Workday"],
        ),
        (
            "Integration with Siemens Teamcenter for bill-of-materials data; the Teamcenter "
            "integration is tested in phase 2.",
            ["Siemens Teamcenter"],
        ),
    ],
)
def test_integrations_named_in_more_ways(text: str, expected: list[str]) -> None:
    assert sorted(set(_impl(text, "implementation.integrations"))) == sorted(expected)
