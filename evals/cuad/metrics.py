"""Document-level presence metrics per category."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from extractors.classifier.categories import APPROVAL_KEYS, CATEGORY_KEYS


@dataclass(frozen=True)
class CategoryScore:
    """Precision, recall and F1 of one category over a set of contracts."""

    key: str
    support: int
    predicted: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        total = self.predicted + self.support
        return 2 * self.true_positives / total if total else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "predicted": self.predicted,
        }


def category_scores(predicted: NDArray[np.bool_], truth: NDArray[np.bool_]) -> list[CategoryScore]:
    """Scores for each category column of ``(n_contracts, n_categories)`` boolean arrays."""
    if predicted.shape != truth.shape or predicted.shape[1] != len(CATEGORY_KEYS):
        raise ValueError(f"shapes {predicted.shape} and {truth.shape} do not match the categories")
    return [
        CategoryScore(
            key=key,
            support=int(truth[:, column].sum()),
            predicted=int(predicted[:, column].sum()),
            true_positives=int((predicted[:, column] & truth[:, column]).sum()),
        )
        for column, key in enumerate(CATEGORY_KEYS)
    ]


def macro_f1(scores: list[CategoryScore]) -> float:
    """Unweighted mean F1 over categories that occur in the data."""
    present = [score.f1 for score in scores if score.support > 0]
    return float(np.mean(present)) if present else 0.0


def approval_recall(scores: list[CategoryScore]) -> dict[str, float]:
    """Recall of each category that triggers an approval in the default policy."""
    return {score.key: round(score.recall, 4) for score in scores if score.key in APPROVAL_KEYS}
