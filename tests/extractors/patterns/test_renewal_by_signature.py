"""A term that goes on only by a document signed for it does not renew by itself.

"The subscription ends at the end of the 24-month term unless the parties sign a renewal
order": renewing takes a new signature, so there is no automatic renewal; a term that ends
"unless either party gives notice of non-renewal" renews by itself.
"""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import FactStatus
from extractors.patterns import PatternExtractor
from tests.layouts import FORMATS, rendered

from .helpers import findings

RENEWAL = "commercial.auto_renewal"


def _status(text: str) -> FactStatus | None:
    fact = findings(text).get(RENEWAL)
    return fact.status if fact is not None else None


@pytest.mark.parametrize(
    "text",
    [
        "- The subscription ends at the end of the 24-month term unless the parties sign a "
        "renewal order.",
        "This Agreement expires on 31 December 2026 unless the parties execute a written "
        "extension.",
        "The Order Form shall expire at the end of the Term unless the parties sign an extension.",
    ],
)
def test_renewing_by_a_signed_document_is_no_automatic_renewal(text: str) -> None:
    assert _status(text) is FactStatus.EXCLUDED


@pytest.mark.parametrize(
    "text",
    [
        "This Agreement expires at the end of the Initial Term unless either party gives notice "
        "of non-renewal, and otherwise renews for successive one-year terms.",
        "The subscription renews automatically for 12 months unless either party gives 30 days "
        "notice.",
    ],
)
def test_renewal_unless_notice_is_still_automatic(text: str) -> None:
    assert _status(text) is FactStatus.PRESENT


ORDER = (
    "## Term\n"
    "- The subscription ends at the end of the 24-month term unless the parties sign a renewal "
    "order.\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_the_order_in_every_layout(output: OutputFormat) -> None:
    statuses = {
        finding.path: finding.fact.status
        for finding in PatternExtractor().extract(rendered(ORDER, output), [])
    }
    assert statuses.get(RENEWAL) is FactStatus.EXCLUDED
