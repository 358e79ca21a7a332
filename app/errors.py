"""The app layer's one exception root: every error a caller can see, with a stable code.

Each error carries the HTTP status it maps to and a plain sentence, so the API turns it
into an RFC 9457 problem and the CLI into a message, without either guessing.
"""

from __future__ import annotations

from typing import Any

from extractors.errors import ErrorCode, IngestError


class TriageError(Exception):
    """Root of every error the app raises on purpose."""

    code = "triage_error"
    status = 500
    title = "Internal error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFoundError(TriageError):
    code = "not_found"
    status = 404
    title = "Not found"


class CaseNotFoundError(NotFoundError, LookupError):
    code = "case_not_found"
    title = "No such case"

    def __init__(self, case_id: str) -> None:
        super().__init__(f"There is no case with id {case_id!r}.", case_id=case_id)
        self.case_id = case_id


class DocumentNotFoundError(NotFoundError):
    code = "document_not_found"
    title = "No such document"


class JobNotFoundError(NotFoundError):
    code = "job_not_found"
    title = "No such job"


class InvalidRequestError(TriageError):
    code = "invalid_request"
    status = 422
    title = "The request is not valid"


class IdempotencyKeyReusedError(TriageError):
    code = "idempotency_key_reused"
    status = 422
    title = "Idempotency-Key reused with a different request"


class IdempotencyInProgressError(TriageError):
    code = "idempotency_in_progress"
    status = 409
    title = "A request with this Idempotency-Key is still being processed"


class QueueFullError(TriageError):
    code = "queue_full"
    status = 503
    title = "Too many cases are waiting to be processed"


class UnavailableError(TriageError):
    code = "unavailable"
    status = 503
    title = "A service the app needs does not answer"


class PolicyUnavailableError(TriageError):
    code = "policy_invalid"
    status = 500
    title = "The configured policy does not validate"


# Refusals a caller can fix by sending something else are 422; size limits are 413.
_INGEST_STATUS = {ErrorCode.TOO_LARGE: 413}


class UploadRefusedError(TriageError):
    """One or more uploads could not be read; nothing was stored."""

    status = 422
    title = "A document could not be read"

    def __init__(self, refusals: list[tuple[str | None, IngestError]]) -> None:
        first = refusals[0][1]
        names = ", ".join(repr(name or "upload") for name, _ in refusals)
        detail = (
            first.message if len(refusals) == 1 else f"{len(refusals)} uploads refused: {names}."
        )
        super().__init__(
            detail,
            documents=[
                {"filename": name, "code": error.code.value, "detail": error.message}
                for name, error in refusals
            ],
        )
        self.refusals = refusals
        self.code = first.code.value
        self.status = _INGEST_STATUS.get(first.code, 422)
        if len({error.code for _, error in refusals}) > 1:
            self.code = "uploads_refused"
            self.status = 422


def ingest_status(code: ErrorCode) -> int:
    """The HTTP status of an ingestion refusal."""
    return _INGEST_STATUS.get(code, 422)


class CaseFailedError(TriageError):
    """Processing a case failed for good (its attempts are spent); the reason is stored."""

    code = "case_failed"
    status = 500
    title = "The case could not be processed"

    def __init__(self, case_id: str, reason_code: str, message: str) -> None:
        super().__init__(
            f"Case {case_id} failed ({reason_code}): {message}",
            case_id=case_id,
            reason=reason_code,
        )
