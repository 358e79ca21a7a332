"""Run a case's job in the caller's thread: what ``triage run`` and the tests use.

The same two steps as the service: the uploads and a job are committed first, then the
job runs, so a crash in between leaves a queued job that any worker resumes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine

from app.cases import get_case
from app.db import session_scope
from app.errors import CaseFailedError
from app.jobs.process import JobResult, process_job
from app.models import CaseStatus
from app.pipeline import Upload, UploadOutcome, UploadReader, accept_uploads
from app.settings import Settings
from extractors.facts import FactRecord
from rules import Decision, Policy


@dataclass
class TriageResult:
    """A decided case: what was read, the facts, and the decision."""

    case_id: str
    outcomes: list[UploadOutcome] = field(default_factory=list)
    facts: FactRecord = field(default_factory=FactRecord)
    decision: Decision | None = None


class InlineJobQueue:
    """Runs each submitted job at once, in the submitting thread."""

    def __init__(self, *, engine: Engine, settings: Settings, policy: Policy) -> None:
        self.engine, self.settings, self.policy = engine, settings, policy
        self.results: list[JobResult] = []

    def submit(self, job_id: str) -> None:
        self.results.append(
            process_job(job_id, engine=self.engine, settings=self.settings, policy=self.policy)
        )

    def start(self) -> None:
        return None

    def stop(self, *, timeout_s: float = 30.0) -> None:
        return None

    def healthy(self) -> bool:
        return True


def run_triage(
    *,
    engine: Engine,
    uploads: Sequence[Upload],
    settings: Settings,
    policy: Policy,
    reference: str | None = None,
    case_id: str | None = None,
    reader: UploadReader | None = None,
) -> TriageResult:
    """Create (or continue) a case with these uploads and decide it, in the caller's thread.

    The same two steps as the service: the uploads and a job are committed first, then
    the job runs, so a crash in between leaves a queued job that any worker resumes.
    ``reader`` reads the uploads (see ``accept_uploads``).
    """
    accepted = accept_uploads(
        engine=engine,
        uploads=uploads,
        settings=settings,
        reference=reference,
        case_id=case_id,
        keep_refusals=True,
        reader=reader,
    )
    process_job(accepted.job_id, engine=engine, settings=settings, policy=policy)
    with session_scope(engine) as session:
        case = get_case(session=session, case_id=accepted.case_id)
        if case.status is CaseStatus.FAILED:
            raise CaseFailedError(case.id, case.error_code or "failed", case.error_message or "")
        facts = FactRecord.model_validate_json(case.facts_json or "{}")
        decision = Decision.model_validate_json(case.decision_json or "{}")
    return TriageResult(
        case_id=accepted.case_id, outcomes=accepted.outcomes, facts=facts, decision=decision
    )
