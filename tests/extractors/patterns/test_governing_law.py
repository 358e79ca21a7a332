"""Governing law normalised to a canonical jurisdiction, and venue."""

from __future__ import annotations

import pytest

from extractors.patterns import governing_law
from extractors.patterns.places import find_places

from .helpers import findings, values, view


def _law(text: str) -> list[str]:
    return values(governing_law.extract(view(text)), "legal.governing_law")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Acme Corp., a corporation organized and existing under the laws of the State of Delaware.",
        "Each party shall comply with all applicable laws of the United States in performing this "
        "Agreement.",
        "Supplier is incorporated under the laws of England and Wales with company number 123456.",
        "The arbitration shall be conducted under the rules of the ICC in Paris.",
    ],
)
def test_no_governing_law_outside_a_choice_of_law(text: str) -> None:
    assert _law(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This Agreement shall be governed by and construed in accordance with the laws of the "
            "State of New York, without regard to its conflict of laws principles.",
            "New York",
        ),
        (
            "THIS AGREEMENT SHALL BE GOVERNED IN ALL RESPECTS BY THE LAWS OF THE STATE OF DELAWARE "
            "APPLICABLE TO CONTRACTS EXECUTED WHOLLY WITHIN SUCH STATE.",
            "Delaware",
        ),
        (
            "This Agreement is governed by English law and the parties submit to the exclusive "
            "jurisdiction of the English courts.",
            "England and Wales",
        ),
        (
            "This Agreement shall be governed by and be construed in accordance with the laws of "
            "the "
            "Province of Ontario and the federal laws of Canada applicable therein.",
            "Ontario",
        ),
        (
            "This Distributor Agreement shall be exclusively governed by the laws of the United "
            "States "
            "of America and of the State of Texas.",
            "Texas",
        ),
        (
            "The validity and interpretation of this Agreement shall be governed by the laws and\n"
            "judicial decisions of the Commonwealth of Virginia.",
            "Virginia",
        ),
        ("Governing Law: England & Wales", "England and Wales"),
        (
            "This Agreement shall be governed by the laws of the People's Republic of China.",
            "China",
        ),
        (
            "The laws of the State of California shall govern all issues arising under this "
            "Agreement.",
            "California",
        ),
    ],
)
def test_choice_of_law_in_varied_wording(text: str, expected: str) -> None:
    assert _law(text)[0] == expected


def test_incorporation_in_the_preamble_does_not_beat_the_clause() -> None:
    facts = findings(
        "This Agreement is made between Acme, Inc., a corporation organized under the laws of the "
        'State of Delaware ("Provider"), and Beta LLC ("Customer").\n\n'
        "12. Governing Law. This Agreement shall be governed by the laws of the State of New York."
    )
    assert facts["legal.governing_law"].value == "New York"


def test_governed_by_in_another_context_is_not_the_choice_of_law() -> None:
    # "governed by" the Order Form, not by a law: no jurisdiction to read.
    assert (
        _law("Each Order Form is governed by the terms of this Agreement and its exhibits.") == []
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("State of New York", "New York"),
        ("Ontario, Canada", "Ontario"),
        ("Province of Ontario, Canada", "Ontario"),
        ("England; Wales", "England and Wales"),
        ("England, United Kingdom; Wales, United Kingdom", "England and Wales"),
        ("People's Republic of China", "China"),
        ("Massachussets", "Massachusetts"),
        ("[* * *]", None),
    ],
)
def test_places_are_named_however_written(answer: str, expected: str | None) -> None:
    found = [place.name for place, _, _ in find_places(answer)]
    assert (found[0] if found else None) == expected


def test_venue_names_the_courts_place() -> None:
    hits = governing_law.extract(
        view(
            "This Agreement is governed by the laws of the State of Delaware. The state and "
            "federal "
            "courts located in Wilmington, Delaware shall have exclusive jurisdiction over any "
            "dispute."
        )
    )
    assert values(hits, "legal.venue") == ["Wilmington, Delaware"]


@pytest.mark.parametrize(
    "text",
    [
        "Customer may bring claims in any court of competent jurisdiction.",
        "The arbitration shall be conducted in English.",
    ],
)
def test_no_venue_without_a_place(text: str) -> None:
    assert values(governing_law.extract(view(text)), "legal.venue") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The state and federal courts located in Wilmington,\nDelaware shall have exclusive "
            "jurisdiction over any dispute.",
            "Wilmington, Delaware",
        ),
        (
            "The exclusive place of jurisdiction for all disputes arising from this Agreement is "
            "Munich, Germany.",
            "Munich, Germany",
        ),
        (
            "Any dispute will be resolved by binding arbitration administered by the American "
            "Arbitration Association in New York, New York.",
            "New York, New York",
        ),
        (
            "Any dispute shall be finally resolved by arbitration administered by the Singapore "
            "International Arbitration Centre, seated in Singapore.",
            "Singapore",
        ),
        (
            "Oslo District\nCourt (Oslo tingrett) is the agreed venue for any dispute.",
            "Oslo",
        ),
    ],
)
def test_venue_in_more_wordings(text: str, expected: str) -> None:
    assert values(governing_law.extract(view(text)), "legal.venue") == [expected]
