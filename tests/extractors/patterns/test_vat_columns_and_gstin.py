"""VAT numbers in a table's VAT column, and India's GSTIN by its own shape.

A table of entities whose header names a VAT (or GST, tax ID) column gives that column's
numbers ("FR 47 512 345 678", "BE 0712.345.678") as VAT numbers, with no label beside them;
a GSTIN ("29AAHCK4821Q1Z7": state code, PAN, entity number, Z, check character) is a GST
registration wherever it stands.
"""

from __future__ import annotations

import pytest

from evals.saas.matching import code
from evals.saas.sources import OutputFormat
from tests.layouts import FORMATS, rendered

from .helpers import present, present_in

VAT = "tax.vat_numbers"


def _codes(found: list[str] | None) -> set[str]:
    return {code(value) for value in found or []}


ENTITIES = (
    "|  | Customer entity | Registered address | VAT number |\n"
    "|---|---|---|---|\n"
    "| A | Maison Lavandier SAS | 18 quai Saint-Antoine, 69002 Lyon, France | FR 47 512 345 678 |\n"
    "| B | Lavandier Benelux SRL | Avenue Louise 250, 1050 Bruxelles, Belgium | BE 0712.345.678 |\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ENTITIES, {"FR47512345678", "BE0712345678"}),
        (
            "| No. | Legal entity | Address | Tax ID |\n"
            "|---|---|---|---|\n"
            "| 1 | Nordhavn Shipping A/S | Kalvebod Brygge 1, 1560 Copenhagen, Denmark "
            "| DK 12345678 |\n"
            "| 2 | Nordhavn Shipping GmbH | Am Sandtorkai 5, 20457 Hamburg, Germany "
            "| DE 123456789 |\n",
            {"DK12345678", "DE123456789"},
        ),
        (
            "Ref\tBilling entity\tAddress\tVAT\n"
            "1\tCorvina Foods S.p.A.\tVia Roma 10, 20121 Milano, Italy\tIT 01234567890\n"
            "2\tCorvina Foods S.L.\tCalle Mayor 5, 28013 Madrid, Spain\tES B12345678\n",
            {"IT01234567890", "ESB12345678"},
        ),
        (
            "| Entity | Address | VAT number | Role |\n|---|---|---|---|\n"
            "| Ostara Pharma Nederland B.V. | Zuidas 12, 1082 MD Amsterdam, Netherlands "
            "| NL 8523 14567 B01 | Customer |\n",
            {"NL852314567B01"},
        ),
    ],
)
def test_numbers_of_a_vat_column(text: str, expected: set[str]) -> None:
    assert expected <= _codes(present(text, VAT))


@pytest.mark.parametrize(
    "text",
    [
        "| Bank | Account holder | IBAN |\n|---|---|---|\n"
        "| BNP Paribas | Orrery Data SAS | FR76 3000 6000 0112 3456 7890 189 |\n",
        "| Entity | Address | Phone |\n|---|---|---|\n"
        "| Maison Lavandier SAS | 18 quai Saint-Antoine, 69002 Lyon | FR 33 4 72 00 00 00 |\n",
    ],
)
def test_other_columns_give_no_vat_number(text: str) -> None:
    assert present(text, VAT) is None


@pytest.mark.parametrize(
    "text",
    [
        "| Customer | Kaveri Agritech Private Limited |\n|---|---|\n"
        "| GSTIN of Customer | 29AAHCK4821Q1Z7 |\n| PAN of Customer | AAHCK4821Q |\n",
        "The Customer's GSTIN is 29AAHCK4821Q1Z7.",
        "GSTIN: 27AAACR5055K1Z5",
        "Kaveri Agritech Private Limited (GST registration 29AAHCK4821Q1Z7), Bengaluru",
    ],
)
def test_a_gstin_is_a_gst_registration(text: str) -> None:
    found = _codes(present(text, VAT))
    assert found & {"29AAHCK4821Q1Z7", "27AAACR5055K1Z5"}
    assert "AAHCK4821Q" not in found


def test_a_pan_alone_is_no_gst_registration() -> None:
    assert present("| PAN of Customer | AAHCK4821Q |\n", VAT) is None


ORDER = (
    "This Order Form is signed by two Customer entities of the Lavandier group.\n\n"
    + ENTITIES
    + "\nFees are invoiced annually in advance in euros to each Customer entity.\n\n"
    "| Customer | Kaveri Agritech Private Limited |\n|---|---|\n"
    "| GSTIN of Customer | 29AAHCK4821Q1Z7 |\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_vat_column_and_gstin_in_every_layout(output: OutputFormat) -> None:
    found = _codes(present_in(rendered(ORDER, output), VAT))
    assert {"FR47512345678", "BE0712345678", "29AAHCK4821Q1Z7"} <= found


def test_a_sentence_about_vat_above_a_table_names_no_vat_column() -> None:
    text = (
        "Fees exclude VAT, which the Customer accounts for under the reverse charge.\n"
        "| Office | Address | Telephone |\n|---|---|---|\n"
        "| Lyon | 18 quai Saint-Antoine, 69002 Lyon | FR 33 4 72 10 20 30 |\n"
    )
    assert present(text, VAT) is None


def test_the_next_cells_currency_is_no_part_of_the_number() -> None:
    text = "Entity VAT number Currency\nHarlow Ltd GB 456 7890 12 GBP\n"
    assert _codes(present(text, VAT)) == {"GB456789012"}
