"""Obligations with a deadline: who must do what, by when."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from extractors.facts import PartyRole
from extractors.patterns import obligations

from .helpers import view

_PARTIES = (
    'This Agreement is between Acme Cloud, Inc. ("Acme") and Beta Stores LLC ("Customer").\n\n'
)


def _obligations(text: str) -> list[Any]:
    return [hit.value for hit in obligations.extract(view(_PARTIES + text))]


def test_undated_duties_are_not_obligations() -> None:
    assert (
        _obligations("Acme shall use commercially reasonable efforts to maintain the Services.")
        == []
    )
    assert (
        _obligations("Customer shall not reverse engineer the Services within its premises.") == []
    )


def test_relative_deadline() -> None:
    found = _obligations(
        "Acme will delete Customer Data from its production systems within sixty (60) days after "
        "termination."
    )
    assert len(found) == 1
    obligation = found[0]
    assert obligation.party is PartyRole.PROVIDER
    assert obligation.action.startswith("delete Customer Data")
    assert "sixty (60) days after termination" in obligation.due_relative
    assert obligation.recurring is False


def test_dated_deadline() -> None:
    found = _obligations(
        "Customer shall deliver a complete extract of the legacy database by April 1, 2024."
    )
    assert [(o.party, o.due_date) for o in found] == [(PartyRole.CUSTOMER, date(2024, 4, 1))]


def test_recurring_obligation() -> None:
    found = _obligations(
        "Acme will provide a weekly written status report every Friday until Go-Live."
    )
    assert [o.recurring for o in found] == [True]


def test_each_invoice_is_recurring_and_the_last_time_phrase_is_the_deadline() -> None:
    found = _obligations(
        "Customer shall pay each undisputed invoice within forty-five (45) days after receipt."
    )
    assert [(o.party, o.recurring) for o in found] == [(PartyRole.CUSTOMER, True)]
    report = _obligations(
        "Acme will provide a weekly written status report every Friday until Go-Live."
    )
    assert report[0].action == "provide a weekly written status report"


@pytest.mark.parametrize(
    "text",
    [
        # Definitions and recitals.
        '"Security Incident" means any breach that Acme shall report within 24 hours.',
        "WHEREAS Customer shall pay the fees within thirty (30) days of the invoice date;",
        # Rights, billing mechanics, remedies and service levels.
        "Customer will receive a credit of 5% of the monthly fee for each hour of downtime.",
        "Acme will invoice Customer annually in advance.",
        "Acme shall credit Customer ten percent (10%) of the monthly fees within 30 days.",
        "Acme will make the Services available 99.9% of the time in each calendar month.",
        "Acme shall respond to Severity 1 incidents within fifteen (15) minutes.",
        "Customer will have ten (10) business days after delivery to accept each deliverable.",
        # A continuing duty without a deadline to act on.
        "Acme shall maintain cyber insurance during the term and for three (3) years after.",
        # "daily" names the kind of file, not when anything is due.
        "Acme will build an integration for daily payment files.",
    ],
)
def test_definitions_rights_and_service_levels_are_not_obligations(text: str) -> None:
    assert _obligations(text) == []


def test_enumerated_duties_are_each_an_obligation() -> None:
    found = _obligations(
        "Customer will (a) provide administrator credentials for its CRM sandbox within five (5) "
        "business days after the kickoff meeting; (b) deliver a complete extract of the legacy "
        "database no later than April 1, 2024; and (c) make a project sponsor available for a "
        "weekly status meeting throughout the project."
    )
    assert [(o.party, o.action.split()[0], o.due_date) for o in found] == [
        (PartyRole.CUSTOMER, "provide", None),
        (PartyRole.CUSTOMER, "deliver", date(2024, 4, 1)),
    ]
    assert "five (5) business days after the kickoff meeting" in (found[0].due_relative or "")


def test_a_deadline_before_the_subject_counts() -> None:
    found = _obligations(
        "For thirty (30) days after termination, Acme will make Customer Data available to "
        "Customer for export."
    )
    assert len(found) == 1
    assert found[0].action.startswith("make Customer Data available")
    assert (found[0].due_relative or "").startswith("For thirty (30) days after termination")


def test_filler_between_the_act_and_its_deadline_is_dropped() -> None:
    found = _obligations(
        "Acme shall notify Customer of any Security Incident without undue delay, and in any "
        "event within forty-eight (48) hours of becoming aware of it."
    )
    assert [o.action for o in found] == ["notify Customer of any Security Incident"]


def test_notice_in_advance_keeps_what_the_notice_is_about() -> None:
    found = _obligations(
        "Acme will give Customer at least thirty (30) days' notice of any new sub-processor, and "
        "Customer may object on reasonable grounds."
    )
    assert [o.action for o in found] == ["give Customer notice of any new sub-processor"]
    assert found[0].due_relative == "at least thirty (30) days before"


def test_of_joined_acts_the_one_with_a_firm_deadline_and_its_rhythm() -> None:
    found = _obligations(
        "Acme shall undergo a SOC 2 Type II examination each year and shall deliver a copy of "
        "the report to Customer within thirty (30) days of its issuance."
    )
    assert [(o.action, o.recurring) for o in found] == [
        ("deliver a copy of the report to Customer", True)
    ]
    later = _obligations(
        "Acme shall notify Customer of any Security Incident within twenty-four (24) hours after "
        "discovery, and shall provide written updates at least every forty-eight (48) hours."
    )
    assert [(o.action, o.recurring) for o in later] == [
        ("notify Customer of any Security Incident", False)
    ]


def test_an_abbreviation_does_not_end_the_act() -> None:
    found = _obligations(
        "Acme shall deposit the source code with Iron Vault Escrow, Inc. under a three-party "
        "escrow agreement within thirty (30) days after the Effective Date, and shall update "
        "the deposit within thirty (30) days after each major release."
    )
    assert [(o.action.split()[0], o.recurring) for o in found] == [
        ("deposit", False),
        ("update", True),
    ]


def test_payment_stated_without_a_subject_is_the_customers_duty() -> None:
    found = _obligations("Each invoice is payable within forty-five (45) days of the invoice date.")
    assert [(o.party, o.action, o.recurring) for o in found] == [
        (PartyRole.CUSTOMER, "pay invoices", True)
    ]
    assert _obligations("Payment is due net 30.")[0].due_relative == "net 30"


def test_a_party_named_by_a_word_of_its_name() -> None:
    text = (
        "Customer: Riverbend Unified School District\n\n"
        "The district will provide API credentials within three (3) business days of kickoff."
    )
    found = [hit.value for hit in obligations.extract(view(text))]
    assert [(o.party, o.action) for o in found] == [(PartyRole.CUSTOMER, "provide API credentials")]
