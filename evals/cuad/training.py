"""Fitting the clause model on labelled CUAD contracts (scikit-learn, training only).

The fit is one function of a set of contracts, so cross-validation runs exactly what the
training script runs: vocabulary and IDF from the training sentences, a sentence model
per category, document-level models trained on out-of-fold sentence scores, and
per-category thresholds chosen on out-of-fold document probabilities: the F1-best one,
lowered for categories that trigger an approval until the recall target is met, but not
below a precision floor, and averaged over bootstrap resamples so that a dozen positives
do not swing it by whole contracts.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold
from sklearn.preprocessing import normalize

from evals.cuad.duplicates import near_duplicate_groups
from evals.cuad.labelling import NEGATIVE, POSITIVE, LabelledContract
from extractors.classifier.categories import APPROVAL_KEYS, CATEGORY_KEYS
from extractors.classifier.featurise import TOKEN_PATTERN, smooth_idf
from extractors.classifier.model import DOC_FEATURES, ClauseModelData, document_features
from extractors.classifier.patterns import CUE_NAMES

Progress = Callable[[str], None]
_EPSILON = 1e-6
COMPACT_DOC_FEATURES = frozenset(
    ("max_logit", "top3_mean_logit", "log_units_above_zero", "log_units_above_minus2")
)
# Contract positions in a corpus: a list, a range or an integer array.
Indices = Sequence[int] | NDArray[np.int64]


@dataclass(frozen=True)
class TrainConfig:
    """Knobs of the fit; the defaults are what ships."""

    ngram_range: tuple[int, int] = (1, 2)
    # Terms in fewer sentences than this are dropped: rare n-grams carry little and
    # would triple the artefact's size.
    min_df: int = 8
    # Strong regularisation: with the hard negatives kept, weaker settings fit the
    # look-alikes word by word (5-fold CV macro-F1 with these features: C=16 0.744, 8 0.745).
    unit_c: float = 8.0
    cue_scale: float = 1.0
    # Neighbouring sentences whose n-grams each sentence is also scored on, and the weight
    # of their features against the sentence's own.
    contexts: tuple[str, ...] = ("previous",)
    context_scale: float = 0.5
    doc_c: float = 0.3
    # Categories with fewer positive training contracts than this get compact document
    # models (``COMPACT_DOC_FEATURES``): some ten positives per weight, as the rule goes.
    compact_below: int = 50
    # Share of negative sentences each sentence model sees: most are plainly unrelated,
    # and dropping two thirds of them makes training four times faster at no visible cost.
    # Negatives that carry one of the category's cues are always kept: they are the
    # look-alikes the model must learn to tell apart (hard negatives).
    negative_share: float = 0.3
    inner_folds: int = 3
    # Approval categories must reach recall 0.90; out-of-fold thresholds aim a little higher
    # (0.93 left every one between 0.90 and 0.95 and cost precision: CV macro-F1 0.745 vs
    # 0.750 at 0.92, every approval category still >= 0.90).
    recall_target: float = 0.92
    # ... but not below this precision: past it a flag says nothing about the contract (a
    # threshold low enough to catch every most-favoured-nation clause flags most contracts).
    min_precision: float = 0.2
    # Where the deterministic extractors read at least this share of a category's positive
    # training contracts (liquidated damages and source-code escrow: 70 %, at precision
    # >= 0.88), its threshold is chosen for what the model adds to them: the model need not
    # reach down to the contracts a pattern already flags. Where they read less (third-party
    # beneficiaries 60 %, most-favoured nation 52 %), the few positives left to the model
    # are the hard ones, and a threshold chosen on them lost MFN contracts in testing: the
    # model then answers as if alone. Above 1 the patterns are never counted.
    pattern_share: float = 0.65
    # ... but where an approval category's recall must hold, the threshold chosen on the
    # handful of positives the patterns leave (liquidated damages: 8 of 50, half of them
    # unlike any other) swings with which of them a split puts in training: in testing,
    # recall fell to 0.86-0.88 in three of five partitions. The threshold is therefore
    # taken this share of the way (in log-odds) from the one the model alone would need to
    # the one beside the patterns; at 0.5 every partition kept recall >= 0.90.
    pattern_weight: float = 0.5
    # Out-of-fold document probabilities are averaged over this many different splits, and
    # the threshold over this many bootstrap resamples of them: with a dozen positives, one
    # split or one sample moves a threshold by whole contracts.
    threshold_repeats: int = 5
    threshold_bootstraps: int = 50
    seed: int = 13


class UnitCorpus:
    """Every sentence of a set of contracts as one n-gram count matrix, with its labels."""

    def __init__(self, contracts: Sequence[LabelledContract], ngram_range: tuple[int, int]) -> None:
        self.contracts = list(contracts)
        texts = [text for contract in self.contracts for text in contract.texts]
        vectoriser = CountVectorizer(
            lowercase=True,
            token_pattern=TOKEN_PATTERN.pattern,
            ngram_range=ngram_range,
            min_df=2,
            dtype=np.float64,
        )
        self.counts = sparse.csr_matrix(vectoriser.fit_transform(texts))
        self.vocabulary = np.asarray(vectoriser.get_feature_names_out())
        sizes = [len(contract.spans) for contract in self.contracts]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.labels = np.vstack([contract.labels for contract in self.contracts])
        self.cues = np.vstack([contract.cues for contract in self.contracts])
        self.present = np.vstack([contract.present for contract in self.contracts])
        self.found_by_patterns = np.vstack(
            [contract.found_by_patterns for contract in self.contracts]
        )
        # Near-duplicate contracts share a group: inner splits keep them on one side too, or
        # out-of-fold scores (and the thresholds chosen on them) would be scored on copies.
        self.group_of = near_duplicate_groups(
            {contract.contract_id: contract.document.text for contract in self.contracts}
        )
        names = sorted(set(self.group_of.values()))
        self.groups = np.asarray(
            [names.index(self.group_of[contract.contract_id]) for contract in self.contracts],
            dtype=np.int64,
        )

    def rows(self, contract_indices: Indices) -> NDArray[np.int64]:
        """Sentence rows of the given contracts, in contract order."""
        if len(contract_indices) == 0:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(
            [np.arange(self.offsets[i], self.offsets[i + 1]) for i in contract_indices]
        )


def tfidf(counts: sparse.csr_matrix, idf: NDArray[np.float64]) -> sparse.csr_matrix:
    """Sublinear TF times IDF, rows L2-normalised (what ``TfidfFeaturiser`` computes)."""
    weighted = sparse.csr_matrix(counts, copy=True)
    weighted.data = 1.0 + np.log(weighted.data)
    weighted = sparse.csr_matrix(weighted @ sparse.diags(idf))
    return sparse.csr_matrix(normalize(weighted, norm="l2", copy=False))


@dataclass(frozen=True)
class _Features:
    columns: NDArray[np.int64]
    idf: NDArray[np.float64]


def _fit_features(corpus: UnitCorpus, rows: NDArray[np.int64], min_df: int) -> _Features:
    document_frequency = np.asarray((corpus.counts[rows] > 0).sum(axis=0)).ravel()
    columns = np.flatnonzero(document_frequency >= min_df).astype(np.int64)
    idf = smooth_idf(document_frequency[columns].astype(np.float64), len(rows))
    return _Features(columns, idf)


def neighbour_matrix(
    rows: NDArray[np.int64], starts: NDArray[np.int64], context: str
) -> sparse.csr_matrix:
    """``(n, n)``: row ``i`` picks the sentence before (or after) ``rows[i]`` in its contract.

    ``rows`` are corpus rows in contract order and ``starts`` the first row of every
    contract; a sentence without such a neighbour among ``rows`` gets an empty row.
    """
    n = len(rows)
    step = -1 if context == "previous" else 1
    positions = np.arange(n)
    neighbours = positions + step
    inside = (neighbours >= 0) & (neighbours < n)
    valid = np.zeros(n, dtype=bool)
    valid[inside] = rows[neighbours[inside]] == rows[inside] + step
    # The neighbour must belong to the same contract: no contract starts between the two.
    later = rows if step == -1 else np.where(inside, rows[np.clip(neighbours, 0, n - 1)], 0)
    valid &= ~np.isin(later, starts)
    return sparse.csr_matrix(
        (np.ones(valid.sum()), (positions[valid], neighbours[valid])), shape=(n, n)
    )


def _design(
    corpus: UnitCorpus, rows: NDArray[np.int64], features: _Features, config: TrainConfig
) -> sparse.csr_matrix:
    words = tfidf(sparse.csr_matrix(corpus.counts[rows][:, features.columns]), features.idf)
    blocks = [words]
    starts = corpus.offsets[:-1]
    for context in config.contexts:
        blocks.append(neighbour_matrix(rows, starts, context) @ words * config.context_scale)
    blocks.append(sparse.csr_matrix(corpus.cues[rows] * config.cue_scale))
    return sparse.csr_matrix(sparse.hstack(blocks, format="csr"))


def cue_families(cues: NDArray[np.float64]) -> NDArray[np.bool_]:
    """``(n_units, n_categories)``: whether any cue of the category (``key``, ``key_*``) fires."""
    flags = np.zeros((cues.shape[0], len(CATEGORY_KEYS)), dtype=bool)
    for column, key in enumerate(CATEGORY_KEYS):
        for position, name in enumerate(CUE_NAMES):
            if name == key or name.startswith(f"{key}_"):
                flags[:, column] |= cues[:, position] > 0
    return flags


def _fit_units(
    design: sparse.csr_matrix,
    labels: NDArray[np.int8],
    hard: NDArray[np.bool_],
    config: TrainConfig,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Sentence weights ``(n_columns, n_categories)`` and biases, one logistic model each."""
    weights = np.zeros((design.shape[1], labels.shape[1]))
    bias = np.full(labels.shape[1], -10.0)
    sampled = np.random.default_rng(config.seed).random(labels.shape[0]) < config.negative_share
    for column in range(labels.shape[1]):
        negatives = sampled | hard[:, column]
        keep = (labels[:, column] == POSITIVE) | ((labels[:, column] == NEGATIVE) & negatives)
        target = labels[keep, column] == POSITIVE
        if target.sum() == 0:
            continue
        model = LogisticRegression(C=config.unit_c, solver="liblinear", max_iter=200)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(design[keep], target)
        weights[:, column] = model.coef_[0]
        bias[column] = model.intercept_[0]
    return weights, bias


def _document_matrix(
    corpus: UnitCorpus, contract_indices: Indices, logits: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``(n_contracts, n_categories, n_doc_features)`` from sentence logits in row order."""
    result = np.zeros((len(contract_indices), len(CATEGORY_KEYS), len(DOC_FEATURES)))
    cursor = 0
    for position, index in enumerate(contract_indices):
        size = int(corpus.offsets[index + 1] - corpus.offsets[index])
        rows = slice(cursor, cursor + size)
        cues = corpus.cues[corpus.offsets[index] : corpus.offsets[index + 1]]
        result[position] = document_features(logits[rows], cues, CUE_NAMES, CATEGORY_KEYS)
        cursor += size
    return result


def choose_threshold(
    probabilities: NDArray[np.float64],
    truth: NDArray[np.bool_],
    recall_target: float | None,
    # ... but not below this precision: past it a flag says nothing about the contract (a
    # threshold low enough to catch every most-favoured-nation clause flags most contracts).
    min_precision: float = 0.2,
    covered: NDArray[np.bool_] | None = None,
) -> float:
    """The F1-best threshold, lowered if needed until recall reaches ``recall_target``.

    It is never lowered past the point where precision falls under ``min_precision``.
    Contracts ``covered`` are flagged whatever the threshold (a precise pattern reads
    them), so the threshold is chosen for what the model adds to them: recall and
    precision count the combined flags.
    """
    if truth.sum() == 0:
        return 1.0
    if covered is None:
        covered = np.zeros(len(truth), dtype=bool)
    rest = ~covered
    if not rest.any():
        return 1.0
    order = np.argsort(-probabilities[rest], kind="stable")
    scores = probabilities[rest][order]
    # Candidate ``i`` flags the ``i`` best-scored contracts the patterns left; 0 flags none.
    hits = np.r_[0, np.cumsum(truth[rest][order])] + (truth & covered).sum()
    predicted = np.arange(len(scores) + 1) + covered.sum()
    f1 = 2 * hits / (predicted + truth.sum())
    # Only cut between distinct scores; flagging none is a candidate only beside patterns.
    distinct = np.r_[covered.any(), scores[1:] < scores[:-1], True]
    candidates = np.flatnonzero(distinct)
    best = candidates[np.argmax(f1[candidates])]
    if recall_target is not None:
        allowed = candidates[hits[candidates] >= min_precision * predicted[candidates]]
        reaching = allowed[hits[allowed] >= recall_target * truth.sum()]
        if len(reaching):
            best = max(best, reaching[0])
        elif len(allowed):
            # The most recall the floor allows, at the highest threshold that reaches it.
            best = max(best, allowed[np.argmax(hits[allowed])])
    above = scores[best - 1] if best > 0 else 1.0
    below = scores[best] if best < len(scores) else 0.0
    return float((above + below) / 2.0)


def bagged_threshold(
    probabilities: NDArray[np.float64],
    truth: NDArray[np.bool_],
    recall_target: float | None,
    min_precision: float,
    *,
    n_bootstraps: int,
    seed: int,
    covered: NDArray[np.bool_] | None = None,
) -> float:
    """``choose_threshold`` averaged (in log-odds) over bootstrap resamples of the contracts."""
    if n_bootstraps <= 0 or truth.sum() == 0:
        return choose_threshold(probabilities, truth, recall_target, min_precision, covered)
    rng = np.random.default_rng(seed)
    log_odds: list[float] = []
    for _ in range(n_bootstraps):
        sample = rng.integers(0, len(truth), len(truth))
        if not truth[sample].any():
            continue
        chosen = choose_threshold(
            probabilities[sample],
            truth[sample],
            recall_target,
            min_precision,
            None if covered is None else covered[sample],
        )
        chosen = min(max(chosen, _EPSILON), 1.0 - _EPSILON)
        log_odds.append(float(np.log(chosen / (1.0 - chosen))))
    return float(1.0 / (1.0 + np.exp(-np.mean(log_odds))))


def fit_document_models(
    features: NDArray[np.float64],
    present: NDArray[np.bool_],
    config: TrainConfig,
    groups: NDArray[np.int64] | None = None,
    covered: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.float64], ...]:
    """Standardisation, weights, bias and thresholds of the document-level models.

    ``covered`` ``(n_contracts, n_categories)`` marks what the deterministic extractors
    already find present; see ``TrainConfig.pattern_share``.
    """
    n_categories, n_features = features.shape[1], features.shape[2]
    mean = np.zeros((n_categories, n_features))
    scale = np.ones((n_categories, n_features))
    weights = np.zeros((n_categories, n_features))
    bias = np.zeros(n_categories)
    thresholds = np.ones(n_categories)
    for column, key in enumerate(CATEGORY_KEYS):
        x = features[:, column, :]
        y = present[:, column]
        mean[column] = x.mean(axis=0)
        spread = x.std(axis=0)
        scale[column] = np.where(spread > 1e-9, spread, 1.0)
        if y.sum() < 2 or y.sum() == len(y):
            bias[column] = 10.0 if y.all() else -10.0
            continue
        # A rare category cannot support a weight per feature: it sees only the summary of
        # its sentence scores, and the other features keep weight zero.
        used = np.asarray(
            [
                y.sum() >= config.compact_below or name in COMPACT_DOC_FEATURES
                for name in DOC_FEATURES
            ]
        )
        z = ((x - mean[column]) / scale[column])[:, used]
        model = LogisticRegression(C=config.doc_c, max_iter=1000)
        model.fit(z, y)
        weights[column, used] = model.coef_[0]
        bias[column] = model.intercept_[0]
        out_of_fold = np.zeros(len(y))
        for repeat in range(config.threshold_repeats):
            folds = StratifiedGroupKFold(
                n_splits=min(5, int(y.sum())), shuffle=True, random_state=config.seed + repeat
            )
            contract_groups = groups if groups is not None else np.arange(len(y))
            for fit_rows, held_rows in folds.split(z, y, contract_groups):
                fold_model = LogisticRegression(C=config.doc_c, max_iter=1000)
                fold_model.fit(z[fit_rows], y[fit_rows])
                out_of_fold[held_rows] += fold_model.predict_proba(z[held_rows])[:, 1]
        out_of_fold /= config.threshold_repeats
        target = config.recall_target if key in APPROVAL_KEYS else None
        beside = None
        if covered is not None and (covered[:, column] & y).sum() >= config.pattern_share * y.sum():
            beside = covered[:, column]

        bagged = partial(
            bagged_threshold,
            out_of_fold,
            y,
            target,
            config.min_precision,
            n_bootstraps=config.threshold_bootstraps,
            seed=config.seed,
        )
        thresholds[column] = bagged(covered=beside)
        if beside is not None and target is not None:
            thresholds[column] = _between(bagged(), thresholds[column], config.pattern_weight)
    return mean, scale, weights, bias, thresholds


def _between(alone: float, beside: float, weight: float) -> float:
    """The threshold ``weight`` of the way from ``alone`` to ``beside``, in log-odds."""
    if alone == beside:
        return alone
    ends = np.clip([alone, beside], _EPSILON, 1.0 - _EPSILON)
    log_odds = np.log(ends / (1.0 - ends))
    mixed = (1.0 - weight) * log_odds[0] + weight * log_odds[1]
    return float(1.0 / (1.0 + np.exp(-mixed)))


@dataclass(frozen=True)
class SentenceStage:
    """The fitted sentence models and out-of-fold document features of the training set."""

    features: _Features
    weights: NDArray[np.float64]
    bias: NDArray[np.float64]
    out_of_fold: NDArray[np.float64]  # (n_contracts, n_categories, n_doc_features)


def fit_sentence_stage(
    corpus: UnitCorpus, indices: NDArray[np.int64], config: TrainConfig, progress: Progress | None
) -> SentenceStage:
    """Sentence models fitted fold by fold, with the document features they score out-of-fold.

    The shipped sentence model is the average of the fold models (for linear models,
    averaging weights averages logits), not a refit on everything: a refit would score
    new contracts more confidently than the out-of-fold scores the document models and
    thresholds were fitted on, and every threshold would be off by that shift.
    """
    rows = corpus.rows(indices)
    features = _fit_features(corpus, rows, config.min_df)
    inner = GroupKFold(n_splits=config.inner_folds, shuffle=True, random_state=config.seed)
    doc_features = np.zeros((len(indices), len(CATEGORY_KEYS), len(DOC_FEATURES)))
    width = len(features.columns) * (1 + len(config.contexts)) + corpus.cues.shape[1]
    weight_sum = np.zeros((width, len(CATEGORY_KEYS)))
    bias_sum = np.zeros(len(CATEGORY_KEYS))
    splits = inner.split(indices, groups=corpus.groups[indices])
    for fold, (fit_part, held_part) in enumerate(splits):
        fit_rows = corpus.rows(indices[fit_part])
        held_rows = corpus.rows(indices[held_part])
        weights, bias = _fit_units(
            _design(corpus, fit_rows, features, config),
            corpus.labels[fit_rows],
            cue_families(corpus.cues[fit_rows]),
            config,
        )
        logits = _design(corpus, held_rows, features, config) @ weights + bias
        doc_features[held_part] = _document_matrix(corpus, indices[held_part], logits)
        weight_sum += weights
        bias_sum += bias
        if progress:
            progress(f"sentence model {fold + 1}/{config.inner_folds}")
    return SentenceStage(
        features, weight_sum / config.inner_folds, bias_sum / config.inner_folds, doc_features
    )


def document_features_of(
    corpus: UnitCorpus, indices: NDArray[np.int64], stage: SentenceStage, config: TrainConfig
) -> NDArray[np.float64]:
    """Document features of ``indices`` scored by a fitted sentence stage."""
    rows = corpus.rows(indices)
    logits = _design(corpus, rows, stage.features, config) @ stage.weights + stage.bias
    return _document_matrix(corpus, indices, logits)


def fit_clause_model(
    corpus: UnitCorpus,
    contract_indices: Indices,
    config: TrainConfig,
    *,
    version: str,
    progress: Progress | None = None,
) -> ClauseModelData:
    """Train the whole two-stage model on the given contracts of ``corpus``."""
    indices = np.asarray(contract_indices, dtype=np.int64)
    stage = fit_sentence_stage(corpus, indices, config, progress)
    mean, scale, doc_weights, doc_bias, thresholds = fit_document_models(
        stage.out_of_fold,
        corpus.present[indices],
        config,
        corpus.groups[indices],
        corpus.found_by_patterns[indices],
    )
    return ClauseModelData(
        version=version,
        categories=CATEGORY_KEYS,
        vocabulary=tuple(str(term) for term in corpus.vocabulary[stage.features.columns]),
        ngram_range=config.ngram_range,
        cue_names=CUE_NAMES,
        cue_scale=config.cue_scale,
        contexts=config.contexts,
        context_scale=config.context_scale,
        idf=stage.features.idf,
        # Half precision halves the artefact; the shipped, cross-validated weights are
        # these rounded ones, so nothing is measured that does not ship.
        unit_weights=stage.weights.astype(np.float16),
        unit_bias=stage.bias,
        doc_mean=mean,
        doc_scale=scale,
        doc_weights=doc_weights,
        doc_bias=doc_bias,
        thresholds=thresholds,
    )
