"""The case view model: the decision in one plain sentence first, and everything it rests on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from app.db import create_db_engine, migrate, session_scope
from app.jobs.inline import run_triage
from app.models import Case, CaseStatus, DocumentStatus
from app.pipeline import Upload
from app.settings import Settings
from app.views.case_view import load_case_view, summary_sentence
from app.views.wording import fact_label, join_words, plain_value
from extractors.facts import Money
from rules import Approval, ApprovalRole, Decision, FactRef, FiredRule, OnboardingPath, load_policy

ORDER_FORM = (
    b"ORDER FORM\n\n"
    b"Provider: Nimbus Cloud Ltd. Customer: Harbor Foods GmbH, Berlin, Germany.\n"
    b"Subscription fees: EUR 48,000 per year, invoiced annually in advance.\n"
    b"Invoices are payable within ninety (90) days of receipt.\n"
    b"Customer Data shall be stored and processed only in the European Union.\n"
    b"This Agreement is governed by the laws of Germany.\n"
)


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    engine = create_db_engine(f"sqlite:///{tmp_path / 'view.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def _decision(path: OnboardingPath, approvals: list[Approval], rules: list[FiredRule]) -> Decision:
    return Decision(
        path=path,
        tier=2,
        approvals=approvals,
        risk_flags=[],
        fired_rules=rules,
        information_needed=[],
        ruleset_version="sha256:test",
        engine="reference",
    )


def test_the_summary_names_the_path_the_roles_and_the_reasons_with_their_values() -> None:
    residency = FiredRule(
        id="security.data_residency",
        description="Data residency requirement.",
        file="40-security.yaml",
        facts=[FactRef(path="security.data_residency", status="present", value=["EU"])],
    )
    entity = FiredRule(
        id="tax.new_country",
        description="Entity or billing in a country without tax registration.",
        file="50-tax.yaml",
        facts=[FactRef(path="tax.billing_countries", status="present", value=["DE"])],
    )
    decision = _decision(
        OnboardingPath.ASSISTED,
        [
            Approval(
                role=ApprovalRole.SECURITY,
                reasons=[residency.description],
                rules=[residency.id],
                due_business_hours=24,
            ),
            Approval(
                role=ApprovalRole.TAX,
                reasons=[entity.description],
                rules=[entity.id],
                due_business_hours=16,
            ),
        ],
        [residency, entity],
    )
    sentence = summary_sentence(Case(status=CaseStatus.DECIDED), decision)
    assert sentence == (
        "Assisted: security and tax must approve — data residency requirement (EU); "
        "entity or billing in a country without tax registration (DE)."
    )


def test_a_plain_deal_says_no_approval_is_needed() -> None:
    decision = _decision(OnboardingPath.SELF_SERVE, [], [])
    assert summary_sentence(Case(status=CaseStatus.DECIDED), decision) == (
        "Self-serve: no approval needed."
    )


def test_an_undecided_or_failed_case_says_where_it_is() -> None:
    assert summary_sentence(Case(status=CaseStatus.QUEUED), None).startswith("Queued")
    failed = Case(status=CaseStatus.FAILED, error_message="the rules engine did not answer")
    assert summary_sentence(failed, None) == "Failed: the rules engine did not answer."


def test_wording_helpers() -> None:
    assert fact_label("commercial.payment_terms_days") == "Payment terms (days)"
    assert fact_label("security.sso") == "SSO"
    assert plain_value(Money(amount=48000, currency="EUR")) == "EUR 48,000.00"
    assert plain_value(["EU", "UK"]) == "EU, UK"
    assert join_words(["legal", "finance", "tax"]) == "legal, finance and tax"


def test_a_stored_case_shows_its_decision_facts_by_group_and_refused_documents(
    engine: Engine,
) -> None:
    settings = Settings()
    result = run_triage(
        engine=engine,
        uploads=[
            Upload(data=ORDER_FORM, filename="order-form.txt"),
            Upload(data=b"", filename="empty.txt"),
        ],
        settings=settings,
        policy=load_policy(),
        reference="Harbor Foods GmbH",
    )
    with session_scope(engine) as session:
        view = load_case_view(session=session, case_id=result.case_id)
    assert view.id == result.case_id and view.reference == "Harbor Foods GmbH"
    assert result.decision is not None
    assert view.path == result.decision.path.value
    # The empty upload was refused, so the case asks for a readable copy.
    assert view.status is CaseStatus.NEEDS_INFORMATION
    assert view.summary.startswith("Needs information: ")
    refused = view.refused_documents
    assert [(d.filename, d.error_code) for d in refused] == [("empty.txt", "empty_file")]
    assert [d.status for d in view.documents] == [DocumentStatus.INGESTED, DocumentStatus.REFUSED]
    # Facts are grouped, carry citations into the right document, and say which rules used them.
    assert set(view.facts) == {
        "commercial",
        "legal",
        "security",
        "service",
        "implementation",
        "tax",
    }
    terms = next(f for f in view.facts["commercial"] if f.path.endswith("payment_terms_days"))
    assert terms.value == 90 and terms.display == "90"
    assert terms.evidence and terms.evidence[0].document == "order-form.txt"
    assert "ninety (90) days" in terms.evidence[0].quote
    assert "finance.payment_terms" in terms.used_by_rules
    # Facts that fired no rule are shown too.
    assert any(not f.used_by_rules for group in view.facts.values() for f in group)
    finance = next(a for a in view.approvals if a.role == "finance")
    assert any("ninety (90) days" in e.quote for e in finance.evidence)
    assert view.versions.rule_set and view.versions.rule_set.startswith("sha256:")
    assert view.versions.extractors
    assert view.job is not None and view.job.status == "done"


def _two_role_decision() -> Decision:
    return _decision(
        OnboardingPath.ASSISTED,
        [
            Approval(
                role=ApprovalRole.SECURITY,
                reasons=["Data residency requirement."],
                rules=["security.data_residency"],
                due_business_hours=24,
            ),
            Approval(
                role=ApprovalRole.TAX,
                reasons=["VAT/GST specifics."],
                rules=["tax.vat_gst"],
                due_business_hours=16,
            ),
        ],
        [],
    )


def test_the_summary_follows_the_approvals_people_give() -> None:
    from app.approvals.models import ApprovalRecord, ApprovalState

    decision = _two_role_decision()
    granted = ApprovalRecord(case_id="c", role="security", state=ApprovalState.GRANTED)
    pending = ApprovalRecord(case_id="c", role="tax", state=ApprovalState.PENDING)
    halfway = summary_sentence(Case(status=CaseStatus.DECIDED), decision, [granted, pending])
    assert halfway.startswith("Assisted: tax must approve (security approved) — ")
    ready = summary_sentence(Case(status=CaseStatus.READY_FOR_PROVISIONING), decision)
    assert ready == "Assisted: ready for provisioning — security and tax approved."
    rejected = ApprovalRecord(
        case_id="c", role="tax", state=ApprovalState.REJECTED, comment="no VAT number"
    )
    returned = summary_sentence(Case(status=CaseStatus.RETURNED), decision, [granted, rejected])
    assert returned == "Assisted: returned — tax rejected it: no VAT number."
