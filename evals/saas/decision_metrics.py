"""Scoring decisions against a bundle's ``decision`` label: what the user of the triage sees.

Users judge approvals and paths, not facts: an approval the policy requires and the triage
missed, an approval that must not fire and did, a clean deal routed to somebody, a path
outside its bounds, and a case parked in ``needs_information`` although its documents state
what is needed are each counted here, per bundle and summed over a set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from evals.saas.labels import ExpectedDecision
from rules import ApprovalRole, Decision, OnboardingPath
from rules.decision import path_rank

ROLES: tuple[ApprovalRole, ...] = tuple(ApprovalRole)
NEEDS = OnboardingPath.NEEDS_INFORMATION


def bounds_text(expected: ExpectedDecision) -> str:
    """The expected path as a reader writes it: one path, or ``low..high``."""
    low, high = expected.path_bounds
    return low.value if low == high else f"{low.value}..{high.value}"


def path_within(expected: ExpectedDecision, predicted: OnboardingPath) -> bool:
    """Whether the predicted path is the expected one or within the expected bounds."""
    low, high = expected.path_bounds
    if NEEDS in (low, high) or predicted is NEEDS:
        return low == high == predicted
    return path_rank(low) <= path_rank(predicted) <= path_rank(high)


@dataclass(frozen=True)
class BundleVerdict:
    """How one bundle's decision compares with its label."""

    bundle: str
    expected: ExpectedDecision
    predicted_path: OnboardingPath
    fired_roles: frozenset[ApprovalRole]
    missed: frozenset[ApprovalRole]
    spurious: frozenset[ApprovalRole]
    path_ok: bool
    needs_information_reasons: tuple[str, ...]
    # rule id -> the approval role it asks for (None for path and information rules)
    fired_rules: tuple[tuple[str, ApprovalRole | None], ...]
    error: str | None = None

    @property
    def clean(self) -> bool:
        return self.expected.clean

    @property
    def predicted_needs_information(self) -> bool:
        return self.predicted_path is NEEDS

    @property
    def mistakes(self) -> int:
        """How much is wrong for the user: each missed or spurious role, a wrong path."""
        return len(self.missed) + len(self.spurious) + (not self.path_ok)

    def causes(self) -> list[str]:
        """Plain sentences saying what went wrong, for the worst-cases table."""
        said: list[str] = []
        if self.error:
            said.append(f"failed: {self.error}")
        because = {approval.role: approval.because for approval in self.expected.approvals}
        said += [f"missed {role.value} ({because[role]})" for role in sorted(self.missed)]
        for role in sorted(self.spurious):
            rules = [rule for rule, asked in self.fired_rules if asked is role]
            said.append(f"needless {role.value} ({', '.join(rules)})")
        if not self.path_ok:
            said.append(f"path {self.predicted_path.value}, expected {bounds_text(self.expected)}")
        if self.predicted_needs_information and not self.expected.needs_information:
            said.append("asks for " + "; ".join(self.needs_information_reasons))
        return said


def judge(
    bundle: str, expected: ExpectedDecision, decision: Decision | None, *, error: str | None = None
) -> BundleVerdict:
    """Compare one decision (None when the triage failed) with the bundle's label."""
    if decision is None:
        fired: frozenset[ApprovalRole] = frozenset()
        path = NEEDS
        reasons: tuple[str, ...] = ("the triage failed",)
        rules: tuple[tuple[str, ApprovalRole | None], ...] = ()
    else:
        fired = frozenset(decision.approval_roles)
        path = decision.path
        reasons = tuple(sorted({need.reason for need in decision.information_needed}))
        asked = {rule: approval.role for approval in decision.approvals for rule in approval.rules}
        rules = tuple((rule.id, asked.get(rule.id)) for rule in decision.fired_rules)
    return BundleVerdict(
        bundle=bundle,
        expected=expected,
        predicted_path=path,
        fired_roles=fired,
        missed=frozenset(expected.required_roles - fired),
        spurious=frozenset(set(expected.must_not) & fired),
        path_ok=path_within(expected, path),
        needs_information_reasons=reasons,
        fired_rules=rules,
        error=error,
    )


@dataclass(frozen=True)
class RoleFigures:
    """One approval role over a set: how often it was required, fired, missed, needless."""

    required: int
    found: int
    forbidden: int
    needless: int

    @property
    def recall(self) -> float | None:
        return self.found / self.required if self.required else None

    @property
    def precision(self) -> float | None:
        fired = self.found + self.needless
        return self.found / fired if fired else None


@dataclass
class DecisionFigures:
    """Decision quality over a set of bundles."""

    verdicts: list[BundleVerdict] = field(default_factory=list)

    @property
    def bundles(self) -> int:
        return len(self.verdicts)

    def role(self, role: ApprovalRole) -> RoleFigures:
        """Counts for one role."""
        required = [v for v in self.verdicts if role in v.expected.required_roles]
        forbidden = [v for v in self.verdicts if role in v.expected.must_not]
        return RoleFigures(
            required=len(required),
            found=sum(role in v.fired_roles for v in required),
            forbidden=len(forbidden),
            needless=sum(role in v.fired_roles for v in forbidden),
        )

    @property
    def approval_recall(self) -> float | None:
        roles = [self.role(role) for role in ROLES]
        required = sum(r.required for r in roles)
        return sum(r.found for r in roles) / required if required else None

    @property
    def approval_precision(self) -> float | None:
        roles = [self.role(role) for role in ROLES]
        fired = sum(r.found + r.needless for r in roles)
        return sum(r.found for r in roles) / fired if fired else None

    @property
    def forbidden_fired_share(self) -> float | None:
        """Of the approvals that must not fire, the share that fired."""
        roles = [self.role(role) for role in ROLES]
        forbidden = sum(r.forbidden for r in roles)
        return sum(r.needless for r in roles) / forbidden if forbidden else None

    @property
    def clean(self) -> list[BundleVerdict]:
        return [v for v in self.verdicts if v.clean]

    @property
    def clean_share_no_approval(self) -> float | None:
        """Share of clean deals that got no approval at all."""
        clean = self.clean
        return sum(not v.fired_roles for v in clean) / len(clean) if clean else None

    @property
    def spurious_per_clean_deal(self) -> float | None:
        clean = self.clean
        return sum(len(v.fired_roles) for v in clean) / len(clean) if clean else None

    @property
    def path_share(self) -> float | None:
        """Share of bundles whose path is right or within the expected bounds."""
        return sum(v.path_ok for v in self.verdicts) / self.bundles if self.bundles else None

    @property
    def needs_information_rate(self) -> float | None:
        count = sum(v.predicted_needs_information for v in self.verdicts)
        return count / self.bundles if self.bundles else None

    @property
    def needs_information_wrong(self) -> int:
        """Cases asking for information that their label says is there (or the reverse)."""
        return sum(
            v.predicted_needs_information != v.expected.needs_information for v in self.verdicts
        )

    def needs_information_reasons(self) -> Counter[str]:
        """Why cases asked for information that their label says they have."""
        reasons: Counter[str] = Counter()
        for v in self.verdicts:
            if v.predicted_needs_information and not v.expected.needs_information:
                reasons.update(v.needs_information_reasons)
        return reasons

    def confusion(self) -> Counter[tuple[str, str]]:
        """(expected path or bounds, predicted path) -> bundles."""
        return Counter((bounds_text(v.expected), v.predicted_path.value) for v in self.verdicts)

    def rule_firings(self) -> dict[str, tuple[int, int]]:
        """rule id -> (times fired, times fired where it was wrong).

        An approval rule fired wrongly when its role must not fire on that bundle; an
        information rule when the label says the case has what it needs.
        """
        firings: dict[str, list[int]] = {}
        for v in self.verdicts:
            for rule, role in v.fired_rules:
                counts = firings.setdefault(rule, [0, 0])
                counts[0] += 1
                wrong_role = role is not None and role in v.expected.must_not
                wrong_need = rule.startswith("information.") and not v.expected.needs_information
                counts[1] += wrong_role or wrong_need
        return {rule: (fired, wrong) for rule, (fired, wrong) in sorted(firings.items())}

    def worst(self, limit: int = 10) -> list[BundleVerdict]:
        """The bundles with the most mistakes, most first."""
        wrong = [v for v in self.verdicts if v.mistakes or v.error]
        return sorted(wrong, key=lambda v: (-v.mistakes, v.bundle))[:limit]

    def summary(self) -> dict[str, Any]:
        """The headline figures, as JSON data."""
        return {
            "bundles": self.bundles,
            "clean_deals": len(self.clean),
            "approval_recall": _round(self.approval_recall),
            "approval_precision": _round(self.approval_precision),
            "forbidden_fired_share": _round(self.forbidden_fired_share),
            "clean_share_no_approval": _round(self.clean_share_no_approval),
            "spurious_per_clean_deal": _round(self.spurious_per_clean_deal),
            "path_share": _round(self.path_share),
            "needs_information_rate": _round(self.needs_information_rate),
            "needs_information_wrong": self.needs_information_wrong,
            "errors": sum(v.error is not None for v in self.verdicts),
            "roles": {
                role.value: {
                    "required": (figures := self.role(role)).required,
                    "found": figures.found,
                    "forbidden": figures.forbidden,
                    "needless": figures.needless,
                    "recall": _round(figures.recall),
                    "precision": _round(figures.precision),
                }
                for role in ROLES
            },
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def figures_of(verdicts: Iterable[BundleVerdict]) -> DecisionFigures:
    """Figures over these verdicts."""
    return DecisionFigures(list(verdicts))


# Targets the product is held to; a figure is reported beside its target, never tuned to it.
TARGETS: dict[str, tuple[str, float]] = {
    "approval_recall": (">=", 0.98),
    "forbidden_fired_share": ("<=", 0.05),
    "clean_share_no_approval": (">=", 0.90),
    "path_share": (">=", 0.90),
}


def meets(name: str, value: float | None) -> bool | None:
    """Whether a headline figure meets its target (None when it has no target or no value)."""
    if name not in TARGETS or value is None:
        return None
    op, bound = TARGETS[name]
    return value >= bound if op == ">=" else value <= bound


def unlabelled(names: Sequence[str]) -> str:
    """A sentence naming bundles that carry no decision label."""
    return "no decision label: " + ", ".join(names) if names else ""
