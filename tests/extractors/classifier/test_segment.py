"""Sentence units: exact, ordered, stripped spans of the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import extractors.classifier.segment as segment_module
from extractors.classifier.segment import MAX_UNIT_CHARS, segment


def test_empty_and_blank_text_have_no_units() -> None:
    assert segment("") == []
    assert segment(" \n\n \t ") == []


def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        assert len(piece) <= MAX_UNIT_CHARS
        previous_end = end


def test_sentences_and_paragraphs_split() -> None:
    text = (
        "1. DEFINITIONS.\n\nThe Supplier shall deliver the Products within ten days. "
        "Customer shall pay each invoice within thirty days of receipt.\n\n"
        "Neither party may assign this Agreement without the prior written consent of the other."
    )
    spans = segment(text)
    _check_spans(text, spans)
    pieces = [text[start:end] for start, end in spans]
    assert "The Supplier shall deliver the Products within ten days." in pieces
    assert pieces[-1].startswith("Neither party may assign")


def test_short_fragment_joins_the_next_sentence() -> None:
    text = "Acme Inc. Acme shall keep complete books and records of all sales for three years."
    pieces = [text[start:end] for start, end in segment(text)]
    assert pieces == [text]


def test_run_on_text_is_cut_into_windows() -> None:
    text = " ".join(["word"] * 1000)
    spans = segment(text)
    _check_spans(text, spans)
    assert len(spans) >= 1000 * 5 // MAX_UNIT_CHARS
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")


alphabet = st.sampled_from([*"ab .;\n\t", "Section 1. ", "The ", "\n\n", "x" * 50])


@settings(max_examples=200, deadline=None)
@given(st.lists(alphabet, max_size=80).map("".join))
def test_spans_are_exact_for_any_text(text: str) -> None:
    spans = segment(text)
    _check_spans(text, spans)
    covered = "".join(text[start:end] for start, end in spans)
    assert "".join(covered.split()) == "".join(text.split())


def test_a_table_block_is_cut_into_its_rows() -> None:
    # An order form's table comes out of a PDF as short lines without sentence ends; as one
    # unit it mixes fees, terms and parties and looks like every commercial clause at once.
    rows = [
        "Customer Prairie Cobalt Credit Union Limited, Winnipeg",
        "Order Date February 10, 2025",
        "Service Start Date March 1, 2025",
        "Initial Term Twenty-four (24) months",
        "Plan Business",
        "Annual Net Fee (CAD) 84,150.00",
    ]
    text = "\n".join(rows)
    spans = segment(text)
    _check_spans(text, spans)
    pieces = [text[start:end] for start, end in spans]
    assert len(pieces) >= 3
    assert all(piece.count("\n") <= 2 for piece in pieces)


def test_prose_wrapped_by_a_pdf_stays_one_sentence() -> None:
    text = (
        "Each party shall maintain complete and accurate books and records relating to the\n"
        "performance of this Agreement and shall permit the other party, upon thirty days'\n"
        "notice, to audit such books and records once in any calendar year."
    )
    assert segment(text) == [(0, len(text))]


def test_the_same_text_is_cut_once_and_each_caller_gets_its_own_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real = segment_module._segment

    def counting(text: str) -> list[tuple[int, int]]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(segment_module, "_segment", counting)
    text = "1. Fees. Customer shall pay all fees within thirty days. 2. Term. One year."
    first = segment(text)
    first.clear()
    assert segment(text) == real(text) != []
    assert len(calls) == 1
    segment("Another contract altogether, with a sentence of its own.")
    assert segment(text) == real(text)
    assert len(calls) == 3
