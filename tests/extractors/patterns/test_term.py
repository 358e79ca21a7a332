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
        "DISTRIBUTION AGREEMENT\n\nWHEREAS, the parties entered into that certain Supply Agreement "
        "dated January 22, 2007, as amended;\n\n" + "The parties agree as follows. " * 40 + "\n\n"
        "IN WITNESS WHEREOF, the parties have signed this Agreement.\nDate: August 4, 2010\nDate: "
        "August 3, 2010"
    )
    assert findings(text)["commercial.agreement_date"].value == date(2010, 8, 4)


def test_an_amendment_dates_the_agreement_it_amends_not_itself() -> None:
    text = (
        "AMENDMENT NO. 2\n\nWHEREAS, the parties entered into that certain Supply Agreement dated "
        "January 22, 2007, as amended;\n\n" + "The parties agree to amend Section 4. " * 40 + "\n\n"
        "IN WITNESS WHEREOF, the parties have signed this Amendment.\nDate: August 4, 2010\nDate: "
        "August 3, 2010"
    )
    assert findings(text)["commercial.agreement_date"].value == date(2007, 1, 22)


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


@pytest.mark.parametrize(
    "text",
    [
        # The amendment dates only itself; the agreement it amends is not dated.
        "AMENDMENT 1 TO ORDER FORM OF-7\n\nThis Amendment is dated 2 March 2026 between Acme Ltd "
        'and Beta Inc. The parties amend Order Form OF-7 (the "Order Form") with effect from '
        "1 April 2026 as follows.",
        "SECOND AMENDMENT\n\nThis Second Amendment is made on May 5, 2023 by Acme and Beta, who "
        "agree that Section 4 of the Agreement is replaced.\n\nSignatures\nDate: May 6, 2023",
    ],
)
def test_an_amendment_never_reports_its_own_date_as_the_agreement_date(text: str) -> None:
    facts = findings(text)
    assert "commercial.agreement_date" not in facts
    assert "commercial.effective_date" not in facts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "AMENDMENT NO. 1 TO THE MASTER SERVICES AGREEMENT\n\nThis Amendment No. 1 is dated "
            "14 January 2025 and made between Quarry Ltd and Thistle plc.\n\nBACKGROUND: The "
            'parties entered into a master services agreement dated 3 June 2024 (the "Agreement").',
            date(2024, 6, 3),
        ),
        (
            "Amendment No. 3\n\nThis Amendment is made on November 20, 2025 between Vantage, Inc. "
            "and Copper Inc., and amends the Subscription Agreement between them dated "
            "January 1, 2023. The escrow agreement dated February 1, 2023 is terminated.",
            date(2023, 1, 1),
        ),
    ],
)
def test_an_amendment_reports_the_date_of_the_agreement_it_amends(
    text: str, expected: date
) -> None:
    assert findings(text)["commercial.agreement_date"].value == expected


def test_an_order_form_signed_only_takes_the_date_of_its_master_agreement() -> None:
    text = (
        "ORDER FORM SCF-01\nUnder the Master Services Agreement dated 20 November 2024 between "
        "Wattle Pty Ltd and Freight Pty Ltd.\n\nSubscription fees are billed monthly.\n\n"
        "Signatures\nWattle Pty Ltd: Liam Tran, Director, 20 November 2024\n"
        "Freight Pty Ltd: Grace Pappas, CEO, 21 November 2024\n"
    )
    assert findings(text)["commercial.agreement_date"].value == date(2024, 11, 20)


def test_an_order_form_with_its_own_date_keeps_it() -> None:
    text = (
        "RENEWAL ORDER R-7\nDate: 12 May 2025\n\nThis Renewal Order is made under the "
        "Subscription Agreement dated 1 June 2022 between the parties."
    )
    assert findings(text)["commercial.agreement_date"].value == date(2025, 5, 12)


@pytest.mark.parametrize(
    "text",
    [
        "This Agreement begins on the Effective Date and continues for three (3) years. It then "
        "renews automatically for successive one-year periods unless either party objects.",
        "The initial term is thirty-six (36) months. Thereafter the Agreement is extended "
        "automatically by twelve (12) months at a time.",
    ],
)
def test_renewal_term_comes_from_the_renewal_wording_not_the_initial_term(text: str) -> None:
    facts = findings(text)
    assert facts["commercial.renewal_term_months"].value == 12
    assert facts["commercial.term_months"].value == 36


def test_no_renewal_term_without_renewal_wording() -> None:
    text = "This Agreement continues for three (3) years from the Effective Date."
    assert values(term.extract(view(text)), "commercial.renewal_term_months") == []


@pytest.mark.parametrize(
    "text",
    [
        "Subscriptions do not renew automatically.",
        "Any renewal of the Services after 31 December 2028 requires a new order.",
        "At the end of the renewal term the subscription ends unless the parties agree in "
        "writing; it does not renew automatically.",
    ],
)
def test_more_wordings_of_no_auto_renewal(text: str) -> None:
    fact = findings(text)["commercial.auto_renewal"]
    assert fact.status is FactStatus.EXCLUDED


def test_a_notice_that_a_party_will_not_renew_is_part_of_an_automatic_renewal() -> None:
    text = (
        "This Agreement renews automatically for successive 12-month periods unless either party "
        "gives notice that it will not renew."
    )
    fact = findings(text)["commercial.auto_renewal"]
    assert fact.status is FactStatus.PRESENT


def test_a_deadline_to_agree_a_renewal_is_not_a_non_renewal_notice() -> None:
    text = (
        "This Agreement shall not renew automatically. Any renewal shall require a written "
        "amendment signed by both parties at least ninety (90) days before the end of the term."
    )
    assert values(term.extract(view(text)), "commercial.non_renewal_notice_days") == []


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (
            "The Agreement is extended automatically by twelve (12) months unless terminated by "
            "either party with three (3) months' notice to the end of the respective term.",
            90,
        ),
        (
            "This Agreement shall automatically continue for successive periods of twelve (12) "
            "months unless either party gives not less than six (6) months' written notice of "
            "termination to expire at the end of the then-current Renewal Period.",
            180,
        ),
    ],
)
def test_notice_to_the_end_of_a_renewing_term(text: str, days: int) -> None:
    assert values(term.extract(view(text)), "commercial.non_renewal_notice_days") == [days]


def test_a_term_field_whose_separator_the_pdf_lost() -> None:
    text = (
        "Order Date February 10, 2025\nInitial Term Twenty-four (24) months from the Start Date\n"
    )
    assert values(term.extract(view(text)), "commercial.term_months") == [24]


def test_a_plan_that_renews_every_month_runs_month_to_month() -> None:
    text = "Your subscription starts on September 12, 2024 and renews automatically every month."
    assert values(term.extract(view(text)), "commercial.term_months") == [1]
    stated = "The initial term is twelve (12) months. Thereafter it renews every month."
    assert values(term.extract(view(stated)), "commercial.term_months") == [12]


def test_a_renewal_order_running_between_two_dates() -> None:
    text = "The renewal term runs for twenty-four (24) months from 1 June 2025 to 31 May 2027."
    hits = term.extract(view(text))
    assert values(hits, "commercial.term_months") == [24]
    assert values(hits, "commercial.expiration_date") == [date(2027, 5, 31)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Subscription term: April 1, 2025 to March 31, 2026 (12 months)", date(2025, 4, 1)),
        ("The Services start on 1 January 2026 and end on 31 December 2028.", date(2026, 1, 1)),
    ],
)
def test_effective_date_from_the_start_of_the_term(text: str, expected: date) -> None:
    assert findings(text)["commercial.effective_date"].value == expected


def test_an_amendment_mentioned_in_the_first_sentence_is_not_the_documents_kind() -> None:
    text = (
        "EXHIBIT 99.1 JOINT FILING AGREEMENT The undersigned hereby agree that the statement, "
        "and any amendment thereto, is filed on behalf of each of them. This Agreement is dated "
        "April 8, 2020."
    )
    assert findings(text)["commercial.agreement_date"].value == date(2020, 4, 8)


def test_an_amendment_whose_title_runs_into_its_first_sentence() -> None:
    text = (
        "SECOND AMENDMENT TO SERVICES AGREEMENT This SECOND AMENDMENT TO SERVICES AGREEMENT, "
        'dated and effective as of March 1, 2016 (this "Second Amendment"), is made between '
        "Northfield Investment Management Company and Harbor Data Services, Inc., and amends "
        "the Services Agreement between them dated January 1, 2004."
    )
    assert findings(text)["commercial.agreement_date"].value == date(2004, 1, 1)


def test_a_renewal_said_with_a_participle_is_automatic() -> None:
    text = (
        "The subscription starts on 1 January 2027 and runs for twelve (12) months, renewing "
        "for successive twelve-month periods unless either party gives 30 days' notice."
    )
    facts = findings(text)
    assert facts["commercial.auto_renewal"].value is True
    assert facts["commercial.renewal_term_months"].value == 12
