"""The clause classifier as an extractor: findings on schema paths, quoting the text exactly."""

from __future__ import annotations

import pytest

from extractors.classifier import ClauseClassifier
from extractors.classifier.categories import CATEGORIES
from extractors.document import PAGE_SEPARATOR, Document, MediaType, Page
from extractors.facts import FactRecord, FactStatus, Source, fact_paths
from tests.extractors.classifier.test_model import BOILERPLATE, MFN_CLAUSE

PAGES = [
    "SUPPLY AGREEMENT\n\nThis Supply Agreement is entered into by Acme Corp. and Beta Inc.\n\n"
    + BOILERPLATE,
    "5. PRICING.\n\n" + MFN_CLAUSE + "\n\n6. AUDIT. Customer may audit the books and records of "
    "Supplier relating to the Products once in each calendar year upon thirty days notice.",
    "7. INSURANCE. Supplier shall maintain commercial general liability insurance with limits of "
    "not less than $2,000,000 per occurrence and shall name Customer as an additional insured.",
]


def _document(pages: list[str]) -> Document:
    text = PAGE_SEPARATOR.join(pages)
    spans, cursor = [], 0
    for number, page in enumerate(pages, start=1):
        spans.append(Page(number=number, start=cursor, end=cursor + len(page)))
        cursor += len(page) + len(PAGE_SEPARATOR)
    return Document(
        text=text,
        pages=spans,
        sha256="ab" * 32,
        media_type=MediaType.TEXT,
        loader="test",
        loader_version="1",
    )


@pytest.fixture(scope="module")
def classifier() -> ClauseClassifier:
    return ClauseClassifier()


def test_checks_are_schema_paths(classifier: ClauseClassifier) -> None:
    assert classifier.checks == {category.path for category in CATEGORIES}
    assert classifier.checks <= set(fact_paths())


def test_empty_document_has_no_findings(classifier: ClauseClassifier) -> None:
    assert classifier.extract(_document([""]), []) == []


def test_findings_quote_the_document_exactly(classifier: ClauseClassifier) -> None:
    document = _document(PAGES)
    findings = classifier.extract(document, [])
    paths = {finding.path for finding in findings}
    assert "commercial.most_favoured_nation" in paths
    for finding in findings:
        fact = finding.fact
        assert fact.status is FactStatus.PRESENT and fact.value is True
        assert fact.source is Source.CLASSIFIER
        assert 0.0 <= fact.confidence <= 1.0
        assert fact.extractor and classifier.model_version in fact.extractor
        assert fact.evidence
        for evidence in fact.evidence:
            assert document.text[evidence.start : evidence.end] == evidence.quote
            assert evidence.document_id == document.document_id
            assert evidence.page == document.page_at(evidence.start)
    mfn = next(f for f in findings if f.path == "commercial.most_favoured_nation")
    assert mfn.fact.evidence[0].page == 2


def test_findings_fit_the_fact_record(classifier: ClauseClassifier) -> None:
    record = FactRecord()
    for finding in classifier.extract(_document(PAGES), []):
        section, name = finding.path.split(".")
        setattr(getattr(record, section), name, finding.fact)
    assert FactRecord.model_validate_json(record.model_dump_json()) == record
