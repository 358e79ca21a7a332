"""The cue table: a sentence says an approval category's clause, or it does not count."""

from __future__ import annotations

import pytest

from extractors.classifier.categories import APPROVAL_KEYS
from extractors.classifier.evidence import CUES, is_gated, says_category

PRICE_ROW = "USD 7,200.00 per year Billing: annually in advance; invoices due net 30."


def test_every_approval_category_is_gated_and_no_other() -> None:
    assert set(CUES) == APPROVAL_KEYS
    assert not is_gated("insurance")
    assert says_category("insurance", PRICE_ROW)  # ungated categories pass as they are


@pytest.mark.parametrize("category", sorted(APPROVAL_KEYS))
def test_a_price_row_says_no_approval_clause(category: str) -> None:
    assert not says_category(category, PRICE_ROW)


@pytest.mark.parametrize(
    ("category", "sentence"),
    [
        (
            "revenue_profit_sharing",
            "Fjord shall pay the Customer twenty percent (20%) of the net revenue it receives.",
        ),
        ("revenue_profit_sharing", "Licensee shall pay a royalty on all units shipped."),
        (
            "mfn",
            "The fees charged to Bank will remain no less favorable than the fees charged to "
            "any other customer.",
        ),
        (
            "liquidated_damages",
            "Supplier shall pay EUR 2,500 for each business day of delay as liquidated damages.",
        ),
        ("minimum_commitment", "Customer commits to fees of not less than USD 750,000 a year."),
        (
            "termination_for_convenience",
            "Customer may terminate this Agreement for convenience on ninety days' notice.",
        ),
        ("source_code_escrow", "Supplier shall deposit the source code with the escrow agent."),
        (
            "uncapped_liability",
            "The limitations in Section 11.1 shall not apply to a party's indemnification "
            "obligations.",
        ),
    ],
)
def test_sentences_that_say_the_clause_count(category: str, sentence: str) -> None:
    assert says_category(category, sentence)


@pytest.mark.parametrize(
    ("category", "sentence"),
    [
        # A service credit, an uptime and a price cap are percentages of no revenue.
        (
            "revenue_profit_sharing",
            "Customer will receive a credit of 5% of the monthly subscription fee.",
        ),
        ("revenue_profit_sharing", "The Services will be available 99.9% of the time."),
        ("revenue_profit_sharing", "Signed: Dana Whitfield, Chief Revenue Officer"),
        ("mfn", "No most-favored-customer pricing or terms apply to this order."),
        (
            "termination_for_convenience",
            "Neither party may terminate these Terms or any Order Form for convenience.",
        ),
        (
            "termination_for_convenience",
            "Either party may terminate for material breach not cured within thirty (30) days "
            "of written notice.",
        ),
        (
            "source_code_escrow",
            "Pinecrest does not provide source code escrow, and Customer has no right to "
            "receive any source code.",
        ),
        (
            "audit_rights",
            "Customer shall not have audit rights with respect to Pinecrest's books.",
        ),
        (
            "minimum_commitment",
            "Maintenance windows are announced at least five (5) working days in advance.",
        ),
        (
            "ip_ownership_assignment",
            "All intellectual property rights in the Customer Data belong to the Customer.",
        ),
        (
            "exclusivity",
            "Nothing restricts either party from doing business with others, and no "
            "exclusivity applies.",
        ),
        (
            "price_restrictions",
            "Fees for any renewal term are not subject to any cap or price protection and "
            "will be at the list prices in effect at renewal.",
        ),
    ],
)
def test_denials_and_lookalikes_do_not_count(category: str, sentence: str) -> None:
    assert not says_category(category, sentence)


def test_a_prohibition_phrased_with_not_is_still_the_clause() -> None:
    assert says_category(
        "exclusivity",
        "Supplier shall not appoint any other exclusive distributor in the Territory.",
    )
    assert says_category(
        "non_compete", "Wattle must not provide any substantially similar service to a competitor."
    )


def test_a_service_credit_is_neither_a_revenue_share_nor_a_minimum_commitment() -> None:
    credit = (
        "5.2 Service Credits. If Ledgerly fails to meet the Availability Commitment, Ledgerly "
        "shall credit Bank ten percent (10%) of the monthly fees for each full 0.1% of "
        "shortfall, up to fifty percent (50%) of the monthly fees."
    )
    assert not says_category("revenue_profit_sharing", credit)
    assert not says_category("minimum_commitment", credit)
