"""Numbers, dates, durations and money as contracts write them."""

from __future__ import annotations

import re
from datetime import date

import pytest

from extractors.patterns.dates import DURATION, find_dates, parse_duration
from extractors.patterns.money import find_amounts, iso_currency
from extractors.patterns.numbers import (
    NUMBER,
    PERCENT,
    parse_number,
    parse_percent,
    words_to_amount,
    words_to_number,
)

from .helpers import findings


@pytest.mark.parametrize("text", ["", "   ", "Section", "net", "N/A"])
def test_no_number_in_text_without_one(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thirty (30)", 30),
        ("Thirty (30)", 30),
        ("45", 45),
        ("one hundred twenty (120)", 120),
        ("seventy-two (72)", 72),
        ("forty five", 45),
        ("twelve", 12),
        ("1,250", 1250),
        ("seventeen", 17),
    ],
)
def test_numbers_written_in_words_and_figures(text: str, expected: float) -> None:
    match = re.search(NUMBER, text, re.IGNORECASE)
    assert match is not None
    assert parse_number(match.group(0)) == expected


def test_bracketed_figure_wins_over_the_words() -> None:
    # A typo in the words is common; the figure is what the parties checked.
    assert parse_number("thirty (31)") == 31


def test_words_to_number_refuses_other_words() -> None:
    assert words_to_number("thirty days") is None
    assert words_to_number("two hundred and five") == 205


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("five percent (5%)", 5),
        ("5%", 5),
        ("12.5 percent", 12.5),
        ("fifteen (15%) percent", 15),
        ("ten per cent", 10),
    ],
)
def test_percentages(text: str, expected: float) -> None:
    match = re.search(PERCENT, text, re.IGNORECASE)
    assert match is not None
    assert parse_percent(match.group(0)) == expected


@pytest.mark.parametrize("text", ["February 30, 2020", "13/45/2020", "the 32nd day of May, 2019"])
def test_impossible_dates_are_not_dates(text: str) -> None:
    assert list(find_dates(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("June 21, 1999", date(1999, 6, 21)),
        ("the 21st day of June, 1999", date(1999, 6, 21)),
        ("this 7t h day of April, 2020", date(2020, 4, 7)),
        ("1st  day of JUNE , 2006", date(2006, 6, 1)),
        ("21 June 1999", date(1999, 6, 21)),
        ("Sept. 3, 2004", date(2004, 9, 3)),
        ("2019-10-01", date(2019, 10, 1)),
        ("06/21/1999", date(1999, 6, 21)),
        ("21/06/1999", date(1999, 6, 21)),
        ("1/14/02", date(2002, 1, 14)),
        ("3-31-16", date(2016, 3, 31)),
    ],
)
def test_date_formats(text: str, expected: date) -> None:
    found = list(find_dates(text))
    assert [value for value, _, _ in found] == [expected]
    _, start, end = found[0]
    assert text[start:end].strip()


def test_section_numbers_and_money_are_not_dates() -> None:
    assert list(find_dates("Section 12.3.4 and $1,250.00 and version 2.0.1")) == []


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("thirty (30) days", 30, "day"),
        ("twelve (12) months", 12, "month"),
        ("one (1) year", 1, "year"),
        ("seventy-two (72) hours", 72, "hour"),
        ("five (5) business days", 5, "day"),
        ("twelve-month", 12, "month"),
    ],
)
def test_durations(text: str, value: float, unit: str) -> None:
    match = re.search(DURATION, text, re.IGNORECASE)
    assert match is not None
    duration = parse_duration(match.group(0))
    assert duration is not None
    assert (duration.value, duration.unit) == (value, unit)


def test_duration_conversions() -> None:
    duration = parse_duration("two (2) years")
    assert duration is not None
    assert duration.months() == 24
    assert duration.days() == 730
    days = parse_duration("ninety (90) days")
    assert days is not None
    assert days.months() is None


@pytest.mark.parametrize(
    "text", ["Section 30", "ABC 1,000", "in 2024 the parties", "version 3.5", ""]
)
def test_no_money_without_a_currency(text: str) -> None:
    assert list(find_amounts(text)) == []


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("USD 1,250,000.00", 1_250_000, "USD"),
        ("€50.000", 50_000, "EUR"),
        ("EUR 1.234,56", 1234.56, "EUR"),
        ("$1,000", 1000, "USD"),
        ("£2.5 million", 2_500_000, "GBP"),
        ("100,000 euros", 100_000, "EUR"),
        ("CHF 10'000.50", 10_000.5, "CHF"),
        ("1 250 000 USD", 1_250_000, "USD"),
        ("US$ 5,000,000", 5_000_000, "USD"),
        ("AUD 9,800.00", 9800, "AUD"),
        ("RMB 300,000", 300_000, "CNY"),
    ],
)
def test_amounts_and_currencies(text: str, amount: float, currency: str) -> None:
    money = next(amount.money for amount in find_amounts(f"a fee of {text} per year"))
    assert money.currency == currency
    assert money.amount == pytest.approx(amount)


def test_iso_currency_validates_codes() -> None:
    assert iso_currency("usd") == "USD"
    assert iso_currency("THB") == "THB"
    assert iso_currency("ABC") is None


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        # A code followed by a figure belongs to that figure, not to the number before it.
        ("Implementation package\t1\tUSD 8,000.00", [(8000.0, "USD")]),
        ("named users 120 EUR 96.00 per user per month", [(96.0, "EUR")]),
        ("a fee of 100 EUR.", [(100.0, "EUR")]),
        ("Total subscription fees: EUR\n648,000.00.", [(648000.0, "EUR")]),
        ("All prices in EUR\n2024 edition", []),
    ],
)
def test_which_figure_a_currency_code_belongs_to(
    text: str, amounts: list[tuple[float, str]]
) -> None:
    assert [(a.money.amount, a.money.currency) for a in find_amounts(text)] == amounts


def _billing_currencies(text: str) -> list[str] | None:
    fact = findings(text).get("commercial.currencies")
    return None if fact is None or not fact.is_present else sorted(fact.value or [])


def test_insurance_and_liability_amounts_are_not_billing_currencies() -> None:
    # A EUR deal with US-dollar insurance minimums and cap is billed in one currency; the
    # finance approval for several currencies must not fire on it.
    text = (
        "Subscription fees are EUR 120,000 per year. "
        "Provider shall maintain cyber liability insurance of at least USD 10,000,000 per claim. "
        "In no event shall either party's aggregate liability exceed USD 2,000,000."
    )
    assert _billing_currencies(text) == ["EUR"]


def test_a_stated_invoicing_currency_counts_without_an_amount() -> None:
    text = (
        "Fees are EUR 96.00 per user per month. "
        "The US affiliate is invoiced in USD at the reference rate on the invoice date."
    )
    assert _billing_currencies(text) == ["EUR", "USD"]


def test_incidental_amounts_alone_name_no_billing_currency() -> None:
    # An MSA whose only figure is an insurance minimum says nothing about billing; the
    # order form beside it does.
    text = "Provider shall maintain insurance of at least GBP 5,000,000 per claim."
    assert _billing_currencies(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("forty-eight thousand", 48_000),
        ("nine hundred thousand", 900_000),
        ("one million two hundred and fifty thousand", 1_250_000),
        ("seven thousand two hundred", 7_200),
        ("forty-eight thousand days", None),
    ],
)
def test_amounts_in_words(text: str, expected: int | None) -> None:
    assert words_to_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "quote", "amount"),
    [
        # The words belong to the figure in brackets, even across a PDF line break.
        (
            "fees of United States Dollars\n(US$900,000.00) per annum",
            "United States Dollars\n(US$900,000.00)",
            900_000,
        ),
        (
            "fees of forty-eight thousand US dollars (USD 48,000) per year",
            "forty-eight thousand US dollars (USD 48,000)",
            48_000,
        ),
        (
            "fees of forty-eight thousand US dollars per year",
            "forty-eight thousand US dollars",
            48_000,
        ),
    ],
)
def test_amounts_in_words_and_figures(text: str, quote: str, amount: float) -> None:
    found = list(find_amounts(text))
    assert [(text[a.start : a.end], a.money.amount, a.money.currency) for a in found] == [
        (quote, amount, "USD")
    ]
