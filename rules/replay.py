"""Replaying past cases against another rule set to see which decisions would change, and why."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractors.facts import FactRecord
from rules.context import CaseContext
from rules.decide import decide, decide_advisory
from rules.decision import Decision, OnboardingPath
from rules.errors import PolicyError
from rules.loader import Policy


class ReplayCase(BaseModel):
    """One stored case: its id, the facts it was decided on, and its context.

    On disk (``--facts DIR``) each case is one ``*.json`` file holding exactly this object:
    ``{"case_id": "...", "facts": {FactRecord}, "context": {CaseContext}}`` (context optional).
    """

    model_config = ConfigDict(extra="forbid")

    case_id: str
    facts: FactRecord
    context: CaseContext | None = None
    # Deterministic plus grounded model facts, where a model read the case: its decision is
    # the advisory one over both, and replay decides it the same way.
    advisory_facts: FactRecord | None = None


class DecisionChange(BaseModel):
    """How one case's decision differs between two rule sets, and the rules responsible."""

    case_id: str
    old_path: OnboardingPath
    new_path: OnboardingPath
    old_tier: int
    new_tier: int
    approvals_added: list[str]
    approvals_removed: list[str]
    flags_added: list[str]
    flags_removed: list[str]
    rules_now_firing: list[str]
    rules_no_longer_firing: list[str]


class ReplayReport(BaseModel):
    """The outcome of a replay: versions compared, cases seen, and every changed decision."""

    old_version: str
    new_version: str
    cases: int = 0
    changed: list[DecisionChange] = Field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return self.cases - len(self.changed)


def _difference(case_id: str, old: Decision, new: Decision) -> DecisionChange | None:
    old_roles = [approval.role.value for approval in old.approvals]
    new_roles = [approval.role.value for approval in new.approvals]
    old_rules = [rule.id for rule in old.fired_rules]
    new_rules = [rule.id for rule in new.fired_rules]
    change = DecisionChange(
        case_id=case_id,
        old_path=old.path,
        new_path=new.path,
        old_tier=old.tier,
        new_tier=new.tier,
        approvals_added=[role for role in new_roles if role not in old_roles],
        approvals_removed=[role for role in old_roles if role not in new_roles],
        flags_added=[flag for flag in new.risk_flags if flag not in old.risk_flags],
        flags_removed=[flag for flag in old.risk_flags if flag not in new.risk_flags],
        rules_now_firing=[rule for rule in new_rules if rule not in old_rules],
        rules_no_longer_firing=[rule for rule in old_rules if rule not in new_rules],
    )
    same = (
        old.path == new.path
        and old.tier == new.tier
        and old_roles == new_roles
        and old.risk_flags == new.risk_flags
        and old_rules == new_rules
        and old.information_needed == new.information_needed
    )
    return None if same else change


def replay(
    cases: Iterable[ReplayCase], *, old: Policy, new: Policy, engine: str = "durable"
) -> ReplayReport:
    """Decide every case under ``old`` and ``new``; report the decisions that differ."""
    report = ReplayReport(old_version=old.version, new_version=new.version)
    for case in cases:
        report.cases += 1
        before = _decide(case, old, engine)
        after = _decide(case, new, engine)
        change = _difference(case.case_id, before, after)
        if change is not None:
            report.changed.append(change)
    return report


def _decide(case: ReplayCase, policy: Policy, engine: str) -> Decision:
    if case.advisory_facts is None:
        return decide(case.facts, policy=policy, context=case.context, engine=engine)
    return decide_advisory(
        case.facts, case.advisory_facts, policy=policy, context=case.context, engine=engine
    )


def read_replay_cases(directory: Path) -> Iterator[ReplayCase]:
    """The cases stored as ``*.json`` files in ``directory``, in file-name order."""
    if not directory.is_dir():
        raise PolicyError(f"{directory}: not a directory of case files")
    for path in sorted(directory.glob("*.json")):
        try:
            yield ReplayCase.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, ValidationError) as error:
            raise PolicyError(f"{path.name}: not a replay case ({error})") from error
