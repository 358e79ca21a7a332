"""The literal prefilter of the cues finds exactly the matches a scan of the whole text finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.classifier.literals import (
    LiteralPlan,
    TextIndex,
    consumes_any,
    mandatory_literal_sets,
    prefix_literals,
)
from extractors.classifier.patterns import _COMPILED, _PLANS, CUE_NAMES, CUES, lower_same_length

SEPARATORS = ".;"


def spans(matches: object) -> list[tuple[int, int]]:
    return [match.span() for match in matches]  # type: ignore[attr-defined]


def test_prefixes_are_what_every_match_starts_with() -> None:
    assert prefix_literals(r"(?<!non-)\bexclusiv(?:e|ity)\b") == frozenset({"exclusiv"})
    assert prefix_literals(r"(?:shall|will|does)\s+not") == frozenset({"shall", "will", "does"})
    assert prefix_literals(r"(?:no|not)\s+less") == frozenset({"no"})
    assert prefix_literals(r"[ey]x") == frozenset({"e", "y"})
    # An optional start, a class of ranges, a case-insensitive pattern: no prefix.
    assert prefix_literals(r"(?:the\s+)?fee") is None
    assert prefix_literals(r"[a-z]+fee") is None
    assert prefix_literals(r"fee", re.IGNORECASE) is None
    assert prefix_literals(r"(?i)fee") is None


def test_needed_literals_leave_out_optional_parts_and_lookarounds() -> None:
    sets = mandatory_literal_sets(r"(?<!not\W)in\s+lieu(?:\s+of)?\s+(?:damages|loss)(?!\s+x)")
    assert sets == (
        frozenset({"in"}),
        frozenset({"lieu"}),
        frozenset({"damages", "loss"}),
    )
    assert mandatory_literal_sets(r"a?b*") == ()
    assert mandatory_literal_sets(r"(?:fee|)x") == (frozenset({"x"}),)


def test_what_a_match_can_contain() -> None:
    assert not consumes_any(r"fee[^.;]{0,120}?rate\s+\w*", SEPARATORS)
    assert consumes_any(r"fee.rate", SEPARATORS)
    assert consumes_any(r"fee[^,]rate", SEPARATORS)
    assert consumes_any(r"fee\W", SEPARATORS)
    assert consumes_any(r"no\.\s+5", SEPARATORS)
    assert not consumes_any(r"fee(?=\.)", SEPARATORS)  # a lookahead consumes nothing
    assert consumes_any(r"fee[\s.]", SEPARATORS)


def test_every_cue_is_planned_without_a_full_scan() -> None:
    plans = [plan for row in _PLANS for plan in row]
    assert len(plans) == sum(len(CUES[name]) for name in CUE_NAMES)
    assert all(plan.confined for plan in plans)


def plan_matches(plan: LiteralPlan, text: str) -> list[tuple[int, int]]:
    return spans(plan.finditer(TextIndex(text, SEPARATORS)))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "the supplier shall not assign this agreement without consent; nor shall it assign.",
        "prices shall not increase more than 5% per year. fees may be adjusted once per year",
        "no third party beneficiaries. nothing herein confers rights on any third party "
        "beneficiary except the indemnitees",
        "escrow escrow source code escrow. software   \n\n  escrow",
        "non-exclusive; exclusive of taxes. exclusively from supplier exclusivity",
        "as as as is are be been deemed an intended third-party beneficiary.",
    ],
)
def test_same_matches_as_a_full_scan(text: str) -> None:
    for row, plans in zip(_COMPILED, _PLANS, strict=True):
        for pattern, plan in zip(row, plans, strict=True):
            assert plan_matches(plan, text) == spans(pattern.finditer(text)), pattern.pattern


# Words the cues are made of, and the punctuation that bounds their stretches.
_VOCABULARY = sorted(
    {
        word
        for name in CUE_NAMES
        for pattern in CUES[name]
        for word in re.findall(r"[a-z%$]+", pattern)
        if len(word) > 1
    }
    | {"the", "a", "of", "any", "other", "50%", "5", "(10)", "non-", "third-party", "-"}
)
_TOKENS = st.one_of(
    st.sampled_from(_VOCABULARY),
    st.sampled_from([" ", " ", " ", "  ", "\n", ". ", "; ", ", ", ".", ";", "\n\n"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, max_size=120))
def test_same_matches_as_a_full_scan_on_generated_text(tokens: list[str]) -> None:
    text = lower_same_length("".join(tokens))
    for row, plans in zip(_COMPILED, _PLANS, strict=True):
        for pattern, plan in zip(row, plans, strict=True):
            assert plan_matches(plan, text) == spans(pattern.finditer(text)), pattern.pattern
