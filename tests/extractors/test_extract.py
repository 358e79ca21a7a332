"""Merging findings into one record: grounding, presence, overrides across a bundle."""

from __future__ import annotations

import pytest

from extractors.document import Document
from extractors.extract import extract_bundle, extract_document
from extractors.facts import (
    DocumentKind,
    Evidence,
    Fact,
    FactStatus,
    Finding,
    Money,
    Source,
)
from extractors.registry import (
    UnknownExtractorError,
    get_extractor,
    register_extractor,
    unregister_extractor,
)
from tests.extractors.fakes import ScriptedExtractor, found
from tests.extractors.test_chunking import make_document

MSA = make_document(
    [
        "MASTER SUBSCRIPTION AGREEMENT. Invoices are payable net 30.",
        "Customer may audit Provider once a year. Customer shall not have audit rights "
        "over Provider's subcontractors.",
    ]
)
ORDER = make_document(["ORDER FORM. Notwithstanding the Agreement, invoices are payable net 60."])


def kinds(document: Document, kind: DocumentKind, quote: str) -> Finding:
    return found(document, "commercial.document_kinds", [kind], quote)


def test_ungrounded_finding_never_reaches_the_facts() -> None:
    invented = Finding(
        path="legal.uncapped_liability",
        fact=Fact(
            status=FactStatus.PRESENT,
            value=True,
            evidence=[Evidence(start=0, end=10, page=1, quote="liability is unlimited")],
            source=Source.LLM,
            confidence=0.99,
        ),
    )
    record = extract_bundle([MSA], extractors=[], extra_findings=[invented])
    assert record.legal.uncapped_liability.status is FactStatus.NOT_CHECKED
    assert len(record.unverified) == 1
    assert record.unverified[0].fact.grounded is False


def test_wrong_offsets_are_repaired_from_the_quote() -> None:
    misplaced = Finding(
        path="commercial.payment_terms_days",
        fact=Fact(
            status=FactStatus.PRESENT,
            value=30,
            evidence=[Evidence(start=3, end=9, page=2, quote="payable  net 30")],
            source=Source.LLM,
        ),
    )
    record = extract_bundle([MSA], extractors=[], extra_findings=[misplaced])
    fact = record.commercial.payment_terms_days
    assert fact.status is FactStatus.PRESENT and fact.grounded
    evidence = fact.evidence[0]
    assert MSA.text[evidence.start : evidence.end] == evidence.quote == "payable net 30"
    assert evidence.page == 1


def test_checked_but_absent_differs_from_not_checked() -> None:
    extractor = ScriptedExtractor(lambda d: [], checks=["legal.non_compete"])
    record = extract_document(MSA, extractors=[extractor])
    assert record.legal.non_compete.status is FactStatus.NOT_FOUND
    assert record.legal.exclusivity.status is FactStatus.NOT_CHECKED


def test_exclusion_sentence_does_not_count_as_presence_but_other_evidence_does() -> None:
    exclusion = "Customer shall not have audit rights over Provider's subcontractors"
    only_negation = ScriptedExtractor(
        lambda d: [
            found(d, "legal.audit_rights", False, exclusion, status=FactStatus.EXCLUDED),
            found(d, "legal.audit_rights", True, "audit rights", source=Source.CLASSIFIER),
        ]
    )
    record = extract_document(MSA, extractors=[only_negation])
    assert record.legal.audit_rights.status is FactStatus.EXCLUDED

    both = ScriptedExtractor(
        lambda d: [
            found(d, "legal.audit_rights", False, exclusion, status=FactStatus.EXCLUDED),
            found(
                d,
                "legal.audit_rights",
                True,
                "Customer may audit Provider",
                source=Source.CLASSIFIER,
            ),
        ]
    )
    record = extract_document(MSA, extractors=[both])
    fact = record.legal.audit_rights
    assert fact.status is FactStatus.PRESENT
    assert fact.note is not None and "excluded elsewhere" in fact.note


def test_order_form_overrides_msa_and_keeps_the_overridden_value() -> None:
    def script(document: Document) -> list[Finding]:
        if document is MSA:
            return [
                kinds(MSA, DocumentKind.MSA, "MASTER SUBSCRIPTION AGREEMENT"),
                found(MSA, "commercial.payment_terms_days", 30, "payable net 30"),
            ]
        return [
            kinds(ORDER, DocumentKind.ORDER_FORM, "ORDER FORM"),
            found(ORDER, "commercial.payment_terms_days", 60, "payable net 60"),
        ]

    for bundle in ([MSA, ORDER], [ORDER, MSA]):
        record = extract_bundle(bundle, extractors=[ScriptedExtractor(script)])
        fact = record.commercial.payment_terms_days
        assert fact.value == 60
        assert fact.evidence[0].document_id == ORDER.document_id
        assert fact.note is not None and "30" in fact.note
        # The order form wins because it says so, not merely because it ranks higher.
        assert "Notwithstanding the Agreement" in fact.note
        assert {e.document_id for e in fact.evidence} == {ORDER.document_id, MSA.document_id}
        assert set(record.commercial.document_kinds.value or []) == {
            DocumentKind.MSA,
            DocumentKind.ORDER_FORM,
        }


def test_person_correction_beats_extractors() -> None:
    def script(document: Document) -> list[Finding]:
        return [
            found(document, "commercial.payment_terms_days", 30, "payable net 30"),
            found(document, "commercial.payment_terms_days", 45, "net 30", source=Source.PERSON),
        ]

    record = extract_document(MSA, extractors=[ScriptedExtractor(script)])
    assert record.commercial.payment_terms_days.value == 45
    assert record.commercial.payment_terms_days.source is Source.PERSON


def test_lists_are_unions_and_money_survives() -> None:
    def script(document: Document) -> list[Finding]:
        return [
            found(document, "commercial.currencies", ["USD"], "net 30"),
            found(document, "commercial.currencies", ["EUR", "USD"], "audit Provider"),
            found(
                document,
                "commercial.total_contract_value",
                Money(amount=120000, currency="USD"),
                "net 30",
            ),
        ]

    record = extract_document(MSA, extractors=[ScriptedExtractor(script)])
    assert record.commercial.currencies.value == ["USD", "EUR"]
    assert len(record.commercial.currencies.evidence) == 2
    assert record.commercial.total_contract_value.value == Money(amount=120000, currency="USD")


def test_registry_resolves_registered_and_rejects_unknown() -> None:
    register_extractor("scripted", lambda: ScriptedExtractor(lambda d: []))
    try:
        assert isinstance(get_extractor("scripted"), ScriptedExtractor)
    finally:
        unregister_extractor("scripted")
    with pytest.raises(UnknownExtractorError, match="no extractor named 'nope'"):
        get_extractor("nope")


def test_named_list_items_merge_by_name_and_fill_blanks() -> None:
    from extractors.facts import Party, PartyRole

    def script(document: Document) -> list[Finding]:
        return [
            found(
                document,
                "commercial.parties",
                [Party(name="Acme  Corp", role=PartyRole.OTHER)],
                "net 30",
            ),
            found(
                document,
                "commercial.parties",
                [Party(name="ACME Corp", role=PartyRole.CUSTOMER, country="DE")],
                "audit Provider",
            ),
        ]

    record = extract_document(MSA, extractors=[ScriptedExtractor(script)])
    assert record.commercial.parties.value == [
        Party(name="Acme  Corp", role=PartyRole.CUSTOMER, country="DE")
    ]


def test_product_lines_with_the_same_name_stay_apart() -> None:
    from extractors.facts import Product

    lines = [
        Product(name="Fleet Operations", quantity=300, unit="users"),
        Product(name="Fleet Operations", quantity=100, unit="users"),
    ]
    record = extract_document(
        MSA,
        extractors=[
            ScriptedExtractor(lambda d: [found(d, "commercial.products", lines, "net 30")])
        ],
    )
    assert record.commercial.products.value == lines
