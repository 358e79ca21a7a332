"""Training: threshold choice, and inference that reproduces the training features exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evals.cuad.training import (
    COMPACT_DOC_FEATURES,
    TrainConfig,
    UnitCorpus,
    _design,
    _fit_features,
    bagged_threshold,
    choose_threshold,
    cue_families,
    fit_clause_model,
    fit_document_models,
    neighbour_matrix,
)
from extractors.classifier.categories import CATEGORY_KEYS
from extractors.classifier.model import DOC_FEATURES, ClauseModel, ClauseModelData
from extractors.classifier.patterns import CUE_NAMES
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


def test_bagged_threshold_without_positives_flags_nothing() -> None:
    probabilities = np.array([0.2, 0.9])
    assert (
        bagged_threshold(probabilities, np.array([False, False]), 0.9, 0.2, n_bootstraps=20, seed=1)
        == 1.0
    )


def test_bagged_threshold_is_reproducible_and_between_the_scores() -> None:
    rng = np.random.default_rng(3)
    truth = rng.random(200) < 0.2
    probabilities = np.clip(0.3 * truth + rng.random(200) * 0.7, 0.001, 0.999)
    first = bagged_threshold(probabilities, truth, 0.9, 0.2, n_bootstraps=30, seed=7)
    again = bagged_threshold(probabilities, truth, 0.9, 0.2, n_bootstraps=30, seed=7)
    assert first == again
    assert probabilities.min() <= first <= probabilities.max()
    # Catches about the share of positives it aims at, not all nor few.
    assert 0.75 <= (probabilities[truth] >= first).mean() <= 1.0


def test_zero_bootstraps_is_the_plain_threshold() -> None:
    probabilities = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.2, 0.1])
    truth = np.array([True, True, True, False, False, False, True])
    plain = choose_threshold(probabilities, truth, 0.9)
    assert bagged_threshold(probabilities, truth, 0.9, 0.2, n_bootstraps=0, seed=0) == plain


def test_contracts_the_patterns_read_raise_the_threshold() -> None:
    # Two of the four positives score low; a pattern reads both, so the model need not
    # reach down to them and flag the negatives in between.
    probabilities = np.array([0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])
    truth = np.array([True, True, False, False, False, False, True, True])
    covered = np.array([False, False, False, False, False, False, True, True])
    alone = choose_threshold(probabilities, truth, 0.9)
    beside = choose_threshold(probabilities, truth, 0.9, covered=covered)
    assert alone < 0.2
    assert 0.6 < beside < 0.8
    flagged = (probabilities >= beside) | covered
    assert flagged[truth].all() and flagged.sum() == 4


def test_threshold_flags_nothing_when_the_patterns_read_every_positive() -> None:
    probabilities = np.array([0.9, 0.7, 0.3, 0.2])
    truth = np.array([False, False, True, True])
    covered = np.array([False, False, True, True])
    threshold = choose_threshold(probabilities, truth, 0.9, covered=covered)
    assert threshold > 0.9
    assert choose_threshold(probabilities, truth, None, covered=np.ones(4, dtype=bool)) == 1.0


def test_bagged_threshold_counts_the_covered_contracts_of_each_resample() -> None:
    rng = np.random.default_rng(5)
    truth = rng.random(300) < 0.2
    probabilities = np.clip(0.3 * truth + rng.random(300) * 0.7, 0.001, 0.999)
    # The patterns read the positives the model scores lowest.
    covered = truth & (probabilities < np.quantile(probabilities[truth], 0.5))
    alone = bagged_threshold(probabilities, truth, 0.9, 0.2, n_bootstraps=30, seed=2)
    beside = bagged_threshold(
        probabilities, truth, 0.9, 0.2, n_bootstraps=30, seed=2, covered=covered
    )
    assert beside > alone
    assert ((probabilities >= beside) | covered)[truth].mean() >= 0.75


def _scores_beside_patterns(
    shares: dict[int, float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Document features, presence, and the patterns reading ``shares`` of some columns.

    The patterns read the positives the model scores lowest: the ones it would otherwise
    have to reach down to.
    """
    rng = np.random.default_rng(8)
    n_contracts = 200
    features = rng.normal(size=(n_contracts, len(CATEGORY_KEYS), len(DOC_FEATURES)))
    present = rng.random((n_contracts, len(CATEGORY_KEYS))) < 0.25
    features[:, :, 0] += 1.5 * present
    covered = np.zeros_like(present)
    for column, share in shares.items():
        positives = np.flatnonzero(present[:, column])
        lowest = positives[np.argsort(features[positives, column, 0])]
        covered[lowest[: int(share * len(positives))], column] = True
    return features, present, covered


def test_document_thresholds_count_the_patterns_only_where_they_read_enough() -> None:
    many, few = CATEGORY_KEYS.index("liquidated_damages"), CATEGORY_KEYS.index("mfn")
    features, present, covered = _scores_beside_patterns({many: 0.7, few: 0.2})
    config = TrainConfig(threshold_repeats=1, threshold_bootstraps=5, pattern_share=0.5)
    plain = fit_document_models(features, present, config)[4]
    beside = fit_document_models(features, present, config, covered=covered)[4]
    assert beside[many] > plain[many]
    assert beside[few] == plain[few]


def test_an_approval_threshold_beside_the_patterns_stays_between_the_two() -> None:
    # Where recall must hold, the threshold chosen on the few positives the patterns leave
    # is taken only part of the way from the one the model alone would need.
    approval = CATEGORY_KEYS.index("liquidated_damages")
    other = CATEGORY_KEYS.index("third_party_beneficiary")
    features, present, covered = _scores_beside_patterns({approval: 0.7, other: 0.7})

    def thresholds(weight: float, with_patterns: bool = True) -> np.ndarray:
        config = TrainConfig(threshold_repeats=1, threshold_bootstraps=5, pattern_weight=weight)
        return fit_document_models(
            features, present, config, covered=covered if with_patterns else None
        )[4]

    alone, full, half = thresholds(0.5, with_patterns=False), thresholds(1.0), thresholds(0.5)
    assert alone[approval] < half[approval] < full[approval]
    log_odds = np.log(np.array([alone, full, half]) / (1 - np.array([alone, full, half])))
    assert log_odds[2, approval] == pytest.approx(log_odds[:2, approval].mean())
    # Without a recall to keep, the threshold beside the patterns is taken whole.
    assert half[other] == full[other] != alone[other]


def test_cue_families_group_a_category_with_its_variants() -> None:
    cues = np.zeros((3, len(CUE_NAMES)))
    cues[0, CUE_NAMES.index("third_party_beneficiary_denied")] = 1.0
    cues[1, CUE_NAMES.index("mfn_broad")] = 1.0
    flags = cue_families(cues)
    assert flags[0, CATEGORY_KEYS.index("third_party_beneficiary")]
    assert flags[1, CATEGORY_KEYS.index("mfn")]
    assert flags.sum() == 2


def test_rare_categories_get_compact_document_models() -> None:
    rng = np.random.default_rng(0)
    n_contracts = 120
    features = rng.normal(size=(n_contracts, len(CATEGORY_KEYS), len(DOC_FEATURES)))
    present = np.zeros((n_contracts, len(CATEGORY_KEYS)), dtype=bool)
    rare, common = CATEGORY_KEYS.index("mfn"), CATEGORY_KEYS.index("insurance")
    present[:10, rare] = True
    present[:60, common] = True
    features[:, rare, 0] += 2.0 * present[:, rare]
    features[:, common, 0] += 2.0 * present[:, common]
    config = TrainConfig(compact_below=50, threshold_repeats=1, threshold_bootstraps=5)
    _, _, weights, _, thresholds = fit_document_models(features, present, config)
    outside = [name not in COMPACT_DOC_FEATURES for name in DOC_FEATURES]
    assert np.all(weights[rare, outside] == 0.0)
    assert np.any(weights[common, outside] != 0.0)
    assert 0.0 < thresholds[rare] < 1.0


@pytest.fixture(scope="module", params=[(), ("previous",), ("previous", "next")])
def fitted(request: pytest.FixtureRequest) -> tuple[UnitCorpus, ClauseModelData]:
    corpus = UnitCorpus(synthetic_corpus(36), (1, 2))
    config = TrainConfig(
        min_df=1,
        inner_folds=3,
        negative_share=1.0,
        threshold_bootstraps=10,
        contexts=request.param,
    )
    data = fit_clause_model(corpus, range(30), config, version="test")
    return corpus, data


def test_neighbours_stay_inside_their_contract() -> None:
    # Two contracts of three sentences (rows 0-2 and 3-5); row 4 is not selected.
    starts = np.array([0, 3])
    rows = np.array([0, 1, 2, 3, 5])
    previous = neighbour_matrix(rows, starts, "previous").toarray()
    following = neighbour_matrix(rows, starts, "next").toarray()
    # Row 1 follows row 0; row 3 starts a contract; row 5's predecessor was not selected.
    assert [np.flatnonzero(line).tolist() for line in previous] == [[], [0], [1], [], []]
    assert [np.flatnonzero(line).tolist() for line in following] == [[1], [2], [], [], []]


def test_inference_reproduces_training_features(fitted: tuple[UnitCorpus, ClauseModelData]) -> None:
    corpus, data = fitted
    config = TrainConfig(
        min_df=1,
        cue_scale=data.cue_scale,
        contexts=data.contexts,
        context_scale=data.context_scale,
    )
    features = _fit_features(corpus, corpus.rows(range(30)), config.min_df)
    model = ClauseModel(data)
    for index in (30, 31, 35):  # contracts the model never saw
        contract = corpus.contracts[index]
        rows = corpus.rows([index])
        trained = _design(corpus, rows, features, config) @ data.unit_weights + data.unit_bias
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
