"""The offline clause classifier as an ``Extractor``: CUAD-style clause presence with quotes.

A finding for an approval category reaches the rules only when a sentence the model
scores among the best for it says the clause in so many words
(``extractors.classifier.evidence``), and that sentence is what the finding quotes: the
model learnt CUAD's supply and licensing agreements, and on a SaaS price row it can be
sure of a revenue share that no sentence states.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from extractors.base import Extractor
from extractors.classifier.categories import CATEGORIES
from extractors.classifier.evidence import denies_category, is_gated, says_category
from extractors.classifier.model import MODEL_DIR, CategoryVerdict, ClauseModel
from extractors.classifier.segment import segment
from extractors.document import Chunk, Document
from extractors.evidence import make_evidence
from extractors.facts import Fact, FactStatus, Finding, Source

_PATHS = {category.key: category.path for category in CATEGORIES}
# How far down the model's ranking a sentence that says the clause may be: the document
# verdict rests on several sentences (best, mean of the best three, how many score high),
# and the one that names the clause is often not the top scorer.
CANDIDATE_SENTENCES = 12

Span = tuple[int, int, float]


class ClauseClassifier(Extractor):
    """Says which clause types a document holds, quoting the sentences that show it."""

    name: ClassVar[str] = "clause-classifier"
    version: ClassVar[str] = "2"
    checks: ClassVar[frozenset[str]] = frozenset(_PATHS.values())

    def __init__(
        self,
        model_dir: Path = MODEL_DIR,
        *,
        model: ClauseModel | None = None,
        max_evidence: int = 3,
        require_cue: bool = True,
    ) -> None:
        self.model = model if model is not None else ClauseModel.load(model_dir)
        self.max_evidence = max_evidence
        # Off only to measure what the model says on its own.
        self.require_cue = require_cue
        missing = set(_PATHS) - set(self.model.data.categories)
        if missing:
            raise ValueError(f"the clause model does not cover {sorted(missing)}")

    @property
    def model_version(self) -> str:
        """Version of the loaded artefact (recorded with every finding)."""
        return self.model.data.version

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        """A present finding for each clause type the model finds and a sentence says; others
        stay not-found."""
        del chunks  # sentences, not chunks, are the unit the model was trained on
        verdicts = self.model.classify(document.text, max_evidence=self.max_evidence)
        ranking = _SentenceRanking(self.model, document.text)
        findings: list[Finding] = []
        for verdict in verdicts:
            if not verdict.present:
                continue
            evidence = self._stating_evidence(document.text, verdict, ranking)
            if evidence:
                findings.append(self._finding(document, verdict, evidence))
        return findings

    def _stating_evidence(
        self, text: str, verdict: CategoryVerdict, ranking: _SentenceRanking
    ) -> list[Span]:
        """The verdict's evidence if a sentence of it says the clause; else, unless one of
        them denies it, the best-ranked sentences that do; empty when none does (the
        finding is dropped)."""
        if not self.require_cue or not is_gated(verdict.key):
            return verdict.evidence
        stating = [
            span for span in verdict.evidence if says_category(verdict.key, text[span[0] : span[1]])
        ]
        if stating:
            return stating
        if any(denies_category(verdict.key, text[start:end]) for start, end, _ in verdict.evidence):
            return []  # the sentence the model leant on says the clause does not apply
        candidates = ranking.best(verdict.key, CANDIDATE_SENTENCES)
        stating = [
            span for span in candidates if says_category(verdict.key, text[span[0] : span[1]])
        ]
        return stating[: self.max_evidence]

    def _finding(self, document: Document, verdict: CategoryVerdict, spans: list[Span]) -> Finding:
        evidence = [make_evidence(document, start, end) for start, end, _ in spans]
        fact: Fact[Any] = Fact[bool](
            status=FactStatus.PRESENT,
            value=True,
            evidence=evidence,
            source=Source.CLASSIFIER,
            confidence=round(verdict.probability, 4),
            extractor=f"{self.name}/{self.version}+model.{self.model_version}",
        )
        return Finding(path=_PATHS[verdict.key], fact=fact)


class _SentenceRanking:
    """Every sentence's score per category, computed once and only when first asked for."""

    def __init__(self, model: ClauseModel, text: str) -> None:
        self.model = model
        self.text = text
        self._spans: list[tuple[int, int]] | None = None
        self._logits: NDArray[np.float64] | None = None

    def best(self, key: str, count: int) -> list[Span]:
        """The ``count`` sentences scored highest for category ``key``, best first."""
        if self._spans is None or self._logits is None:
            self._spans = segment(self.text)
            self._logits, _ = self.model.unit_logits(self.text, self._spans)
        if not self._spans:
            return []
        column = self.model.data.categories.index(key)
        scores = self._logits[:, column]
        order = np.argsort(-scores, kind="stable")[:count]
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(scores[order], -50.0, 50.0)))
        return [
            (self._spans[row][0], self._spans[row][1], float(probability))
            for row, probability in zip(order, probabilities, strict=True)
        ]
