"""Reading a policy directory into rules, with every problem found (file, line, sentence)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from rules.decision import ApprovalRole, InformationKind, OnboardingPath
from rules.errors import PolicyIssue
from rules.language import (
    LIST_OPERANDS,
    OPERATOR_KINDS,
    OPERATORS,
    STATUS_OPERATOR,
    AllOf,
    AnyOf,
    ApprovalEffect,
    Condition,
    Effects,
    InformationEffect,
    Leaf,
    Operand,
    Rule,
    Scalar,
    Tagged,
    TooComplexError,
    tags_used,
    to_dnf,
    unsatisfiable_path,
)
from rules.normalise import STATUSES, Currencies, normalise_number, normalise_text
from rules.paths import Kind, PathInfo, path_table
from rules.yamlsource import Location, YamlDocument, YamlSyntaxError, read_yaml

PARAMETERS_FILE = "parameters.yaml"
ROLES = ", ".join(role.value for role in ApprovalRole)


SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


@cache
def _validator(name: str) -> Draft202012Validator:
    text = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    return Draft202012Validator(json.loads(text))


def rule_file_schema() -> dict[str, Any]:
    """The shipped JSON Schema of a rule file (for editors and for ``rules check``)."""
    schema = _validator("policy.schema.json").schema
    assert isinstance(schema, dict)
    return schema


@dataclass
class PolicySource:
    """What a policy directory holds once read, plus the problems found in it."""

    directory: Path
    files: list[Path] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    currencies: Currencies = field(default_factory=lambda: Currencies("USD", {"USD": 1.0}))
    rules: list[Rule] = field(default_factory=list)
    issues: list[PolicyIssue] = field(default_factory=list)


def _describe(location: Sequence[str | int], data: Any) -> str:
    """A readable name for a place in a rule file, e.g. ``rule 'legal.mfn', when.any[1]``."""
    if len(location) >= 2 and location[0] == "rules" and isinstance(location[1], int):
        rules = data.get("rules") if isinstance(data, dict) else None
        rule = rules[location[1]] if isinstance(rules, list) and location[1] < len(rules) else None
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        head = f"rule '{rule_id}'" if isinstance(rule_id, str) else f"rule #{location[1] + 1}"
        rest = location[2:]
    else:
        head, rest = "", location
    text = ""
    for part in rest:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return ", ".join(part for part in (head, text) if part) or "the file"


def _schema_issues(document: YamlDocument, schema: str) -> list[PolicyIssue]:
    issues = []
    errors = sorted(
        _validator(schema).iter_errors(document.data),
        key=lambda e: list(e.absolute_path).__repr__(),
    )
    for error in errors:
        chosen: ValidationError = best_match([error])
        location: Location = tuple(chosen.absolute_path)
        if chosen.validator == "additionalProperties" and isinstance(chosen.instance, dict):
            # Point at the unexpected key itself, not at the mapping holding it.
            allowed = (
                set(chosen.schema.get("properties", {}))
                if isinstance(chosen.schema, dict)
                else set()
            )
            extra = [key for key in chosen.instance if key not in allowed]
            location = (*location, *extra[:1])
        where = _describe(location, document.data)
        issues.append(
            PolicyIssue(
                document.file,
                document.line_of(location),
                f"{where}: {chosen.message} (schema violation)",
            )
        )
    return issues


def _param(parameters: Mapping[str, Any], name: str) -> tuple[bool, Any]:
    value: Any = parameters
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return False, None
        value = value[part]
    return True, value


class _FileReader:
    """Turns one validated rule file into rules, collecting problems instead of stopping."""

    def __init__(self, document: YamlDocument, parameters: Mapping[str, Any]) -> None:
        self.document = document
        self.parameters = parameters
        self.issues: list[PolicyIssue] = []

    def problem(self, location: Location, message: str) -> None:
        where = _describe(location, self.document.data)
        self.issues.append(
            PolicyIssue(self.document.file, self.document.line_of(location), f"{where}: {message}")
        )

    # -- operands -------------------------------------------------------------------

    def _scalar(self, info: PathInfo, raw: Any, location: Location) -> Scalar | None:
        kind = Kind.STRING if info.kind is Kind.STRINGS else info.kind
        if kind is Kind.BOOL:
            if isinstance(raw, bool):
                return raw
        elif kind in (Kind.INT, Kind.NUMBER):
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                number = normalise_number(raw)
                if number is not None and abs(number) < 1e15:
                    return number
        elif kind is Kind.DATE:
            if isinstance(raw, str):
                try:
                    return date.fromisoformat(raw).toordinal()
                except ValueError:
                    pass
        elif isinstance(raw, str):
            text = normalise_text(raw)
            if info.choices is not None and text not in info.choices:
                choices = ", ".join(sorted(info.choices))
                self.problem(
                    location, f"'{raw}' is not a possible value of {info.path} (one of {choices})"
                )
                return None
            return text
        self.problem(
            location,
            f"{info.path} is {_article(info.kind)} {info.kind.value}, but is compared with "
            f"{raw!r} ({_type_name(raw)})",
        )
        return None

    def _operand(self, info: PathInfo, op: str, raw: Any, location: Location) -> Operand | None:
        if isinstance(raw, dict) and "param" in raw:
            found, value = _param(self.parameters, str(raw["param"]))
            if not found:
                self.problem(
                    location, f"unknown parameter '{raw['param']}' (not in {PARAMETERS_FILE})"
                )
                return None
            raw = value
        if op in LIST_OPERANDS and isinstance(raw, dict):
            # A table parameter stands for its keys: {param: exchange_rates} is the currencies.
            raw = list(raw)
        if op in LIST_OPERANDS:
            if not isinstance(raw, list):
                self.problem(location, f"'{op}' needs a list, got {raw!r}")
                return None
            items = [self._scalar(info, item, location) for item in raw]
            if any(item is None for item in items):
                return None
            unique = tuple(dict.fromkeys(item for item in items if item is not None))
            if op == "any_not_in" and not unique:
                self.problem(
                    location, "'any_not_in' needs a non-empty list (use count to test for any item)"
                )
                return None
            return unique
        if isinstance(raw, list | dict):
            self.problem(location, f"'{op}' needs a single value, got {raw!r}")
            return None
        return self._scalar(info, raw, location)

    # -- conditions -----------------------------------------------------------------

    def condition(self, raw: dict[str, Any], location: Location) -> Condition | None:
        if "all" in raw or "any" in raw:
            key = "all" if "all" in raw else "any"
            items = [
                self.condition(item, (*location, key, index)) for index, item in enumerate(raw[key])
            ]
            if any(item is None for item in items):
                return None
            parts = tuple(item for item in items if item is not None)
            return AllOf(parts) if key == "all" else AnyOf(parts)
        if "rules_with_tag" in raw:
            return Tagged(str(raw["rules_with_tag"]))
        return self.leaf(raw, location)

    def leaf(self, raw: dict[str, Any], location: Location) -> Leaf | None:
        table = path_table()
        if "context" in raw:
            path, target_key = f"context.{raw['context']}", "context"
        else:
            path, target_key = str(raw["fact"]), "fact"
        op = next(key for key in raw if key in OPERATORS)
        info = table.get(path)
        if info is None or (target_key == "fact" and path.startswith("context.")):
            known = [
                name for name in table if name.startswith("context.") == (target_key == "context")
            ]
            close = difflib.get_close_matches(path, known, n=1)
            hint = f"; did you mean '{close[0].removeprefix('context.')}'?" if close else ""
            what = "case input" if target_key == "context" else "fact"
            self.problem(
                (*location, target_key),
                f"unknown {what} '{raw[target_key]}' (not in the fact schema){hint}",
            )
            return None
        if op == STATUS_OPERATOR:
            if info.path != info.fact_path:
                self.problem(
                    (*location, op),
                    f"status belongs to the fact {info.fact_path}, not to {info.path}",
                )
                return None
            raw_statuses = raw[op] if isinstance(raw[op], list) else [raw[op]]
            return Leaf(path, op, tuple(status for status in STATUSES if status in raw_statuses))
        if info.kind not in OPERATOR_KINDS[op]:
            self.problem(
                (*location, op),
                f"'{op}' cannot be used on {path}, "
                f"which is {_article(info.kind)} {info.kind.value}",
            )
            return None
        operand = self._operand(info, op, raw[op], (*location, op))
        if operand is None:
            return None
        return Leaf(path, op, operand)

    # -- effects and rules ----------------------------------------------------------

    def effects(self, raw: dict[str, Any], location: Location) -> Effects | None:
        ok = True
        approval = None
        if "approval" in raw:
            spec = raw["approval"]
            role_name = spec["role"]
            if role_name not in {role.value for role in ApprovalRole}:
                self.problem(
                    (*location, "approval", "role"),
                    f"approval role '{role_name}' does not exist (roles are {ROLES})",
                )
                ok = False
            else:
                role = ApprovalRole(role_name)
                defaults = self.parameters.get("approval_due_business_hours", {})
                due = spec.get("due_business_hours", defaults.get(role.value))
                if not isinstance(due, int):
                    self.problem(
                        (*location, "approval"),
                        f"no due_business_hours for role '{role.value}' "
                        f"here or in {PARAMETERS_FILE}",
                    )
                    ok = False
                else:
                    approval = ApprovalEffect(role, spec["reason"], due)
        information = None
        if "needs_information" in raw:
            spec = raw["needs_information"]
            for index, fact in enumerate(spec["facts"]):
                info = path_table().get(fact)
                if info is None or info.path != info.fact_path:
                    self.problem(
                        (*location, "needs_information", "facts", index),
                        f"unknown fact '{fact}' (not in the fact schema)",
                    )
                    ok = False
            information = InformationEffect(
                InformationKind(spec["kind"]), tuple(spec["facts"]), spec["reason"]
            )
        min_path = OnboardingPath(raw["min_path"]) if "min_path" in raw else None
        if min_path is OnboardingPath.NEEDS_INFORMATION:
            self.problem(
                (*location, "min_path"),
                "use needs_information: to say which facts are missing; it sets the path",
            )
            ok = False
        if not ok:
            return None
        return Effects(min_path, raw.get("tier"), approval, raw.get("flag"), information)

    def rules(self) -> list[Rule]:
        rules = []
        for index, raw in enumerate(self.document.data.get("rules") or []):
            location: Location = ("rules", index)
            when = self.condition(raw["when"], (*location, "when"))
            then = self.effects(raw["then"], (*location, "then"))
            if when is None or then is None:
                continue
            rules.append(
                Rule(
                    id=raw["id"],
                    description=" ".join(raw["description"].split()),
                    file=self.document.file,
                    line=self.document.line_of(location),
                    tags=tuple(raw.get("tags", ())),
                    when=when,
                    then=then,
                )
            )
        return rules


def _article(kind: Kind) -> str:
    return "an" if kind.value[0] in "aeiou" else "a"


def _type_name(raw: Any) -> str:
    if isinstance(raw, bool):
        return "a boolean"
    if isinstance(raw, int | float):
        return "a number"
    if isinstance(raw, str):
        return "a string"
    return f"a {type(raw).__name__}"


# ---- the whole directory -------------------------------------------------------------


def _read(path: Path, source: PolicySource, schema: str) -> YamlDocument | None:
    try:
        document = read_yaml(path, path.name)
    except YamlSyntaxError as error:
        source.issues.append(PolicyIssue(error.file, error.line, error.message))
        return None
    if not isinstance(document.data, dict):
        source.issues.append(
            PolicyIssue(document.file, 1, "the file must hold a mapping (key: value) at the top")
        )
        return None
    issues = _schema_issues(document, schema)
    source.issues.extend(issues)
    return None if issues else document


def _check_parameters(document: YamlDocument, source: PolicySource) -> None:
    parameters = document.data
    roles = {role.value for role in ApprovalRole}
    due = parameters["approval_due_business_hours"]
    for name in due:
        if name not in roles:
            line = document.line_of(("approval_due_business_hours", name))
            source.issues.append(
                PolicyIssue(
                    document.file,
                    line,
                    f"approval role '{name}' does not exist (roles are {ROLES})",
                )
            )
    for role in sorted(roles - set(due)):
        line = document.line_of(("approval_due_business_hours",))
        source.issues.append(
            PolicyIssue(
                document.file, line, f"approval_due_business_hours has no entry for role '{role}'"
            )
        )
    base = parameters["base_currency"]
    rates = parameters["exchange_rates"]
    if rates.get(base) != 1:
        line = document.line_of(("exchange_rates",))
        source.issues.append(
            PolicyIssue(
                document.file, line, f"exchange_rates must give the base currency {base} the rate 1"
            )
        )
    source.parameters = parameters
    source.currencies = Currencies(base, {code: float(rate) for code, rate in rates.items()})


def _expand_tags(source: PolicySource, rules: list[Rule]) -> list[Rule]:
    """Replace ``rules_with_tag`` by the conditions of the tagged rules; report cycles."""
    by_tag: dict[str, list[Rule]] = {}
    for rule in rules:
        for tag in rule.tags:
            by_tag.setdefault(tag, []).append(rule)
    expanded: dict[str, Condition] = {}

    def expand(condition: Condition, trail: tuple[str, ...]) -> Condition:
        if isinstance(condition, Tagged):
            parts = []
            for tagged in by_tag.get(condition.tag, []):
                if tagged.id in trail:
                    raise _CycleError(tagged.id)
                parts.append(expanded.get(tagged.id) or expand(tagged.when, (*trail, tagged.id)))
            return AnyOf(tuple(parts))
        if isinstance(condition, AllOf | AnyOf):
            items = tuple(expand(item, trail) for item in condition.items)
            return AllOf(items) if isinstance(condition, AllOf) else AnyOf(items)
        return condition

    result = []
    for rule in rules:
        try:
            when = expand(rule.when, (rule.id,))
        except _CycleError as cycle:
            source.issues.append(
                PolicyIssue(
                    rule.file,
                    rule.line,
                    f"rule '{rule.id}' depends on its own tag through rule '{cycle.rule_id}'",
                )
            )
            continue
        expanded[rule.id] = when
        result.append(
            Rule(rule.id, rule.description, rule.file, rule.line, rule.tags, when, rule.then)
        )
    return result


class _CycleError(Exception):
    def __init__(self, rule_id: str) -> None:
        super().__init__(rule_id)
        self.rule_id = rule_id


def _check_reachable(source: PolicySource, rules: list[Rule], original: dict[str, Rule]) -> None:
    for rule in rules:
        try:
            conjunctions = to_dnf(rule.when)
        except TooComplexError:
            source.issues.append(
                PolicyIssue(
                    rule.file,
                    rule.line,
                    f"rule '{rule.id}' is too complex: split its any/all into several rules",
                )
            )
            continue
        if not conjunctions:
            missing = list(tags_used(original[rule.id].when))
            source.issues.append(
                PolicyIssue(
                    rule.file,
                    rule.line,
                    f"rule '{rule.id}' can never fire: "
                    f"no rule carries the tag(s) {', '.join(missing)}",
                )
            )
            continue
        blocking = [unsatisfiable_path(conjunction) for conjunction in conjunctions]
        if all(path is not None for path in blocking):
            source.issues.append(
                PolicyIssue(
                    rule.file,
                    rule.line,
                    f"rule '{rule.id}' can never fire: "
                    f"its conditions on {blocking[0]} cannot all hold at once",
                )
            )


def read_policy(directory: Path) -> PolicySource:
    """Read and check every file of a policy directory; ``issues`` is empty when it is valid."""
    source = PolicySource(directory)
    if not directory.is_dir():
        source.issues.append(PolicyIssue(str(directory), 1, "the policy directory does not exist"))
        return source
    parameters_path = directory / PARAMETERS_FILE
    rule_paths = sorted(path for path in directory.glob("*.yaml") if path.name != PARAMETERS_FILE)
    source.files = [*rule_paths, parameters_path] if parameters_path.is_file() else rule_paths
    if not parameters_path.is_file():
        source.issues.append(
            PolicyIssue(PARAMETERS_FILE, 1, f"the policy directory has no {PARAMETERS_FILE}")
        )
        return source
    parameters_doc = _read(parameters_path, source, "parameters.schema.json")
    if parameters_doc is None:
        return source
    _check_parameters(parameters_doc, source)
    if not rule_paths:
        source.issues.append(
            PolicyIssue(str(directory), 1, "the policy directory has no rule files (*.yaml)")
        )
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path in rule_paths:
        document = _read(path, source, "policy.schema.json")
        if document is None:
            continue
        reader = _FileReader(document, source.parameters)
        for rule in reader.rules():
            first = seen.get(rule.id)
            if first is not None:
                reader.issues.append(
                    PolicyIssue(
                        rule.file,
                        rule.line,
                        f"duplicate rule id '{rule.id}' "
                        f"(first defined in {first.file} line {first.line})",
                    )
                )
                continue
            seen[rule.id] = rule
            rules.append(rule)
        source.issues.extend(reader.issues)
    expanded = _expand_tags(source, rules)
    _check_reachable(source, expanded, seen)
    source.rules = expanded
    return source
