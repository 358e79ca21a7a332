"""Replaying the stored cases against a candidate policy sent as an archive.

Checking and compiling a policy registers rulesets in durable_rules' C engine, which never
frees them and has crashed on bad input, so the candidate is checked and replayed in a
process of its own that ends with the request: nothing of it stays in the API process.
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
from pathlib import Path
from typing import Any

from pebble import ProcessExpired, ProcessPool
from sqlalchemy import Engine

from app.api.policy_archive import extract_policy_archive
from app.db import session_scope
from app.errors import TriageError
from app.settings import Settings
from app.stored_cases import stored_replay_cases
from rules import (
    Policy,
    PolicyError,
    ReplayCase,
    ReplayReport,
    check_policy,
    load_policy,
    replay,
)

REPLAY_TIMEOUT_S = 300.0


class PolicyInvalidError(TriageError):
    code = "policy_invalid"
    status = 422
    title = "The candidate policy does not validate"


class ReplayFailedError(TriageError):
    code = "replay_failed"
    status = 503
    title = "The replay could not be completed"


def check_and_replay(
    directory: str, old_directory: str, cases_json: str, engine: str
) -> dict[str, Any]:
    """Run in a child process: the policy's problems, or the replay report, as JSON data."""
    root = Path(directory)
    try:
        return _check_and_replay(root, Path(old_directory), cases_json, engine)
    except PolicyError as error:
        # Returned, not raised: the rules' errors do not all survive pickling.
        return {"error": str(error)}


def _check_and_replay(
    root: Path, old_directory: Path, cases_json: str, engine: str
) -> dict[str, Any]:
    issues = check_policy(root)
    if issues:
        return {
            "issues": [
                {"file": _relative(issue.file, root), "line": issue.line, "message": issue.message}
                for issue in issues
            ]
        }
    cases = [ReplayCase.model_validate(item) for item in json.loads(cases_json)]
    report = replay(cases, old=load_policy(old_directory), new=load_policy(root), engine=engine)
    return {"report": report.model_dump(mode="json")}


def _relative(file: str, root: Path) -> str:
    # The candidate lives in a temporary folder whose name means nothing to the caller.
    path = Path(file)
    if path.is_absolute() and path.is_relative_to(root):
        return str(path.relative_to(root)) or "."
    return file


def stored_cases(*, engine: Engine) -> list[ReplayCase]:
    """Every stored case with facts, oldest first."""
    with session_scope(engine) as session:
        return list(stored_replay_cases(session=session))


def replay_policy_archive(
    *, archive: bytes, engine: Engine, policy: Policy, settings: Settings
) -> ReplayReport:
    """Which stored decisions the archived policy would change, and the rules responsible.

    The report is the one ``triage rules replay --json`` prints, against the policy this
    service decides with.
    """
    cases_json = json.dumps([case.model_dump(mode="json") for case in stored_cases(engine=engine)])
    with tempfile.TemporaryDirectory(prefix="policy-candidate-") as folder:
        root = extract_policy_archive(data=archive, target=Path(folder))
        outcome = _in_child(str(root), str(policy.directory), cases_json, settings.rules_engine)
    if "error" in outcome:
        raise PolicyInvalidError(f"The candidate policy cannot be used: {outcome['error']}")
    if "issues" in outcome:
        issues = outcome["issues"]
        raise PolicyInvalidError(
            f"The candidate policy has {len(issues)} problem(s); the first: "
            f"{issues[0]['file']}:{issues[0]['line']}: {issues[0]['message']}",
            issues=issues,
        )
    return ReplayReport.model_validate(outcome["report"])


def _in_child(directory: str, old_directory: str, cases_json: str, engine: str) -> dict[str, Any]:
    pool = ProcessPool(max_workers=1, max_tasks=1, context=multiprocessing.get_context("spawn"))
    try:
        future = pool.schedule(
            check_and_replay,
            args=(directory, old_directory, cases_json, engine),
            timeout=REPLAY_TIMEOUT_S,
        )
        try:
            result: dict[str, Any] = future.result()
        except TimeoutError as error:
            raise ReplayFailedError(
                f"The replay did not finish within {REPLAY_TIMEOUT_S:g} s."
            ) from error
        except ProcessExpired as error:
            raise ReplayFailedError(
                f"The replay process stopped unexpectedly (exit code {error.exitcode})."
            ) from error
        return result
    finally:
        pool.stop()  # type: ignore[no-untyped-call]
        pool.join(timeout=10)
