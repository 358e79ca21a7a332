"""What extraction errors do to the approvals, measured on CUAD's labels.

Expected: the policy decides a fact record built from a contract's gold labels (each CUAD
category as the fact path it stands for, ``extractors.classifier.categories``, and the
governing law CUAD names). Predicted: the same policy decides the record the product's own
triage extracted. Both records are cut down to the paths CUAD labels for that contract (every
other fact ``not_checked``), so a difference is an extraction error, never a fact CUAD cannot
see.
Only rules that grant an approval and can fire on CUAD-labelled facts alone are counted
(some conjunction of their condition tests only those, or asks another fact to be
``not_checked``): they then turn on what CUAD labels (uncapped liability without the
unlimited indemnity, a minimum commitment without its amount, termination for convenience
without saying by whom); a large deal's executive approval needs the contract value, which
CUAD does not label, and is not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table

from app.deciding import decide_with_settings
from app.settings import Settings
from evals.cuad.answers import governing_law_answers
from evals.cuad.corpus import CuadContract
from extractors.classifier.categories import CATEGORIES
from extractors.facts import Fact, FactRecord, FactStatus, Source, get_fact
from rules import CaseContext, Decision, Policy, decide
from rules.language import Leaf, to_dnf

GOVERNING_LAW = "legal.governing_law"
CUAD_PATHS: frozenset[str] = frozenset(c.path for c in CATEGORIES) | {GOVERNING_LAW}
# The policy lists England and Wales as one jurisdiction; CUAD names either or both.
_SPELLING = {"england": "England and Wales", "wales": "England and Wales"}


def gold_governing_law(answer: str) -> str | None:
    """The first jurisdiction a CUAD answer names, spelled as the policy spells it."""
    for part in answer.split(";"):
        names = sorted(governing_law_answers(part))
        if names:
            return _SPELLING.get(names[0], names[0].title())
    return None


def labelled_paths(contract: CuadContract) -> frozenset[str]:
    """The fact paths CUAD labels for ``contract``.

    Governing law counts where the answer is blank (no clause) or names a jurisdiction; an
    answer such as "the state in which the breach occurs" labels nothing the policy reads.
    """
    if not contract.governing_law or gold_governing_law(contract.governing_law):
        return CUAD_PATHS
    return CUAD_PATHS - {GOVERNING_LAW}


def record_of(facts: Mapping[str, Fact[Any]]) -> FactRecord:
    """A fact record holding ``facts`` by path, every other fact ``not_checked``."""
    record = FactRecord()
    by_section: dict[str, dict[str, Fact[Any]]] = {}
    for path, fact in facts.items():
        section, name = path.split(".", 1)
        by_section.setdefault(section, {})[name] = fact
    updates = {
        section: getattr(record, section).model_copy(update=values)
        for section, values in by_section.items()
    }
    return record.model_copy(update=updates)


def gold_record(contract: CuadContract) -> FactRecord:
    """The facts CUAD's lawyers label, restricted to what CUAD labels for the contract."""
    facts: dict[str, Fact[Any]] = {}
    for category in CATEGORIES:
        present = contract.present[category.key]
        facts[category.path] = (
            Fact(status=FactStatus.PRESENT, value=True, source=Source.PERSON)
            if present
            else Fact(status=FactStatus.NOT_FOUND, source=Source.PERSON)
        )
    if GOVERNING_LAW in labelled_paths(contract):
        law = gold_governing_law(contract.governing_law)
        facts[GOVERNING_LAW] = (
            Fact(status=FactStatus.PRESENT, value=law, source=Source.PERSON)
            if law
            else Fact(status=FactStatus.NOT_FOUND, source=Source.PERSON)
        )
    return record_of(facts)


def restrict(record: FactRecord, paths: frozenset[str]) -> FactRecord:
    """``record`` with only the facts at ``paths``; every other fact ``not_checked``."""
    return record_of({path: get_fact(record, path) for path in paths})


def _cuad_alone(conjunction: tuple[Leaf, ...]) -> bool:
    """Whether the conjunction can hold with every fact CUAD does not label ``not_checked``."""
    return any(leaf.fact_path in CUAD_PATHS for leaf in conjunction) and all(
        leaf.fact_path in CUAD_PATHS
        or (leaf.op == "status" and FactStatus.NOT_CHECKED.value in leaf.operand)  # type: ignore[operator]
        for leaf in conjunction
    )


def counted_rules(policy: Policy) -> dict[str, str]:
    """Rule id -> approval role, for the approval rules CUAD-labelled facts alone can fire."""
    return {
        rule.id: str(rule.then.approval.role)
        for rule in policy.rules
        if rule.then.approval is not None and any(map(_cuad_alone, to_dnf(rule.when)))
    }


def _fired(decision: Decision, counted: Mapping[str, str]) -> frozenset[str]:
    return frozenset(rule.id for rule in decision.fired_rules if rule.id in counted)


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


@dataclass
class CuadDecisions:
    """Expected and predicted approval rules of every contract scored so far."""

    policy: Policy
    settings: Settings
    counted: dict[str, str] = field(init=False)
    expected: dict[str, frozenset[str]] = field(default_factory=dict)
    predicted: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counted = counted_rules(self.policy)

    def add(self, contract: CuadContract, extracted: FactRecord) -> None:
        """Decide ``contract``'s gold record and its extracted record, both restricted."""
        gold = decide(gold_record(contract), policy=self.policy, engine="reference")
        ours = decide_with_settings(
            restrict(extracted, labelled_paths(contract)),
            policy=self.policy,
            context=CaseContext(),
            settings=self.settings,
        )
        self.expected[contract.contract_id] = _fired(gold, self.counted)
        self.predicted[contract.contract_id] = _fired(ours, self.counted)

    def _roles(self, fired: frozenset[str]) -> set[str]:
        return {self.counted[rule] for rule in fired}

    def figures(self, *, name_contracts: bool) -> dict[str, Any]:
        """Per role approval recall and precision, per rule false and missed firings.

        ``name_contracts`` lists the contracts behind each miss (development part only:
        nothing may be tuned on a sealed contract, so those are counted, never named).
        """
        roles: dict[str, Any] = {}
        for role in sorted(set(self.counted.values())):
            needed = {c for c, ids in self.expected.items() if role in self._roles(ids)}
            asked = {c for c, ids in self.predicted.items() if role in self._roles(ids)}
            roles[role] = {
                "expected": len(needed),
                "predicted": len(asked),
                "recall": _ratio(len(needed & asked), len(needed)),
                "precision": _ratio(len(needed & asked), len(asked)),
                **({"missed": sorted(needed - asked)} if name_contracts else {}),
            }
        rules: dict[str, Any] = {}
        for rule, role in self.counted.items():
            needed = {c for c, ids in self.expected.items() if rule in ids}
            fired = {c for c, ids in self.predicted.items() if rule in ids}
            rules[rule] = {
                "role": role,
                "expected": len(needed),
                "fired": len(fired),
                "false_firings": len(fired - needed),
                "missed_firings": len(needed - fired),
                **(
                    {"missed": sorted(needed - fired), "false": sorted(fired - needed)}
                    if name_contracts
                    else {}
                ),
            }
        same = sum(
            self._roles(self.expected[c]) == self._roles(self.predicted[c]) for c in self.expected
        )
        return {
            "contracts": len(self.expected),
            "same_approvals_share": _ratio(same, len(self.expected)),
            "roles": roles,
            "rules": rules,
        }


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def role_table(parts: Mapping[str, Mapping[str, Any]], title: str) -> Table:
    """Per role, each part's contracts needing the approval, its recall and precision."""
    table = Table(title=title)
    table.add_column("role")
    for name in parts:
        for column in ("needed", "asked", "recall", "precision"):
            table.add_column(f"{name} {column}", justify="right")
    first = next(iter(parts.values()))
    for role in first["roles"]:
        cells: list[str] = []
        for figures in parts.values():
            row = figures["roles"][role]
            cells += [str(row["expected"]), str(row["predicted"])]
            cells += [_cell(row["recall"]), _cell(row["precision"])]
        table.add_row(role, *cells)
    table.add_section()
    table.add_row(
        "same approvals",
        *[
            cell
            for figures in parts.values()
            for cell in ("", "", _cell(figures["same_approvals_share"]), "")
        ],
    )
    return table


def rule_table(parts: Mapping[str, Mapping[str, Any]], title: str) -> Table:
    """Per counted rule, each part's expected firings, false firings and missed firings."""
    table = Table(title=title)
    table.add_column("rule")
    for name in parts:
        for column in ("expected", "fired", "false", "missed"):
            table.add_column(f"{name} {column}", justify="right")
    first = next(iter(parts.values()))
    for rule in first["rules"]:
        cells: list[str] = []
        for figures in parts.values():
            row = figures["rules"][rule]
            cells += [str(row[key]) for key in ("expected", "fired")]
            cells += [str(row[key]) for key in ("false_firings", "missed_firings")]
        table.add_row(rule, *cells)
    return table
