"""The offline clause classifier as an ``Extractor``: CUAD-style clause presence with quotes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from extractors.base import Extractor
from extractors.classifier.categories import CATEGORIES
from extractors.classifier.model import MODEL_DIR, CategoryVerdict, ClauseModel
from extractors.document import Chunk, Document
from extractors.evidence import make_evidence
from extractors.facts import Fact, FactStatus, Finding, Source

_PATHS = {category.key: category.path for category in CATEGORIES}


class ClauseClassifier(Extractor):
    """Says which clause types a document holds, quoting the sentences that show it."""

    name: ClassVar[str] = "clause-classifier"
    version: ClassVar[str] = "1"
    checks: ClassVar[frozenset[str]] = frozenset(_PATHS.values())

    def __init__(
        self,
        model_dir: Path = MODEL_DIR,
        *,
        model: ClauseModel | None = None,
        max_evidence: int = 3,
    ) -> None:
        self.model = model if model is not None else ClauseModel.load(model_dir)
        self.max_evidence = max_evidence
        missing = set(_PATHS) - set(self.model.data.categories)
        if missing:
            raise ValueError(f"the clause model does not cover {sorted(missing)}")

    @property
    def model_version(self) -> str:
        """Version of the loaded artefact (recorded with every finding)."""
        return self.model.data.version

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        """A present finding for each clause type the model finds; others stay not-found."""
        del chunks  # sentences, not chunks, are the unit the model was trained on
        verdicts = self.model.classify(document.text, max_evidence=self.max_evidence)
        return [self._finding(document, verdict) for verdict in verdicts if verdict.present]

    def _finding(self, document: Document, verdict: CategoryVerdict) -> Finding:
        evidence = [make_evidence(document, start, end) for start, end, _ in verdict.evidence]
        fact: Fact[Any] = Fact[bool](
            status=FactStatus.PRESENT,
            value=True,
            evidence=evidence,
            source=Source.CLASSIFIER,
            confidence=round(verdict.probability, 4),
            extractor=f"{self.name}/{self.version}+model.{self.model_version}",
        )
        return Finding(path=_PATHS[verdict.key], fact=fact)
