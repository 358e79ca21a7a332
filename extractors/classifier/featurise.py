"""TF-IDF features of text units, computed with numpy alone from a stored vocabulary.

The training script fits the vocabulary and IDF with scikit-learn; the service must not
need scikit-learn, so this module repeats exactly what scikit-learn's ``TfidfVectorizer``
does with ``lowercase=True``, its default token pattern, word n-grams, ``sublinear_tf``,
smoothed IDF and L2 normalisation. A parity test holds the two together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

# scikit-learn's default ``token_pattern``.
TOKEN_PATTERN = re.compile(r"(?u)\b\w\w+\b")


def word_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """The word n-grams scikit-learn's analyzer yields for ``text`` (lower-cased)."""
    tokens = TOKEN_PATTERN.findall(text.lower())
    if max_n == 1:
        return tokens
    grams: list[str] = list(tokens) if min_n == 1 else []
    for n in range(max(min_n, 2), max_n + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def smooth_idf(document_frequency: NDArray[np.float64], n_documents: int) -> NDArray[np.float64]:
    """scikit-learn's smoothed IDF: ``ln((1 + n) / (1 + df)) + 1``."""
    return np.log((1.0 + n_documents) / (1.0 + document_frequency)) + 1.0


@dataclass(frozen=True)
class SparseRows:
    """Rows of a CSR matrix: row ``i`` holds ``data[indptr[i]:indptr[i+1]]`` at ``indices``."""

    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    data: NDArray[np.float64]
    n_columns: int

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def dot(self, weights: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
        """``self @ weights`` for dense ``weights`` of shape ``(n_columns, k)``."""
        contributions = self.data[:, None] * weights[self.indices]
        totals = np.zeros((len(self.data) + 1, weights.shape[1]))
        np.cumsum(contributions, axis=0, out=totals[1:])
        result: NDArray[np.float64] = totals[self.indptr[1:]] - totals[self.indptr[:-1]]
        return result

    def to_dense(self) -> NDArray[np.float64]:
        """The full matrix (for tests and small inputs)."""
        dense = np.zeros((self.n_rows, self.n_columns))
        for row in range(self.n_rows):
            lo, hi = self.indptr[row], self.indptr[row + 1]
            dense[row, self.indices[lo:hi]] = self.data[lo:hi]
        return dense


class TfidfFeaturiser:
    """Sublinear, L2-normalised TF-IDF over a fixed n-gram vocabulary."""

    def __init__(
        self, vocabulary: Sequence[str], idf: NDArray[np.float64], ngram_range: tuple[int, int]
    ) -> None:
        if len(vocabulary) != len(idf):
            raise ValueError("vocabulary and idf differ in length")
        self.index = {term: position for position, term in enumerate(vocabulary)}
        if len(self.index) != len(vocabulary):
            raise ValueError("vocabulary has duplicate terms")
        self.idf = np.asarray(idf, dtype=np.float64)
        self.ngram_range = ngram_range

    @property
    def n_features(self) -> int:
        return len(self.idf)

    def transform(self, texts: Sequence[str]) -> SparseRows:
        """TF-IDF rows for ``texts``."""
        min_n, max_n = self.ngram_range
        indptr = [0]
        indices: list[int] = []
        counts: list[int] = []
        lookup = self.index.get
        for text in texts:
            found = Counter(
                position
                for position in map(lookup, word_ngrams(text, min_n, max_n))
                if position is not None
            )
            for position in sorted(found):
                indices.append(position)
                counts.append(found[position])
            indptr.append(len(indices))
        index_array = np.asarray(indices, dtype=np.int64)
        values = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * self.idf[index_array]
        row_pointer = np.asarray(indptr, dtype=np.int64)
        squares = np.zeros(len(values) + 1)
        np.cumsum(values * values, out=squares[1:])
        norms = np.sqrt(squares[row_pointer[1:]] - squares[row_pointer[:-1]])
        norms[norms == 0.0] = 1.0
        values /= np.repeat(norms, np.diff(row_pointer))
        return SparseRows(row_pointer, index_array, values, self.n_features)
