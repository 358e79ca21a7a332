"""Explicit exclusions: the document says a term does not apply."""

from __future__ import annotations

import pytest

from extractors.facts import FactStatus
from extractors.patterns import negation

from .helpers import findings, view


def _excluded(text: str) -> set[str]:
    return {hit.path for hit in negation.extract(view(text)) if hit.status is FactStatus.EXCLUDED}


def test_nothing_is_excluded_without_a_negation() -> None:
    text = "Customer may audit Provider's records once per year. Provider will maintain insurance."
    assert _excluded(text) == set()


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("Customer shall not have audit rights.", "legal.audit_rights"),
        ("No source code escrow is provided under this Agreement.", "legal.source_code_escrow"),
        ("Provider does not offer customer-managed keys.", "security.customer_managed_keys"),
        ("Data migration is out of scope.", "implementation.data_migration"),
        ("SSO: Not included", "security.sso"),
        (
            "There are no third-party beneficiaries to this Agreement.",
            "legal.third_party_beneficiary",
        ),
        (
            "Neither party may terminate this Agreement for convenience.",
            "legal.termination_for_convenience",
        ),
        (
            "The service levels are targets only, and no service credits or other remedies apply.",
            "service.service_credits",
        ),
        ("Provider shall not be required to maintain any specific insurance.", "legal.insurance"),
        (
            "No most favoured nation pricing applies to this Order Form.",
            "commercial.most_favoured_nation",
        ),
        ("Liquidated damages shall not apply.", "legal.liquidated_damages"),
        ("Customer waives any right to a SOC 2 report.", "security.soc2_report"),
        (
            "Nothing in this Agreement shall restrict either party from developing or marketing "
            "competing products.",
            "legal.non_compete",
        ),
        (
            "Provider retains all right, title and interest in the deliverables.",
            "legal.ip_ownership_assignment",
        ),
    ],
)
def test_explicit_exclusions(text: str, path: str) -> None:
    assert path in _excluded(text)


@pytest.mark.parametrize(
    "text",
    [
        # Prohibitions are the clause itself, not its absence.
        "Customer shall not assign this Agreement without Provider's prior written consent.",
        "Neither party shall solicit the employees of the other party.",
        "Distributor shall not sell competing products in the Territory.",
        # A qualified exclusion keeps the term alive.
        "Customer shall not audit Provider more than once in any twelve-month period.",
        "No discount applies except as set out in the Order Form.",
        # Time limits are not negations.
        "Provider shall deliver the SOC 2 report no later than thirty days after issuance.",
    ],
)
def test_prohibitions_and_qualified_statements_are_not_exclusions(text: str) -> None:
    assert (
        _excluded(text)
        & {
            "legal.anti_assignment",
            "legal.non_solicit",
            "legal.non_compete",
            "legal.audit_rights",
            "commercial.discount_percent",
            "security.soc2_report",
        }
        == set()
    )


def test_a_mention_inside_the_excluding_sentence_is_not_a_finding() -> None:
    facts = findings(
        "Provider does not offer customer-managed keys or bring-your-own-key encryption."
    )
    fact = facts["security.customer_managed_keys"]
    assert fact.status is FactStatus.EXCLUDED
    assert fact.value is False
    assert fact.evidence[0].quote.startswith("Provider does not offer")


def test_a_term_granted_elsewhere_stays_present() -> None:
    facts = findings(
        "Provider does not offer customer-managed keys on the Standard plan.\n\n"
        "For the Enterprise plan, Provider supports customer-managed encryption keys through AWS "
        "KMS."
    )
    assert facts["security.customer_managed_keys"].status is FactStatus.PRESENT
