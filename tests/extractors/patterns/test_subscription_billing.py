"""The subscription's billing, not that of services bought beside it.

"The full 24-month subscription total is invoiced on the subscription start date" bills the
subscription once, up front; "Implementation services ... (fixed fee, billed by milestone)"
and an SOW's fee "invoiced on the milestones below" say how the services are billed, which
does not outweigh what the order says of the subscription.
"""

from __future__ import annotations

from typing import Any

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import BillingFrequency, FactStatus
from extractors.patterns import PatternExtractor
from tests.layouts import FORMATS, rendered

from .helpers import findings

BILLING = "commercial.billing_frequency"


def _present(*pages: str) -> Any:
    fact = findings(*pages).get(BILLING)
    return fact.value if fact is not None and fact.status is FactStatus.PRESENT else None


@pytest.mark.parametrize(
    "text",
    [
        "The full 24-month subscription total is invoiced on the subscription start date and is "
        "due net 30.",
        "The entire subscription fee will be billed in full on the Effective Date.",
        "The total fees for the Subscription Term are invoiced upon signature of this Order Form.",
    ],
)
def test_the_whole_amount_billed_at_the_start_is_upfront(text: str) -> None:
    assert _present(text) is BillingFrequency.UPFRONT


ORDER = (
    "The full 24-month subscription total is invoiced on the subscription start date and is due "
    "net 30. Prices are Gantry's list prices.\n\n"
    "Implementation services are described in Statement of Work No. 1 (fixed fee, billed by "
    "milestone).\n"
)
SOW = (
    "3.1 The services are provided for a fixed fee of USD 24,000.00, invoiced on the milestones "
    "below. Each invoice is due net 30.\n"
)


def test_services_billed_by_milestone_do_not_outweigh_the_subscription() -> None:
    assert _present(ORDER, SOW) is BillingFrequency.UPFRONT


def test_services_billed_by_milestone_alone_still_say_milestone() -> None:
    assert _present(SOW) is BillingFrequency.MILESTONE


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_the_order_in_every_layout(output: OutputFormat) -> None:
    values = {
        finding.path: finding.fact.value
        for finding in PatternExtractor().extract(rendered(ORDER, output), [])
        if finding.fact.status is FactStatus.PRESENT
    }
    assert values.get(BILLING) is BillingFrequency.UPFRONT
