"""Clause concepts read through the whole extractor: each wording, its denials and look-alikes."""

from __future__ import annotations

import pytest

from extractors.patterns import PatternExtractor, extract_hits
from extractors.patterns.vocabulary import CLAUSE_CONCEPTS, ClauseConcept, Wording, describe

from .helpers import make_document


def found(text: str, path: str) -> bool:
    return any(hit.path == path and hit.value is True for hit in extract_hits(make_document(text)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Provider will migrate five years of historical invoice data.", True),
        ("Data migration from the legacy TMS is included in the SOW.", True),
        (
            "- Migration of open and closed tickets, contacts and articles from the district's "
            "Zendesk account.",
            True,
        ),
        # Export control, extracts and history are not a migration of the customer's data.
        ("Licensee shall comply with all export control laws and regulations.", False),
        ("Provider may extract aggregated statistics from usage logs.", False),
        ("The historical performance of the product is no guarantee of results.", False),
        # Named only to say there is none.
        ("No set-up, implementation, data migration or onboarding charges are payable.", False),
    ],
)
def test_data_migration(text: str, expected: bool) -> None:
    assert found(text, "implementation.data_migration") is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Provider shall deliver the Professional Services described in the SOW.", True),
        ("The Implementation Package includes 40 hours of remote consulting.", True),
        (
            "During the term, Consultant will not engage in or provide consulting services to "
            "any competitor.",
            False,
        ),
    ],
)
def test_professional_services(text: str, expected: bool) -> None:
    assert found(text, "implementation.professional_services") is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Products not rejected within ten days shall be deemed accepted by the Customer.", True),
        ("Each deliverable is subject to user acceptance testing (UAT).", True),
    ],
)
def test_acceptance_keeps_its_own_conditions(text: str, expected: bool) -> None:
    assert found(text, "implementation.acceptance_criteria") is expected


WORDINGS = [(concept, wording) for concept in CLAUSE_CONCEPTS for wording in concept.wordings]


@pytest.mark.parametrize(
    ("concept", "wording"), WORDINGS, ids=[f"{c.path}: {w.name}" for c, w in WORDINGS]
)
def test_every_wording_reads_its_example_through_the_extractor(
    concept: ClauseConcept, wording: Wording
) -> None:
    """A wording no topic module reads, or one that misses its own example, fails here."""
    hits = extract_hits(make_document(wording.example))
    readers = {hit.reader for hit in hits if hit.path == concept.path}
    assert f"{concept.path}: {wording.name}" in readers
    assert concept.path in PatternExtractor.checks


def test_the_vocabulary_describes_itself() -> None:
    text = describe(CLAUSE_CONCEPTS)
    for concept in CLAUSE_CONCEPTS:
        assert f"{concept.path}: {concept.meaning}" in text
        assert all(repr(wording.example) in text for wording in concept.wordings)
