"""The numpy featuriser must compute exactly what scikit-learn computes at training time."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.classifier.featurise import TfidfFeaturiser, smooth_idf, word_ngrams

TEXTS = [
    "The Supplier shall not increase the prices during the Term.",
    "Licensee may audit the books and records of Licensor once per year.",
    "THIS AGREEMENT shall be governed by the laws of the State of New York.",
    "Prices offered to Customer shall be no less favorable than those offered to anyone else.",
    "",
    "   ",
    "Résumé: naïve café — «quoted» terms; e.g. 3.5% of Net Sales, $10,000 minimum.",
    "a b c x",  # single letters are not tokens
]


def test_mismatched_vocabulary_and_idf_are_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        TfidfFeaturiser(["a", "b"], np.ones(3), (1, 1))


def test_duplicate_terms_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        TfidfFeaturiser(["price", "price"], np.ones(2), (1, 1))


def test_text_without_known_terms_gives_an_empty_row() -> None:
    featuriser = TfidfFeaturiser(["price"], np.ones(1), (1, 1))
    rows = featuriser.transform(["", "nothing known here"])
    assert rows.n_rows == 2
    assert rows.to_dense().tolist() == [[0.0], [0.0]]


def _sklearn_reference(texts: list[str], ngram_range: tuple[int, int]) -> tuple[Any, list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(ngram_range=ngram_range, sublinear_tf=True, lowercase=True)
    vectoriser.fit(texts)
    vocabulary = [str(term) for term in vectoriser.get_feature_names_out()]
    return vectoriser, vocabulary


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (1, 3), (2, 2)])
def test_matches_sklearn_tfidf(ngram_range: tuple[int, int]) -> None:
    vectoriser, vocabulary = _sklearn_reference(TEXTS, ngram_range)
    ours = TfidfFeaturiser(vocabulary, vectoriser.idf_, ngram_range)
    expected = vectoriser.transform(TEXTS).toarray()
    np.testing.assert_allclose(ours.transform(TEXTS).to_dense(), expected, atol=1e-12)


def test_ngrams_match_sklearn_analyzer() -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    analyse = CountVectorizer(ngram_range=(1, 3)).build_analyzer()
    for text in TEXTS:
        assert word_ngrams(text, 1, 3) == analyse(text)


def test_smooth_idf_matches_sklearn() -> None:
    vectoriser, _ = _sklearn_reference(TEXTS, (1, 1))
    counts = (vectoriser.transform(TEXTS).toarray() > 0).sum(axis=0)
    np.testing.assert_allclose(smooth_idf(counts.astype(float), len(TEXTS)), vectoriser.idf_)


words = st.sampled_from(["price", "shall", "not", "increase", "audit", "the", "of", "X", "é", "10"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(words, max_size=12).map(" ".join), min_size=2, max_size=8))
def test_matches_sklearn_on_random_texts(texts: list[str]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    try:
        vectoriser.fit(texts)
    except ValueError:  # every text empty: sklearn refuses an empty vocabulary
        return
    vocabulary = [str(term) for term in vectoriser.get_feature_names_out()]
    ours = TfidfFeaturiser(vocabulary, vectoriser.idf_, (1, 2))
    np.testing.assert_allclose(
        ours.transform(texts).to_dense(), vectoriser.transform(texts).toarray(), atol=1e-12
    )


def test_sparse_dot_equals_dense_product() -> None:
    vectoriser, vocabulary = _sklearn_reference(TEXTS, (1, 2))
    ours = TfidfFeaturiser(vocabulary, vectoriser.idf_, (1, 2))
    rows = ours.transform(TEXTS)
    weights = np.random.default_rng(0).normal(size=(len(vocabulary), 4)).astype(np.float32)
    np.testing.assert_allclose(rows.dot(weights), rows.to_dense() @ weights, atol=1e-9)
