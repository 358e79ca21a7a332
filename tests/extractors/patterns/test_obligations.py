"""Obligations with a deadline: who must do what, by when."""

from __future__ import annotations

from datetime import date
from typing import Any

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
