"""A party's registration in brackets, then its street address, then its defined role: the
name is the one before the brackets, never the street ("2 Cathedral Square")."""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import PartyRole
from tests.layouts import FORMATS, rendered

from .helpers import present, present_in

PARTIES = "commercial.parties"

OPENING = (
    "This Schedule forms part of the Software Services Agreement between Lumenfield Systems "
    'Limited (company number 11223344), 2 Cathedral Square, Bristol BS1 5DD (the "Supplier") '
    'and Harrowgate Community Trust, 19 Ropewalk, Nottingham NG1 5DU (the "Client").'
)


def _names(parties: list[object] | None) -> dict[str, PartyRole]:
    return {party.name: party.role for party in parties or []}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (OPENING, "Lumenfield Systems Limited"),
        (
            "This Agreement is made between Quayline Software Ltd (company no. 08123456), 14 "
            'Harbour Road, Leith, Edinburgh EH6 6QB ("Quayline") and Greyfriars Housing '
            "Association Limited (registered society no. 2201R), 40 Marchmont Street, Edinburgh "
            'EH9 1HX ("the Client").',
            "Quayline Software Ltd",
        ),
    ],
)
def test_the_name_is_before_the_registration_not_the_street(text: str, name: str) -> None:
    names = _names(present(text, PARTIES))

    assert name in names
    assert not any(found[0].isdigit() or "Square" in found or "Road" in found for found in names)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_in_every_layout(output: OutputFormat) -> None:
    names = _names(present_in(rendered("# SCHEDULE 1\n" + OPENING + "\n", output), PARTIES))

    assert names == {
        "Lumenfield Systems Limited": PartyRole.PROVIDER,
        "Harrowgate Community Trust": PartyRole.CUSTOMER,
    }
