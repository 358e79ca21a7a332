"""The result of deciding a case: path, tier, approvals, flags, and the reasons for each."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class OnboardingPath(StrEnum):
    """Where a case goes; ``needs_information`` blocks every other path until facts are complete."""

    SELF_SERVE = "self_serve"
    STANDARD = "standard"
    ASSISTED = "assisted"
    ENTERPRISE = "enterprise"
    NEEDS_INFORMATION = "needs_information"


# Strictness order; the strictest path asked for by any fired rule wins.
PATH_ORDER: tuple[OnboardingPath, ...] = tuple(OnboardingPath)


def path_rank(path: OnboardingPath) -> int:
    """Position of ``path`` in the strictness order (higher is stricter)."""
    return PATH_ORDER.index(path)


class ApprovalRole(StrEnum):
    """The people who can grant an approval before provisioning."""

    LEGAL = "legal"
    FINANCE = "finance"
    SECURITY = "security"
    TAX = "tax"
    EXECUTIVE = "executive"


class InformationKind(StrEnum):
    MISSING = "missing"
    CONTRADICTORY = "contradictory"


MIN_TIER = 1
MAX_TIER = 4


class EvidenceRef(BaseModel):
    """Where a fact was read: document, page, character offsets and the exact quote."""

    model_config = ConfigDict(frozen=True)

    document_id: str | None = None
    page: int
    start: int
    end: int
    quote: str


class FactRef(BaseModel):
    """A fact as the rules saw it, with the evidence behind it."""

    model_config = ConfigDict(frozen=True)

    path: str
    status: str
    value: Any = None
    source: str | None = None
    evidence: list[EvidenceRef] = Field(default_factory=list)


class FiredRule(BaseModel):
    """A rule that fired, the facts that made it fire, and what it asked for."""

    model_config = ConfigDict(frozen=True)

    id: str
    description: str
    file: str
    facts: list[FactRef]
    # True when the rule fired only once grounded AI facts were added.
    advisory: bool = False


class Approval(BaseModel):
    """One role's sign-off, with every reason that asked for it and the decision SLA."""

    model_config = ConfigDict(frozen=True)

    role: ApprovalRole
    reasons: list[str]
    rules: list[str]
    # Business hours the approver has to decide; the service turns it into a due time.
    due_business_hours: int


class InformationNeed(BaseModel):
    """A fact that is missing or contradictory, so the case cannot be decided yet."""

    model_config = ConfigDict(frozen=True)

    path: str
    kind: InformationKind
    reason: str
    rule: str


class Decision(BaseModel):
    """The decision for one case; serialised canonically so equal decisions are equal bytes."""

    model_config = ConfigDict(frozen=True)

    path: OnboardingPath
    tier: int = Field(ge=MIN_TIER, le=MAX_TIER)
    approvals: list[Approval]
    risk_flags: list[str]
    fired_rules: list[FiredRule]
    information_needed: list[InformationNeed]
    ruleset_version: str
    engine: str

    @property
    def approval_roles(self) -> list[ApprovalRole]:
        return [approval.role for approval in self.approvals]

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, no spaces, UTF-8 text; equal decisions give equal bytes."""
        return json.dumps(
            self.model_dump(mode="json"),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
        )
