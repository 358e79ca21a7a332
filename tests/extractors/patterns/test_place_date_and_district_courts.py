"""A document dated on a line of its own with the place of signing, and courts chosen by the
district they sit in.

"São Paulo, 15 de setembro de 2025 / September 15, 2025." above the signatures dates the
document where it was signed, as "Munich, 15 September 2025" does; "The courts of the
Judicial District of São Paulo/SP are chosen to settle any dispute" chooses the courts of São
Paulo, as "the courts of the County of Santa Clara" chooses those of Santa Clara.
"""

from __future__ import annotations

from datetime import date

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import FactStatus
from extractors.patterns import PatternExtractor
from tests.layouts import FORMATS, rendered

from .helpers import present

AGREEMENT = "commercial.agreement_date"
VENUE = "legal.venue"

# Clauses enough that the dated line is past the document's title block.
_BODY = "".join(
    f"{number}. The Provider shall provide the Services described in Annex {number} with "
    "reasonable skill and care, and the Customer shall pay the fees stated there.\n"
    for number in range(1, 16)
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("São Paulo, 15 de setembro de 2025 / September 15, 2025.", date(2025, 9, 15)),
        ("Munich, 15 September 2025", date(2025, 9, 15)),
        ("Rio de Janeiro, October 3, 2025.", date(2025, 10, 3)),
    ],
)
def test_a_place_and_date_line_dates_the_document(line: str, expected: date) -> None:
    text = _BODY + line + "\nFor the Provider: Carolina Duarte\nFor the Customer: Ricardo Prado\n"
    assert present(text, AGREEMENT) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Invoices are due on September 15, 2025.",
        "Phase 2, September 15, 2025 to October 15, 2025",
        "Training, September 15, 2025",
    ],
)
def test_other_lines_with_a_date_are_no_place_of_signing(line: str) -> None:
    text = _BODY + line + "\nFor the Provider: Carolina Duarte\n"
    assert present(text, AGREEMENT) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The courts of the Judicial District of São Paulo/SP are chosen to settle any dispute.",
            "São Paulo",
        ),
        (
            "The courts of the County of Santa Clara shall have exclusive jurisdiction over any "
            "dispute arising under this Agreement.",
            "Santa Clara",
        ),
        ("Any dispute shall be settled by the courts of the City of Zurich.", "Zurich"),
    ],
)
def test_courts_chosen_by_their_district(text: str, expected: str) -> None:
    assert present(text, VENUE) == expected


def test_a_district_named_as_no_choice_gives_no_venue() -> None:
    text = "The Customer operates depots in the County of Kent and the City of Leeds."
    assert present(text, VENUE) is None


ORDER = (
    _BODY + "**9. Governing law and venue.** This Order is governed by the laws of the Federative "
    "Republic of Brazil. The courts of the Judicial District of São Paulo/SP are chosen to "
    "settle any dispute.\n\n"
    "São Paulo, 15 de setembro de 2025 / September 15, 2025.\n\n"
    "| For the PROVIDER | For the CUSTOMER |\n|---|---|\n"
    "| Lumiar Systems, Inc. - Carolina Duarte | Transportadora Ipe Amarelo Ltda. - Ricardo "
    "Albuquerque |\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_place_date_and_district_courts_in_every_layout(output: OutputFormat) -> None:
    values = {
        finding.path: finding.fact.value
        for finding in PatternExtractor().extract(rendered(ORDER, output), [])
        if finding.fact.status is FactStatus.PRESENT
    }
    assert values.get(AGREEMENT) == date(2025, 9, 15)
    assert values.get(VENUE) == "São Paulo"


def test_a_signatory_line_is_no_place_of_signing() -> None:
    text = (
        _BODY
        + "Ledgerly, Inc. - /s/ Aaron Whitcombe, Chief Executive Officer - September 27, 2024\n"
        + "Laura Whitsett, Chief Financial Officer. August 4, 2025.\n"
    )
    assert present(text, AGREEMENT) is None
