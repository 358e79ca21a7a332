"""Evaluating the policy with durable_rules, working around the engine's measured sharp edges.

durable_rules 2.0.28 is used as a pure in-memory matcher:

* the stock ``Host`` starts timer threads that dispatch actions behind the caller's back
  (wrong results and crashes under threads), so ``_CaseHost`` never starts them and every
  call goes through one lock; the C engine never releases the GIL anyway;
* every case is asserted as one fact (``assert_fact``; an event would be consumed by the
  first rule) into its own session, which is deleted afterwards (more than 1,024 live
  sessions crash it); a catch-all rule always fires, because deleting a session in which
  no action ran frees an uninitialised pointer;
* every rule also matches a discriminator field, without which a rule of only negative
  tests loops forever;
* large ``$or`` expressions exceed the engine's expression limit (error 113), and each
  matching ``$or`` branch fires the action again, so each policy rule is compiled in
  disjunctive normal form to one engine rule per conjunction, and firings are
  de-duplicated;
* there is no ``in`` operator (it becomes one conjunction per value, ``not_in`` a chain of
  ``$neq``), comparisons across types are wrong, and numbers in exponent form are
  rejected: the facts are normalised first (``rules.normalise``);
* the stock action loop decodes the whole matched fact and re-serialises the state for
  every firing (about 40 µs each); ``_CaseRuleset`` reads only the rule name;
* action callables take exactly one argument (two switch to the asynchronous API), and
  an exception inside an action is swallowed into the session state, so it is checked;
* engine errors are bare numbers: they are translated, and a ruleset that fails to
  compile is probed rule by rule to name the rule responsible.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from durable import engine

from rules.errors import EngineError, InvalidPolicyError, PolicyIssue
from rules.language import Leaf, Rule, to_dnf
from rules.normalise import STATUSES, NormalisedFacts

# The C extension, reached through durable's own module (which is typed as Any).
durable_rules_engine = engine.durable_rules_engine

DISCRIMINATOR = "kind"
CASE = "case"
CATCH_ALL = "always"

# Error numbers of the C engine (rules.h of durable_rules 2.x).
ENGINE_ERRORS: dict[int, str] = {
    1: "no rule matched the fact",
    2: "the fact was already asserted in this session",
    101: "out of memory",
    102: "unexpected type in a rule",
    103: "identifier too long",
    104: "unexpected value in a rule",
    105: "unexpected name in a rule",
    106: "too many rules",
    107: "too many existence tests",
    108: "too many joins",
    109: "rule without qualifier",
    110: "setting not found",
    111: "invalid handle",
    112: "too many rulesets or sessions",
    113: "expression too large for the engine",
    201: "value could not be parsed",
    202: "string could not be parsed",
    203: "number could not be parsed (exponent form?)",
    204: "object could not be parsed",
    205: "array could not be parsed",
    302: "the fact has too many properties",
    303: "stack too deep",
    304: "too many messages in one frame",
    305: "message not found",
    309: "session not found",
    310: "no action available",
    311: "property not found",
    312: "operation not supported",
}

_CODE = re.compile(r"error code: (\d+)")


def engine_error_code(error: BaseException) -> int | None:
    """The number in a durable_rules error message, if any."""
    match = _CODE.search(str(error))
    return int(match.group(1)) if match else None


def describe_engine_error(error: BaseException) -> str:
    """``error N (meaning)`` for an engine error."""
    code = engine_error_code(error)
    if code is None:
        return str(error)
    return f"error {code} ({ENGINE_ERRORS.get(code, 'unknown engine error')})"


# ---- compilation ---------------------------------------------------------------------


class Keys:
    """Short engine property names for the paths the policy uses.

    Only facts whose status is tested get a status property: a value is present only when
    its fact is, and the engine slows down (and, past ~250, fails) with more properties.
    """

    def __init__(self, paths: Sequence[str], status_paths: Sequence[str]) -> None:
        self.value = {path: f"v{index}" for index, path in enumerate(paths)}
        self.status = {path: f"s{index}" for index, path in enumerate(status_paths)}

    def fact(self, facts: NormalisedFacts, sid: str) -> dict[str, Any]:
        """The one engine fact for a case."""
        fact: dict[str, Any] = {DISCRIMINATOR: CASE, "sid": sid}
        for path, key in self.status.items():
            fact[key] = facts.statuses[path]
        for path, value in facts.values.items():
            fact[self.value[path]] = list(value) if isinstance(value, tuple) else value
        return fact


def _leaf_terms(leaf: Leaf, keys: Keys) -> list[dict[str, Any]]:
    op, operand = leaf.op, leaf.operand
    value_key = keys.value[leaf.path]
    if op == "status":
        status_key = keys.status[leaf.fact_path]
        assert isinstance(operand, tuple)
        if len(operand) == 1:
            return [{status_key: operand[0]}]
        return [{"$neq": {status_key: status}} for status in STATUSES if status not in operand]
    if op in ("eq", "in"):
        return [{value_key: operand}]
    if op == "ne":
        return [{"$neq": {value_key: operand}}]
    if op in ("gt", "gte", "lt", "lte"):
        return [{f"${op}": {value_key: operand}}]
    if op == "not_in":
        assert isinstance(operand, tuple)
        return [{"$ex": {value_key: 1}}, *({"$neq": {value_key: item}} for item in operand)]
    if op in ("contains", "contains_any"):
        return [{"$iany": {value_key: {"$i": operand}}}]
    assert op == "any_not_in" and isinstance(operand, tuple)
    tests = [{"$neq": {"$i": item}} for item in operand]
    return [{"$iany": {value_key: tests[0] if len(tests) == 1 else {"$and": tests}}}]


def _single_values(conjunction: Sequence[Leaf]) -> list[tuple[Leaf, ...]]:
    """Conjunctions with every ``in``/``contains_any`` list split into one value each."""
    options: list[list[Leaf]] = []
    for leaf in conjunction:
        if leaf.op in ("in", "contains_any"):
            assert isinstance(leaf.operand, tuple)
            options.append([Leaf(leaf.path, leaf.op, item) for item in leaf.operand])
        else:
            options.append([leaf])
    return [tuple(choice) for choice in itertools.product(*options)]


def compile_rules(rules: Sequence[Rule], keys: Keys) -> dict[str, tuple[str, dict[str, Any]]]:
    """Engine rule name -> (policy rule id, engine condition), one per conjunction of each rule."""
    compiled: dict[str, tuple[str, dict[str, Any]]] = {}
    for index, rule in enumerate(rules):
        conjunctions = [
            single for conjunction in to_dnf(rule.when) for single in _single_values(conjunction)
        ]
        for number, conjunction in enumerate(conjunctions):
            terms: list[dict[str, Any]] = [{DISCRIMINATOR: CASE}]
            for leaf in conjunction:
                terms.extend(_leaf_terms(leaf, keys))
            compiled[f"r{index}_{number}"] = (rule.id, {"$and": terms})
    return compiled


# ---- the host ------------------------------------------------------------------------


class _Slot:
    """What an action sees as ``c.s``; an exception in the action is recorded here."""

    __slots__ = ("exception",)

    def __init__(self) -> None:
        self.exception: str | None = None


class _Closure:
    """The one argument of every action."""

    __slots__ = ("s",)

    def __init__(self) -> None:
        self.s = _Slot()


def _ignore(_: object) -> None:
    return None


class ActionFailedError(Exception):
    def __init__(self, rule_name: str, detail: str) -> None:
        super().__init__(f"action of {rule_name} failed: {detail}")
        self.rule_name = rule_name


class _CaseRuleset(engine.Ruleset):  # type: ignore[misc]
    """Runs the actions of one session synchronously, reading only the name of each matched rule."""

    def do_actions(
        self, state_handle: int, complete: Callable[[BaseException | None, Any], None]
    ) -> None:
        try:
            result = durable_rules_engine.start_action_for_state(self._handle, state_handle)
            if not result:
                complete(None, None)
                return
            state, messages = result[0], result[1]
            while messages:
                # Messages look like {"r3_0": {...the fact...}}; the name is all we need.
                name = messages[2 : messages.index('"', 2)]
                closure = _Closure()
                self._actions[name].run(closure, _ignore)
                if closure.s.exception is not None:
                    durable_rules_engine.abandon_action(self._handle, state_handle)
                    complete(ActionFailedError(name, closure.s.exception), None)
                    return
                durable_rules_engine.update_state(self._handle, state)
                messages = durable_rules_engine.complete_and_start_action(
                    self._handle, state_handle
                )
            complete(None, None)
        except BaseException as error:  # the engine's own protocol: hand every failure to complete
            complete(error, None)


class _CaseHost(engine.Host):  # type: ignore[misc]
    """A Host without the background dispatcher and timer threads."""

    def _run(self) -> None:
        return None

    def register_rulesets(self, ruleset_definitions: dict[str, Any]) -> list[str]:
        names = []
        for name, definition in ruleset_definitions.items():
            ruleset = _CaseRuleset(name, self, definition)
            self._ruleset_directory[name] = ruleset
            self._ruleset_list.append(ruleset)
            names.append(name)
        return names


_ruleset_numbers = itertools.count()


class DurableEvaluator:
    """One compiled policy in durable_rules; safe to call from several threads."""

    def __init__(self, rules: Sequence[Rule], keys: Keys) -> None:
        self._keys = keys
        self._lock = threading.Lock()
        self._sessions = itertools.count()
        self._fired: list[str] = []
        compiled = compile_rules(rules, keys)
        self.rule_of: dict[str, str] = {name: rule_id for name, (rule_id, _) in compiled.items()}
        self.engine_rule_count = len(compiled)
        definition: dict[str, Any] = {
            name: {"all": [{"m": condition}], "run": self._action(name)}
            for name, (_, condition) in compiled.items()
        }
        definition[CATCH_ALL] = {
            "all": [{"m": {DISCRIMINATOR: CASE}}],
            "run": self._action(CATCH_ALL),
        }
        self._name = f"policy{next(_ruleset_numbers)}"
        self._host = _CaseHost()
        try:
            self._host.register_rulesets({self._name: definition})
        except durable_rules_engine.error as error:
            raise InvalidPolicyError(_blame(rules, compiled, error)) from error

    def _action(self, name: str) -> Callable[[Any], None]:
        fired = self._fired

        def action(c: Any) -> None:  # exactly one argument: two would select the async API
            fired.append(name)

        return action

    def fired(self, facts: NormalisedFacts) -> set[str]:
        """Ids of the policy rules that fire on ``facts``."""
        with self._lock:
            sid = str(next(self._sessions))
            fact = self._keys.fact(facts, sid)
            self._fired.clear()
            try:
                self._host.assert_fact(self._name, fact)
            except ActionFailedError as error:
                rule = self.rule_of.get(error.rule_name, error.rule_name)
                raise EngineError(
                    f"the action of rule '{rule}' failed in durable_rules: {error}"
                ) from error
            except durable_rules_engine.error as error:
                raise EngineError(
                    f"durable_rules could not evaluate the case: {describe_engine_error(error)}"
                ) from error
            finally:
                self._delete(sid)
            names = list(self._fired)
        if CATCH_ALL not in names:
            raise EngineError(
                "durable_rules did not run the catch-all rule; the result cannot be trusted"
            )
        return {self.rule_of[name] for name in names if name != CATCH_ALL}

    def _delete(self, sid: str) -> None:
        try:
            self._host.delete_state(self._name, sid)
        except durable_rules_engine.error as error:
            raise EngineError(
                f"durable_rules could not delete session {sid}: {describe_engine_error(error)}"
            ) from error


def _blame(
    rules: Sequence[Rule], compiled: Mapping[str, tuple[str, dict[str, Any]]], error: BaseException
) -> list[PolicyIssue]:
    """Compile each engine rule alone to find which policy rules the engine refuses."""
    by_id = {rule.id: rule for rule in rules}
    issues: dict[str, PolicyIssue] = {}
    for name, (rule_id, condition) in compiled.items():
        probe = {"probe": {"all": [{"m": condition}]}}
        try:
            durable_rules_engine.create_ruleset(f"probe{next(_ruleset_numbers)}", _dumps(probe))
        except durable_rules_engine.error as probe_error:
            rule = by_id[rule_id]
            issues.setdefault(
                rule_id,
                PolicyIssue(
                    rule.file,
                    rule.line,
                    f"rule '{rule_id}' is refused by durable_rules: "
                    f"{describe_engine_error(probe_error)} (in {name})",
                ),
            )
    if not issues:
        return [
            PolicyIssue(
                "(policy)",
                1,
                f"durable_rules refused the policy as a whole: {describe_engine_error(error)}",
            )
        ]
    return list(issues.values())


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
