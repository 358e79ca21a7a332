"""Customer-side entities listed in tables, and the roles of a reseller's order.

A table of customer entities may mark its rows ("A", "B") before the entity's name, with the
registered address and VAT number in later cells: each row is a contracting entity on the
customer's side, billed in its own country. A partner order names the reseller that is billed
and the end customer that is licensed: the end customer is the customer, and the reseller is
neither customer nor provider.
"""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import Party, PartyRole
from tests.layouts import FORMATS, rendered

from .helpers import present, present_in


def _customers(parties: list[Party] | None) -> set[tuple[str, str | None]]:
    return {(p.name, p.country) for p in parties or [] if p.role is PartyRole.CUSTOMER}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Provider: Orrery Data, Inc., a Delaware corporation, Boston, MA 02110, USA\n\n"
            "|  | Customer entity | Registered address | VAT number |\n"
            "|---|---|---|---|\n"
            "| A | Maison Lavandier SAS | 18 quai Saint-Antoine, 69002 Lyon, France "
            "| FR 47 512 345 678 |\n"
            "| B | Lavandier Benelux SRL | Avenue Louise 250, 1050 Bruxelles, Belgium "
            "| BE 0712.345.678 |\n",
            {("Maison Lavandier SAS", "FR"), ("Lavandier Benelux SRL", "BE")},
        ),
        (
            "Supplier: Kestrel Analytics Ltd, London, United Kingdom\n\n"
            "| No. | Legal entity | Address | Tax ID |\n"
            "|---|---|---|---|\n"
            "| 1 | Nordhavn Shipping A/S | Kalvebod Brygge 1, 1560 Copenhagen, Denmark "
            "| DK 12345678 |\n"
            "| 2 | Nordhavn Shipping GmbH | Am Sandtorkai 5, 20457 Hamburg, Germany "
            "| DE 123456789 |\n",
            {("Nordhavn Shipping A/S", "DK"), ("Nordhavn Shipping GmbH", "DE")},
        ),
        (
            "Provider: Tallis Cloud, Inc., Austin, TX 78701, USA\n\n"
            "Ref\tBilling entity\tAddress\tVAT\n"
            "1\tCorvina Foods S.p.A.\tVia Roma 10, 20121 Milano, Italy\tIT 01234567890\n"
            "2\tCorvina Foods S.L.\tCalle Mayor 5, 28013 Madrid, Spain\tES B12345678\n",
            {("Corvina Foods S.p.A.", "IT")},
        ),
    ],
)
def test_entity_rows_after_a_row_marker_are_customer_entities(
    text: str, expected: set[tuple[str, str | None]]
) -> None:
    assert expected <= _customers(present(text, "tax.contracting_entities"))


def test_entity_rows_give_their_billing_countries() -> None:
    text = (
        "|  | Customer entity | Registered address | VAT number |\n"
        "|---|---|---|---|\n"
        "| A | Maison Lavandier SAS | 18 quai Saint-Antoine, 69002 Lyon, France "
        "| FR 47 512 345 678 |\n"
        "| B | Lavandier Benelux SRL | Avenue Louise 250, 1050 Bruxelles, Belgium "
        "| BE 0712.345.678 |\n"
    )
    assert set(present(text, "tax.billing_countries") or []) == {"FR", "BE"}


@pytest.mark.parametrize(
    ("text", "customer", "other"),
    [
        (
            "Role Entity Address\n"
            "Provider Cinderwell Software, Inc. 1700 Lincoln Street, Suite 2400, Denver, CO 80203\n"
            "Reseller (bill to) Bluefin Technology Partners LLC 4201 Congress Street, Suite 300, "
            "Charlotte, NC 28209\n"
            "End Customer (licensee) Greywater Outdoor Supply Company 88 Commercial Street, "
            "Portland, ME 04101\n",
            "Greywater Outdoor Supply Company",
            "Bluefin Technology Partners LLC",
        ),
        (
            "Provider: Cinderwell Software, Inc., Denver, CO 80203\n"
            "Reseller: Bluefin Technology Partners LLC, Charlotte, NC 28209\n"
            "End Customer: Greywater Outdoor Supply Company, Portland, ME 04101\n",
            "Greywater Outdoor Supply Company",
            "Bluefin Technology Partners LLC",
        ),
        (
            "Vendor: Halcyon Labs Ltd, Leeds, United Kingdom\n"
            "Distributor: Arcadia Channel Ltd, Bristol, United Kingdom\n"
            "End User: Pennine Water Ltd, Sheffield, United Kingdom\n",
            "Pennine Water Ltd",
            "Arcadia Channel Ltd",
        ),
    ],
)
def test_the_end_customer_is_the_customer_and_the_reseller_neither_party(
    text: str, customer: str, other: str
) -> None:
    parties = present(text, "commercial.parties") or []
    roles = {party.name: party.role for party in parties}
    assert roles.get(customer) is PartyRole.CUSTOMER
    assert roles.get(other) is PartyRole.OTHER
    assert not any(role is PartyRole.PROVIDER for name, role in roles.items() if name == other)


def test_a_reseller_alone_beside_the_end_customer_is_not_made_the_provider() -> None:
    text = (
        "Reseller: Bluefin Technology Partners LLC, Charlotte, NC 28209\n"
        "End Customer: Greywater Outdoor Supply Company, Portland, ME 04101\n"
    )
    roles = {party.name: party.role for party in present(text, "commercial.parties") or []}
    assert roles.get("Bluefin Technology Partners LLC") is PartyRole.OTHER


ORDER = (
    "# Order Form\n"
    "Provider: Orrery Data, Inc., a Delaware corporation, 100 Summer Street, Boston, MA 02110, "
    "USA\n"
    "## Customers\n"
    "This Order Form is signed by two Customer entities of the Lavandier group.\n"
    "|  | Customer entity | Registered address | VAT number |\n"
    "|---|---|---|---|\n"
    "| A | Maison Lavandier SAS | 18 quai Saint-Antoine, 69002 Lyon, France "
    "| FR 47 512 345 678 |\n"
    "| B | Lavandier Benelux SRL | Avenue Louise 250, 1050 Bruxelles, Belgium "
    "| BE 0712.345.678 |\n"
    "## Subscription\n"
    "Fees are invoiced annually in advance in euros, to each Customer entity at its registered "
    "address.\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_table_of_customer_entities_in_every_layout(output: OutputFormat) -> None:
    document = rendered(ORDER, output)
    assert {("Maison Lavandier SAS", "FR"), ("Lavandier Benelux SRL", "BE")} <= _customers(
        present_in(document, "tax.contracting_entities")
    )
    assert set(present_in(document, "tax.billing_countries") or []) >= {"FR", "BE"}


def test_a_street_number_after_a_legal_form_is_no_postcode() -> None:
    # "LLC 4201 Congress Street" reads like a region and postcode; "NC 28209" is the one.
    text = (
        "Provider: Cinderwell Software, Inc., Denver, CO 80203\n"
        "Reseller (bill to) Bluefin Technology Partners LLC 4201 Congress Street, Suite 300, "
        "Charlotte, NC 28209\n"
    )
    parties = present(text, "commercial.parties") or []
    assert ("Bluefin Technology Partners LLC", "US") in {(p.name, p.country) for p in parties}
