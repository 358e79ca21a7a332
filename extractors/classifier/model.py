"""The clause model: plain arrays that score sentences and decide clause presence per document.

Two stages. A linear model scores every sentence for every category from its TF-IDF
n-grams, the n-grams of the sentences around it (a clause often names its subject, "the
Source Code", "such escrow", in the sentence or heading before) and the hand-written cues.
A second, tiny logistic model per category turns the sentence scores of a whole document
(best score, mean of the best three, how many score high, how many carry the category's
cue, ...) into a probability that the document holds such a clause; the category's
threshold, chosen out-of-fold at training time, decides. Where the deterministic
extractors read most of a category (liquidated damages, source-code escrow), the
threshold was chosen for what the model adds to them: run the model alone and those
categories lose the contracts the patterns would have flagged.

The artefact is an ``.npz`` of arrays plus a JSON file with the vocabulary, the
thresholds, the training metrics and the version: no pickle, nothing executable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from extractors.classifier.featurise import TfidfFeaturiser
from extractors.classifier.patterns import CUE_NAMES, cue_matrix
from extractors.classifier.segment import segment

MODEL_DIR = Path(__file__).resolve().parent / "model"
ARRAYS_FILE = "clause_model.npz"
META_FILE = "clause_model.json"
FORMAT = "clause-model/1"

DOC_FEATURES: tuple[str, ...] = (
    "max_logit",
    "top3_mean_logit",
    "log_units_above_zero",
    "log_units_above_minus2",
    "has_cue",
    "log_cue_units",
    "max_cue_logit",
    "log_denied_units",
    "log_broad_cue_units",
    "log_units",
)
LOGIT_CLIP = 12.0
# Neighbours whose n-grams a sentence is also scored on, each with weights of its own.
CONTEXTS = ("previous", "next")
_ARRAY_FIELDS = (
    "idf",
    "unit_weights",
    "unit_bias",
    "doc_mean",
    "doc_scale",
    "doc_weights",
    "doc_bias",
    "thresholds",
)


class ModelFormatError(ValueError):
    """An artefact that is missing, of another format, or inconsistent."""


@dataclass(frozen=True)
class ClauseModelData:
    """Everything the model needs, as plain arrays and lists."""

    version: str
    categories: tuple[str, ...]
    vocabulary: tuple[str, ...]
    ngram_range: tuple[int, int]
    cue_names: tuple[str, ...]
    cue_scale: float
    idf: NDArray[np.float64]
    # (n_vocabulary * (1 + n_contexts) + n_cues, n_categories): the sentence's own n-grams,
    # then one block per context, then the cues.
    unit_weights: NDArray[np.float16]
    unit_bias: NDArray[np.float64]  # (n_categories,)
    doc_mean: NDArray[np.float64]  # (n_categories, n_doc_features)
    doc_scale: NDArray[np.float64]
    doc_weights: NDArray[np.float64]
    doc_bias: NDArray[np.float64]
    thresholds: NDArray[np.float64]  # (n_categories,) on the document probability
    metrics: dict[str, Any] = field(default_factory=dict)
    contexts: tuple[str, ...] = ()
    context_scale: float = 1.0

    def check(self) -> None:
        """Raise ``ModelFormatError`` unless every array has the shape the others imply."""
        unknown_contexts = set(self.contexts) - set(CONTEXTS)
        if unknown_contexts or len(set(self.contexts)) != len(self.contexts):
            raise ModelFormatError(f"unknown or repeated contexts: {list(self.contexts)}")
        n_categories = len(self.categories)
        n_columns = len(self.vocabulary) * (1 + len(self.contexts)) + len(self.cue_names)
        shapes = {
            "idf": (len(self.vocabulary),),
            "unit_weights": (n_columns, n_categories),
            "unit_bias": (n_categories,),
            "doc_mean": (n_categories, len(DOC_FEATURES)),
            "doc_scale": (n_categories, len(DOC_FEATURES)),
            "doc_weights": (n_categories, len(DOC_FEATURES)),
            "doc_bias": (n_categories,),
            "thresholds": (n_categories,),
        }
        for name, shape in shapes.items():
            actual = getattr(self, name).shape
            if actual != shape:
                raise ModelFormatError(f"{name} has shape {actual}, expected {shape}")
        unknown = set(self.cue_names) - set(CUE_NAMES)
        if unknown:
            raise ModelFormatError(f"artefact uses cues this code does not know: {sorted(unknown)}")

    def save(self, directory: Path) -> None:
        """Write ``clause_model.npz`` and ``clause_model.json`` into ``directory``."""
        self.check()
        directory.mkdir(parents=True, exist_ok=True)
        arrays = {name: getattr(self, name) for name in _ARRAY_FIELDS}
        np.savez_compressed(directory / ARRAYS_FILE, **arrays)
        meta = {
            "format": FORMAT,
            "version": self.version,
            "categories": list(self.categories),
            "ngram_range": list(self.ngram_range),
            "cue_names": list(self.cue_names),
            "cue_scale": self.cue_scale,
            "contexts": list(self.contexts),
            "context_scale": self.context_scale,
            "doc_features": list(DOC_FEATURES),
            "thresholds": dict(zip(self.categories, self.thresholds.tolist(), strict=True)),
            "metrics": self.metrics,
            "vocabulary": list(self.vocabulary),
        }
        (directory / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", "utf-8")

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> ClauseModelData:
        """Read an artefact written by ``save`` (arrays only; pickled objects are refused)."""
        try:
            meta = json.loads((directory / META_FILE).read_text("utf-8"))
            with np.load(directory / ARRAYS_FILE, allow_pickle=False) as stored:
                arrays = {name: np.asarray(stored[name]) for name in _ARRAY_FIELDS}
        except (OSError, KeyError, ValueError) as error:
            raise ModelFormatError(
                f"cannot read the clause model in {directory}: {error}"
            ) from error
        if meta.get("format") != FORMAT:
            raise ModelFormatError(f"unknown clause model format {meta.get('format')!r}")
        if tuple(meta["doc_features"]) != DOC_FEATURES:
            raise ModelFormatError("artefact was trained with other document features")
        data = cls(
            version=str(meta["version"]),
            categories=tuple(meta["categories"]),
            vocabulary=tuple(meta["vocabulary"]),
            ngram_range=(int(meta["ngram_range"][0]), int(meta["ngram_range"][1])),
            cue_names=tuple(meta["cue_names"]),
            cue_scale=float(meta["cue_scale"]),
            contexts=tuple(meta.get("contexts", ())),
            context_scale=float(meta.get("context_scale", 1.0)),
            metrics=dict(meta.get("metrics", {})),
            **arrays,
        )
        data.check()
        return data


def document_features(
    logits: NDArray[np.float64],
    cues: NDArray[np.float64],
    cue_names: tuple[str, ...],
    categories: tuple[str, ...],
) -> NDArray[np.float64]:
    """Per category, the document-level summary of its sentence scores: ``(n_categories, F)``."""
    n_units = logits.shape[0]
    features = np.zeros((len(categories), len(DOC_FEATURES)))
    features[:, DOC_FEATURES.index("log_units")] = np.log1p(n_units)
    if n_units == 0:
        features[:, :2] = -LOGIT_CLIP
        features[:, DOC_FEATURES.index("max_cue_logit")] = -LOGIT_CLIP
        return features
    clipped = np.clip(logits, -LOGIT_CLIP, LOGIT_CLIP)
    top = -np.sort(-clipped, axis=0)[:3]
    features[:, 0] = top[0]
    features[:, 1] = top.mean(axis=0)
    features[:, 2] = np.log1p((clipped > 0).sum(axis=0))
    features[:, 3] = np.log1p((clipped > -2).sum(axis=0))
    cue_index = {name: position for position, name in enumerate(cue_names)}
    for row, key in enumerate(categories):
        column = cue_index.get(key)
        if column is not None:
            marked = cues[:, column] > 0
            features[row, 4] = float(marked.any())
            features[row, 5] = np.log1p(marked.sum())
            features[row, 6] = clipped[marked, row].max() if marked.any() else -LOGIT_CLIP
        else:
            features[row, 6] = -LOGIT_CLIP
        denied = cue_index.get(f"{key}_denied")
        if denied is not None:
            features[row, 7] = np.log1p((cues[:, denied] > 0).sum())
        broad = cue_index.get(f"{key}_broad")
        if broad is not None:
            features[row, 8] = np.log1p((cues[:, broad] > 0).sum())
    return features


@dataclass(frozen=True)
class CategoryVerdict:
    """The model's answer for one category in one document."""

    key: str
    probability: float
    present: bool
    # Best sentences, strongest first: (start, end, sentence probability).
    evidence: list[tuple[int, int, float]]


def _sigmoid(values: NDArray[np.float64]) -> NDArray[np.float64]:
    result: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(values, -50.0, 50.0)))
    return result


class ClauseModel:
    """Scores documents with a ``ClauseModelData``; numpy only."""

    def __init__(self, data: ClauseModelData) -> None:
        data.check()
        self.data = data
        self.featuriser = TfidfFeaturiser(data.vocabulary, data.idf, data.ngram_range)
        self._cue_columns = [CUE_NAMES.index(name) for name in data.cue_names]
        self._last_units: (
            tuple[str, list[tuple[int, int]], NDArray[np.float64], NDArray[np.float64]] | None
        ) = None

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> ClauseModel:
        """The model stored in ``directory`` (the shipped one by default)."""
        return cls(ClauseModelData.load(directory))

    def unit_logits(
        self, text: str, spans: list[tuple[int, int]]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Sentence logits ``(n_units, n_categories)`` and cue flags ``(n_units, n_cues)``."""
        # The document verdicts and the evidence ranking both score the same text: the last
        # answer is kept, so a contract's sentences are scored once, not twice.
        last = self._last_units
        if last is not None and last[0] == text and last[1] == spans:
            return last[2].copy(), last[3].copy()
        logits, cues = self._unit_logits(text, spans)
        self._last_units = (text, list(spans), logits.copy(), cues.copy())
        return logits, cues

    def _unit_logits(
        self, text: str, spans: list[tuple[int, int]]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        cues = cue_matrix(text, spans)[:, self._cue_columns]
        rows = self.featuriser.transform([text[start:end] for start, end in spans])
        n_vocabulary = len(self.data.vocabulary)
        weights = self.data.unit_weights
        logits = rows.dot(weights[:n_vocabulary])
        for block, context in enumerate(self.data.contexts, start=1):
            # A neighbour's n-grams scored with this context's weights, moved onto the
            # sentence they surround (a document's first sentence has no previous one).
            scored = rows.dot(weights[block * n_vocabulary : (block + 1) * n_vocabulary])
            scored *= self.data.context_scale
            if context == "previous":
                logits[1:] += scored[:-1]
            else:
                logits[:-1] += scored[1:]
        cue_weights = weights[n_vocabulary * (1 + len(self.data.contexts)) :]
        logits += (cues * self.data.cue_scale) @ cue_weights.astype(np.float64)
        logits += self.data.unit_bias
        return logits, cues

    def document_probabilities(
        self, logits: NDArray[np.float64], cues: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Probability per category that the document holds such a clause."""
        data = self.data
        features = document_features(logits, cues, data.cue_names, data.categories)
        standardised = (features - data.doc_mean) / data.doc_scale
        return _sigmoid((standardised * data.doc_weights).sum(axis=1) + data.doc_bias)

    def classify(self, text: str, *, max_evidence: int = 3) -> list[CategoryVerdict]:
        """A verdict for every category, with the best sentences as evidence."""
        spans = segment(text)
        logits, cues = self.unit_logits(text, spans)
        probabilities = self.document_probabilities(logits, cues)
        verdicts: list[CategoryVerdict] = []
        for column, key in enumerate(self.data.categories):
            evidence: list[tuple[int, int, float]] = []
            if spans:
                order = np.argsort(-logits[:, column], kind="stable")[:max_evidence]
                best = logits[order[0], column]
                for row in order:
                    # Keep runners-up only when they are nearly as convincing as the best.
                    if row != order[0] and logits[row, column] < max(best - 2.0, 0.0):
                        break
                    start, end = spans[row]
                    evidence.append((start, end, float(_sigmoid(logits[row : row + 1, column])[0])))
            probability = float(probabilities[column])
            verdicts.append(
                CategoryVerdict(
                    key=key,
                    probability=probability,
                    # Without a single sentence there is nothing to quote, so nothing to claim.
                    present=bool(spans) and probability >= float(self.data.thresholds[column]),
                    evidence=evidence,
                )
            )
        return verdicts
