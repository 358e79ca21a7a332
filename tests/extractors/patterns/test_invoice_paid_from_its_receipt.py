"""Payment terms counted from the invoice's own receipt or date.

"Each invoice shall be paid within thirty (30) days of its receipt": the invoice is the
subject, and "its receipt" is the invoice's; a payment "within 30 days of its receipt of the
Product" counts from something else.
"""

from __future__ import annotations

from typing import Any

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import FactStatus
from extractors.patterns import PatternExtractor
from tests.layouts import FORMATS, rendered

from .helpers import findings

PAYMENT = "commercial.payment_terms_days"


def _present(text: str) -> Any:
    fact = findings(text).get(PAYMENT)
    return fact.value if fact is not None and fact.status is FactStatus.PRESENT else None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (
            "6. Payment. Each invoice shall be paid within thirty (30) days of its receipt, by "
            "bank transfer in Brazilian reais.",
            30,
        ),
        ("Invoices are payable within 45 days of their date.", 45),
        ("Invoices will be settled within fifteen (15) days following their issue.", 15),
    ],
)
def test_an_invoice_paid_within_days_of_its_receipt(text: str, days: int) -> None:
    assert _present(text) == days


def test_a_period_from_the_receipt_of_something_else_is_no_payment_term() -> None:
    assert _present("Licensee shall pay within 30 days of its receipt of the Product.") is None


BILINGUAL = (
    "| Português | English |\n"
    "|---|---|\n"
    "| **6. Pagamento.** Cada fatura será paga em até 30 (trinta) dias de seu recebimento, por "
    "transferência bancária em reais. | **6. Payment.** Each invoice shall be paid within thirty "
    "(30) days of its receipt, by bank transfer in Brazilian reais. |\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_bilingual_payment_clause_in_every_layout(output: OutputFormat) -> None:
    values = {
        finding.path: finding.fact.value
        for finding in PatternExtractor().extract(rendered(BILINGUAL, output), [])
        if finding.fact.status is FactStatus.PRESENT
    }
    assert values.get(PAYMENT) == 30
