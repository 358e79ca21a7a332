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
        (
            "uncapped_liability",
            "Provider's indemnification obligations shall not be subject to the limitation of "
            "liability in Section 8.",
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
        # An indemnity "subject to" the cap is capped.
        (
            "uncapped_liability",
            "Pinecrest will defend Customer against third-party claims and pay resulting "
            "damages, subject to Section 8.",
        ),
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


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        # A transfer of rights in what the work produces.
        (
            "Contractor hereby assigns to Company all right, title and interest in the "
            "Deliverables.",
            True,
        ),
        (
            "All inventions conceived or reduced to practice by Consultant in performing the "
            "Services shall be the sole property of Client.",
            True,
        ),
        ("Any Improvements made by Licensee shall be owned by Licensor.", True),
        (
            "All work product created under a Statement of Work shall vest in Customer upon "
            "payment.",
            True,
        ),
        ("The Software is a work made for hire for Company.", True),
        (
            "Distributor hereby irrevocably assigns to Manufacturer all of its rights in the "
            "Trademarks.",
            True,
        ),
        # A party owning what was its own: its data, its pre-existing IP, its platform.
        (
            "4.1 The Customer shall own all rights, title and interest in and to all of the "
            "Customer Data.",
            False,
        ),
        (
            "Each party retains ownership of its pre-existing intellectual property and any "
            "improvements to it.",
            False,
        ),
        (
            "The Supplier and its licensors own all intellectual property rights in the "
            "Services and the Documentation.",
            False,
        ),
        (
            "VerticalNet owns and shall continue to own the domain name and the URL used in "
            "connection with the VerticalNet Auction.",
            False,
        ),
        ("All such titles and notices must be reproduced on all permitted copies.", False),
        # An assignment of the contract is no assignment of intellectual property.
        (
            "Either party may assign its rights and obligations under this Agreement to an "
            "Affiliate.",
            False,
        ),
        (
            "8.1 Neither party may assign, transfer or sub-contract any of its rights or "
            "obligations under this agreement without the prior written consent of the other "
            "party.",
            False,
        ),
    ],
)
def test_ip_assignment_needs_rights_in_work_product_to_pass(sentence: str, says: bool) -> None:
    assert says_category("ip_ownership_assignment", sentence) is says


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        ("Either party may terminate this Agreement without cause on 60 days' notice.", True),
        (
            "Customer may terminate this Agreement at any time upon thirty (30) days' written "
            "notice to Provider.",
            True,
        ),
        ("Client may terminate an Order Form for any reason by giving 90 days' notice.", True),
        (
            "Either party may terminate this Agreement on ninety days' written notice, with or "
            "without cause, and either party may terminate it at once for a material breach.",
            True,
        ),
        # Termination for a breach or insolvency, however it is given, is for cause.
        (
            "6.2 Without affecting any other right or remedy available to it, either party may "
            "terminate this agreement with immediate effect by giving written notice to the other "
            "party if the other party commits a material breach of any term of this agreement "
            "which is irremediable or (if such breach is remediable) fails to remedy that breach "
            "within a period of thirty (30) days after being notified in writing to do so.",
            False,
        ),
        (
            "Either party may terminate this Agreement by notice in writing if the other party "
            "becomes insolvent, has a receiver appointed or makes an arrangement with its "
            "creditors.",
            False,
        ),
        (
            "Licensor may, at its option, terminate this Agreement upon written notice if "
            "Licensee fails to pay any amount when due.",
            False,
        ),
        # A notice not to renew is no termination for convenience.
        (
            "This agreement shall be automatically renewed for successive periods of twelve "
            "(12) months, unless either party notifies the other party of termination, in "
            "writing, at least sixty (60) days before the end of the Initial Subscription Term.",
            False,
        ),
    ],
)
def test_termination_for_convenience_needs_termination_without_cause(
    sentence: str, says: bool
) -> None:
    assert says_category("termination_for_convenience", sentence) is says


@pytest.mark.parametrize(
    "sentence",
    [
        # A cue inside the denial that opens the sentence hides none after it.
        "To the extent that the Company IP does not vest automatically in the Company the "
        "Executive hereby assigns all right, title and interest in the Company IP to the Company.",
        "The Licensee hereby assigns any rights it may have as a result of its licensed use, "
        "including common law rights, in the Licensed Mark, to Licensor.",
        "Any and all web pages used by Contractor, and all associated Proprietary Rights, shall be "
        "owned exclusively by the Company.",
        "The item so tested, and all associated formulae, plans, and materials, will become our "
        "property.",
    ],
)
def test_transfers_of_rights_worded_many_ways_count(sentence: str) -> None:
    assert says_category("ip_ownership_assignment", sentence)
