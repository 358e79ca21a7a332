"""The clause model scores a contract's sentences once, however many readers ask."""

from __future__ import annotations

import numpy as np
import pytest

from extractors.classifier import model as model_module
from extractors.classifier.model import ClauseModel
from extractors.classifier.patterns import cue_matrix
from extractors.classifier.segment import segment

TEXT = (
    "1. Fees. Customer shall pay all fees within thirty (30) days. "
    "2. Liability. Neither party's liability shall be limited for fraud. "
    "3. Exclusivity. Customer shall purchase exclusively from Provider."
)
OTHER = "1. Term. This Agreement renews automatically for one-year terms unless terminated."


def test_the_same_text_is_scored_once_and_a_new_text_anew(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = ClauseModel.load()
    calls: list[str] = []
    real = cue_matrix

    def counting(text: str, spans: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(text, spans)

    monkeypatch.setattr(model_module, "cue_matrix", counting)
    spans = segment(TEXT)
    first, first_cues = model.unit_logits(TEXT, spans)
    again, again_cues = model.unit_logits(TEXT, spans)
    assert len(calls) == 1
    assert np.array_equal(first, again) and np.array_equal(first_cues, again_cues)
    # What a caller does to its copy does not reach the next caller.
    again[:] = 0.0
    third, _ = model.unit_logits(TEXT, spans)
    assert np.array_equal(third, first)
    model.unit_logits(OTHER, segment(OTHER))
    assert len(calls) == 2
    model.unit_logits(TEXT, spans)
    assert len(calls) == 3
