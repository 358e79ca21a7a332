"""The clause classifier as an extractor: findings on schema paths, quoting the text exactly."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import numpy as np
import pytest
from numpy.typing import NDArray

from extractors.classifier import ClauseClassifier, ClauseModel
from extractors.classifier.categories import CATEGORIES
from extractors.classifier.model import CategoryVerdict
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


# ---- a finding for an approval category needs a sentence that says it ------------------

PLAIN_ORDER_FORM = [
    "ORDER FORM #Q-20417\n\n"
    "Vendor: Northwind Forms, Inc., 200 Market Street, Suite 900, San Francisco, CA 94105\n"
    "Customer: Bluejay Dental Group LLC, 48 Elm Avenue, Columbus, OH 43215\n\n"
    "Plan: Northwind Business (up to 15 users)\n"
    "Subscription term: 12 months starting March 1, 2027\n"
    "Fees ............................................ USD 7,200.00 per year\n"
    "Billing: annually in advance; invoices due net 30.\n\n"
    "This order is governed by the Northwind Terms of Service in effect on the order date,\n"
    "which are governed by the laws of the State of California. The subscription renews for\n"
    "another 12 months unless either party cancels at least 30 days before renewal.\n"
    "Standard email support. No discounts, credits or special terms apply.\n\n"
    "Signed for Northwind Forms, Inc.: R. Alvarez, Sales Manager, February 20, 2027\n"
    "Signed for Bluejay Dental Group LLC: T. Nguyen, Practice Manager, February 20, 2027\n"
]
PRICE_ROW = "USD 7,200.00 per year\nBilling: annually in advance; invoices due net 30."
REVENUE_SHARE = "Vendor shall pay Customer ten percent (10%) of the net revenue from referrals."


class _OneCategoryModel:
    """A stand-in clause model that is sure of one category, quoting ``quoted``, and ranks
    the sentences of a document in the order ``ranked`` gives."""

    def __init__(self, key: str, quoted: str, ranked: list[str]) -> None:
        self.key = key
        self.quoted = quoted
        self.ranked = ranked
        self.data = SimpleNamespace(
            categories=tuple(category.key for category in CATEGORIES), version="stand-in"
        )

    def classify(self, text: str, *, max_evidence: int = 3) -> list[CategoryVerdict]:
        start = text.index(self.quoted)
        return [
            CategoryVerdict(
                key=key,
                probability=0.95 if key == self.key else 0.01,
                present=key == self.key,
                evidence=[(start, start + len(self.quoted), 0.9)] if key == self.key else [],
            )
            for key in self.data.categories
        ]

    def unit_logits(
        self, text: str, spans: list[tuple[int, int]]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        logits = np.full((len(spans), len(self.data.categories)), -5.0)
        column = self.data.categories.index(self.key)
        for row, (start, end) in enumerate(spans):
            for rank, sentence in enumerate(self.ranked):
                if sentence in text[start:end]:
                    logits[row, column] = 3.0 - rank
        return logits, np.zeros((len(spans), 0))


def _classifier(model: _OneCategoryModel, *, require_cue: bool = True) -> ClauseClassifier:
    return ClauseClassifier(model=cast(ClauseModel, model), require_cue=require_cue)


def test_a_price_row_raises_no_revenue_share(classifier: ClauseClassifier) -> None:
    paths = {finding.path for finding in classifier.extract(_document(PLAIN_ORDER_FORM), [])}
    assert "commercial.revenue_profit_sharing" not in paths


def test_a_finding_whose_sentences_do_not_say_the_clause_is_dropped() -> None:
    document = _document(PLAIN_ORDER_FORM)
    model = _OneCategoryModel("revenue_profit_sharing", PRICE_ROW, ranked=[PRICE_ROW])
    assert _classifier(model).extract(document, []) == []
    # The model alone would have raised it: the cue check is what keeps it out.
    unchecked = _classifier(model, require_cue=False).extract(document, [])
    assert [f.path for f in unchecked] == ["commercial.revenue_profit_sharing"]


def test_a_lower_ranked_sentence_that_says_the_clause_becomes_the_evidence() -> None:
    pages = [PLAIN_ORDER_FORM[0] + "\n" + REVENUE_SHARE]
    document = _document(pages)
    model = _OneCategoryModel(
        "revenue_profit_sharing", PRICE_ROW, ranked=[PRICE_ROW, "Standard email", REVENUE_SHARE]
    )
    [finding] = _classifier(model).extract(document, [])
    assert finding.path == "commercial.revenue_profit_sharing"
    assert [e.quote for e in finding.fact.evidence] == [REVENUE_SHARE]


def test_categories_without_an_approval_are_not_checked() -> None:
    document = _document(PLAIN_ORDER_FORM)
    model = _OneCategoryModel("insurance", PRICE_ROW, ranked=[PRICE_ROW])
    [finding] = _classifier(model).extract(document, [])
    assert finding.path == "legal.insurance"


def test_a_denial_the_model_leant_on_is_not_replaced_by_another_sentence() -> None:
    denial = "Nothing in these Terms restricts either party from doing business with competitors."
    prohibition = "Customer shall not have audit rights over the Vendor's books."
    document = _document([PLAIN_ORDER_FORM[0] + "\n" + denial + "\n" + prohibition])
    model = _OneCategoryModel("non_compete", denial, ranked=[denial, prohibition])
    assert _classifier(model).extract(document, []) == []
