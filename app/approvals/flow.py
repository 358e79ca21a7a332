"""The case flow's governed moments, each audited (and announced where systems care) in the
transaction of the change: a case received, documents added, a job failed, a case decided."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from app.approvals.announce import SYSTEM_ACTOR, announce
from app.approvals.calendar import WorkingCalendar
from app.approvals.lifecycle import reset_for_documents, settle_case, sync_approvals
from app.approvals.records import lock_case
from app.events.outbox import emit
from app.models import Case, CaseDocument, CaseStatus, utcnow
from app.settings import Settings
from extractors.facts import FactRecord
from rules import Decision


def _documents(rows: Sequence[CaseDocument]) -> list[dict[str, object]]:
    return [
        {
            "id": row.id,
            "filename": row.filename,
            "sha256": row.sha256,
            "status": row.status.value,
            "error_code": row.error_code,
        }
        for row in rows
    ]


def record_case_received(
    *, session: Session, case: Case, documents: Sequence[CaseDocument], actor: str | None
) -> None:
    """Audit a new case with the documents it arrived with."""
    announce(
        session=session,
        kind="case.received",
        case_id=case.id,
        actor=actor,
        data={"reference": case.reference, "documents": _documents(documents)},
    )


def record_documents_added(
    *,
    session: Session,
    case: Case,
    documents: Sequence[CaseDocument],
    settings: Settings,
    actor: str | None,
    now: datetime | None = None,
) -> None:
    """Audit documents added to a case, and ask again every approval already decided."""
    announce(
        session=session,
        kind="case.documents_added",
        case_id=case.id,
        actor=actor,
        data={"documents": _documents(documents)},
    )
    reset_for_documents(
        session=session,
        case=case,
        filenames=[row.filename or row.sha256[:12] for row in documents],
        calendar=WorkingCalendar.from_settings(settings),
        now=now or utcnow(),
        actor=actor,
    )


def record_job_failed(
    *, session: Session, case: Case, job_id: str, error_code: str, message: str, attempts: int
) -> None:
    """Audit a case whose processing failed for good."""
    announce(
        session=session,
        kind="job.failed",
        case_id=case.id,
        actor=SYSTEM_ACTOR,
        data={
            "job_id": job_id,
            "error_code": error_code,
            "message": message,
            "attempts": attempts,
        },
    )


def record_decision(
    *,
    session: Session,
    case: Case,
    facts: FactRecord,
    decision: Decision,
    document_decision: Decision | None,
    previous: CaseStatus,
    settings: Settings,
    cause: str,
    actor: str | None = SYSTEM_ACTOR,
    correction_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Audit and announce a decision, bring the approvals in line with it, settle the case.

    ``cause`` says what made the case be decided (``triage``, or ``correction`` with its id);
    ``previous`` is the case's status before, so arriving at ready is announced once.
    """
    now = now or utcnow()
    # Approvers act on the case meanwhile: hold it while its approvals follow the decision.
    lock_case(session=session, case_id=case.id)
    approvals = [
        {"role": a.role.value, "rules": a.rules, "due_business_hours": a.due_business_hours}
        for a in decision.approvals
    ]
    summary: dict[str, object] = {
        "path": decision.path.value,
        "tier": decision.tier,
        "approvals": approvals,
        "information_needed": [need.path for need in decision.information_needed],
        "ruleset_version": decision.ruleset_version,
    }
    announce(
        session=session,
        kind="case.decided",
        case_id=case.id,
        actor=actor,
        data={
            **summary,
            "engine": decision.engine,
            "cause": cause,
            **({"correction_id": correction_id} if correction_id is not None else {}),
        },
    )
    announce_triaged(session=session, case=case, summary=summary)
    sync_approvals(
        session=session,
        case=case,
        decision=decision,
        document_decision=document_decision,
        facts=facts,
        calendar=WorkingCalendar.from_settings(settings),
        now=now,
        actor=actor,
    )
    settle_case(session=session, case=case, previous=previous, now=now, actor=actor)


def announce_triaged(*, session: Session, case: Case, summary: dict[str, object]) -> None:
    """Queue ``case.triaged`` for the systems downstream (no audit: ``case.decided`` has it)."""
    emit(
        session=session,
        type="case.triaged",
        case_id=case.id,
        data={
            "case_id": case.id,
            "reference": case.reference,
            "status": case.status.value,
            **summary,
        },
    )
