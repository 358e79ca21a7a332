"""A start labelled without the word "date": "Subscription start: September 1, 2025".

An order form's field "Subscription start", "Service commencement" or "Term start" gives the
effective date as "Subscription start date" does, in a run of fields on one line ("**Order
date:** August 4, 2025 · **Subscription start:** September 1, 2025 · ...") or a table row.
"""

from __future__ import annotations

from datetime import date

import pytest

from evals.saas.sources import OutputFormat
from tests.layouts import FORMATS, rendered

from .helpers import present, present_in

EFFECTIVE = "commercial.effective_date"


@pytest.mark.parametrize(
    "text",
    [
        "**Order date:** August 4, 2025 · **Subscription start:** September 1, 2025 · "
        "**Subscription term:** 24 months · **Plan:** Growth",
        "Subscription start: 1 September 2025",
        "Service commencement\tSeptember 1, 2025",
        "| Term start | 2025-09-01 |",
        "Order date: 14 July 2025. Service start: 1 September 2025. Initial term: 24 months.",
    ],
)
def test_a_start_field_gives_the_effective_date(text: str) -> None:
    assert present(text, EFFECTIVE) == date(2025, 9, 1)


def test_a_numbered_start_field_with_a_short_year() -> None:
    text = (
        "2    TERMS\n\n     2.1  Contract  start:  04-01-06\n\n     2.2  Contract  end:  04-01-08\n"
    )
    assert present(text, EFFECTIVE) == date(2006, 4, 1)


@pytest.mark.parametrize(
    "text",
    [
        "Subscription start is subject to the Customer's signature; invoices from September 1, "
        "2025 are payable in 30 days.",
        "Service start-up meeting: September 1, 2025",
    ],
)
def test_a_start_that_is_no_field_dates_nothing(text: str) -> None:
    assert present(text, EFFECTIVE) is None


ORDER = (
    "**Order date:** August 4, 2025 · **Subscription start:** September 1, 2025 · "
    "**Subscription term:** 24 months · **Plan:** Growth\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_start_field_in_every_layout(output: OutputFormat) -> None:
    assert present_in(rendered(ORDER, output), EFFECTIVE) == date(2025, 9, 1)
