"""A letter agreement's parties and its promise to delete the data it refers back to.

A letter written by "Marchbank Analytics Limited ("we", "us")" to "Stillwater Outfitters, Inc.
("you")" names its parties by the pronouns it then uses: the writer that provides the service
and the addressee that pays for it, each in the country of its address block or registration.
"We shall process it only to provide the Service and shall delete it within thirty days after
this agreement ends" deletes the data the sentence before names, thirty days after the end.
"""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import FactStatus, Party, PartyRole
from extractors.patterns import PatternExtractor
from tests.layouts import FORMATS, rendered

from .helpers import present

DELETION = "security.data_deletion"
RETENTION = "security.data_retention_days"


@pytest.mark.parametrize(
    "text",
    [
        "6.1 You own all data you upload to the Service. We shall process it only to provide the "
        "Service and shall delete it within thirty days after this agreement ends.",
        "The Customer's records remain its property. The Supplier will erase them within thirty "
        "(30) days after the subscription ends.",
    ],
)
def test_deleting_the_data_the_sentence_before_names(text: str) -> None:
    assert present(text, DELETION) is True
    assert present(text, RETENTION) == 30


def test_deleting_something_else_is_no_data_deletion() -> None:
    text = (
        "You own all data you upload to the Service. The invoice address is on file and we "
        "shall delete any duplicate invoice within thirty days after this agreement ends."
    )
    assert present(text, DELETION) is None


LETTER = (
    "Ms Elena Park\n"
    "Chief Operating Officer\n"
    "Stillwater Outfitters, Inc.\n"
    "2700 Western Avenue, Suite 400\n"
    "Seattle, WA 98121\n"
    "United States\n\n"
    "Dear Ms Park\n\n"
    "Following our discussions, we are pleased to set out below the terms on which Marchbank "
    'Analytics Limited ("we", "us") will provide the Marchbank Demand Planner service to '
    'Stillwater Outfitters, Inc. ("you"). If you agree, please countersign this letter.\n\n'
    "1.1 From 1 November 2025 we shall provide you with access to the service.\n"
    "3.1 You shall pay us an annual subscription fee of forty-two thousand five hundred United "
    "States dollars.\n"
    "7.2 This letter shall be governed by the law of England and Wales.\n\n"
    "Owen Marchbank, Managing Director, for and on behalf of Marchbank Analytics Limited\n"
    "Marchbank Analytics Limited - registered in England and Wales no. 10482217 - 3 Hardman "
    "Street, Manchester M3 3HF\n"
)


def _roles(document_parties: list[Party]) -> dict[str, tuple[PartyRole, str | None]]:
    return {party.name: (party.role, party.country) for party in document_parties}


def test_the_parties_a_letter_names_by_its_pronouns() -> None:
    roles = _roles(present(LETTER, "commercial.parties") or [])
    assert roles.get("Marchbank Analytics Limited") == (PartyRole.PROVIDER, "GB")
    assert roles.get("Stillwater Outfitters, Inc.") == (PartyRole.CUSTOMER, "US")


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_letter_parties_in_every_layout(output: OutputFormat) -> None:
    found = {
        finding.path: finding.fact.value
        for finding in PatternExtractor().extract(rendered(LETTER, output), [])
        if finding.fact.status is FactStatus.PRESENT
    }
    roles = _roles(found.get("commercial.parties") or [])
    assert roles.get("Marchbank Analytics Limited", (None,))[0] is PartyRole.PROVIDER
    assert roles.get("Stillwater Outfitters, Inc.") == (PartyRole.CUSTOMER, "US")
