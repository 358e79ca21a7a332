"""Training: threshold choice, and inference that reproduces the training features exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evals.cuad.training import (
    TrainConfig,
    UnitCorpus,
    _design,
    _fit_features,
    choose_threshold,
    fit_clause_model,
)
from extractors.classifier.categories import CATEGORY_KEYS
from extractors.classifier.model import ClauseModel, ClauseModelData
from tests.evals.cuad.synthetic import CLAUSES, synthetic_contract, synthetic_corpus


def test_threshold_without_positives_flags_nothing() -> None:
    assert choose_threshold(np.array([0.2, 0.9]), np.array([False, False]), 0.9) == 1.0


def test_threshold_is_f1_best_without_recall_target() -> None:
    probabilities = np.array([0.95, 0.9, 0.8, 0.4, 0.3, 0.1])
    truth = np.array([True, True, False, True, False, False])
    threshold = choose_threshold(probabilities, truth, None)
    assert 0.8 < threshold < 0.9 or 0.3 < threshold < 0.4
    predicted = probabilities >= threshold
    assert (predicted & truth).sum() >= 2


def test_recall_target_lowers_the_threshold() -> None:
    probabilities = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.2, 0.1])
    truth = np.array([True, True, True, False, False, False, True])
    plain = choose_threshold(probabilities, truth, None)
    strict = choose_threshold(probabilities, truth, 0.9)
    assert strict < plain
    assert (probabilities >= strict)[truth].all()
    assert plain > 0.1 and strict == pytest.approx(0.05)


def test_precision_floor_stops_the_recall_target() -> None:
    probabilities = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
    truth = np.array([True, True, False, False, False, False, False, False, False, True])
    unbounded = choose_threshold(probabilities, truth, 0.9)
    bounded = choose_threshold(probabilities, truth, 0.9, min_precision=0.5)
    assert unbounded < 0.1
    assert bounded > 0.7
    assert (probabilities >= bounded).sum() == 2


@pytest.fixture(scope="module")
def fitted() -> tuple[UnitCorpus, ClauseModelData]:
    corpus = UnitCorpus(synthetic_corpus(36), (1, 2))
    config = TrainConfig(min_df=1, inner_folds=3, negative_share=1.0)
    data = fit_clause_model(corpus, range(30), config, version="test")
    return corpus, data


def test_inference_reproduces_training_features(fitted: tuple[UnitCorpus, ClauseModelData]) -> None:
    corpus, data = fitted
    config = TrainConfig(min_df=1)
    features = _fit_features(corpus, corpus.rows(range(30)), config.min_df)
    model = ClauseModel(data)
    for index in (30, 31, 35):  # contracts the model never saw
        contract = corpus.contracts[index]
        rows = corpus.rows([index])
        trained = (
            _design(corpus, rows, features, data.cue_scale) @ data.unit_weights + data.unit_bias
        )
        served, cues = model.unit_logits(contract.document.text, contract.spans)
        np.testing.assert_allclose(served, trained, rtol=1e-6, atol=1e-6)
        np.testing.assert_array_equal(cues, corpus.cues[rows])


def test_fitted_model_finds_the_planted_clauses(fitted: tuple[UnitCorpus, ClauseModelData]) -> None:
    corpus, data = fitted
    model = ClauseModel(data)
    right = total = 0
    for contract in corpus.contracts[30:]:
        verdicts = {v.key: v for v in model.classify(contract.document.text)}
        for key in CLAUSES:
            column = CATEGORY_KEYS.index(key)
            right += int(verdicts[key].present == bool(contract.present[column]))
            total += 1
        # Categories never seen in training are never claimed.
        assert not verdicts["source_code_escrow"].present
    assert right / total >= 0.8


def test_artefact_round_trips(tmp_path: Path, fitted: tuple[UnitCorpus, ClauseModelData]) -> None:
    _, data = fitted
    data.save(tmp_path)
    loaded = ClauseModelData.load(tmp_path)
    assert loaded.vocabulary == data.vocabulary
    np.testing.assert_array_equal(loaded.unit_weights, data.unit_weights)
    contract, document = synthetic_contract(99, __import__("random").Random(1))
    before = [v.probability for v in ClauseModel(data).classify(document.text)]
    after = [v.probability for v in ClauseModel(loaded).classify(document.text)]
    assert before == after
    del contract
