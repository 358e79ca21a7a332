"""Sentences are labelled by their overlap with the located excerpts."""

from __future__ import annotations

from evals.cuad.corpus import CuadContract
from evals.cuad.labelling import (
    NEGATIVE,
    POSITIVE,
    UNSURE,
    label_contract,
    locate_excerpt,
    unit_labels,
)
from extractors.classifier.categories import CATEGORY_KEYS
from extractors.locate import QuoteLocator
from tests.extractors.patterns.helpers import make_document


def test_no_excerpts_make_every_sentence_negative() -> None:
    assert unit_labels([(0, 10), (11, 20)], []).tolist() == [NEGATIVE, NEGATIVE]


def test_overlap_rules() -> None:
    spans = [(0, 100), (100, 200), (200, 300)]
    # Covers most of the first unit, a sliver of the second, none of the third.
    assert unit_labels(spans, [(10, 110)]).tolist() == [POSITIVE, UNSURE, NEGATIVE]
    # A short excerpt inside a long unit makes that unit positive.
    assert unit_labels(spans, [(220, 240)]).tolist() == [NEGATIVE, NEGATIVE, POSITIVE]


def test_label_contract_locates_excerpts_despite_whitespace() -> None:
    text = (
        "This Agreement is made between Acme and Beta.\n\n"
        "Beta shall offer Acme prices no less\nfavorable than those offered to any other "
        "customer.\n\n"
        "This Agreement may be executed in counterparts."
    )
    document = make_document(text)
    excerpts: dict[str, list[str]] = {key: [] for key in CATEGORY_KEYS}
    excerpts["mfn"] = [
        "prices no less favorable than those offered to any other customer",
        "absent",
    ]
    contract = CuadContract(
        contract_id="c1",
        agreement_type="Supply",
        excerpts=excerpts,
        present={key: key == "mfn" for key in CATEGORY_KEYS},
        governing_law="",
        agreement_date="",
    )
    labelled = label_contract(contract, document)
    assert labelled.excerpts == 2
    assert labelled.located == 1
    column = CATEGORY_KEYS.index("mfn")
    positives = [
        labelled.texts[i]
        for i in range(len(labelled.spans))
        if labelled.labels[i, column] == POSITIVE
    ]
    assert positives == [
        "Beta shall offer Acme prices no less\nfavorable than those offered to any other customer."
    ]
    assert labelled.present[column]


def test_labelled_contracts_record_what_the_patterns_find() -> None:
    text = (
        "Supplier shall deliver the goods by June.\n\n"
        "For each day of delay Supplier shall pay Buyer, as liquidated damages, USD 500."
    )
    document = make_document(text)
    contract = CuadContract(
        contract_id="c2",
        agreement_type="Supply",
        excerpts={key: [] for key in CATEGORY_KEYS},
        present=dict.fromkeys(CATEGORY_KEYS, False),
        governing_law="",
        agreement_date="",
    )
    found = label_contract(contract, document).found_by_patterns
    assert found.shape == (len(CATEGORY_KEYS),)
    assert found[CATEGORY_KEYS.index("liquidated_damages")]
    assert found.sum() == 1


def test_omitted_parts_are_located_separately() -> None:
    text = "Licensee may not assign this Agreement. Other words here. Nor may it sublicense."
    locator = QuoteLocator(text)
    parts = locate_excerpt(locator, "Licensee may not assign<omitted>Nor may it sublicense.")
    assert [text[start:end] for start, end in parts] == [
        "Licensee may not assign",
        "Nor may it sublicense.",
    ]
    assert locate_excerpt(locator, "<omitted>") == []
    assert locate_excerpt(locator, "words that are not there") == []


def test_long_excerpt_across_a_page_footer_is_placed_by_its_ends() -> None:
    first = " ".join(f"Supplier shall maintain cover number {n} with insurers." for n in range(6))
    second = " ".join(f"Certificate {n} shall be provided upon request." for n in range(6))
    text = f"{first}\n\nPage 7 of 20 Confidential\n\n{second}"
    span = locate_excerpt(QuoteLocator(text), f"{first} {second}")
    assert span == [(0, len(text))]
