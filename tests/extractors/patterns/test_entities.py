"""Customer entities added by the text or listed in a billing-entity table, and where they bill."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.facts import PartyRole
from extractors.patterns import parties, tax
from extractors.patterns.core import TextView

from .helpers import docx_view, values, view


def _entities(text_view: TextView) -> list[Any]:
    return values(parties.entity_hits(text_view), "tax.contracting_entities")


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
    hits = parties.entity_hits(docx_view(text))
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


def _roles(text_view: TextView) -> set[tuple[str, PartyRole]]:
    return {(p.name, p.role) for p in values(parties.extract(text_view), "commercial.parties")}


def test_an_order_form_with_dot_leaders_names_provider_and_customer() -> None:
    text = (
        "Customer ........ Fairmont Orthopedic Associates, P.C.\n"
        "Address ......... 2250 Sand Hill Road, Menlo Park, CA 94025\n"
        "Provider ........ Goldcrest Signal, Inc., 500 Terry Francine Street, San Francisco, "
        "CA 94158\n"
        "Our SOC 2 Type II report is available on request.\n"
    )
    assert _roles(view(text)) == {
        ("Fairmont Orthopedic Associates, P.C.", PartyRole.CUSTOMER),
        ("Goldcrest Signal, Inc.", PartyRole.PROVIDER),
    }


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Ship to", PartyRole.CUSTOMER),
        ("Sold to", PartyRole.CUSTOMER),
        ("Client", PartyRole.CUSTOMER),
        ("Subscriber", PartyRole.CUSTOMER),
        ("Vendor", PartyRole.PROVIDER),
        ("Supplier", PartyRole.PROVIDER),
        ("Licensor", PartyRole.PROVIDER),
        ("Sold by", PartyRole.PROVIDER),
    ],
)
def test_letter_and_quote_labels_give_the_role(label: str, role: PartyRole) -> None:
    assert _roles(view(f"{label}: Harbor Dental LLC, 10 Main Street, Portland, ME 04101\n")) == {
        ("Harbor Dental LLC", role)
    }


def test_a_labelled_table_row_is_no_letterhead() -> None:
    text = (
        "Order Form SC-MF-01\n"
        "This Order Form is issued under the Master Services Agreement.\n"
        "Customer details\t\nCustomer\tMarlowe & Finch LLP\n"
        "Billing address\t1 Fleet Place, London EC4M 7RA, United Kingdom\n"
    )
    assert _roles(docx_view(text)) == {("Marlowe & Finch LLP", PartyRole.CUSTOMER)}


def test_the_header_of_an_entity_table_names_no_party() -> None:
    text = (
        "Customer entity\tState\tBilling address\tUsers\n"
        "Ravenscroft Hotels, Inc.\tDelaware\t500 Boylston Street, Boston, MA 02116\t160\n"
        "Ravenscroft Resorts Management LLC\tFlorida\t200 South Biscayne Boulevard, Miami, "
        "FL 33131\t100\n"
    )
    found = _roles(docx_view(text))
    assert ("State", PartyRole.CUSTOMER) not in found
    assert all(role is not PartyRole.PROVIDER for _, role in found)


def test_a_place_in_the_description_is_no_party_name() -> None:
    text = (
        "This Agreement is made between (1) Stonegate Cloud Ltd, a company incorporated in "
        "England and Wales whose registered office is at 20 Farringdon Road, London EC1M 3HE "
        '(the "Supplier"); and (2) Marlowe & Finch LLP, a limited liability partnership whose '
        'registered office is at 1 Fleet Place, London EC4M 7RA (the "Customer").\n'
    )
    assert _roles(view(text)) == {
        ("Stonegate Cloud Ltd", PartyRole.PROVIDER),
        ("Marlowe & Finch LLP", PartyRole.CUSTOMER),
    }


def test_terms_for_each_customer_entity_make_the_named_party_the_provider() -> None:
    text = (
        "These Master Terms apply to each Order Form between Summit Ledger, Inc., a Delaware "
        'corporation at 1700 Lincoln Street, Denver, CO 80203 ("Summit"), and each customer '
        'entity that signs that Order Form ("Customer").\n'
        "1.1 Customer pays the fees in the Order Form.\n"
    )
    assert _roles(view(text)) == {("Summit Ledger, Inc.", PartyRole.PROVIDER)}


def test_a_street_named_after_a_country_is_no_billing_country() -> None:
    text = (
        "ORDER FORM\n\nInvoices shall be addressed to Hawthorne Brands, Inc., c/o 25 Canada "
        "Square, London E14 5LQ, United Kingdom.\n"
    )
    assert values(tax.extract(view(text)), "tax.billing_countries") == ["GB"]


def test_where_the_provider_is_paid_is_no_billing_country() -> None:
    text = "ORDER FORM\n\nRemit to: Lumen Notes Ltd, 4 Long Lane, London, United Kingdom\n"
    assert values(tax.extract(view(text)), "tax.billing_countries") == []


def test_an_affiliate_of_the_customer_is_on_the_customers_side() -> None:
    text = (
        'This Order Form is entered into by Brightline Analytics, Inc. ("Provider") and Kepler '
        'Maritime Inc. ("Customer").\nKepler Maritime Americas Inc., an Affiliate of Customer, '
        "signs this Order Form as an additional Customer.\n"
    )
    text_view = view(text)
    found = values(parties.extract(text_view), "tax.contracting_entities")
    assert {(p.name, p.role) for p in found} == {
        ("Brightline Analytics, Inc.", PartyRole.PROVIDER),
        ("Kepler Maritime Inc.", PartyRole.CUSTOMER),
        ("Kepler Maritime Americas Inc.", PartyRole.CUSTOMER),
    }
