"""Splitting a Markdown or DOCX table row into its cells, as every table reader does."""

from __future__ import annotations

import pytest

from extractors.patterns.tables import is_delimited, split_cells


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Markdown: the outer pipes go, the spaces around inner pipes go with them, the outer
        # cells keep the spaces next to the dropped pipes.
        ("| Plan | Seats |", [" Plan", "Seats "]),
        ("|Plan|Seats|", ["Plan", "Seats"]),
        ("  | Plan | Seats |  ", [" Plan", "Seats "]),
        ("Plan | Seats", ["Plan", "Seats"]),
        # DOCX: tabs, with or without spaces beside them.
        ("Plan\tSeats\tFee", ["Plan", "Seats", "Fee"]),
        ("Plan \t Seats", ["Plan", "Seats"]),
        ("\tPlan\tSeats\t", ["Plan", "Seats"]),
        # Blank cells stay, so columns keep their places.
        ("| | Total | 100 |", ["", "Total", "100 "]),
        ("Plan||Seats", ["Plan", "", "Seats"]),
        # Tabs count as the spaces around a separator: a run of them is one separator.
        ("Plan\t\tSeats", ["Plan", "Seats"]),
        ("Plan |\t| Seats", ["Plan", "", "Seats"]),
        ("|Plan|Seats||", ["Plan", "Seats"]),
        # A tab just inside an outer pipe separates an empty cell.
        ("|\tPlan|Seats|", ["", "Plan", "Seats"]),
        # Pipes and tabs in one row both separate.
        ("Plan | Seats\tFee", ["Plan", "Seats", "Fee"]),
        # Runs of spaces and dot leaders do not: that is ``tables.cells``.
        ("Plan    Seats", ["Plan    Seats"]),
        ("Platform ....... USD 48,000.00", ["Platform ....... USD 48,000.00"]),
        ("", [""]),
        ("|", [""]),
    ],
)
def test_split_cells(line: str, expected: list[str]) -> None:
    assert split_cells(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # The whitespace inside the outer pipes is padding, not an empty cell.
        ("|\tPlan|Seats|", ["Plan", "Seats"]),
        ("| Plan | Seats |", ["Plan", "Seats"]),
        ("|Plan|Seats\t|", ["Plan", "Seats"]),
        # An empty first cell between two pipes stays.
        ("| | Total | 100 |", ["", "Total", "100"]),
        ("Plan\tSeats", ["Plan", "Seats"]),
    ],
)
def test_split_cells_trim_inside(line: str, expected: list[str]) -> None:
    assert split_cells(line, trim_inside=True) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("| Plan | Seats |", True),
        ("Plan\tSeats", True),
        ("Plan|Seats", True),
        ("Plan    Seats", False),
        ("Platform ....... USD 48,000.00", False),
        ("", False),
    ],
)
def test_is_delimited(line: str, expected: bool) -> None:
    assert is_delimited(line) is expected
