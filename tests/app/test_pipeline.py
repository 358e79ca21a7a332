"""The case pipeline end to end: real ingestion, scripted extraction, the shipped policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from app import deciding
from app.cases import case_documents, get_case
from app.db import create_db_engine, migrate, session_scope
from app.jobs.inline import run_triage
from app.models import CaseStatus, DocumentStatus
from app.pipeline import Upload
from app.settings import Settings
from extractors.document import Document
from extractors.facts import FactRecord, Finding
from extractors.registry import register_extractor, unregister_extractor
from rules import CaseContext, Decision, OnboardingPath, Policy, decide, load_policy
from tests.extractors.fakes import ScriptedExtractor, found

MSA_TEXT = (
    b"MASTER SUBSCRIPTION AGREEMENT\n\n"
    b"This agreement is between Nimbus Cloud Ltd and Harbor Foods Inc.\n"
    b"Invoices are payable within sixty (60) days of receipt.\n"
    b"This Agreement is governed by the laws of the State of New York.\n"
)


def scripted(document: Document) -> list[Finding]:
    findings = []
    if "sixty (60) days" in document.text:
        findings.append(
            found(document, "commercial.payment_terms_days", 60, "sixty (60) days of receipt")
        )
    return findings


@pytest.fixture
def settings() -> Iterator[Settings]:
    register_extractor(
        "scripted", lambda: ScriptedExtractor(scripted, ["commercial.payment_terms_days"])
    )
    try:
        yield Settings(offline_extractors=["scripted"])
    finally:
        unregister_extractor("scripted")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


def test_bad_upload_is_refused_recorded_and_the_case_asks_for_information(
    engine: Engine, settings: Settings, policy: Policy
) -> None:
    uploads = [
        Upload(data=MSA_TEXT, filename="msa.txt"),
        Upload(data=b"<html><body>not a contract</body></html>", filename="order.pdf"),
    ]
    result = run_triage(engine=engine, uploads=uploads, settings=settings, policy=policy)
    assert result.outcomes[1].error is not None
    assert result.outcomes[1].error.code.value == "unsupported_type"
    assert result.decision is not None
    assert result.decision.path is OnboardingPath.NEEDS_INFORMATION
    with session_scope(engine) as session:
        rows = case_documents(session=session, case_id=result.case_id)
        assert [row.status for row in rows] == [DocumentStatus.INGESTED, DocumentStatus.REFUSED]
        case = get_case(session=session, case_id=result.case_id)
        assert case.status is CaseStatus.NEEDS_INFORMATION


def test_decision_is_stored_reproducibly_and_reruns_are_idempotent(
    engine: Engine, settings: Settings, policy: Policy
) -> None:
    upload = Upload(data=MSA_TEXT, filename="msa.txt")
    first = run_triage(engine=engine, uploads=[upload], settings=settings, policy=policy)
    assert first.decision is not None
    assert first.facts.commercial.payment_terms_days.value == 60
    assert "finance" in [role.value for role in first.decision.approval_roles]

    again = run_triage(
        engine=engine, uploads=[upload], settings=settings, policy=policy, case_id=first.case_id
    )
    assert again.outcomes[0].already_stored
    with session_scope(engine) as session:
        case = get_case(session=session, case_id=first.case_id)
        assert len(case_documents(session=session, case_id=case.id)) == 1
        stored_facts = FactRecord.model_validate_json(case.facts_json or "")
        stored = Decision.model_validate_json(case.decision_json or "")
        assert case.path == stored.path.value
    # Deciding the stored facts again with the same rule set gives the same bytes.
    assert decide(stored_facts, policy=policy, context=CaseContext()).to_json() == stored.to_json()
    assert again.decision is not None and again.decision.to_json() == first.decision.to_json()


def test_the_reference_evaluator_can_stand_in_for_durable_rules(
    engine: Engine, settings: Settings, policy: Policy
) -> None:
    # The escape hatch if the C engine misbehaves: the same policy, the same decision,
    # recorded as made by the reference evaluator.
    upload = Upload(data=MSA_TEXT, filename="msa.txt")
    durable = run_triage(engine=engine, uploads=[upload], settings=settings, policy=policy)
    reference_settings = settings.model_copy(update={"rules_engine": "reference"})
    reference = run_triage(
        engine=engine, uploads=[upload], settings=reference_settings, policy=policy
    )
    assert durable.decision is not None and reference.decision is not None
    assert (durable.decision.engine, reference.decision.engine) == ("durable", "reference")
    assert reference.decision.path == durable.decision.path
    assert reference.decision.approval_roles == durable.decision.approval_roles


def test_an_unknown_rules_engine_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_RULES_ENGINE", "drools")
    with pytest.raises(ValueError, match="rules_engine"):
        Settings()


def test_durable_rules_decides_in_a_worker_process_with_the_same_bytes(
    engine: Engine, settings: Settings, policy: Policy
) -> None:
    upload = Upload(data=MSA_TEXT, filename="msa.txt")
    try:
        isolated = run_triage(engine=engine, uploads=[upload], settings=settings, policy=policy)
        assert deciding._DECIDERS, "the default settings decide in a worker process"
    finally:
        deciding.close_deciders()
    in_process = run_triage(
        engine=engine,
        uploads=[upload],
        settings=settings.model_copy(update={"rules_isolation": False}),
        policy=policy,
    )
    assert not deciding._DECIDERS
    assert isolated.decision is not None and in_process.decision is not None
    assert isolated.decision.to_json() == in_process.decision.to_json()


def _counts(engine: Engine) -> tuple[int, int, int]:
    from sqlmodel import func, select

    from app.models import Case, CaseDocument, Job

    with session_scope(engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Case, CaseDocument, Job)
        )


def test_an_unreadable_upload_refuses_the_whole_request_and_stores_nothing(
    engine: Engine, settings: Settings
) -> None:
    from app.errors import UploadRefusedError
    from app.pipeline import accept_uploads

    uploads = [
        Upload(data=MSA_TEXT, filename="msa.txt"),
        Upload(data=b"", filename="empty.txt"),
    ]
    with pytest.raises(UploadRefusedError) as refused:
        accept_uploads(engine=engine, uploads=uploads, settings=settings)
    assert refused.value.code == "empty_file"
    assert refused.value.extra["documents"][0]["filename"] == "empty.txt"
    assert _counts(engine) == (0, 0, 0)


@pytest.mark.parametrize("store", ["disk", "database"])
def test_accepted_uploads_are_stored_with_their_bytes_and_a_queued_job(
    engine: Engine, settings: Settings, policy: Policy, store: str
) -> None:
    from app.blobs import blob_store
    from app.jobs.process import JobOutcome, process_job
    from app.jobs.store import get_job
    from app.models import JobStatus
    from app.pipeline import accept_uploads

    settings = settings.model_copy(update={"document_store": store})
    accepted = accept_uploads(
        engine=engine,
        uploads=[Upload(data=MSA_TEXT, filename="msa.txt")],
        settings=settings,
        reference="Harbor Foods",
        metadata={"crm_id": "OPP-1"},
    )
    with session_scope(engine) as session:
        case = get_case(session=session, case_id=accepted.case_id)
        assert case.status is CaseStatus.QUEUED and case.decision_json is None
        assert get_job(session=session, job_id=accepted.job_id).status is JobStatus.QUEUED
        (row,) = case_documents(session=session, case_id=case.id)
        assert blob_store(settings).get(session=session, sha256=row.sha256) == MSA_TEXT
    result = process_job(accepted.job_id, engine=engine, settings=settings, policy=policy)
    assert result.outcome is JobOutcome.DONE
    # A second delivery of the same job finds it finished and does nothing.
    again = process_job(accepted.job_id, engine=engine, settings=settings, policy=policy)
    assert again.outcome is JobOutcome.SKIPPED
    with session_scope(engine) as session:
        case = get_case(session=session, case_id=accepted.case_id)
        # The scripted reader finds no contract value, so the decision asks for it.
        assert (case.status, case.path) == (CaseStatus.NEEDS_INFORMATION, "needs_information")
        job = get_job(session=session, job_id=accepted.job_id)
        assert (job.status, job.attempts) == (JobStatus.DONE, 1)
