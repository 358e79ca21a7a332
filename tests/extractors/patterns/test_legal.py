"""Liability cap values, carve-outs, indemnities, convenience termination, warranty, non-solicit."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.facts import LiabilityCap, Money, PartyRole
from extractors.patterns import legal

from .helpers import docx_view, values, view

_PARTIES = (
    'This Agreement is between Acme Cloud, Inc. ("Provider") and Beta Stores LLC ("Customer").\n\n'
)


def _values(text: str, path: str) -> list[Any]:
    return values(legal.extract(view(_PARTIES + text)), path)


def test_no_cap_in_an_exclusion_of_consequential_damages() -> None:
    text = (
        "IN NO EVENT SHALL EITHER PARTY HAVE ANY LIABILITY FOR LOST PROFITS OR CONSEQUENTIAL "
        "DAMAGES."
    )
    assert _values(text, "legal.liability_cap") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Each party's aggregate liability shall not exceed the fees paid in the twelve (12) "
            "months "
            "preceding the claim.",
            LiabilityCap(months_of_fees=12),
        ),
        (
            "Each party's aggregate liability shall not exceed two times (2x) the total annual "
            "fees payable.",
            LiabilityCap(fees_multiple=2),
        ),
        (
            "Provider's liability is limited to 1.5x fees paid under this Agreement.",
            LiabilityCap(fees_multiple=1.5),
        ),
        (
            "Supplier's total liability shall not exceed the greater of USD 1,000,000 and twelve "
            "(12) "
            "months of fees.",
            LiabilityCap(amount=Money(amount=1_000_000, currency="USD"), months_of_fees=12),
        ),
        (
            "In no event shall Provider's liability exceed the amounts actually paid by Customer "
            "hereunder.",
            LiabilityCap(fees_multiple=1),
        ),
    ],
)
def test_liability_cap_shapes(text: str, expected: LiabilityCap) -> None:
    assert _values(text, "legal.liability_cap")[0] == expected


def test_carve_outs_and_unlimited_indemnity() -> None:
    text = (
        "The limitations in Sections 11.1 and 11.2 shall not apply to (a) a party's obligations "
        "under "
        "Section 10 (Indemnification), (b) a party's breach of Section 7 (Confidentiality), or (c) "
        "Customer's obligation to pay fees due."
    )
    assert _values(text, "legal.uncapped_carve_outs") == [
        ["indemnification obligations", "breach of confidentiality", "payment of fees"]
    ]
    assert _values(text, "legal.unlimited_indemnity") == [True]


def test_carve_outs_through_a_defined_term() -> None:
    text = (
        "11.1 Except for Excluded Matters, each party's total liability shall not exceed USD "
        "10,000,000.\n"
        '11.2 "Excluded Matters" means (a) a party\'s gross negligence, willful misconduct or '
        "fraud."
    )
    labels = _values(text, "legal.uncapped_carve_outs")[0]
    assert {"gross negligence", "willful misconduct", "fraud"} <= set(labels)


def test_indemnities_by_whom() -> None:
    text = (
        "Provider will defend Customer against any claim alleging that the Services infringe a "
        "third "
        "party's intellectual property rights. Customer shall indemnify Provider against claims "
        "arising "
        "from Customer Data."
    )
    indemnities = _values(text, "legal.indemnities")
    assert [item.by for item in indemnities] == [PartyRole.PROVIDER, PartyRole.CUSTOMER]
    assert "infringe" in indemnities[0].scope


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Customer may terminate this Agreement for convenience upon thirty (30) days' notice.",
            [PartyRole.CUSTOMER],
        ),
        (
            "Either party may terminate this Agreement without cause on 90 days' written notice.",
            [PartyRole.CUSTOMER, PartyRole.PROVIDER],
        ),
        (
            "Provider may, at its sole discretion, terminate any Order Form for any reason.",
            [PartyRole.PROVIDER],
        ),
    ],
)
def test_termination_for_convenience_by_whom(text: str, expected: list[PartyRole]) -> None:
    assert _values(text, "legal.termination_for_convenience_by") == [expected]


def test_no_termination_for_convenience_when_it_is_denied() -> None:
    text = "Customer may not terminate this Agreement for convenience."
    assert _values(text, "legal.termination_for_convenience_by") == []


@pytest.mark.parametrize(
    ("text", "months"),
    [
        (
            "Provider warrants the Software will conform to the Documentation for a period of "
            "ninety (90) days from delivery.",
            3,
        ),
        ("The warranty period shall be twelve (12) months.", 12),
        (
            "Customer must report any breach of this warranty within ninety (90) days after the "
            "services are performed.",
            3,
        ),
        ("Provider offers a one (1) year limited warranty on the hardware.", 12),
    ],
)
def test_warranty_months(text: str, months: int) -> None:
    assert _values(text, "legal.warranty_duration_months")[0] == months


def test_warranty_without_a_period_has_no_months() -> None:
    text = (
        "If Provider cannot correct a breach of this warranty within thirty (30) days, Customer "
        "may terminate."
    )
    assert _values(text, "legal.warranty_duration_months") == []


def test_non_solicit() -> None:
    text = (
        "During the term and for twelve (12) months thereafter, neither party shall solicit for "
        "employment any employee of the other party."
    )
    assert _values(text, "legal.non_solicit") == [True]
    assert (
        _values("Provider shall not use subcontractors without consent.", "legal.non_solicit") == []
    )


@pytest.mark.parametrize(
    "text",
    [
        "Each party's total liability shall not exceed the fees paid in the prior twelve months.",
        "Provider guarantees that the Services will perform materially as described.",
        "Nothing in this Agreement limits Customer's right to terminate for material breach.",
        "This Section does not limit Customer's right to terminate for material breach.",
        "Provider shall not limit access to the Service during the term.",
    ],
)
def test_no_carve_outs_without_an_uncapped_liability(text: str) -> None:
    assert _values(text, "legal.uncapped_carve_outs") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Nothing in this Agreement limits or excludes the liability of either party for death "
            "or personal injury caused by its negligence, or for fraud or fraudulent "
            "misrepresentation.",
            {"bodily injury or death", "fraud"},
        ),
        (
            "Nothing limits liability for death or personal injury caused by negligence or for "
            "fraud.",
            {"bodily injury or death", "fraud"},
        ),
        (
            "Nothing in these Terms of Service excludes either party's liability for fraud.",
            {"fraud"},
        ),
        (
            "Provider is liable without limitation for damage caused intentionally or by gross "
            "negligence, for damage resulting from injury to life, body or health, under the "
            "Product Liability Act, and to the extent Provider has given a guarantee.",
            {
                "wilful misconduct",
                "gross negligence",
                "injury to life, body or health",
                "product liability act",
                "guarantee",
            },
        ),
        (
            "Except for breach of Section 5 (Exclusivity), Section 6 (Non-Competition) or a "
            "party's confidentiality obligations, each party's total liability under this "
            "Agreement will not exceed the fees paid in the prior twelve months.",
            {"breach of exclusivity", "breach of non-competition", "confidentiality obligations"},
        ),
        (
            "The limitation in Section 9.1 does not apply to (a) Provider's liability arising "
            "from a Security Breach, which shall be unlimited; (b) breach of Section 8 "
            "(Confidentiality and Data Protection); or (c) fraud.",
            {"security breach", "breach of confidentiality and data protection", "fraud"},
        ),
        # A provision that does not limit liability for what it names: the cap's own section
        # named as the subject instead of "nothing".
        (
            "Section 2.1 does not limit liability for fraud, gross negligence or wilful "
            "misconduct.",
            {"fraud", "gross negligence", "wilful misconduct"},
        ),
        (
            "The cap in clause 12.2 shall not limit or exclude either party's liability for death "
            "or personal injury.",
            {"bodily injury or death"},
        ),
        (
            "These limits do not restrict the Supplier's liability for breach of confidentiality.",
            {"breach of confidentiality"},
        ),
        (
            "EXCEPT IN THE EVENT OF A BREACH OF SECTION 8 (CONFIDENTIALITY) OR FOR A PARTY'S "
            "OBLIGATIONS UNDER SECTION 9 (INDEMNITY), IN NO EVENT SHALL EITHER PARTY'S TOTAL "
            "LIABILITY EXCEED THE FEES PAID IN THE PRIOR TWELVE MONTHS.",
            {"breach of confidentiality", "indemnification obligations"},
        ),
    ],
)
def test_carve_outs_in_the_clauses_own_words(text: str, expected: set[str]) -> None:
    assert set(_values(text, "legal.uncapped_carve_outs")[0]) == expected


def test_an_enumerated_indemnity_gives_one_scope_per_item() -> None:
    text = (
        "Provider shall defend, indemnify and hold harmless Customer from any losses arising "
        "from third-party claims (a) that the Services infringe any patent or copyright; (b) "
        "arising from any unauthorized access to Customer Data; or (c) arising from Provider's "
        "violation of applicable law."
    )
    scopes = [item.scope for item in _values(text, "legal.indemnities")]
    assert len(scopes) == 3
    assert scopes[0].startswith("intellectual property infringement: ")
    assert "unauthorized access to Customer Data" in scopes[1]
    assert "violation of applicable law" in scopes[2]


def test_an_indemnity_read_across_a_page_break_without_its_furniture() -> None:
    header = "ACME CLOUD - MASTER AGREEMENT"
    text = (
        f"{header}\n1. Intro.\n\nProvider shall defend Customer against any claim alleging that "
        f"the Services\nPage 2 of 5\n\n{header}\ninfringe a third party's patent, and pay the "
        "damages finally awarded."
    )
    indemnities = _values(text, "legal.indemnities")
    assert len(indemnities) == 1
    scope = indemnities[0].scope
    assert "infringe a third party's patent" in scope
    assert "Page 2" not in scope and header not in scope and "damages" not in scope


@pytest.mark.parametrize(
    "text",
    [
        "Supplier shall pay Customer, as liquidated damages, USD 500 for each day of delay.",
        "The parties agree that liquidated damages in the amount of $10,000 shall be payable.",
        "Distributor shall pay liquidated damages equal to the fees for the remaining term.",
        "Such liquidated damages are a reasonable estimate of the loss and not a penalty.",
        # CUAD counts a fee for ending the contract early as liquidated damages.
        "Licensee will have the option at any time to buy out this Agreement.",
        "The acquired party may make a contract buyout payment of $250,000.",
        "The Construction Cost Reimbursement shall be deemed liquidated damages.",
        "Nothing in this Section limits any right of ACSI to receive liquidated damages.",
        "If the Company terminates this Agreement, it shall pay to HDI a termination payment.",
        "If BNL terminates early it shall pay to VIP a cancellation fee equal to the Minimum Fee.",
        "Consultant shall receive a termination fee equal to twelve months compensation.",
        "The Sender agrees to pay Ecopetrol as a penalty an amount equal to ten percent.",
        "On termination in the first year, the following payment penalties shall apply.",
        # A denial of something else earlier in the sentence does not deny the fee.
        "If the Consultant's services are terminated without cause within twelve months of a "
        "Change of Control, the Consultant shall receive a termination fee of $50,000.",
        "CHT may terminate this Agreement, without prejudice to any other remedy, at any time "
        "without cause, subject to payment of a termination fee set out in Schedule 6.",
        "In the event of termination and without limitation of Fox's rights, the following "
        "payment penalties shall apply.",
        "Inktomi may elect either of the following two options for an early termination penalty.",
        # A sum fixed for breaking a promise; the section number does not end the sentence.
        "In the event that a Party solicits and then hires an employee of the other Party in "
        "violation of this Section 14.4 (Non-Solicit), the hiring Party shall, within thirty "
        "days of such hire, pay the other Party an amount equal to the employee's salary.",
        "In case of violation of this article, the Party shall pay to the other Party an "
        "equivalent of eighteen (18) months gross salary of the respective employee.",
        "Dova shall make payments to Valeant equal to half of the amounts that would have been "
        "payable pursuant to Section 6.1 had the Agreement not been so terminated.",
    ],
)
def test_liquidated_damages_that_are_awarded(text: str) -> None:
    assert values(legal.extract(view(text)), "legal.liquidated_damages") == [True]


@pytest.mark.parametrize(
    "text",
    [
        # Excluding a kind of damages from liability awards none.
        "In no event shall either party be liable for indirect, special or liquidated damages.",
        "Liquidated damages shall not apply to this Order Form.",
        "The lessee may buy out the equipment at the end of the lease term.",
        "Customer may terminate for convenience without any obligation to pay a termination fee.",
        "EMV shall have no obligation to pay cancellation charges for such cancellations.",
        "IBM shall not be entitled to recover the early termination charges.",
        "Either party may terminate this Agreement without penalty on thirty days notice.",
        "Either party may terminate this Agreement with no early termination penalty.",
        # A third party's penalties passed on, and charges for cancelled orders, end no contract.
        "Company shall reimburse Contractor for any losses (including cancellation penalties) "
        "that Contractor may sustain.",
        "Upon payment of the cancellation charges, all work-in-process shall become EMV's.",
        "In the event of a breach, neither party shall be required to pay a penalty.",
        "If Customer breaches this Agreement, Customer shall pay all fees then due.",
        "No amounts that would have been payable had the Agreement not been terminated are due.",
    ],
)
def test_no_liquidated_damages_where_none_are_awarded(text: str) -> None:
    assert values(legal.extract(view(text)), "legal.liquidated_damages") == []


@pytest.mark.parametrize(
    "text",
    [
        "Licensor will direct the Escrow Agent to release to Licensee all Deposit Materials.",
        "Upon a Release Condition, Customer may use the Source Code to support the Software.",
        "Any of the following events shall be Release Conditions for the Source Code: "
        "(a) Supplier ceases to support the Software.",
        "8.0 SOURCE CODE CUSTODY. Supplier shall deliver the Source Code with each release.",
        "Vendor shall deposit the Source Code into escrow within thirty days.",
    ],
)
def test_source_code_escrow_in_its_own_words(text: str) -> None:
    assert values(legal.extract(view(text)), "legal.source_code_escrow") == [True]


@pytest.mark.parametrize(
    "text",
    [
        # Escrow of money, and escrow ruled out, are not a source-code escrow.
        "The Purchase Price shall be paid to the Escrow Agent, who shall release it at Closing.",
        "Provider has no obligation to deposit source code into escrow.",
        "No source code custody or escrow arrangement is provided under this Agreement.",
        "The Source Code is Provider's confidential information.",
    ],
)
def test_no_source_code_escrow_where_none_is_set_up(text: str) -> None:
    assert values(legal.extract(view(text)), "legal.source_code_escrow") == []


@pytest.mark.parametrize(
    "text",
    [
        "Each Indemnified Party is an intended third-party beneficiary of this Section 9.",
        "The Licensor's Affiliates shall be express third party beneficiaries of Section 4.",
        "The underwriters are deemed third party beneficiaries of Sections 6.8 and 6.10.",
        "Changepoint, Inc. shall be a direct and intended third-party beneficiary to this "
        "Agreement.",
        # The sentence denies rights to everyone else before it names the beneficiaries.
        # The English form under the Contracts (Rights of Third Parties) Act.
        "Except that each Customer Group Company may enforce clause 12 (Indemnities) in its own "
        "right, a person who is not a party to this Agreement shall not have any rights under "
        "the Contracts (Rights of Third Parties) Act 1999.",
        "This Agreement does not and is not intended to confer any rights upon any person other "
        "than the Parties, except that it is expressly agreed that Team and SCSA are intended "
        "third party beneficiaries of Section 8.",
    ],
)
def test_a_named_third_party_beneficiary(text: str) -> None:
    assert values(legal.extract(view(text)), "legal.third_party_beneficiary") == [True]


@pytest.mark.parametrize(
    "text",
    [
        # The usual denial names nobody: the negation reader records it as excluded.
        "No person other than the parties is a third party beneficiary of this Agreement.",
        "Nothing herein shall cause any person to be deemed a third-party beneficiary.",
        "The Distributor shall not be deemed an intended third party beneficiary.",
        "There are no third party beneficiaries to this Agreement.",
        "Nothing in this Agreement, express or implied, confers any rights upon any person other "
        "than the parties, and no person shall be a third party beneficiary of it.",
    ],
)
def test_no_third_party_beneficiary_in_a_denial(text: str) -> None:
    assert values(legal.extract(view(text)), "legal.third_party_beneficiary") == []


@pytest.mark.parametrize(
    "text",
    [
        "4.4 Transition Assistance. Upon expiration or termination for any reason, Atlas shall "
        "provide transition assistance for up to ninety (90) days.",
        "On exit, the Supplier shall provide the exit assistance set out in Schedule 7.",
        "Upon termination, Customer may export its data for thirty (30) days.",
        "Within thirty (30) days after the end of a subscription, Customer may download its data "
        "using the export tools in the Service.",
        "After termination, Provider shall, at the Customer's request, provide the Customer's "
        "data in a common machine-readable format.",
    ],
)
def test_services_owed_after_the_agreement_ends(text: str) -> None:
    assert set(values(legal.extract(view(text)), "legal.post_termination_services")) == {True}


@pytest.mark.parametrize(
    "text",
    [
        # A separate transition-services agreement is named, not services owed after this one.
        "In the event of a conflict with the Transition Services Agreement, the latter governs.",
        "Upon termination, Provider shall have no obligation to provide transition assistance.",
        "Upon termination, Customer's right to use the Services ends.",
    ],
)
def test_no_post_termination_services_where_none_are_owed(text: str) -> None:
    assert values(legal.extract(view(text)), "legal.post_termination_services") == []


# An exception attached to a cap sentence, before or after the cap verb.
_STANDARD = {"fraud", "gross negligence", "willful misconduct"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Except for a party's fraud, gross negligence or willful misconduct, each party's "
            "aggregate liability arising out of these Terms is limited to the fees paid or "
            "payable by Customer in the twelve (12) months before the event giving rise to the "
            "claim.",
            _STANDARD,
        ),
        (
            "Each party's liability is limited to the fees paid in the preceding twelve months, "
            "except for its fraud, gross negligence or willful misconduct.",
            _STANDARD,
        ),
        # PDF-wrapped: the exception starts on the next line.
        (
            "Each party's liability is limited\nto the fees paid in the preceding twelve months, "
            "except for its fraud, gross\nnegligence or willful misconduct.",
            _STANDARD,
        ),
        (
            "5. Limitation of liability. Except for a party's fraud, gross negligence or willful\n"
            "misconduct, each party's aggregate liability arising out of these Terms is limited "
            "to\nthe fees paid or payable by Customer in the twelve (12) months before the event.",
            _STANDARD,
        ),
        (
            "Each party's total liability will not exceed the fees paid in the prior twelve "
            "months, excluding liability for death or bodily injury and for fraud.",
            {"bodily injury or death", "fraud"},
        ),
        (
            "Other than for a breach of its confidentiality obligations, Provider will not be "
            "liable for more than the fees paid under this Agreement.",
            {"confidentiality obligations"},
        ),
        (
            "Save in respect of fraud, each party's liability under this Agreement is capped at "
            "USD 500,000.",
            {"fraud"},
        ),
        (
            "Provider's aggregate liability shall be capped at the fees paid in the prior twelve "
            "(12) months, save for liability arising from its indemnification obligations.",
            {"indemnification obligations"},
        ),
        (
            "Each party's liability shall in no event exceed USD 1,000,000, other than liability "
            "for gross negligence or wilful misconduct.",
            {"gross negligence", "wilful misconduct"},
        ),
        # What the cap is measured by is not an exception to it.
        (
            "Save in the event of gross negligence or willful misconduct, the liability of the "
            "Carrier shall not exceed twenty five percent (25%) of the value that the Shipper is "
            "obliged to indemnify under Section 11.",
            {"gross negligence", "willful misconduct"},
        ),
        # The exception's items on the lines below it.
        (
            "9.1 Each party's liability is limited to the fees paid in the prior twelve months, "
            "except for:\n(a) fraud; and\n(b) gross negligence.\n9.2 Customer shall indemnify "
            "Provider against third-party claims.\n",
            {"fraud", "gross negligence"},
        ),
    ],
)
def test_an_exception_to_the_cap_in_either_order(text: str, expected: set[str]) -> None:
    assert set(_values(text, "legal.uncapped_carve_outs")[0]) == expected


def test_an_exception_after_the_cap_in_a_table_cell() -> None:
    text = (
        "Liability\tEach party's liability is limited to the fees paid in the preceding twelve "
        "months, except for its fraud or gross negligence.\n"
        "Governing law\tDelaware\n"
    )
    found = values(legal.extract(docx_view(_PARTIES + text)), "legal.uncapped_carve_outs")
    assert set(found[0]) == {"fraud", "gross negligence"}


@pytest.mark.parametrize(
    "text",
    [
        # An exception that names nothing left uncapped.
        "Each party's liability is limited to the fees paid in the preceding twelve months, "
        "except as otherwise agreed in an Order Form.",
        # The cap names the confidentiality claim; the exception is something else.
        "Liability for breach of confidentiality is limited to USD 1,000,000, except as set out "
        "in Section 9.",
        # An exception to the exclusion of indirect damages, not to a cap.
        "In no event shall either party be liable for indirect or consequential damages, except "
        "for breach of its confidentiality obligations.",
        # No liability in the sentence: fees, not a cap.
        "The fees for each Order Form are limited to the amounts set out in it, except for fees "
        "for professional services performed on a time-and-materials basis.",
    ],
)
def test_no_carve_outs_from_a_look_alike_exception(text: str) -> None:
    assert _values(text, "legal.uncapped_carve_outs") == []


# "Nothing ... limits ... liability for:" and its items on the lines that follow; the clause
# ends at the next clause of the parent level or a heading, whatever that clause names.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "7. Limitation of liability\n"
            "7.1 Nothing in this agreement limits or excludes the liability of either party for:\n"
            "7.1.1 death or personal injury caused by its negligence; or\n"
            "7.1.2 fraud or fraudulent misrepresentation.\n"
            "7.2 Subject to clause 7.1, neither party shall be liable for any loss of profits, or "
            "for any breach of confidentiality or infringement of intellectual property rights.\n"
            "7.3 Subject to clause 7.1, each party's total aggregate liability shall be limited "
            "to the total Charges paid during the twelve (12) months preceding the claim.\n",
            {"bodily injury or death", "fraud"},
        ),
        # Items wrapped over lines, then an unnumbered paragraph of the parent clause.
        (
            "Nothing in these Terms excludes or limits either party's liability for:\n"
            "(a) death or personal injury resulting from\n"
            "its negligence;\n"
            "(b) fraud; or\n"
            "(c) any other liability which cannot be limited by law.\n"
            "In all other cases, a party's liability for any breach of its confidentiality "
            "obligations is limited to the fees paid.\n",
            {"bodily injury or death", "fraud"},
        ),
        (
            "Nothing in this Agreement shall limit either party's liability for:\n"
            "(i) gross negligence or wilful misconduct;\n"
            "(ii) fraud.\n"
            "INDEMNIFICATION\n"
            "Provider shall indemnify Customer against third-party claims.\n",
            {"gross negligence", "wilful misconduct", "fraud"},
        ),
        (
            "Nothing in this Agreement limits or excludes liability for:\n"
            "• death or personal injury caused by negligence;\n"
            "• fraud or fraudulent misrepresentation.\n"
            "\n"
            "Customer's obligations to pay the fees survive termination.\n",
            {"bodily injury or death", "fraud"},
        ),
        # Markdown list with blank lines between the items.
        (
            "Nothing in this Agreement limits either party's liability for:\n\n"
            "- fraud;\n\n"
            "- gross negligence.\n\n"
            "## 8. Indemnities\n\n"
            "Provider shall indemnify Customer against third-party claims.\n",
            {"fraud", "gross negligence"},
        ),
        # Sub-paragraphs as a DOCX gives them: one paragraph a line.
        (
            "7.1\tNothing in this agreement limits or excludes the liability of either party "
            "for:\n"
            "7.1.1\tdeath or personal injury caused by its negligence; or\n"
            "7.1.2\tfraud or fraudulent misrepresentation.\n"
            "7.2\tSubject to clause 7.1, neither party shall be liable for any breach of "
            "confidentiality.\n",
            {"bodily injury or death", "fraud"},
        ),
        # A cap that does not apply to an inline list stays as it was read.
        (
            "6.2 Where the cap does not apply. The cap in Section 6.1 shall not apply to (i) "
            "liability for death or bodily injury caused by a party's negligence; (ii) a party's "
            "fraud or fraudulent misrepresentation; or (iii) damages caused by a party's gross "
            "negligence or willful misconduct.\n"
            "6.3 No indirect damages. Neither party will be liable for lost profits.",
            {"bodily injury or death", "fraud", "gross negligence", "willful misconduct"},
        ),
    ],
)
def test_a_nothing_limits_lead_reads_the_items_below_it(text: str, expected: set[str]) -> None:
    assert set(_values(text, "legal.uncapped_carve_outs")[0]) == expected


def test_a_nothing_limits_list_in_a_docx() -> None:
    text = (
        "7.1\tNothing in this agreement limits or excludes the liability of either party for:\n"
        "7.1.1\tdeath or personal injury caused by its negligence; or\n"
        "7.1.2\tfraud or fraudulent misrepresentation.\n"
        "7.2\tSubject to clause 7.1, neither party shall be liable for any breach of "
        "confidentiality.\n"
    )
    found = values(legal.extract(docx_view(_PARTIES + text)), "legal.uncapped_carve_outs")
    assert set(found[0]) == {"bodily injury or death", "fraud"}
