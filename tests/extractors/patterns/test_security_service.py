"""Security and compliance terms, and service levels."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.patterns import security, service

from .helpers import values, view


def _security(text: str, path: str) -> list[Any]:
    return values(security.extract(view(text)), path)


def _service(text: str, path: str) -> list[Any]:
    return values(service.extract(view(text)), path)


def test_nothing_in_unrelated_text() -> None:
    text = (
        "Interest accrues on late payments. The parties shall cooperate in good faith to restore "
        "operations."
    )
    assert security.extract(view(text)) == []
    assert service.extract(view(text)) == []


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            "Provider will provide a copy of its most recent SOC 2 Type II report upon request.",
            "security.soc2_report",
        ),
        (
            "Provider shall maintain ISO/IEC 27001 certification for the hosting environment.",
            "security.iso27001_certificate",
        ),
        (
            "Customer may engage an independent firm to perform a penetration test of the "
            "platform once a year.",
            "security.penetration_test",
        ),
        (
            "The parties will execute a Business Associate Agreement in the form of Exhibit D.",
            "security.hipaa_baa",
        ),
        (
            "The Data Processing Addendum attached as Exhibit B applies to Personal Data.",
            "security.gdpr_dpa",
        ),
        (
            "Transfers outside the EEA are governed by the Standard Contractual Clauses.",
            "security.standard_contractual_clauses",
        ),
        ("Customer Data is encrypted at rest using AES-256.", "security.encryption_at_rest"),
        (
            "Enterprise customers may use customer-managed encryption keys held in their own KMS.",
            "security.customer_managed_keys",
        ),
        ("User provisioning is supported through SCIM 2.0.", "security.scim"),
        (
            "Provider will delete Customer Data within 30 days after termination.",
            "security.data_deletion",
        ),
        (
            "Provider will give thirty (30) days' notice of any new sub-processor and Customer may "
            "object.",
            "security.subprocessor_approval",
        ),
    ],
)
def test_security_mentions(text: str, path: str) -> None:
    assert _security(text, path)[:1] == [True]


ASSURANCE = ("security.soc2_report", "security.iso27001_certificate", "security.penetration_test")


def _demanded(text: str) -> set[str]:
    hits = security.extract(view(text))
    return {path for path in ASSURANCE if True in values(hits, path)}


@pytest.mark.parametrize(
    "text",
    [
        "Our SOC 2 Type II report is available on request.",
        "Provider maintains an information security programme consistent with ISO/IEC 27001.",
        "Provider maintains ISO/IEC 27001 certification for the hosting environment.",
        "We perform annual penetration tests by a third party.",
        "An independent firm performs an annual penetration test of the platform.",
        "We will provide our SOC 2 report on request.",
        "Certifications: SOC 2 Type II, ISO 27001.",
        "The Enterprise plan includes annual third-party penetration testing.",
        # Denied: the negation reader records these as excluded, never as a demand here.
        "Customer may not perform penetration tests of the Service.",
        "Provider shall not be required to provide its SOC 2 report.",
    ],
)
def test_the_providers_standard_offer_is_no_demand(text: str) -> None:
    assert _demanded(text) == set()


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            "Provider shall deliver its SOC 2 Type II report to Customer annually.",
            "security.soc2_report",
        ),
        (
            "Customer may require Provider to furnish its most recent SOC 2 Type II report.",
            "security.soc2_report",
        ),
        (
            "Provider shall maintain ISO 27001 certification and provide the certificate on "
            "request.",
            "security.iso27001_certificate",
        ),
        (
            "Customer may conduct a penetration test of the Services once per contract year.",
            "security.penetration_test",
        ),
        # A commitment to deliver to the customer outweighs a description of the offer.
        (
            "Provider undergoes an annual SOC 2 Type II audit and will provide the report to "
            "Customer upon request.",
            "security.soc2_report",
        ),
        (
            "Upon Customer's written request, Provider will share a summary of its most recent "
            "penetration test.",
            "security.penetration_test",
        ),
    ],
)
def test_a_commitment_or_a_customer_right_is_a_demand(text: str, path: str) -> None:
    assert _demanded(text) == {path}


def test_a_customer_known_by_its_defined_name_demands() -> None:
    text = (
        'This Security Addendum is made between Ledgerly Inc. ("Ledgerly") and First Cascade '
        'Bank ("Bank").\nLedgerly shall provide the Services to Bank.\n'
        "Bank may, once per contract year, commission its own penetration test of the product. "
        "Ledgerly maintains a SOC 2 Type II report, available on request."
    )
    assert _demanded(text) == {"security.penetration_test"}


def test_sso_protocols() -> None:
    text = "Single sign-on is available via SAML 2.0 and OpenID Connect."
    assert sorted(set(_security(text, "security.sso"))) == ["OIDC", "SAML"]
    assert _security("Users log in through single sign-on (SSO).", "security.sso")[:1] == ["SSO"]


def test_data_residency_countries_and_regions() -> None:
    text = (
        "Customer Data will be hosted and stored exclusively in data centres located in the United "
        "States."
    )
    assert _security(text, "security.data_residency") == ["US"]
    eu = (
        "Personal Data shall be stored only within the European Union and shall not be transferred "
        "outside the EEA."
    )
    assert set(_security(eu, "security.data_residency")) == {"EU", "EEA"}


def test_residency_needs_data() -> None:
    text = "Provider's headquarters are located in Canada."
    assert _security(text, "security.data_residency") == []


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        (
            "Provider will notify Customer of a Security Incident without undue delay and in any "
            "event within seventy-two (72) hours.",
            72,
        ),
        (
            "Within 24 hours of becoming aware of a Personal Data Breach, Processor shall notify "
            "Controller.",
            24,
        ),
        (
            "Provider shall report any unauthorized access to Customer Data no later than two (2) "
            "business days after discovery.",
            48,
        ),
    ],
)
def test_breach_notification_hours(text: str, hours: int) -> None:
    assert _security(text, "security.breach_notification_hours") == [hours]


def test_breach_window_needs_a_breach() -> None:
    text = "Provider will notify Customer of scheduled maintenance within 48 hours."
    assert _security(text, "security.breach_notification_hours") == []


def test_retention_days_after_termination() -> None:
    text = (
        "Provider will delete Customer Data from its production systems within sixty (60) days "
        "after termination."
    )
    assert _security(text, "security.data_retention_days") == [60]


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        (
            "Provider will make the Services available 99.9% of the time in each calendar month.",
            99.9,
        ),
        ("Monthly Uptime Commitment: 99.95%", 99.95),
        ("The service level for availability is ninety-nine point five (99.5%) percent.", 99.5),
    ],
)
def test_uptime(text: str, percent: float) -> None:
    assert _service(text, "service.uptime_percent") == [percent]


def test_uptime_ignores_other_percentages() -> None:
    assert (
        _service("A discount of 95% of list applies to the sandbox.", "service.uptime_percent")
        == []
    )


def test_fastest_support_response_from_a_table() -> None:
    text = (
        "Provider will respond to support requests within the following times:\n"
        "| Severity | Description | Initial Response |\n"
        "|---|---|---|\n"
        "| Severity 1 | Services unavailable | 1 hour |\n"
        "| Severity 2 | Major function impaired | 4 business hours |\n"
        "| Severity 3 | Question | 1 business day |\n"
    )
    assert _service(text, "service.support_response_hours") == [1.0]


def test_support_response_in_prose_in_minutes() -> None:
    text = "Provider shall respond to Severity 1 incidents within fifteen (15) minutes, 24x7."
    assert _service(text, "service.support_response_hours") == [0.25]


def test_service_credits_rpo_rto() -> None:
    text = (
        "If availability falls below the commitment, Customer is entitled to a service credit "
        "against the next invoice. "
        "Provider maintains a recovery point objective (RPO) of 4 hours and a recovery time "
        "objective (RTO) of 12 hours."
    )
    assert _service(text, "service.service_credits")[:1] == [True]
    assert _service(text, "service.rpo_hours") == [4.0]
    assert _service(text, "service.rto_hours") == [12.0]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (
            "Within thirty (30) days after termination of the Agreement, Business Associate shall "
            "return to Covered Entity or destroy all PHI.",
            30,
        ),
        (
            "Logs are retained for ninety (90) days after the end of the term, then deleted.",
            90,
        ),
    ],
)
def test_retention_period_nearest_the_verb(text: str, days: int) -> None:
    assert _security(text, "security.data_retention_days") == [days]


def test_request_window_is_not_retention() -> None:
    text = (
        "After termination, Provider shall, at Customer's request made no later than fourteen (14) "
        "days' notice after the end of the Agreement, return the data."
    )
    assert _security(text, "security.data_retention_days") == []


@pytest.mark.parametrize(
    "text",
    [
        "Provider will delete the draft project plan once it is agreed.",
        "Customer may request the destruction of the equipment at any time.",
    ],
)
def test_no_data_deletion_without_data(text: str) -> None:
    assert _security(text, "security.data_deletion") == []


@pytest.mark.parametrize(
    "text",
    [
        "Logs and traces are retained for thirty (30) days and then permanently deleted.",
        "Business Associate shall return to Covered Entity or destroy all PHI that it maintains.",
        "Ledgerly shall securely destroy all remaining copies of Bank Data.",
    ],
)
def test_data_deletion_in_more_wordings(text: str) -> None:
    assert _security(text, "security.data_deletion")[:1] == [True]


def test_retention_takes_the_period_of_the_deletion_across_a_wrapped_figure() -> None:
    text = (
        "Upon termination, Ledgerly shall return all Bank Data within thirty (30) days and "
        "shall securely destroy all remaining copies within ninety\n(90) days after termination."
    )
    assert 90 in _security(text, "security.data_retention_days")


@pytest.mark.parametrize(
    "text",
    [
        "The auditors of Provider shall review the controls each year.",
    ],
)
def test_no_security_audit_right_for_the_provider_itself(text: str) -> None:
    assert _security(text, "security.security_audit_rights") == []


@pytest.mark.parametrize(
    "text",
    [
        "The Controller is entitled, after giving at least fourteen (14) days' notice, to verify "
        "the Processor's compliance with this DPA and the technical and organisational measures "
        "by inspections at the Processor's premises.",
        "The Processor shall make available all information necessary to demonstrate compliance "
        "with this DPA, and shall allow for and contribute to audits, including inspections, "
        "conducted by the Controller or an auditor mandated by the Controller.",
        "The Supplier shall grant the Customer and its auditors effective access to the "
        "Supplier's premises, personnel and systems for the purposes of auditing the Supplier's "
        "compliance with this Agreement.",
    ],
)
def test_security_audit_rights_in_more_wordings(text: str) -> None:
    assert _security(text, "security.security_audit_rights")[:1] == [True]


def test_a_security_review_by_the_customer_named_by_its_defined_name() -> None:
    text = (
        'This Agreement is between Ledgerly, Inc. ("Ledgerly") and First Cascade Bank, N.A. '
        '("Bank").\n\nLedgerly shall provide the Services to Bank. Bank shall pay the fees.\n\n'
        "Bank or its designee may conduct an on-site or remote security review of "
        "Ledgerly's information security program once per contract year."
    )
    assert _security(text, "security.security_audit_rights")[:1] == [True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "All Customer Data shall be stored and processed solely within the continental\n"
            "United States.",
            ["US"],
        ),
        ("Your workspace data is stored in our London (UK) hosting region.", ["GB"]),
        (
            "Personal data is hosted in the United Kingdom, but certain sub-processors process "
            "personal data in the United States.",
            ["GB"],
        ),
        (
            "Data will be hosted in its own region: Aurora Inc. in the United States and Aurora "
            "Asia Pte. Ltd. in Singapore.",
            ["US", "SG"],
        ),
    ],
)
def test_data_residency_in_more_wordings(text: str, expected: list[str]) -> None:
    assert _security(text, "security.data_residency") == expected


def test_a_transfer_is_not_where_the_data_resides() -> None:
    text = "Personal data transferred to the United States is protected by the SCCs."
    assert _security(text, "security.data_residency") == []


_ACME = 'Acme Cloud, Inc. ("Provider") and Beta Stores LLC ("Customer") agree as follows.\n'


# The provider bound to let the customer audit it: the customer's right, however it is worded.
@pytest.mark.parametrize(
    "text",
    [
        "Jarrah must permit the Customer, or an independent auditor appointed by the Customer, "
        "to audit Jarrah's information security controls, policies and records relating to the "
        "Services once in every 12-month period, on 20 business days' notice.",
        # PDF-wrapped.
        "Provider shall permit the Customer, or an independent auditor appointed by the\n"
        "Customer, to audit Provider's information security controls and records once in\n"
        "every 12-month period.",
        "Provider will allow Customer and its auditors to inspect the data centres used to "
        "host Customer Data.",
        "Provider agrees to permit audits of its information security controls by the Customer "
        "once a year.",
        # Table cell (tab-separated row).
        "Annual audit\tProvider must permit the Customer to audit Provider's security controls "
        "once a year.\n",
    ],
)
def test_a_duty_to_permit_the_customers_audit_is_its_right(text: str) -> None:
    text = _ACME + text
    assert _security(text, "security.security_audit_rights")[:1] == [True]


def test_a_duty_to_permit_an_audit_by_the_customer_known_by_its_defined_name() -> None:
    text = (
        'This Security Schedule is between Jarrah Cloud Pty Ltd ("Jarrah") and Moreton Bay Aged '
        'Care Ltd ("Moreton").\n\nJarrah shall provide the Services to Moreton. Moreton shall '
        "pay the fees.\n\nJarrah must permit Moreton to audit Jarrah's information security "
        "controls once a year."
    )
    assert _security(text, "security.security_audit_rights")[:1] == [True]


@pytest.mark.parametrize(
    "text",
    [
        # The customer lets the provider audit it: no right of the customer.
        "Customer must permit Provider to audit Customer's use of the Services and its security "
        "controls for compliance with the licence terms.",
        # The provider's own auditors.
        "Provider shall permit its external auditors to audit its information security controls.",
        # Denied.
        "Provider shall not permit any customer to audit its information security controls.",
    ],
)
def test_no_audit_right_where_the_customer_is_not_the_one_permitted(text: str) -> None:
    text = _ACME + text
    assert True not in _security(text, "security.security_audit_rights")


# The customer helping itself to the provider's published material is the offer; a right to
# have it delivered or to ask for it is a demand.
@pytest.mark.parametrize(
    "text",
    [
        "Customer may download the most recent SOC 2 Type II report from the Provider Trust "
        "Portal after accepting its non-disclosure terms.",
        "Customer may download\nthe most recent SOC 2 Type II report from the Halyard Trust\n"
        "Portal after accepting its non-disclosure terms.",
        "Customer can access Provider's current ISO 27001 certificate on Provider's trust center.",
        "Customer may view a summary of the latest penetration test in the Provider security "
        "portal.",
        "Independent attestation\tProvider maintains a SOC 2 Type II attestation. Customer may "
        "download the most recent SOC 2 Type II report from the Provider Trust Portal.\n",
    ],
)
def test_self_service_access_to_the_providers_material_is_no_demand(text: str) -> None:
    assert _demanded(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Customer may request a copy of Provider's most recent SOC 2 Type II report.",
        "Customer may request access to the SOC 2 Type II report through the Trust Portal.",
        "Provider shall provide its SOC 2 Type II report to Customer annually; Customer may also "
        "download it from the Trust Portal.",
        "Upon Customer's request, Provider will make its SOC 2 Type II report available for "
        "download from its trust portal.",
        "Customer may obtain Provider's SOC 2 Type II report at any time.",
    ],
)
def test_a_right_to_ask_for_it_next_to_a_portal_is_still_a_demand(text: str) -> None:
    assert _demanded(text) == {"security.soc2_report"}
