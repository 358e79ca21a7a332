"""Counting true/false positives and negatives of a FactRecord against a bundle's labels.

A label asserts a term is present with a value, or excluded; an unlabelled path is expected
absent. A prediction asserts when its fact is present or excluded and may be decided on.
Scalars count one unit; lists count per element. A predicted value that does not match the
expected one is both a false positive and a false negative.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import ValidationError

from evals.saas.labels import (
    OBLIGATIONS_PATH,
    BundleLabel,
    ExpectedFact,
    FactsScope,
    LabelStatus,
    value_adapter,
)
from evals.saas.matching import match_lists, scalar_match
from extractors.document import Document
from extractors.facts import (
    Evidence,
    Fact,
    FactRecord,
    FactStatus,
    fact_paths,
    fact_value_type,
    get_fact,
)


@dataclass
class FieldCounts:
    """Counts for one schema path, over one bundle or many."""

    labelled: int = 0
    predicted: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: FieldCounts) -> None:
        """Accumulate ``other`` into these counts."""
        self.labelled += other.labelled
        self.predicted += other.predicted
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass(frozen=True)
class Prediction:
    """What a fact asserts for scoring: a status (or None when it asserts nothing) and a value."""

    status: LabelStatus | None
    value: Any = None


def scored_paths() -> list[str]:
    """Every schema path plus the obligations list, in schema order."""
    return [*fact_paths(), OBLIGATIONS_PATH]


def read_prediction(path: str, fact: Fact[Any]) -> Prediction:
    """The assertion a fact makes; a yes/no fact that is present but false reads as excluded."""
    if not fact.counts or fact.status is FactStatus.NOT_FOUND:
        return Prediction(None)
    if fact.status is FactStatus.EXCLUDED:
        return Prediction(LabelStatus.EXCLUDED)
    value = fact.value
    # A malformed value stays as it is and simply fails to match.
    with suppress(ValidationError):
        value = value_adapter(path).validate_python(value)
    if value is False:
        return Prediction(LabelStatus.EXCLUDED)
    if value is None and _is_yes_no(path):
        value = True
    return Prediction(LabelStatus.PRESENT, value)


def _is_yes_no(path: str) -> bool:
    if path == OBLIGATIONS_PATH:
        return False
    annotation = fact_value_type(path)
    # The schema types values as ``T | None``; a yes/no fact is ``bool | None``.
    return set(get_args(annotation) or (annotation,)) <= {bool, type(None)}


def _units(value: Any) -> int:
    return len(value) if isinstance(value, list) else 1


def count_field(path: str, expected: ExpectedFact | None, predicted: Prediction) -> FieldCounts:
    """Counts for one path of one bundle."""
    counts = FieldCounts(
        labelled=int(expected is not None), predicted=int(predicted.status is not None)
    )
    if predicted.status is None:
        if expected is not None:
            counts.fn = _expected_units(expected)
        return counts
    if expected is None:
        counts.fp = _units(predicted.value) if predicted.status is LabelStatus.PRESENT else 1
        return counts
    if expected.status is LabelStatus.EXCLUDED or predicted.status is LabelStatus.EXCLUDED:
        if expected.status is predicted.status:
            counts.tp = 1
        else:
            counts.fp = _units(predicted.value) if predicted.status is LabelStatus.PRESENT else 1
            counts.fn = _expected_units(expected)
        return counts
    if isinstance(expected.value, list):
        best = max(
            (
                match_lists(
                    path, option, predicted.value if isinstance(predicted.value, list) else []
                )
                for option in [expected.value, *expected.alternatives]
            ),
            key=lambda result: (result[0], -result[1]),
        )
        counts.tp, counts.fp, counts.fn = best
        if not isinstance(predicted.value, list):
            counts.fp += 1
        return counts
    if any(
        scalar_match(option, predicted.value) for option in [expected.value, *expected.alternatives]
    ):
        counts.tp = 1
    else:
        counts.fp = counts.fn = 1
    return counts


def _expected_units(expected: ExpectedFact) -> int:
    return _units(expected.value) if expected.status is LabelStatus.PRESENT else 1


def score_record(label: BundleLabel, record: FactRecord) -> dict[str, FieldCounts]:
    """Counts for every scored path of one bundle (only the labelled ones when it says so)."""
    expected = label.expected()
    partial = label.facts_scope is FactsScope.PARTIAL
    scores: dict[str, FieldCounts] = {}
    for path in fact_paths():
        if partial and path not in expected:
            continue
        scores[path] = count_field(
            path, expected.get(path), read_prediction(path, get_fact(record, path))
        )
    if not (partial and not label.obligations):
        scores[OBLIGATIONS_PATH] = count_field(
            OBLIGATIONS_PATH, _expected_obligations(label), _predicted_obligations(record)
        )
    return scores


def _expected_obligations(label: BundleLabel) -> ExpectedFact | None:
    if not label.obligations:
        return None
    return ExpectedFact(value=[item.as_obligation() for item in label.obligations])


def _predicted_obligations(record: FactRecord) -> Prediction:
    values = [
        fact.value
        for fact in record.obligations
        if fact.counts and fact.status is FactStatus.PRESENT and fact.value is not None
    ]
    return Prediction(LabelStatus.PRESENT, values) if values else Prediction(None)


def micro(fields: dict[str, FieldCounts]) -> FieldCounts:
    """Counts summed over every field."""
    summed = FieldCounts()
    for counts in fields.values():
        summed.add(counts)
    return summed


def total(per_bundle: Iterable[dict[str, FieldCounts]]) -> dict[str, FieldCounts]:
    """Counts summed over bundles, per path."""
    totals = {path: FieldCounts() for path in scored_paths()}
    for scores in per_bundle:
        for path, counts in scores.items():
            totals[path].add(counts)
    return totals


@dataclass(frozen=True)
class EvidenceCheck:
    """How many evidence quotes a record holds and how many quote their document exactly."""

    total: int
    valid: int


def check_evidence(record: FactRecord, documents: Sequence[Document]) -> EvidenceCheck:
    """Every evidence span must satisfy ``document.text[start:end] == quote``."""
    by_id = {document.document_id: document for document in documents}
    facts: list[Fact[Any]] = [get_fact(record, path) for path in fact_paths()]
    facts += record.obligations
    total_count = valid = 0
    for fact in facts:
        for evidence in fact.evidence:
            total_count += 1
            document = by_id.get(evidence.document_id or "")
            if document is None and evidence.document_id is None and len(documents) == 1:
                document = documents[0]
            if (
                document is not None
                and document.text[evidence.start : evidence.end] == evidence.quote
            ):
                valid += 1
    return EvidenceCheck(total=total_count, valid=valid)


def _quotes_exactly(document: Document, evidence: Evidence) -> bool:
    return document.text[evidence.start : evidence.end] == evidence.quote
