"""Turning a contract and its lawyer-selected excerpts into labelled sentences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from evals.cuad.corpus import CuadContract
from evals.cuad.deterministic import found_by_patterns
from extractors.base import Extractor
from extractors.classifier.categories import CATEGORY_KEYS
from extractors.classifier.patterns import cue_matrix
from extractors.classifier.segment import segment
from extractors.document import Document
from extractors.locate import QuoteLocator

POSITIVE = 1
NEGATIVE = 0
UNSURE = -1  # touches an excerpt only a little: neither a clean positive nor a negative


@dataclass(frozen=True)
class LabelledContract:
    """A contract cut into sentences, each labelled per category, with its cue flags."""

    contract_id: str
    document: Document
    spans: list[tuple[int, int]]
    labels: NDArray[np.int8]  # (n_units, n_categories)
    cues: NDArray[np.float64]  # (n_units, n_cues)
    present: NDArray[np.bool_]  # (n_categories,)
    excerpts: int
    located: int
    # (n_categories,): what the deterministic extractors already find present.
    found_by_patterns: NDArray[np.bool_]

    @property
    def texts(self) -> list[str]:
        return [self.document.text[start:end] for start, end in self.spans]


def unit_labels(
    spans: list[tuple[int, int]], excerpt_spans: list[tuple[int, int]]
) -> NDArray[np.int8]:
    """POSITIVE where a sentence is mostly inside an excerpt (or holds most of one)."""
    labels = np.full(len(spans), NEGATIVE, dtype=np.int8)
    for row, (start, end) in enumerate(spans):
        for first, last in excerpt_spans:
            overlap = min(end, last) - max(start, first)
            if overlap <= 0:
                continue
            if overlap >= 0.5 * (end - start) or overlap >= 0.5 * (last - first):
                labels[row] = POSITIVE
                break
            labels[row] = UNSURE
    return labels


OMITTED = "<omitted>"
# Long excerpts often straddle a page header or footer that our text keeps and CUAD's
# does not; such an excerpt is placed by its first and last words.
_ANCHOR_CHARS = 100


def locate_excerpt(locator: QuoteLocator, quote: str) -> list[tuple[int, int]]:
    """Spans of an excerpt's parts in the text (CUAD joins distant parts with ``<omitted>``)."""
    spans: list[tuple[int, int]] = []
    for piece in quote.split(OMITTED):
        part = piece.strip()
        if not part:
            continue
        span = locator.find(part)
        if span is None and len(part) > 3 * _ANCHOR_CHARS:
            head = locator.find(part[:_ANCHOR_CHARS])
            tail = locator.find(part[-_ANCHOR_CHARS:], head[0]) if head else None
            if head and tail and tail[1] - head[0] < 2 * len(part) + 500:
                span = (head[0], tail[1])
        if span is not None:
            spans.append(span)
    return spans


def label_contract(
    contract: CuadContract, document: Document, extractors: list[Extractor] | None = None
) -> LabelledContract:
    """Locate every excerpt in the parsed text and label the sentences around them.

    ``extractors`` are the deterministic ones whose findings the model adds to (the
    shipped set by default).
    """
    text = document.text
    spans = segment(text)
    locator = QuoteLocator(text)
    labels = np.zeros((len(spans), len(CATEGORY_KEYS)), dtype=np.int8)
    excerpts = located = 0
    for column, key in enumerate(CATEGORY_KEYS):
        found: list[tuple[int, int]] = []
        for quote in contract.excerpts[key]:
            excerpts += 1
            parts = locate_excerpt(locator, quote)
            located += int(bool(parts))
            found.extend(parts)
        labels[:, column] = unit_labels(spans, found)
    present = np.array([contract.present[key] for key in CATEGORY_KEYS], dtype=bool)
    return LabelledContract(
        contract_id=contract.contract_id,
        document=document,
        spans=spans,
        labels=labels,
        cues=cue_matrix(text, spans),
        present=present,
        excerpts=excerpts,
        located=located,
        found_by_patterns=found_by_patterns(document, extractors),
    )
