"""Cross-validation split by contract: every fold refits the whole model from scratch.

Contracts that share most of their wording (``evals.cuad.duplicates``) are one unit of the
split, so no fold is tested on a copy of what it was trained on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import KFold

from evals.cuad.training import Progress, TrainConfig, UnitCorpus, fit_clause_model
from extractors.classifier.model import ClauseModel


def contract_folds(
    contract_ids: Sequence[str],
    n_folds: int,
    seed: int,
    groups: Mapping[str, str] | None = None,
) -> list[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """``(train, test)`` contract indices; a contract id never lands on both sides.

    ``groups`` maps a contract id to its group (by default, itself): a group never lands on
    both sides either.
    """
    keys = [groups.get(i, i) if groups else i for i in contract_ids]
    unique = sorted(set(keys))
    if len(unique) < n_folds:
        raise ValueError(f"{len(unique)} contracts cannot make {n_folds} folds")
    splitter = KFold(n_splits=n_folds, shuffle=True, random_state=seed)
    ids = np.asarray(keys)
    folds = []
    for train_ids, test_ids in splitter.split(unique):
        test_set = {unique[i] for i in test_ids}
        test = np.flatnonzero(np.isin(ids, list(test_set))).astype(np.int64)
        train = np.flatnonzero(~np.isin(ids, list(test_set))).astype(np.int64)
        folds.append((train, test))
        del train_ids
    return folds


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold document probabilities and decisions, in corpus contract order."""

    probabilities: NDArray[np.float64]
    predicted: NDArray[np.bool_]
    truth: NDArray[np.bool_]


def cross_validate(
    corpus: UnitCorpus,
    config: TrainConfig,
    *,
    n_folds: int = 5,
    progress: Progress | None = None,
) -> CrossValidation:
    """Fit on all folds but one and score the held-out contracts with the shipped inference."""
    ids = [contract.contract_id for contract in corpus.contracts]
    n_categories = corpus.present.shape[1]
    probabilities = np.zeros((len(ids), n_categories))
    predicted = np.zeros((len(ids), n_categories), dtype=bool)
    folds = contract_folds(ids, n_folds, config.seed, corpus.group_of)
    for fold, (train, test) in enumerate(folds):
        data = fit_clause_model(corpus, train, config, version=f"cv-fold-{fold + 1}")
        model = ClauseModel(data)
        for index in test:
            contract = corpus.contracts[index]
            verdicts = model.classify(contract.document.text)
            probabilities[index] = [verdict.probability for verdict in verdicts]
            predicted[index] = [verdict.present for verdict in verdicts]
        if progress:
            progress(f"fold {fold + 1}/{n_folds}")
    return CrossValidation(probabilities, predicted, corpus.present.astype(bool))
