"""Agreement, effective and expiration dates; term, renewal and non-renewal notice."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.facts import FactStatus
from extractors.patterns import term

from .helpers import findings, values, view


def test_no_dates_in_an_undated_text() -> None:
    assert term.extract(view("The parties agree as follows.")) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This Master Subscription Agreement is entered into as of March 1, 2024 by and between "
            "A and B.",
            date(2024, 3, 1),
        ),
        (
            "THIS AGREEMENT is made this 21st day of June, 1999, by and between Acme and Beta.",
            date(1999, 6, 21),
        ),
        ("This Statement of Work is dated 4 March 2024.", date(2024, 3, 4)),
        ("Agreement Date: 2025-01-15\nCustomer: Beta Ltd", date(2025, 1, 15)),
    ],
)
def test_agreement_date_from_the_opening(text: str, expected: date) -> None:
    assert findings(text)["commercial.agreement_date"].value == expected


def test_recital_dates_of_other_agreements_lose_to_the_signature() -> None:
    text = (
        "AMENDMENT NO. 2\n\nWHEREAS, the parties entered into that certain Supply Agreement dated "
        "January 22, 2007, as amended;\n\n" + "The parties agree to amend Section 4. " * 40 + "\n\n"
        "IN WITNESS WHEREOF, the parties have signed this Amendment.\nDate: August 4, 2010\nDate: "
        "August 3, 2010"
    )
    assert findings(text)["commercial.agreement_date"].value == date(2010, 8, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'This Agreement is entered into as of March 1, 2024 (the "Effective Date").',
            date(2024, 3, 1),
        ),
        ("This Agreement enters into force on 1 April 2024.", date(2024, 4, 1)),
        ("| Service Start Date | March 1, 2025 |", date(2025, 3, 1)),
        ('"Commencement Date" means 1 July 2024.', date(2024, 7, 1)),
    ],
)
def test_effective_date(text: str, expected: date) -> None:
    assert values(term.extract(view(text)), "commercial.effective_date")[0] == expected


def test_term_expiration_and_renewal() -> None:
    text = (
        "| Subscription Term | 36 months (March 1, 2024 through February 28, 2027) |\n\n"
        "Subscriptions automatically renew for successive renewal terms of twelve (12) months each "
        "unless either party gives the other written notice of non-renewal at least sixty (60) "
        "days "
        "before the end of the then-current term."
    )
    facts = findings(text)
    assert facts["commercial.term_months"].value == 36
    assert facts["commercial.expiration_date"].value == date(2027, 2, 28)
    assert facts["commercial.auto_renewal"].value is True
    assert facts["commercial.renewal_term_months"].value == 12
    assert facts["commercial.non_renewal_notice_days"].value == 60


def test_initial_term_in_years() -> None:
    text = "The initial term of this Agreement shall be three (3) years from the Effective Date."
    assert values(term.extract(view(text)), "commercial.term_months") == [36]


def test_monthly_renewal() -> None:
    text = "Your plan renews automatically each month until you cancel it."
    assert values(term.extract(view(text)), "commercial.renewal_term_months") == [1]


@pytest.mark.parametrize(
    "text",
    [
        "This Agreement shall not renew automatically.",
        "The Subscription Term will not automatically renew; any renewal requires a new Order "
        "Form.",
        "Auto-renewal: No",
    ],
)
def test_explicitly_no_auto_renewal_is_excluded(text: str) -> None:
    fact = findings(text)["commercial.auto_renewal"]
    assert fact.status is FactStatus.EXCLUDED
    assert fact.value is False


def test_notice_period_needs_a_renewal_context() -> None:
    text = "Customer must give at least thirty (30) days' notice prior to the end of any pilot."
    assert values(term.extract(view(text)), "commercial.non_renewal_notice_days") == []


def test_term_from_a_date_range() -> None:
    text = "Subscription term: April 1, 2025 to March 31, 2026"
    hits = term.extract(view(text))
    assert values(hits, "commercial.term_months") == [12]
    assert values(hits, "commercial.expiration_date") == [date(2026, 3, 31)]


def test_term_from_runs_for_despite_a_later_renewal() -> None:
    text = (
        "The subscription runs for twelve (12) months from 2 May 2025 and renews automatically "
        "for further twelve-month periods."
    )
    facts = findings(text)
    assert facts["commercial.term_months"].value == 12
    assert facts["commercial.effective_date"].value == date(2025, 5, 2)
    assert facts["commercial.renewal_term_months"].value == 12
