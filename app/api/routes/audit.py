"""``/v1/cases/{case_id}/audit``: a case's audit trail, in order, with its hashes checked."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.api.deps import SessionDep
from app.api.openapi import problem_responses
from app.audit.models import AuditEvent
from app.audit.verify import BreakKind, ChainBreak, case_events, check_case_chain
from app.errors import CaseNotFoundError
from app.models import Case

router = APIRouter(prefix="/cases", tags=["audit"])


class AuditEventPublic(BaseModel):
    """One event of the trail: what happened, who did it, and the hashes that chain it."""

    id: int
    case_seq: int | None = Field(description="Its place in the case's chain: 1, 2, 3 ...")
    kind: str
    actor: str | None
    data: dict[str, Any]
    created_at: datetime
    prev_case_hash: str | None = Field(description="The hash of the case's event before it.")
    prev_hash: str | None = Field(description="The hash of the event before it, of any case.")
    hash: str = Field(description="SHA-256 over its content and both previous hashes.")

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventPublic:
        assert event.id is not None  # a stored row
        return cls(
            id=event.id,
            case_seq=event.case_seq,
            kind=event.kind,
            actor=event.actor,
            data=json.loads(event.data_json),
            created_at=event.created_at,
            prev_case_hash=event.prev_case_hash,
            prev_hash=event.prev_hash,
            hash=event.hash,
        )


class AuditBreak(BaseModel):
    """Where the case's chain does not hold, and what that means."""

    event_id: int
    case_seq: int | None
    kind: BreakKind = Field(
        description="edited (content does not match its hash), broken_link (a row before it "
        "was deleted or rows were reordered) or seq_gap (an event of the case was deleted)."
    )
    detail: str

    @classmethod
    def of(cls, found: ChainBreak) -> AuditBreak:
        return cls(
            event_id=found.event_id, case_seq=found.case_seq, kind=found.kind, detail=found.detail
        )


class CaseAudit(BaseModel):
    """A case's audit trail, oldest first."""

    case_id: str
    verified: bool = Field(
        description="Every event's hash recomputed and every link of the case's chain followed "
        "(the global chain across cases: `triage audit verify`)."
    )
    breaks: list[AuditBreak]
    events: list[AuditEventPublic]


@router.get("/{case_id}/audit", response_model=CaseAudit, responses=problem_responses(404))
def read_case_audit(case_id: str, session: SessionDep) -> CaseAudit:
    """Every state change, decision, correction, approval and reset of the case, in order."""
    if session.get(Case, case_id) is None:
        raise CaseNotFoundError(case_id)
    events = case_events(session=session, case_id=case_id)
    breaks = list(check_case_chain(events))
    return CaseAudit(
        case_id=case_id,
        verified=not breaks,
        breaks=[AuditBreak.of(found) for found in breaks],
        events=[AuditEventPublic.of(event) for event in events],
    )
