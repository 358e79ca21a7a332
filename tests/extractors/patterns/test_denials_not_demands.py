"""Denials and the provider's own measures are not the customer's demands.

A feature named only as part of a plan that is not quoted, an undertaking the provider says
it does not give, a term said to run without renewal, and a control the provider applies to
its own staff must not reach the rules as something the customer requires.
"""

from __future__ import annotations

import pytest

from evals.saas.sources import OutputFormat
from extractors.facts import FactStatus
from tests.layouts import FORMATS, rendered

from .helpers import present, present_in, status_of

# ---- a feature of another plan ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "> - SSO: SAML single sign-on comes with our Enterprise plan only, so it is not part of\n"
        "this quote.",
        "SAML single sign-on comes with the Enterprise plan only.",
        "Single sign-on ships only with our Enterprise edition; it is not quoted here.",
        "SSO (SAML 2.0) comes only with the Enterprise tier.",
        "Single sign-on and SCIM provisioning come with our Enterprise plan only.",
    ],
)
def test_a_feature_that_comes_only_with_another_plan_is_not_ordered(text: str) -> None:
    assert present(text, "security.sso") is None
    assert status_of(text, "security.sso") is FactStatus.EXCLUDED


@pytest.mark.parametrize(
    "text",
    [
        "SAML single sign-on comes with the Enterprise plan.",
        "The Customer requires SAML single sign-on for all named users.",
        "Single sign-on (SAML 2.0) is included in the Enterprise plan ordered above.",
    ],
)
def test_a_feature_that_comes_with_the_plan_is_still_read(text: str) -> None:
    assert present(text, "security.sso")


# ---- a location the provider does not undertake ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "3.1 The Operator does not undertake to store or process personal information in the\n"
        "Republic of South Africa or in any other particular country or region.",
        "The Processor does not commit to host Customer Data in Germany or in any particular "
        "location.",
        "Provider does not guarantee that customer data will be stored in Canada.",
        "Supplier makes no undertaking to keep data in the United Kingdom or any other particular "
        "country.",
    ],
)
def test_a_location_the_provider_does_not_undertake_is_no_residency(text: str) -> None:
    text = "Customer Data is the personal information the Customer uploads.\n" + text
    assert present(text, "security.data_residency") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Provider shall store and process Customer Data only in Germany.", "DE"),
        ("Provider shall not store Customer Data outside the European Union.", "EU"),
        ("Provider undertakes to host all customer data in Canada.", "CA"),
    ],
)
def test_a_location_the_provider_commits_to_is_still_residency(text: str, code: str) -> None:
    text = "Customer Data is the personal information the Customer uploads.\n" + text
    assert code in (present(text, "security.data_residency") or [])


# ---- a term without renewal ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "3. Term. Twenty-four (24) months from October 1, 2025, without automatic renewal.",
        "The subscription runs for twelve (12) months without auto-renewal.",
        "Term: 36 months, with no automatic renewal.",
        "This Order Form does not renew automatically.",
    ],
)
def test_a_term_without_renewal_does_not_renew(text: str) -> None:
    assert present(text, "commercial.auto_renewal") is not True


@pytest.mark.parametrize(
    "text",
    [
        "The subscription renews automatically for successive 12-month terms.",
        "This Order Form shall automatically renew for successive one-year periods without "
        "further action by either party.",
    ],
)
def test_a_renewal_is_still_read(text: str) -> None:
    assert present(text, "commercial.auto_renewal") is True


# ---- the provider's own staff ----------------------------------------------------------------

ANNEX = (
    "# Data Processing Agreement\n"
    'This Data Processing Agreement is between Orrery Software Ltd ("Orrery") and Maison '
    'Lavandier SAS (the "Customer").\n'
    "## Annex II - Technical and organisational measures\n"
    "| Measure | Description |\n"
    "|---|---|\n"
    "| Encryption | Customer Personal Data encrypted at rest (AES-256) and in transit |\n"
    "| Access control | Role-based access, single sign-on and multi-factor authentication for "
    "Orrery staff; access reviews every quarter |\n"
    "| Logging | Administrative access logged and retained for one year |\n"
)


@pytest.mark.parametrize(
    "text",
    [
        "Role-based access, single sign-on and multi-factor authentication for Orrery staff.",
        "Provider personnel access production systems through single sign-on with MFA.",
        "Single sign-on (SAML) is enforced for all Supplier employees and contractors.",
        "We require SSO and hardware keys for our own staff.",
    ],
)
def test_sign_on_for_the_providers_staff_is_no_customer_requirement(text: str) -> None:
    document_text = (
        'This Agreement is between Orrery Software Ltd ("Orrery") and Maison Lavandier SAS '
        '(the "Customer").\n' + text
    )
    assert present(document_text, "security.sso") is None


@pytest.mark.parametrize(
    "text",
    [
        "Provider shall support single sign-on via SAML 2.0 for Customer's users.",
        "Customer staff sign in through single sign-on (SAML).",
    ],
)
def test_sign_on_for_the_customers_users_is_still_read(text: str) -> None:
    assert present(text, "security.sso")


@pytest.mark.parametrize("output", FORMATS, ids=lambda output: output.value)
def test_a_staff_measure_in_an_annex_table_is_no_sign_on_requirement(output: OutputFormat) -> None:
    assert present_in(rendered(ANNEX, output), "security.sso") is None
