"""The whole pattern extractor: its contract, evidence, and speed on long and hostile input."""

from __future__ import annotations

import time

import pytest

from extractors.facts import FactStatus, Source, fact_paths
from extractors.patterns import PatternExtractor

from .helpers import make_document

_CONTRACT = "\n".join(
    [
        "MASTER SUBSCRIPTION AGREEMENT",
        "",
        (
            "This Master Subscription Agreement is entered into as of March 1, 2024 (the "
            '"Effective Date") by and between Brightline Analytics, Inc., a Delaware corporation '
            '("Brightline"), and Harborview Logistics LLC, a Washington limited liability company'
            ' ("Customer").'
        ),
        "",
        (
            "5.2 Invoicing and Payment. Brightline will invoice Customer annually in advance. "
            "Invoices are due net thirty (30) days from the invoice date."
        ),
        (
            "6.2 Renewal. Subscriptions automatically renew for successive renewal terms of "
            "twelve (12) months each unless either party gives notice of non-renewal at least "
            "sixty (60) days before the end of the then-current term."
        ),
        (
            "8.1 Brightline will encrypt Customer Data at rest using AES-256 and will provide its"
            " SOC 2 Type II report on request."
        ),
        (
            "8.3 Brightline will notify Customer within seventy-two (72) hours after becoming "
            "aware of any Security Incident."
        ),
        (
            "11.1 Each party's aggregate liability shall not exceed the fees paid in the twelve "
            "(12) months preceding the claim."
        ),
        "13.2 This Agreement is governed by the laws of the State of Delaware.",
        "13.3 There are no third-party beneficiaries to this Agreement.",
        "Customer shall not have audit rights.",
        "",
    ]
)


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "%%%%", "1234567890"])
def test_empty_and_meaningless_documents_give_no_findings(text: str) -> None:
    assert PatternExtractor().extract(make_document(text), []) == []


def test_every_finding_is_checked_and_quotes_the_document() -> None:
    extractor = PatternExtractor()
    document = make_document(_CONTRACT[:900], _CONTRACT[900:])
    found = extractor.extract(document, [])
    assert found
    for finding in found:
        assert finding.path in extractor.checks
        assert finding.fact.source is Source.PATTERN
        assert finding.fact.extractor == "patterns"
        assert 0 < finding.fact.confidence <= 1
        assert finding.fact.evidence
        for evidence in finding.fact.evidence:
            assert document.text[evidence.start : evidence.end] == evidence.quote
            assert evidence.page == document.page_at(evidence.start)
            assert evidence.document_id == document.document_id


def test_checks_are_schema_paths() -> None:
    assert PatternExtractor.checks <= {*fact_paths(), "obligations"}


def test_present_and_excluded_facts_of_a_contract() -> None:
    document = make_document(_CONTRACT)
    facts = {
        f.path: f.fact for f in PatternExtractor().extract(document, []) if f.path != "obligations"
    }
    assert facts["legal.governing_law"].value == "Delaware"
    assert facts["commercial.payment_terms_days"].value == 30
    assert facts["security.breach_notification_hours"].value == 72
    assert facts["legal.audit_rights"].status is FactStatus.EXCLUDED
    assert facts["legal.third_party_beneficiary"].status is FactStatus.EXCLUDED
    assert facts["security.soc2_report"].status is FactStatus.PRESENT
    # Classifier-owned clause presence is not claimed here, only its values.
    assert "legal.cap_on_liability" not in facts
    cap = facts["legal.liability_cap"].value
    assert cap is not None
    assert cap.months_of_fees == 12


@pytest.mark.parametrize(
    "line",
    [
        "governed by the laws of " * 8000,
        "9" * 200_000,
        " " * 300_000,
        "$" * 100_000,
        "thirty (" * 40_000,
        "shall not " * 20_000,
        "USD 1,000,000 " * 10_000,
        "a" * 200_000,
        "the 1st day of " * 20_000,
        "\t" * 200_000,
        "Plan:\t" * 40_000,
        "| Product | Quantity |\n" * 20_000,
        "Governing Law\t" * 30_000,
        "Total annual fees: USD 1,000.00\n" * 10_000,
        "| Item | Annual fee |\n| A | USD 5.00 |\n" * 10_000,
        "Customer will (a) " * 20_000,
        "Acme shall pay within 30 days. " * 10_000,
        "does not currently support " * 20_000,
    ],
)
def test_long_adversarial_lines_finish_quickly(line: str) -> None:
    started = time.perf_counter()
    PatternExtractor().extract(make_document(line), [])
    assert time.perf_counter() - started < 3.0


def test_a_twenty_page_contract_takes_well_under_half_a_second() -> None:
    page = _CONTRACT * 3  # about 4,500 characters, a dense contract page
    document = make_document(*([page] * 20))
    extractor = PatternExtractor()
    extractor.extract(make_document(_CONTRACT), [])  # compile and warm caches once
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        extractor.extract(document, [])
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.5
