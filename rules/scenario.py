"""Scenario tests as data: given facts (and context), the expected path, tier, approvals and rules.

A scenario file (``rules/scenarios/*.yaml``) holds ``defaults`` (facts every scenario starts
from) and ``scenarios``. Facts are written by path: a bare value means "present with this
value" (from a deterministic extractor, with a quote); a mapping with ``status`` and/or
``value`` (and optionally ``source``, ``grounded``) spells the fact out. Unlisted facts are
``not_checked``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractors.facts import FactRecord, FactStatus, Source
from rules.context import CaseContext
from rules.decide import decide
from rules.decision import ApprovalRole, Decision, OnboardingPath
from rules.errors import PolicyError
from rules.loader import Policy
from rules.yamlsource import YamlSyntaxError, read_yaml

DEFAULT_SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
_SPEC_KEYS = frozenset({"status", "value", "source", "grounded"})


class Expectation(BaseModel):
    """What the decision must be; ``rules`` is the exact set of fired rules."""

    model_config = ConfigDict(extra="forbid")

    path: OnboardingPath
    tier: int
    approvals: list[ApprovalRole]
    rules: list[str]
    flags: list[str] | None = None
    information: list[str] | None = None


class Scenario(BaseModel):
    """One named case of a scenario file."""

    model_config = ConfigDict(extra="forbid")

    name: str
    file: str = ""
    line: int = 0
    facts: dict[str, Any] = Field(default_factory=dict)
    context: CaseContext | None = None
    expect: Expectation


def _fact(path: str, spec: Any) -> dict[str, Any]:
    if (
        isinstance(spec, dict)
        and spec
        and set(spec) <= _SPEC_KEYS
        and ({"status", "value"} & set(spec))
    ):
        fact = {"status": FactStatus.PRESENT.value if "value" in spec else spec["status"], **spec}
    else:
        fact = {"status": FactStatus.PRESENT.value, "value": spec}
    if fact["status"] == FactStatus.PRESENT.value:
        fact.setdefault("source", Source.PATTERN.value)
        quote = f"clause on {path}"
        fact.setdefault("evidence", [{"page": 1, "start": 0, "end": len(quote), "quote": quote}])
    return fact


def build_facts(facts: dict[str, Any]) -> FactRecord:
    """A FactRecord from scenario shorthand (``section.field: value`` or a fact spec)."""
    sections: dict[str, dict[str, Any]] = {}
    for path, spec in facts.items():
        section, _, name = path.partition(".")
        sections.setdefault(section, {})[name] = _fact(path, spec)
    try:
        return FactRecord.model_validate(sections)
    except ValidationError as error:
        raise PolicyError(f"scenario facts do not fit the fact schema: {error}") from error


def load_scenarios(directory: Path = DEFAULT_SCENARIO_DIR) -> list[Scenario]:
    """Every scenario of every ``*.yaml`` file in ``directory``, defaults applied."""
    scenarios: list[Scenario] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            document = read_yaml(path, path.name)
        except YamlSyntaxError as error:
            raise PolicyError(f"{error.file}:{error.line}: {error.message}") from error
        data = document.data or {}
        defaults = (data.get("defaults") or {}).get("facts", {})
        for index, raw in enumerate(data.get("scenarios") or []):
            try:
                scenario = Scenario.model_validate(
                    {
                        **raw,
                        "file": path.name,
                        "line": document.line_of(("scenarios", index)),
                        "facts": {**defaults, **raw.get("facts", {})},
                    }
                )
            except ValidationError as error:
                raise PolicyError(
                    f"{path.name}:{document.line_of(('scenarios', index))}: "
                    f"invalid scenario: {error}"
                ) from error
            scenarios.append(scenario)
    return scenarios


def mismatches(scenario: Scenario, decision: Decision) -> list[str]:
    """How ``decision`` differs from what ``scenario`` expects (empty when it matches)."""
    expect = scenario.expect
    found: list[str] = []

    def compare(name: str, wanted: Any, got: Any) -> None:
        if wanted != got:
            found.append(f"{name}: expected {wanted}, got {got}")

    compare("path", expect.path.value, decision.path.value)
    compare("tier", expect.tier, decision.tier)
    compare(
        "approvals",
        sorted(role.value for role in expect.approvals),
        sorted(a.role.value for a in decision.approvals),
    )
    compare("rules", sorted(expect.rules), sorted(rule.id for rule in decision.fired_rules))
    if expect.flags is not None:
        compare("flags", sorted(expect.flags), decision.risk_flags)
    if expect.information is not None:
        compare(
            "information",
            sorted(expect.information),
            sorted({need.path for need in decision.information_needed}),
        )
    return found


def run_scenario(
    scenario: Scenario, *, policy: Policy, engine: str = "durable"
) -> tuple[Decision, list[str]]:
    """Decide ``scenario`` and say how the decision differs from the expectation."""
    decision = decide(
        build_facts(scenario.facts), policy=policy, context=scenario.context, engine=engine
    )
    return decision, mismatches(scenario, decision)
