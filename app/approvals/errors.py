"""What can go wrong when people act on approvals and facts, each with a stable code."""

from __future__ import annotations

from app.errors import InvalidRequestError, NotFoundError, TriageError


class ApprovalNotFoundError(NotFoundError):
    code = "approval_not_found"
    title = "The case has no such approval"

    def __init__(self, case_id: str, role: str) -> None:
        super().__init__(
            f"Case {case_id} has no {role} approval: its decision never asked for one.",
            case_id=case_id,
            role=role,
        )


class ApprovalNotOpenError(TriageError):
    code = "approval_not_open"
    status = 409
    title = "The approval is not waiting for a decision"


class RemovalNotPendingError(TriageError):
    code = "approval_removal_not_pending"
    status = 409
    title = "No removal of this approval waits for confirmation"


class CaseNotSettledError(TriageError):
    code = "case_not_decided"
    status = 409
    title = "The case has no decision to act on yet"


class CommentRequiredError(InvalidRequestError):
    code = "comment_required"
    title = "A comment is required"


class UnknownFactPathError(InvalidRequestError):
    code = "unknown_fact_path"
    title = "No such fact"


class InvalidFactValueError(InvalidRequestError):
    code = "invalid_fact_value"
    title = "The value does not fit the fact"


class QuoteNotFoundError(InvalidRequestError):
    code = "quote_not_found"
    title = "The quote is not in the case's documents"
