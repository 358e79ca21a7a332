"""Payments promised free of withholding are no withholding tax.

"The Customer shall not deduct or withhold any tax", "without deduction or withholding",
"free of any withholding" deny that tax is withheld from the payment; a clause that grosses
the payment up when the law requires withholding ("If Customer is required by law to make any
deduction or withholding, it shall pay such additional amounts ...") still contemplates it.
"""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import FactStatus
from tests.layouts import FORMATS, rendered

from .helpers import present, present_in, status_of

WITHHOLDING = "tax.withholding_tax"


@pytest.mark.parametrize(
    "text",
    [
        "All payments shall be made without deduction or withholding for any taxes.",
        "The Customer shall not deduct or withhold any tax from payments to the Provider.",
        "Customer will not withhold any taxes from the fees.",
        "All amounts are payable in full, free of any withholding tax.",
        "Fees are payable free of any withholding or deduction on account of taxes.",
        "Customer will pay all invoices without any set-off, deduction or withholding on account "
        "of taxes.",
        "No tax shall be withheld from any payment under this Order Form.",
    ],
)
def test_payment_free_of_withholding_is_no_withholding(text: str) -> None:
    assert present(text, WITHHOLDING) is None
    assert status_of(text, WITHHOLDING) is FactStatus.EXCLUDED


@pytest.mark.parametrize(
    "text",
    [
        "If Customer is required by law to withhold taxes, Customer shall gross up the payment.",
        "If Customer is required by law to make any deduction or withholding of tax, it shall pay "
        "such additional amounts as ensure that Provider receives the amount it would have "
        "received without deduction or withholding.",
        "Payments shall be made without withholding of tax unless required by law, in which case "
        "Customer shall gross up the payment.",
        "All payments shall be made free of withholding tax except as required by applicable law.",
        "Where any payer is required by law to withhold tax from a payment, it may deduct the "
        "amount withheld.",
    ],
)
def test_withholding_the_law_requires_is_still_withholding(text: str) -> None:
    assert present(text, WITHHOLDING) is True


@pytest.mark.parametrize(
    "text",
    [
        "The Controller shall not withhold approval without good cause.",
        "Consent to assignment shall not be unreasonably withheld.",
    ],
)
def test_withheld_consent_is_no_tax_finding(text: str) -> None:
    assert status_of(text, WITHHOLDING) is None


ORDER = (
    "## 4. Fees and taxes\n"
    "4.1 Fees are exclusive of sales tax, which the Customer shall pay.\n"
    "4.2 The Customer shall not deduct or withhold any tax from payments to the Provider; all "
    "amounts are payable without deduction or withholding.\n"
    "## 5. Law\n"
    "5.1 This Order Form is governed by the laws of the State of New York.\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_denied_withholding_in_every_layout(output: OutputFormat) -> None:
    assert present_in(rendered(ORDER, output), WITHHOLDING) is None
