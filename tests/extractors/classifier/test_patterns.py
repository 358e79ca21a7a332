"""Hand-written cues: they fire on the phrasings they describe and map to the right unit."""

from __future__ import annotations

import numpy as np
import pytest

from extractors.classifier.patterns import CUE_NAMES, cue_matrix, lower_same_length


def test_no_units_gives_an_empty_matrix() -> None:
    assert cue_matrix("some text", []).shape == (0, len(CUE_NAMES))


def test_lower_case_keeps_offsets() -> None:
    text = "İstanbul ÀB Straße"
    lowered = lower_same_length(text)
    assert len(lowered) == len(text)
    assert lowered.endswith("àb straße")


@pytest.mark.parametrize(
    ("cue", "sentence"),
    [
        ("mfn", "Such prices shall be no less favorable than those granted to any other customer."),
        ("mfn", "Supplier grants Distributor most favored nation pricing."),
        ("mfn", "Distributor shall be treated no less favorably than any other distributor."),
        ("mfn", "Prices shall be no less favorable to Buyer than those offered to others."),
        ("source_code_escrow", "Licensor shall deposit the Source Code with an escrow agent."),
        ("third_party_beneficiary", "Parent is an intended third party beneficiary hereof."),
        (
            "third_party_beneficiary_denied",
            "There are no third party beneficiaries of this Agreement.",
        ),
        (
            "liquidated_damages",
            "The parties agree the sum is liquidated damages and not a penalty.",
        ),
        ("audit_rights", "Company may audit the books and records of Reseller."),
        ("price_restrictions", "Supplier shall not increase the prices during the first year."),
        ("price_restrictions", "Fees may be adjusted once per year, not to exceed 5% per year."),
        (
            "liquidated_damages_broad",
            "The defaulting Party shall pay a penalty equal to five times the fee.",
        ),
        ("exclusivity_denied", "Licensee receives a non-exclusive license."),
        ("mfn", "Such prices shall not be less favorable than those offered to any customer."),
        ("mfn", "Customer shall receive MFN treatment for all Products."),
        (
            "mfn_broad",
            "Pricing offered to any competitor shall not be better than that provided hereunder.",
        ),
        ("mfn_broad", "The rate shall be raised to the highest then-current rate paid to others."),
        ("price_restrictions", "Rates may not increase by more than ten percent (10%) per year."),
        ("price_restrictions", "Supplier may adjust the price not more often than once a year."),
        ("price_restrictions", "The fee for the Services shall not exceed $7,000 per year."),
        ("liquidated_damages", "The amount is a genuine pre-estimate of the loss suffered."),
        (
            "termination_for_convenience_for_cause",
            "Either party may terminate this Agreement upon a material breach by the other.",
        ),
        (
            "ip_ownership_assignment_retained",
            "Licensor retains all right, title and interest in the Software.",
        ),
        (
            "third_party_beneficiary_affirmed",
            "Franchisor is an intended third-party beneficiary of this Addendum.",
        ),
        (
            "third_party_beneficiary_affirmed",
            "There are no third party beneficiaries, except as provided in Section 8.",
        ),
    ],
)
def test_cue_fires_on_its_phrasing(cue: str, sentence: str) -> None:
    text = "This Agreement is made between the parties. " + sentence
    spans = [(0, 43), (44, len(text))]
    flags = cue_matrix(text, spans)
    column = CUE_NAMES.index(cue)
    assert flags[1, column] == 1.0
    assert flags[0, column] == 0.0


def test_interest_at_the_highest_lawful_rate_is_no_mfn_cue() -> None:
    text = "Late payments bear interest at the highest rate permitted by law."
    flags = cue_matrix(text, [(0, len(text))])
    assert flags[0, CUE_NAMES.index("mfn_broad")] == 0.0
    assert flags[0, CUE_NAMES.index("mfn")] == 0.0


def test_plain_boilerplate_fires_no_rare_cue() -> None:
    text = "This Agreement may be executed in counterparts, each of which is an original."
    flags = cue_matrix(text, [(0, len(text))])
    for cue in ("mfn", "price_restrictions", "liquidated_damages", "source_code_escrow"):
        assert flags[0, CUE_NAMES.index(cue)] == 0.0
    assert np.all((flags == 0.0) | (flags == 1.0))


def test_cues_match_across_line_breaks_and_runs_of_spaces() -> None:
    text = "Prices shall be no  less\nfavorable than those charged to any other\n  customer."
    flags = cue_matrix(text, [(0, len(text))])
    assert flags[0, CUE_NAMES.index("mfn")] == 1.0
    text = "payable at two per cent of Net Sales, and three percent thereafter"
    flags = cue_matrix(text, [(0, len(text))])
    assert flags[0, CUE_NAMES.index("revenue_profit_sharing")] == 1.0


def test_damages_kept_open_are_no_liquidated_damages_cue() -> None:
    kept = "Such payment is not in lieu of damages, which Licensor may also recover."
    fixed = "Such payment shall be made in lieu of damages for the delay."
    for text, expected in ((kept, 0.0), (fixed, 1.0)):
        flags = cue_matrix(text, [(0, len(text))])
        assert flags[0, CUE_NAMES.index("liquidated_damages")] == expected
