"""Loading a policy directory: rules checked, compiled into durable_rules, and versioned."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rules.check import read_policy
from rules.durable_engine import DurableEvaluator, Keys
from rules.errors import InvalidPolicyError, PolicyIssue
from rules.language import Rule, leaves
from rules.normalise import Currencies
from rules.paths import path_table

DEFAULT_POLICY_DIR = Path(__file__).resolve().parent / "policy"


def policy_version(files: list[Path]) -> str:
    """Content hash of every rule file and the parameters, by file name."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda item: item.name):
        content = path.read_bytes()
        digest.update(f"{path.name}\0{len(content)}\0".encode())
        digest.update(content)
    return f"sha256:{digest.hexdigest()}"


@dataclass(frozen=True, eq=False)
class Policy:
    """A valid policy: its rules in file order, parameters, version and compiled engine."""

    directory: Path
    version: str
    rules: tuple[Rule, ...]
    parameters: Mapping[str, Any]
    currencies: Currencies
    # Every path a condition tests (values), and the facts they belong to (statuses).
    paths: tuple[str, ...]
    fact_paths: tuple[str, ...]
    durable: DurableEvaluator = field(repr=False)

    @cached_property
    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    @cached_property
    def order(self) -> dict[str, int]:
        return {rule.id: index for index, rule in enumerate(self.rules)}


def check_policy(directory: Path) -> list[PolicyIssue]:
    """Every problem in the policy at ``directory`` (none when valid), compilation included."""
    source = read_policy(directory)
    if source.issues:
        return source.issues
    try:
        _build(directory)
    except InvalidPolicyError as error:
        return error.issues
    return []


def load_policy(directory: Path | None = None) -> Policy:
    """The policy at ``directory`` (default: the shipped one); raises ``InvalidPolicyError``."""
    return _build(directory or DEFAULT_POLICY_DIR)


def _build(directory: Path) -> Policy:
    source = read_policy(directory)
    if source.issues:
        raise InvalidPolicyError(source.issues)
    rules = tuple(source.rules)
    table = path_table()
    used = {leaf.path for rule in rules for leaf in leaves(rule.when)}
    paths = tuple(path for path in table if path in used)
    fact_paths = tuple(dict.fromkeys(table[path].fact_path for path in paths))
    status_paths = tuple(
        dict.fromkeys(
            leaf.fact_path for rule in rules for leaf in leaves(rule.when) if leaf.op == "status"
        )
    )
    keys = Keys(paths, status_paths)
    return Policy(
        directory=directory,
        version=policy_version(source.files),
        rules=rules,
        parameters=source.parameters,
        currencies=source.currencies,
        paths=paths,
        fact_paths=fact_paths,
        durable=DurableEvaluator(rules, keys),
    )
