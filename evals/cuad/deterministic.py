"""What the deterministic extractors alone find: the clause presence the model adds to.

The shipped extraction flags a clause when any grounded finding says so, so a contract a
precise pattern already reads needs no flag from the clause model. Training chooses the
model's thresholds with these findings beside it where the patterns read enough of a
category, and the evaluation runs the same extractors beside each fold's model.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from extractors.base import Extractor
from extractors.classifier.categories import CATEGORIES
from extractors.classifier.extractor import ClauseClassifier
from extractors.document import Document
from extractors.extract import extract_document
from extractors.facts import FactRecord, FactStatus, get_fact
from extractors.registry import DEFAULT_OFFLINE, get_extractors


def deterministic_extractors() -> list[Extractor]:
    """The shipped offline extractors except the clause classifier."""
    return [e for e in get_extractors(DEFAULT_OFFLINE) if not isinstance(e, ClauseClassifier)]


def clause_presence(record: FactRecord) -> list[bool]:
    """Whether each category's fact is present in an extracted record."""
    return [get_fact(record, c.path).status is FactStatus.PRESENT for c in CATEGORIES]


def found_by_patterns(
    document: Document, extractors: list[Extractor] | None = None
) -> NDArray[np.bool_]:
    """``(n_categories,)``: the clauses the deterministic extractors find in ``document``."""
    active = extractors if extractors is not None else deterministic_extractors()
    return np.array(clause_presence(extract_document(document, extractors=active)), dtype=bool)
