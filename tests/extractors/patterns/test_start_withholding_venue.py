"""A start date defined in brackets, tax deducted at source, and courts chosen in a town.

'From 1 November 2025 (the "Start Date") we shall provide ...' dates the start; "the Customer
may deduct such tax at the applicable rate under section 195" is tax withheld; "the exclusive
jurisdiction of the courts at Bengaluru, Karnataka" chooses a venue no list of jurisdictions
names.
"""

from __future__ import annotations

from datetime import date

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import FactStatus
from extractors.patterns import PatternExtractor
from tests.layouts import FORMATS, rendered

from .helpers import present

EFFECTIVE = "commercial.effective_date"
WITHHOLDING = "tax.withholding_tax"
VENUE = "legal.venue"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '1.1 From 1 November 2025 (the "Start Date") we shall provide you with access to '
            "the Service.",
            date(2025, 11, 1),
        ),
        (
            'The subscription begins on March 1, 2026 (the "Subscription Start Date").',
            date(2026, 3, 1),
        ),
        ("Services start on 1 May 2025 (Start Date) and run for a year.", date(2025, 5, 1)),
    ],
)
def test_a_date_defined_as_the_start(text: str, expected: date) -> None:
    assert present(text, EFFECTIVE) == expected


def test_a_start_date_mentioned_but_not_defined_dates_nothing() -> None:
    text = "Fees for the period from 1 January 2025 to the Start Date are waived."
    assert present(text, EFFECTIVE) is None


@pytest.mark.parametrize(
    "text",
    [
        "2.4 Withholding. If the Customer is required under the Income-tax Act, 1961 to deduct "
        "tax at source (TDS) from any payment to Brightforge, the Customer may deduct such tax at "
        "the applicable rate under section 195.",
        "The Customer may deduct such tax at the applicable rate under section 195.",
        "Licensee may deduct any taxes required by law from its royalty payments.",
        "Any tax deducted at source shall be evidenced by a certificate.",
    ],
)
def test_tax_deducted_at_source_is_withholding(text: str) -> None:
    assert present(text, WITHHOLDING) is True


def test_a_deductible_expense_is_no_withholding() -> None:
    assert present("Expenses are tax deductible.", WITHHOLDING) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "7.2 Disputes not resolved within thirty (30) days shall be subject to the exclusive "
            "jurisdiction of the courts at Bengaluru, Karnataka.",
            "Bengaluru, Karnataka",
        ),
        ("The parties submit to the exclusive jurisdiction of the courts in Mumbai.", "Mumbai"),
    ],
)
def test_courts_chosen_in_a_town(text: str, expected: str) -> None:
    assert present(text, VENUE) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Disputes are subject to the jurisdiction of the courts of Such State.",
        "The courts of Competent Authority shall decide.",
    ],
)
def test_words_that_are_no_town_name_no_venue(text: str) -> None:
    assert present(text, VENUE) is None


MSA = (
    "## 2. Fees\n"
    "2.4 Withholding. If the Customer is required under the Income-tax Act, 1961 to deduct tax "
    "at source (TDS) from any payment to Brightforge, the Customer may deduct such tax at the "
    "applicable rate under section 195, and shall furnish the TDS certificate in Form 16A.\n"
    "## 7. Disputes\n"
    "7.2 Any dispute arising out of or in connection with this Agreement shall first be referred "
    "to the senior management of the Parties. Disputes not resolved within thirty (30) days shall "
    "be subject to the exclusive jurisdiction of the courts at Bengaluru, Karnataka.\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_withholding_and_venue_in_every_layout(output: OutputFormat) -> None:
    values = {
        finding.path: finding.fact.value
        for finding in PatternExtractor().extract(rendered(MSA, output), [])
        if finding.fact.status is FactStatus.PRESENT
    }
    assert values.get(WITHHOLDING) is True
    assert values.get(VENUE) == "Bengaluru, Karnataka"
