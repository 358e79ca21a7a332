"""Scoring governing law and agreement date against CUAD's answers: one definition."""

from __future__ import annotations

from datetime import date

import pytest

from evals.cuad.answers import (
    AnswerScores,
    agreement_date_answer,
    agreement_date_matches,
    governing_law_answers,
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
    assert parse_date_answer("[]/[]/[][]") is None
    assert parse_date_answer("June 1999") is None


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "[]",
        "[* * *]",
        "the state in which the breach occurs",
        "THE UNITED STATES TRADEMARK ACT",
    ],
)
def test_answers_naming_no_jurisdiction_are_empty(answer: str) -> None:
    assert governing_law_answers(answer) == set()
    assert not governing_law_matches("New York", answer)


@pytest.mark.parametrize(
    ("extracted", "answer"),
    [
        ("New York", "New York"),
        ("new york", "State of New York"),
        ("Ontario", "Province of Ontario, Canada"),
        ("Ontario", "Ontario, Canada"),
        ("Ontario", "British Columbia,Canada; Ontario"),
        ("England and Wales", "England; Wales"),
        ("England and Wales", "England, United Kingdom; Wales, United Kingdom"),
        ("England and Wales", "England and Wales, UK"),
        ("England", "England"),
        ("China", "People's Republic of China"),
        ("China", "People's Republic of China; United Nations Convention on Contract"),
        ("US-CA", "California"),
        ("Hong Kong", "Hong Kong"),
        ("Illinois", "Delaware, Illinois"),
        ("Singapore", "Texas; Singapore; Belgium"),
        ("Kazakhstan", "Republic of Kazakhstan"),
        ("Germany", "Federal Republic of Germany"),
        ("California", "California; the state in which the breach occurs"),
    ],
)
def test_same_jurisdiction_matches(extracted: str, answer: str) -> None:
    assert governing_law_matches(extracted, answer)


@pytest.mark.parametrize(
    ("extracted", "answer"),
    [
        ("Delaware", "New York"),
        ("Washington", "West Virginia"),
        ("Kansas", "Arkansas"),
        ("Canada", "Ontario, Canada"),
        (
            "the state in which the breach occurs",
            "California; the state in which the breach occurs",
        ),
    ],
)
def test_other_jurisdiction_does_not_match(extracted: str, answer: str) -> None:
    assert not governing_law_matches(extracted, answer)


def test_jurisdictions_are_split_and_cleaned() -> None:
    assert jurisdictions("Commonwealth of Massachusetts") == {"massachusetts"}
    assert jurisdictions("England; Wales") == {"england", "wales"}
    assert governing_law_answers("Texas; Singapore; Belgium") == {"texas", "singapore", "belgium"}


def test_date_answers_are_read_part_by_part() -> None:
    assert parse_date_answer("6/21/1999") == (6, 21, 1999)
    assert parse_date_answer("[]/[]/2004") == (None, None, 2004)
    assert parse_date_answer("09/14/200[]") == (9, 14, None)
    assert parse_date_answer("07/31/2000; 07/[]/2000") == (7, 31, 2000)
    assert agreement_date_answer("07/31/2000; 07/[]/2000") == date(2000, 7, 31)
    assert agreement_date_answer("11/[]/2006") is None
    assert agreement_date_answer("2/30/2001") is None


def test_dates_compare_the_parts_cuad_gives() -> None:
    assert agreement_date_matches(date(1999, 6, 21), "6/21/1999")
    assert not agreement_date_matches(date(1999, 6, 20), "6/21/1999")
    assert agreement_date_matches(date(2004, 3, 9), "[]/[]/2004")
    assert agreement_date_matches(date(2006, 11, 30), "11/[]/2006")
    assert not agreement_date_matches(date(2005, 11, 30), "11/[]/2006")


def test_scores_keep_full_and_partial_dates_apart() -> None:
    scores = AnswerScores()
    scores.add_date("a", "6/21/1999", date(1999, 6, 21))  # full, right
    scores.add_date("b", "3/4/2001", date(2001, 3, 3))  # full, wrong
    scores.add_date("c", "[]/[]/2004", date(2004, 5, 1))  # partial, agrees
    scores.add_date("d", "11/[]/2006", None)  # partial, nothing extracted
    scores.add_date("e", "", date(2010, 1, 1))  # no answer: not scored
    scores.add_date("f", "[]/[]/[]", date(2010, 1, 1))  # no part given: not scored
    scores.add_date("g", "2/30/2001", date(2001, 3, 2))  # no calendar date: not scored
    figures = scores.figures()
    assert figures["agreement_date_scored"] == 2
    assert figures["agreement_date_correct"] == 1
    assert figures["agreement_date_accuracy"] == 0.5
    assert figures["agreement_date_partial"] == 2
    assert figures["agreement_date_partial_agreeing"] == 1
    assert figures["agreement_date_inclusive_scored"] == 4
    assert figures["agreement_date_inclusive_accuracy"] == 0.5
    assert len(scores.errors) == 2


def test_scores_skip_answers_without_a_jurisdiction() -> None:
    scores = AnswerScores()
    scores.add_law("a", "State of New York", "New York")
    scores.add_law("b", "Texas", "Delaware")
    scores.add_law("c", "[* * *]", "Delaware")
    scores.add_law("d", "", "Delaware")
    scores.add_law("e", "", None)
    figures = scores.figures()
    assert figures["governing_law_scored"] == 2
    assert figures["governing_law_accuracy"] == 0.5
    assert figures["governing_law_skipped"] == 1
    assert figures["governing_law_extra"] == 1


def test_no_figures_without_answers() -> None:
    figures = AnswerScores().figures()
    assert figures["governing_law_accuracy"] is None
    assert figures["agreement_date_accuracy"] is None
    assert figures["agreement_date_inclusive_accuracy"] is None
