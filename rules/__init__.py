"""DECIDE: the onboarding policy as data, evaluated by durable_rules (and a reference evaluator)."""

from rules.context import CaseContext
from rules.decide import decide, decide_advisory
from rules.decision import (
    Approval,
    ApprovalRole,
    Decision,
    FactRef,
    FiredRule,
    InformationKind,
    InformationNeed,
    OnboardingPath,
)
from rules.errors import EngineError, FactsError, InvalidPolicyError, PolicyError, PolicyIssue
from rules.loader import DEFAULT_POLICY_DIR, Policy, check_policy, load_policy
from rules.replay import DecisionChange, ReplayCase, ReplayReport, read_replay_cases, replay

__all__ = [
    "DEFAULT_POLICY_DIR",
    "Approval",
    "ApprovalRole",
    "CaseContext",
    "Decision",
    "DecisionChange",
    "EngineError",
    "FactRef",
    "FactsError",
    "FiredRule",
    "InformationKind",
    "InformationNeed",
    "InvalidPolicyError",
    "OnboardingPath",
    "Policy",
    "PolicyError",
    "PolicyIssue",
    "ReplayCase",
    "ReplayReport",
    "check_policy",
    "decide",
    "decide_advisory",
    "load_policy",
    "read_replay_cases",
    "replay",
]
