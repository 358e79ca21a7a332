"""The clause vocabulary's one reader: wordings, windows, tiers and denial policies."""

from __future__ import annotations

import pytest

from extractors.patterns.vocabulary import (
    DENIED_IN_SENTENCE,
    NO_DENIAL,
    ClauseConcept,
    Denial,
    Wording,
    denied_before,
    denied_through,
    describe,
    read_concept,
)
from tests.extractors.patterns.helpers import view


def concept(denial: Denial, pattern: str = r"\bpay (?:a|an) widget fee\b") -> ClauseConcept:
    return ClauseConcept(
        path="legal.liquidated_damages",
        meaning="a fee for widgets",
        wordings=(
            Wording(
                "widget fee",
                pattern,
                "Customer shall pay a widget fee.",
                ("widget",),
                120,
                120,
                0.8,
                denial,
            ),
        ),
    )


@pytest.mark.parametrize(
    ("denial", "text", "found"),
    [
        (NO_DENIAL, "Customer shall pay a widget fee.", True),
        (NO_DENIAL, "Customer shall not pay a widget fee.", True),
        (DENIED_IN_SENTENCE, "Customer shall pay a widget fee.", True),
        (DENIED_IN_SENTENCE, "Customer shall pay a widget fee, not a penalty.", False),
        # A denial in another sentence does not reach the wording.
        (DENIED_IN_SENTENCE, "No refunds are given. Customer shall pay a widget fee.", True),
        (denied_before(), "Customer shall not be required to pay a widget fee.", False),
        # Far enough before the wording, the same word denies something else.
        (
            denied_before(20),
            "No refund is given where Customer ends the order early and Customer shall pay a "
            "widget fee.",
            True,
        ),
        (
            denied_before(100),
            "No refund is given where Customer ends the order early and Customer shall pay a "
            "widget fee.",
            False,
        ),
        (denied_before(), "Customer shall pay a widget fee, not a penalty.", True),
        (denied_through(), "Customer shall pay a widget fee, not a penalty.", False),
        (denied_through(), "Customer shall pay a widget fee.", True),
    ],
)
def test_denial_policies(denial: Denial, text: str, found: bool) -> None:
    text_view = view(text)
    pattern = r"\bpay (?:a|an) widget fee\b(?:, not a penalty)?"
    hits = read_concept(text_view, concept(denial, pattern))
    assert bool(hits) is found


def test_a_hit_quotes_its_sentence_names_its_wording_and_carries_the_tier() -> None:
    text = "Preamble here.\nCustomer shall pay a widget fee on\nexit. Other text."
    [hit] = read_concept(view(text), concept(NO_DENIAL))
    assert text[hit.start : hit.end] == "Customer shall pay a widget fee on\nexit."
    assert hit.reader == "legal.liquidated_damages: widget fee"
    assert (hit.path, hit.value, hit.confidence) == ("legal.liquidated_damages", True, 0.8)


def test_spaces_in_a_wording_match_any_whitespace() -> None:
    assert read_concept(view("Customer shall pay a\nwidget   fee."), concept(NO_DENIAL))


def test_a_document_without_the_keywords_is_not_scanned() -> None:
    text_view = view("Customer shall pay a fee.")
    assert read_concept(text_view, concept(NO_DENIAL)) == []
    needing = ClauseConcept("legal.liquidated_damages", concept(NO_DENIAL).wordings, needs=("x",))
    assert read_concept(view("Customer shall pay a widget fee."), needing) == []


def test_describe_lists_every_wording_with_its_reading() -> None:
    text = describe([concept(denied_before(40))])
    assert "legal.liquidated_damages: a fee for widgets" in text
    assert "widget fee (near widget; CHECKED_CLAUSE 0.8; denial: before)" in text
    assert "e.g. 'Customer shall pay a widget fee.'" in text
