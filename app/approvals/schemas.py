"""What the approval and correction endpoints accept and answer (never the table models)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.approvals.basis import load_basis
from app.approvals.lifecycle import removal_pending_roles
from app.approvals.models import ApprovalRecord, ApprovalState, Correction
from app.models import CaseStatus
from rules import Decision


class ApprovalDecisionRequest(BaseModel):
    """An approver's decision on their role's approval of a case."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["grant", "reject", "confirm_removal"] = Field(
        description="grant or reject the approval; confirm_removal agrees that a correction "
        "removes an approval the documents asked for."
    )
    comment: str | None = Field(
        default=None,
        max_length=4000,
        description="Why; required to reject (the case goes back with it) and to confirm a "
        "removal.",
    )


class ApprovalPublic(BaseModel):
    """One role's approval of a case: where it stands, by when, and why it is needed."""

    role: str
    state: ApprovalState
    reasons: list[str]
    rules: list[str]
    basis: dict[str, Any] = Field(description="The facts it rests on, path -> value.")
    requested_at: datetime
    due_at: datetime | None
    reminded_at: datetime | None
    escalated_at: datetime | None
    decided_at: datetime | None
    decided_by: str | None = Field(description="The user id of who decided it.")
    approver: str | None = Field(description="The e-mail of who decided it.")
    comment: str | None
    reset_cause: str | None = Field(description="Why a decided approval was asked again.")
    removal_pending_confirmation: bool = Field(
        description="A correction would drop it; it stays required until a person holding "
        "its role confirms the removal."
    )

    @classmethod
    def of(
        cls, record: ApprovalRecord, *, pending_removal: bool, people: Mapping[str, str]
    ) -> ApprovalPublic:
        return cls(
            role=record.role,
            state=record.state,
            reasons=json.loads(record.reasons_json),
            rules=json.loads(record.rules_json),
            basis=load_basis(record.basis_json),
            requested_at=record.requested_at,
            due_at=record.due_at,
            reminded_at=record.reminded_at,
            escalated_at=record.escalated_at,
            decided_at=record.decided_at,
            decided_by=record.decided_by,
            approver=people.get(record.decided_by or ""),
            comment=record.comment,
            reset_cause=record.reset_cause,
            removal_pending_confirmation=pending_removal,
        )


def approvals_public(
    records: Sequence[ApprovalRecord], decision: Decision | None, people: Mapping[str, str]
) -> list[ApprovalPublic]:
    """The records as the API shows them, each flagged when only a confirmation keeps it."""
    pending = removal_pending_roles(decision, records)
    return [ApprovalPublic.of(r, pending_removal=r.role in pending, people=people) for r in records]


class ApprovalList(BaseModel):
    """Every approval record of a case, expired ones included."""

    case_id: str
    case_status: CaseStatus
    items: list[ApprovalPublic]


class ApprovalDecided(BaseModel):
    """The approval after the decision, and where that leaves the case."""

    case_id: str
    case_status: CaseStatus
    approval: ApprovalPublic


class CorrectionRequest(BaseModel):
    """A person's correction of one fact of a case."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(max_length=120, description="The fact, e.g. commercial.payment_terms_days.")
    value: Any = Field(
        description="The right value, of the fact's type; null when the term is not in the "
        "contract."
    )
    reason: str = Field(min_length=1, max_length=4000, description="Why the fact was wrong.")
    quote: str | None = Field(
        default=None,
        max_length=4000,
        description="The words of the document that say so; must be found in a document.",
    )


class DecisionBrief(BaseModel):
    path: str
    tier: int
    approvals: list[str]

    @classmethod
    def of(cls, raw: str | None) -> DecisionBrief | None:
        if raw is None:
            return None
        decision = Decision.model_validate_json(raw)
        return cls(
            path=decision.path.value,
            tier=decision.tier,
            approvals=[a.role.value for a in decision.approvals],
        )


class CorrectionPublic(BaseModel):
    """A correction, who made it, and the decision before and after it."""

    id: int
    path: str
    old: Any = Field(description="The fact as it was (status, value, source ...).")
    new: Any = Field(description="The fact as corrected.")
    reason: str
    quote: str | None
    corrected_by: str = Field(description="The user id of who corrected it.")
    corrector: str | None = Field(description="Their e-mail.")
    created_at: datetime
    decision_before: DecisionBrief | None
    decision_after: DecisionBrief | None

    @classmethod
    def of(cls, correction: Correction, *, people: Mapping[str, str]) -> CorrectionPublic:
        assert correction.id is not None
        return cls(
            id=correction.id,
            path=correction.path,
            old=json.loads(correction.old_json) if correction.old_json else None,
            new=json.loads(correction.new_json),
            reason=correction.reason,
            quote=correction.quote,
            corrected_by=correction.user_id,
            corrector=people.get(correction.user_id),
            created_at=correction.created_at,
            decision_before=DecisionBrief.of(correction.decision_before_json),
            decision_after=DecisionBrief.of(correction.decision_after_json),
        )


class CorrectionList(BaseModel):
    case_id: str
    items: list[CorrectionPublic]


class CorrectionResult(BaseModel):
    """The stored correction, the case's new status and its approvals after the re-decision."""

    correction: CorrectionPublic
    case_status: CaseStatus
    approvals: list[ApprovalPublic]
