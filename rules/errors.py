"""The decision layer's one exception root and the errors raised under it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PolicyIssue:
    """One problem in a policy file: where it is and a plain sentence saying what is wrong."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PolicyError(Exception):
    """Root of every error raised by the rules package."""


class InvalidPolicyError(PolicyError):
    """A policy that fails ``check_policy``; the service refuses to start on it."""

    def __init__(self, issues: list[PolicyIssue]) -> None:
        self.issues = issues
        lines = "\n".join(f"  {issue}" for issue in issues)
        super().__init__(f"the policy has {len(issues)} problem(s):\n{lines}")


class FactsError(PolicyError):
    """Facts that cannot be decided on (a value of the wrong type for its schema path)."""


class EngineError(PolicyError):
    """The rules engine failed on a case; the message names the error code and its meaning."""
