"""Explicit exclusions: the document says a term does not apply."""

from __future__ import annotations

import pytest

from extractors.facts import FactStatus
from extractors.patterns import negation

from .helpers import docx_view, findings, view


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
            "Nothing in this Agreement confers any right or remedy on any person other than\n"
            "Page 3 of 5\n\nMASTER SERVICES AGREEMENT\nthe parties and their permitted assigns.",
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
        # A "not" about one thing does not exclude the right a later clause grants.
        "Supplier shall not terminate this Agreement except for cause, but Customer may "
        "terminate for convenience on 30 days' notice.",
        "Licensor has no obligation to update the Software, but shall deposit the source code "
        "with an escrow agent.",
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


@pytest.mark.parametrize(
    "text",
    [
        "SCIM is available on the Enterprise plan.",
        "Provider supports SCIM 2.0 and does not charge extra for it.",
        "Provider shall not disclose penetration test reports except to Customer's auditors.",
        "Customer Data is deleted within thirty (30) days after termination.",
        "Section 9.3 of the Agreement is replaced by the following: non-solicitation applies.",
        "Provider will encrypt Customer Data at rest and in transit.",
    ],
)
def test_affirmations_and_qualified_denials_exclude_nothing(text: str) -> None:
    assert (
        _excluded(text)
        & {
            "security.scim",
            "security.penetration_test",
            "legal.non_solicit",
            "security.encryption_at_rest",
        }
        == set()
    )


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("Atlas does not currently support SCIM.", "security.scim"),
        ("The Service does not, at this time, support SCIM provisioning.", "security.scim"),
        ("SCIM is not included in the Standard plan.", "security.scim"),
        ("SCIM provisioning is not currently offered.", "security.scim"),
        ("Automated user provisioning is unavailable.", "security.scim"),
        ("Single sign-on will not be provided.", "security.sso"),
        ("BYOK is not available.", "security.customer_managed_keys"),
        ("Provider does not share penetration test reports.", "security.penetration_test"),
        ("Penetration test results will not be provided to Customer.", "security.penetration_test"),
        (
            "Customer may not perform security audits or penetration tests of the Service.",
            "security.penetration_test",
        ),
        ("Provider has not obtained a SOC 2 attestation.", "security.soc2_report"),
        ("Customer Data is not encrypted at rest.", "security.encryption_at_rest"),
        ("Service credits are not available under this Order Form.", "service.service_credits"),
        (
            "Vendor makes no commitment as to the country or region in which Customer data is "
            "stored.",
            "security.data_residency",
        ),
        (
            "The cap in Section 8.1 applies to all claims, and there are no exceptions to it.",
            "legal.uncapped_liability",
        ),
        (
            "No exclusivity or non-competition obligation applies to either party.",
            "legal.non_compete",
        ),
        (
            "Section 9.3 (Non-Solicitation) of the Agreement is deleted in its entirety.",
            "legal.non_solicit",
        ),
        (
            "Section 14 (Source Code Escrow) of the Agreement is deleted.",
            "legal.source_code_escrow",
        ),
        ('Clause 7 ("Service Credits") is hereby deleted.', "service.service_credits"),
        (
            "Neither party may terminate these Terms or any Order Form for convenience.",
            "legal.termination_for_convenience",
        ),
        (
            "Vantage shall have no obligation to deposit source code with any escrow agent.",
            "legal.source_code_escrow",
        ),
        (
            "Provider is under no obligation to carry any specific insurance.",
            "legal.insurance",
        ),
    ],
)
def test_more_wordings_of_exclusion(text: str, path: str) -> None:
    assert path in _excluded(text)


def test_a_clause_heading_does_not_keep_a_deleted_clause_alive() -> None:
    facts = findings(
        "6. Non-solicitation. Section 9.3 (Non-Solicitation) of the Agreement is deleted in its "
        "entirety and shall be of no further effect."
    )
    assert facts["legal.non_solicit"].status is FactStatus.EXCLUDED


def test_a_denied_feature_is_excluded_not_present() -> None:
    facts = findings(
        "3.1 SSO is supported via SAML 2.0.\n3.2 Atlas does not currently support SCIM."
    )
    assert facts["security.scim"].status is FactStatus.EXCLUDED


def test_a_denial_of_rights_with_an_exception_excludes_no_beneficiary() -> None:
    text = (
        "Nothing in this Agreement confers any right or remedy on any person other than the "
        "parties, except that Customer's Affiliates may enforce Section 9."
    )
    assert "legal.third_party_beneficiary" not in _excluded(text)


def _excluded_in(text: str, render: str) -> set[str]:
    """Excluded paths of ``text`` as plain text, wrapped like a PDF page or as a DOCX."""
    if render == "pdf":
        # A PDF line breaks where the column ends, so a sentence runs over several lines.
        words = text.split(" ")
        text = "\n".join(" ".join(words[i : i + 7]) for i in range(0, len(words), 7))
        return _excluded(text)
    if render == "docx":
        return {
            hit.path
            for hit in negation.extract(docx_view(text))
            if hit.status is FactStatus.EXCLUDED
        }
    return _excluded(text)


_RENDERS = ("plain", "pdf", "docx")


@pytest.mark.parametrize("render", _RENDERS)
@pytest.mark.parametrize(
    ("text", "paths"),
    [
        # A list, then a predicate that takes every item out of the order.
        (
            "Other terms\nSingle sign-on (SAML 2.0) and SCIM provisioning are features of the "
            "Enterprise plan and are not part of this order.",
            {"security.sso", "security.scim"},
        ),
        (
            "SAML SSO, SCIM provisioning and customer-managed keys are not included in the "
            "Team plan.",
            {"security.sso", "security.scim", "security.customer_managed_keys"},
        ),
        (
            "Single sign-on, SCIM and a 99.99% uptime SLA are not available on the Growth plan.",
            {"security.sso", "security.scim", "service.uptime_percent"},
        ),
        (
            "SSO, SCIM user provisioning and data residency are available on the Enterprise "
            "plan only.",
            {"security.sso", "security.scim", "security.data_residency"},
        ),
        (
            "Single sign-on and SCIM provisioning are only available on the Enterprise plan.",
            {"security.sso", "security.scim"},
        ),
        (
            "Implementation services, data migration and training are sold separately.",
            {
                "implementation.professional_services",
                "implementation.data_migration",
                "implementation.training",
            },
        ),
        (
            "SAML single sign-on and SCIM provisioning require an upgrade to Business.",
            {"security.sso", "security.scim"},
        ),
        # A predicate, then the list it governs.
        (
            "The Starter plan does not include SSO, SCIM provisioning or an uptime SLA.",
            {"security.sso", "security.scim", "service.uptime_percent"},
        ),
        (
            "Upgrade to Enterprise to get SAML single sign-on, SCIM and audit rights.",
            {"security.sso", "security.scim", "legal.audit_rights"},
        ),
        # A question or upsell block whose closing sentence denies the list.
        (
            "Want SAML single sign-on, SCIM user provisioning, audit logs and a 99.99% uptime "
            "SLA? Those come with Pebblestack Enterprise - talk to sales to upgrade. Nothing on "
            "this list is included in Starter.",
            {"security.sso", "security.scim", "service.uptime_percent"},
        ),
        (
            "Need single sign-on or SCIM provisioning? None of these are included in your plan.",
            {"security.sso", "security.scim"},
        ),
        (
            "Looking for SSO and SCIM? These features are not included in the Basic plan.",
            {"security.sso", "security.scim"},
        ),
    ],
)
def test_a_denial_covers_every_item_of_the_list_it_governs(
    text: str, paths: set[str], render: str
) -> None:
    assert paths <= _excluded_in(text, render)


_IDENTITY = frozenset({"security.sso", "security.scim"})


@pytest.mark.parametrize("render", _RENDERS)
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # The plan the customer bought includes the features.
        (
            "Single sign-on (SAML 2.0) and SCIM provisioning are features of the Enterprise plan.",
            _IDENTITY,
        ),
        ("SSO, SCIM provisioning and a 99.9% uptime SLA are included in this order.", _IDENTITY),
        (
            "SSO and SCIM are available on the Enterprise plan, which Customer has purchased.",
            _IDENTITY,
        ),
        # Only the item next to the denial is denied; the one before the turn is granted.
        ("SSO is enabled for all users and SCIM is not included.", {"security.sso"}),
        # A question nobody answers with a denial.
        (
            "Want help setting up SAML single sign-on or SCIM? Our support team can configure "
            "both.",
            _IDENTITY,
        ),
        # A denial of the charges for the items, not of the items.
        ("No set-up, SSO configuration or SCIM onboarding charges are payable.", _IDENTITY),
        # An exception keeps the items alive.
        ("SSO and SCIM are not included unless Customer orders the Identity add-on.", _IDENTITY),
    ],
)
def test_lists_that_are_not_denied_stay(text: str, kept: set[str], render: str) -> None:
    assert _excluded_in(text, render) & kept == set()


def test_the_denied_list_is_not_present_in_a_lower_plan_receipt() -> None:
    facts = findings(
        "## Need more?\n\nWant SAML single sign-on, SCIM user provisioning, audit logs and a "
        "99.99% uptime SLA? Those come with **Pebblestack Enterprise** — talk to sales to "
        "upgrade. Nothing on this list is included in Starter.\n\n## The fine print\n"
    )
    for path in ("security.sso", "security.scim", "service.uptime_percent"):
        assert facts[path].status is FactStatus.EXCLUDED, path
    # "audit logs" is a product feature, not a right to audit.
    assert "legal.audit_rights" not in facts


def test_a_feature_granted_outside_the_denied_list_stays_present() -> None:
    facts = findings(
        "Your plan includes single sign-on via SAML 2.0.\n\n"
        "Want SCIM user provisioning and audit logs? Nothing on this list is included in Team."
    )
    assert facts["security.sso"].status is FactStatus.PRESENT
    assert facts["security.scim"].status is FactStatus.EXCLUDED


def test_an_item_naming_part_of_a_term_leaves_the_term() -> None:
    text = (
        "Out of Scope\nCustom report development beyond the twenty (20) standard dashboards, "
        "integrations with systems\nother than Salesforce and NetSuite, additional training "
        "and any data cleansing of legacy records are out of scope and\nrequire a change order."
    )
    assert _excluded(text) & {"implementation.integrations", "implementation.training"} == set()


def test_a_block_closed_twice_is_quoted_once() -> None:
    text = (
        "## Need more?\n\nWant SAML single sign-on and SCIM user provisioning? Those come with "
        "**Pebblestack Enterprise** — talk to sales to upgrade. Nothing on this list is "
        "included in Starter.\n"
    )
    hits = [hit for hit in negation.extract(view(text)) if hit.path == "security.sso"]
    assert len(hits) == 1
    assert text[hits[0].start : hits[0].end].endswith(
        "Nothing on this list is included in Starter."
    )


@pytest.mark.parametrize(
    ("text", "excluded"),
    [
        (
            "Customer has no right to conduct on-site or technical security audits of Copperfield.",
            True,
        ),
        ("Provider has no obligation to deposit source code with any escrow agent.", True),
        # The denial ends where the clause does: the audits after "but" are granted.
        (
            "Customer has no right to assign this Agreement but may conduct security audits "
            "once a year.",
            False,
        ),
    ],
)
def test_a_denied_right_or_duty_excludes_what_it_names(text: str, excluded: bool) -> None:
    facts = findings(text)
    paths = {"security.security_audit_rights", "legal.source_code_escrow"}
    statuses = {facts[path].status for path in paths if path in facts}
    assert (FactStatus.EXCLUDED in statuses) is excluded
