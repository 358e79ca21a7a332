"""Denials written as letters and notes write them.

"nothing in this letter obliges us to deposit the source code ... with an escrow agent",
"neither of us may terminate this agreement for convenience", a denial explained after a
colon ("Gantry does not offer termination for convenience: prepaid fees are non-refundable
except as ...": the "except" is the explanation's, not a qualifier of the denial), and a
denial said of a pair of terms ("price protection or a cap on future increases is not part of
your current agreement").
"""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import FactStatus
from extractors.patterns import PatternExtractor
from tests.layouts import FORMATS, rendered

from .helpers import status_of

TFC = "legal.termination_for_convenience"
ESCROW = "legal.source_code_escrow"
PRICE = "commercial.price_restrictions"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            "(b) nothing in this letter obliges us to deposit the source code of the Service "
            "with an escrow agent; and",
            ESCROW,
        ),
        ("Nothing in this Agreement requires Provider to enter into a source code escrow.", ESCROW),
        ("(c) neither of us may terminate this agreement for convenience.", TFC),
        ("Neither of the parties shall terminate this Order for convenience.", TFC),
        (
            "- Gantry does not offer termination for convenience: prepaid fees are non-refundable "
            "except as the Master Subscription Agreement provides for Gantry's uncured material "
            "breach.",
            TFC,
        ),
        (
            "A note on price protection, since your team asked about it: multi-year price "
            "protection or a cap on future increases is not part of your current agreement, and "
            "this renewal does not add one.",
            PRICE,
        ),
        ("Price protection or any cap on increases is not included in this renewal.", PRICE),
    ],
)
def test_the_denial_excludes(text: str, path: str) -> None:
    assert status_of(text, path) is FactStatus.EXCLUDED


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("No discount or price protection except as stated in the Order Form.", PRICE),
        (
            "Customer may terminate this Agreement for convenience; neither party may assign it.",
            TFC,
        ),
        ("Fees are subject to price protection or a cap of 5% and are not refundable.", PRICE),
    ],
)
def test_what_is_no_denial_of_the_term(text: str, path: str) -> None:
    assert status_of(text, path) is not FactStatus.EXCLUDED


LETTER = (
    "## 4. Liability\n"
    "4.3 For the avoidance of doubt:\n"
    "(a) the limit in paragraph 4.1 applies to our indemnity in paragraph 5 as it applies to "
    "every other liability;\n"
    "(b) nothing in this letter obliges us to deposit the source code of the Service with an "
    "escrow agent; and\n"
    "(c) neither of us may terminate this agreement for convenience.\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_letter_s_list_of_denials_in_every_layout(output: OutputFormat) -> None:
    document = rendered(LETTER, output)
    statuses = {
        finding.path: finding.fact.status
        for finding in PatternExtractor().extract(document, [])
        if finding.path in (TFC, ESCROW)
    }
    assert statuses == {TFC: FactStatus.EXCLUDED, ESCROW: FactStatus.EXCLUDED}
