"""The term named in a field beside other fields, and numeric dates read in the document's order.

A PDF puts two fields of a key-value table on one line ("Subscription start 01-Oct-2025
Subscription term 12 months"), and Markdown bolds a field inside a line of fields ("**Subscription
term:** 24 months"). A document whose numeric dates are written day first ("15-07-2025") writes
"01-08-2025" day first too.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import FactStatus
from extractors.patterns import PatternExtractor
from tests.layouts import FORMATS, rendered

from .helpers import present


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Subscription start 01-Oct-2025 Subscription term 12 months\nPlan Professional", 12),
        (
            "**Order date:** August 4, 2025 · **Subscription start:** September 1, 2025 · "
            "**Subscription term:** 24 months · **Plan:** Growth",
            24,
        ),
        ("Order date 2 September 2025 Initial Term 36 months", 36),
        ("__Contract term:__ 12 months", 12),
    ],
)
def test_a_term_field_beside_other_fields(text: str, months: int) -> None:
    assert present(text, "commercial.term_months") == months


@pytest.mark.parametrize(
    "text",
    [
        "the subscription term 12 months later ends",
        "Customer may extend the initial term 12 months before it ends.",
    ],
)
def test_a_term_in_running_text_is_no_field(text: str) -> None:
    assert present(text, "commercial.term_months") is None


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Order date 15-07-2025\nSubscription Start Date 01-08-2025\n", datetime.date(2025, 8, 1)),
        ("Order date: 22.09.2025\nStart date: 01.10.2025\n", datetime.date(2025, 10, 1)),
        # Month first where a date says so, and where none decides.
        ("Order date 07/15/2025\nStart Date 01/08/2025\n", datetime.date(2025, 1, 8)),
        ("Start Date 01/08/2025\n", datetime.date(2025, 1, 8)),
    ],
)
def test_numeric_dates_in_the_documents_order(text: str, start: datetime.date) -> None:
    assert present(text, "commercial.effective_date") == start


FIELDS = (
    "# Quote Q-00418-3\n"
    "| Field | Value | Field | Value |\n"
    "|---|---|---|---|\n"
    "| Quote date | 12-Sep-2025 | Prepared by | Priya Raman |\n"
    "| Subscription start | 01-Oct-2025 | Subscription term | 12 months |\n"
    "| Plan | Professional | Billing | Annual in advance |\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_term_in_a_two_column_field_table_in_every_layout(output: OutputFormat) -> None:
    document = rendered(FIELDS, output)
    values = {
        finding.path: finding.fact.value
        for finding in PatternExtractor().extract(document, [])
        if finding.fact.status is FactStatus.PRESENT
    }
    assert values.get("commercial.term_months") == 12


# ---- parties named in capitals inside a clause -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "provider", "customer"),
    [
        (
            "1. Parties. PROVIDER: Lumiar Systems, Inc., a Delaware corporation with its principal "
            "office at 1450 Brickell Avenue, Miami, Florida 33131, USA. CUSTOMER: Transportadora "
            "Ipê Amarelo Ltda., a Brazilian limited liability company, São Paulo/SP, Brazil.",
            ("Lumiar Systems, Inc.", "US"),
            ("Transportadora Ipê Amarelo Ltda.", "BR"),
        ),
        (
            "Parties. SUPPLIER: Halden Cloud AS, Oslo, Norway; CLIENT: Fjellvang Foods AB, "
            "Göteborg, Sweden.",
            ("Halden Cloud AS", "NO"),
            ("Fjellvang Foods AB", "SE"),
        ),
    ],
)
def test_parties_named_in_capitals_inside_a_clause(
    text: str, provider: tuple[str, str], customer: tuple[str, str]
) -> None:
    parties = {(p.name, p.country, p.role.value) for p in present(text, "commercial.parties") or []}
    assert (*provider, "provider") in parties
    assert (*customer, "customer") in parties


BILINGUAL = (
    "# Pedido de Assinatura / Subscription Order\n"
    "| Português | English |\n"
    "|---|---|\n"
    "| **1. Partes.** CONTRATADA: Lumiar Systems, Inc., sociedade constituída no Estado de "
    "Delaware, EUA. CONTRATANTE: Transportadora Ipê Amarelo Ltda., sociedade limitada, São "
    "Paulo/SP, Brasil. | **1. Parties.** PROVIDER: Lumiar Systems, Inc., a Delaware corporation "
    "with its principal office at 1450 Brickell Avenue, Miami, Florida 33131, USA. CUSTOMER: "
    "Transportadora Ipê Amarelo Ltda., a Brazilian limited liability company, São Paulo/SP, "
    "Brazil. |\n"
)


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_parties_of_a_bilingual_two_column_order_in_every_layout(output: OutputFormat) -> None:
    document = rendered(BILINGUAL, output)
    parties: list[Any] = next(
        (
            finding.fact.value or []
            for finding in PatternExtractor().extract(document, [])
            if finding.path == "commercial.parties"
        ),
        [],
    )
    roles = {party.name: party.role.value for party in parties}
    assert roles.get("Lumiar Systems, Inc.") == "provider"
    assert roles.get("Transportadora Ipê Amarelo Ltda.") == "customer"
