"""Normalising governing-law and agreement-date answers."""

from __future__ import annotations

from datetime import date

import pytest

from evals.cuad.answers import (
    agreement_date_matches,
    governing_law_matches,
    jurisdictions,
    parse_date_answer,
)


def test_missing_values_never_match() -> None:
    assert not governing_law_matches(None, "New York")
    assert not governing_law_matches("", "New York")
    assert not agreement_date_matches(None, "6/21/1999")
    assert not agreement_date_matches(date(1999, 6, 21), "")
    assert parse_date_answer("") is None
    assert parse_date_answer("[]/[]/[]") is None
    assert parse_date_answer("June 1999") is None


@pytest.mark.parametrize(
    ("extracted", "answer"),
    [
        ("New York", "New York"),
        ("new york", "State of New York"),
        ("Ontario", "Province of Ontario, Canada"),
        ("Ontario", "Ontario, Canada"),
        ("England and Wales", "England; Wales"),
        ("England and Wales", "England, United Kingdom; Wales, United Kingdom"),
        ("England", "England"),
        ("China", "People's Republic of China"),
        ("US-CA", "California"),
        ("Hong Kong", "Hong Kong"),
    ],
)
def test_same_jurisdiction_matches(extracted: str, answer: str) -> None:
    assert governing_law_matches(extracted, answer)


@pytest.mark.parametrize(
    ("extracted", "answer"),
    [("Delaware", "New York"), ("Washington", "West Virginia"), ("Kansas", "Arkansas")],
)
def test_other_jurisdiction_does_not_match(extracted: str, answer: str) -> None:
    assert not governing_law_matches(extracted, answer)


def test_jurisdictions_are_split_and_cleaned() -> None:
    assert jurisdictions("Commonwealth of Massachusetts") == {"massachusetts"}
    assert jurisdictions("England; Wales") == {"england", "wales"}


def test_dates_compare_the_parts_cuad_gives() -> None:
    assert parse_date_answer("6/21/1999") == (6, 21, 1999)
    assert parse_date_answer("[]/[]/2004") == (None, None, 2004)
    assert agreement_date_matches(date(1999, 6, 21), "6/21/1999")
    assert not agreement_date_matches(date(1999, 6, 20), "6/21/1999")
    assert agreement_date_matches(date(2004, 3, 9), "[]/[]/2004")
    assert agreement_date_matches(date(2006, 11, 30), "11/[]/2006")
    assert not agreement_date_matches(date(2005, 11, 30), "11/[]/2006")
