"""Stored cases as replay input: the facts each decided case saw, and its context."""

from __future__ import annotations

from collections.abc import Iterator

from sqlmodel import Session, col, select

from app.ai.models import CaseModelReading
from app.cases import case_documents
from app.models import Case, DocumentStatus
from extractors.facts import FactRecord
from rules import CaseContext, ReplayCase


def case_context(*, session: Session, case_id: str) -> CaseContext:
    """The case-level inputs of the decision, rebuilt from what was stored."""
    refused = [
        row.filename or row.sha256
        for row in case_documents(session=session, case_id=case_id)
        if row.status is DocumentStatus.REFUSED
    ]
    return CaseContext(unreadable_documents=refused)


def stored_replay_cases(*, session: Session) -> Iterator[ReplayCase]:
    """Every case that has facts, oldest first, ready to be decided again."""
    statement = select(Case).where(col(Case.facts_json).is_not(None)).order_by(col(Case.created_at))
    for case in session.exec(statement):
        reading = session.get(CaseModelReading, case.id)
        advisory = reading.advisory_facts_json if reading is not None else None
        yield ReplayCase(
            case_id=case.id,
            facts=FactRecord.model_validate_json(case.facts_json or "{}"),
            context=case_context(session=session, case_id=case.id),
            advisory_facts=FactRecord.model_validate_json(advisory) if advisory else None,
        )
