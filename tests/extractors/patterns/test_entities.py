"""Customer entities added by the text or listed in a billing-entity table, and where they bill."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.facts import PartyRole
from extractors.patterns import entities, parties, tax
from extractors.patterns.core import TextView

from .helpers import docx_view, values, view


def _entities(text_view: TextView) -> list[Any]:
    return values(entities.extract(text_view), "tax.contracting_entities")


@pytest.mark.parametrize(
    "text",
    [
        "The Customer may add Affiliates by signing an additional Order Form.",
        "Entity\tRole\nSee Schedule 1.\n",
        "Each entity is invoiced separately for its own users.",
    ],
)
def test_no_entities_without_a_name_and_its_legal_form(text: str) -> None:
    assert _entities(view(text)) == []


def test_an_affiliate_added_as_a_customer_is_a_party_with_its_own_country() -> None:
    text = (
        "Entity\tCountry\tTax ID\nKepler Maritime B.V.\tNetherlands\tNL859312476B01\n"
        "Kepler Maritime Americas Inc.\tUnited States\tEIN 36-4418920\n"
        "Kepler Maritime Americas Inc., an Affiliate of Kepler Maritime B.V., signs this Order "
        "Form as an additional Customer.\n"
    )
    hits = entities.extract(docx_view(text))
    added = values(hits, "commercial.parties")
    assert [(p.name, p.role, p.country) for p in added] == [
        ("Kepler Maritime Americas Inc.", PartyRole.CUSTOMER, "US")
    ]


def test_entities_of_a_pdf_table_whose_names_wrapped() -> None:
    text = (
        "Billing entities\n"
        "Entity Country Tax registration Currency Services\n"
        "Southern Cross\nFreight Pty Ltd Australia ABN 33 617 204 981 AUD 140 users\n"
        "Southern Cross\nFreight NZ\nLimited\nNew Zealand NZ GST 123-456-789 NZD 40 users\n"
        "Each billing entity is invoiced separately, monthly in advance, in its own currency.\n"
    )
    found = _entities(view(text))
    assert [(p.name, p.country) for p in found] == [
        ("Southern Cross Freight Pty Ltd", "AU"),
        ("Southern Cross Freight NZ Limited", "NZ"),
    ]
    assert set(values(tax.extract(view(text)), "tax.billing_countries")) == {"AU", "NZ"}


def test_the_provider_of_an_order_confirmation_is_in_its_letterhead_or_sold_by() -> None:
    letterhead = (
        "Juniper Bookings - Order Summary\n"
        "Juniper Bookings Inc., 1055 West Georgia Street, Vancouver, BC V6E 3P3, Canada\n"
        "Billed to: Cedar Lane Clinic Ltd., 812 Fort Street, Victoria, BC V8W 1H8, Canada\n"
    )
    found = values(parties.extract(view(letterhead)), "commercial.parties")
    assert {(p.name, p.role) for p in found} == {
        ("Juniper Bookings Inc.", PartyRole.PROVIDER),
        ("Cedar Lane Clinic Ltd.", PartyRole.CUSTOMER),
    }
    sold = "Sold by: Kestrel Forms, Inc., 2200 Pearl Street, Boulder, CO 80302, USA\n"
    found = values(parties.extract(view(sold)), "commercial.parties")
    assert [(p.name, p.role) for p in found] == [("Kestrel Forms, Inc.", PartyRole.PROVIDER)]


def test_billing_country_from_a_postcode_and_none_from_a_dpa() -> None:
    text = (
        "ORDER FORM\n\nInvoices shall be addressed to Thistle plc, Accounts Payable, 9 Charlotte "
        "Square, Edinburgh EH2 4DR."
    )
    assert values(tax.extract(view(text)), "tax.billing_countries") == ["GB"]
    dpa = (
        'DATA PROCESSING ADDENDUM\n\nThis Addendum is between Cirrus Ltd ("Processor") and '
        'Bramble Insurance Ltd, 14 Peter Street, Manchester M2 5GP ("Controller").'
    )
    view_of_dpa = view(dpa)
    parties.extract(view_of_dpa)
    assert values(tax.extract(view_of_dpa), "tax.billing_countries") == []
