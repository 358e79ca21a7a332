"""Case service: keyword-only functions over a session; no HTTP, no printing."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_
from sqlalchemy import case as sql_case
from sqlmodel import Session, col, select

from app.errors import CaseNotFoundError, DocumentNotFoundError
from app.models import Case, CaseDocument, CaseStatus, DocumentStatus, utcnow
from extractors.document import Document
from extractors.errors import IngestError

__all__ = ["CaseNotFoundError"]


def create_case(
    *, session: Session, reference: str | None = None, metadata_json: str | None = None
) -> Case:
    """A new, empty case."""
    case = Case(reference=reference, metadata_json=metadata_json)
    session.add(case)
    session.flush()
    return case


def get_case(*, session: Session, case_id: str) -> Case:
    """The case ``case_id`` or CaseNotFoundError."""
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFoundError(case_id)
    return case


def find_document(*, session: Session, case_id: str, sha256: str) -> CaseDocument | None:
    """The document of ``case_id`` with these bytes, if it was already uploaded."""
    statement = select(CaseDocument).where(
        CaseDocument.case_id == case_id, CaseDocument.sha256 == sha256
    )
    return session.exec(statement).first()


def add_document(*, session: Session, case: Case, document: Document) -> CaseDocument:
    """Store an ingested document once per case: the same bytes again return the stored row."""
    existing = find_document(session=session, case_id=case.id, sha256=document.sha256)
    if existing is not None and existing.status is DocumentStatus.INGESTED:
        return existing
    row = existing or CaseDocument(case_id=case.id, sha256=document.sha256)
    row.filename = document.filename
    row.status = DocumentStatus.INGESTED
    row.media_type = document.media_type.value
    row.byte_size = document.byte_size
    row.page_count = document.page_count
    row.char_count = len(document.text)
    row.loader = document.loader
    row.loader_version = document.loader_version
    row.error_code = row.error_message = None
    row.document_json = document.model_dump_json()
    session.add(row)
    _touch(case, session)
    session.flush()
    return row


def add_refused_document(
    *, session: Session, case: Case, sha256: str, filename: str | None, error: IngestError
) -> CaseDocument:
    """Record a refused upload with its reason, so the case shows what could not be read."""
    existing = find_document(session=session, case_id=case.id, sha256=sha256)
    if existing is not None:
        return existing
    row = CaseDocument(
        case_id=case.id,
        sha256=sha256,
        filename=filename,
        status=DocumentStatus.REFUSED,
        error_code=error.code.value,
        error_message=error.message,
    )
    session.add(row)
    _touch(case, session)
    session.flush()
    return row


def case_documents(*, session: Session, case_id: str) -> list[CaseDocument]:
    """Every upload of the case, in upload order."""
    statement = (
        select(CaseDocument).where(CaseDocument.case_id == case_id).order_by(col(CaseDocument.id))
    )
    return list(session.exec(statement).all())


def load_documents(rows: Sequence[CaseDocument]) -> list[Document]:
    """The ingested documents of these rows (refused uploads have none)."""
    return [
        Document.model_validate_json(row.document_json)
        for row in rows
        if row.status is DocumentStatus.INGESTED and row.document_json
    ]


def set_status(*, session: Session, case: Case, status: CaseStatus) -> None:
    """Move the case to ``status``."""
    case.status = status
    _touch(case, session)


def list_cases(*, session: Session, limit: int = 100) -> list[Case]:
    """Most recently changed cases first."""
    statement = select(Case).order_by(col(Case.updated_at).desc()).limit(limit)
    return list(session.exec(statement).all())


def _touch(case: Case, session: Session) -> None:
    case.updated_at = utcnow()
    session.add(case)


def find_case_by_documents(
    *, session: Session, sha256s: Collection[str], reference: str | None
) -> Case | None:
    """The newest case with this reference whose uploads are exactly these bytes (by SHA-256).

    Refused uploads count as uploads: sending the same files again is the same bundle,
    and a refused one is read again when the case is re-decided.
    """
    wanted = set(sha256s)
    if not wanted:
        return None
    matching = func.sum(sql_case((col(CaseDocument.sha256).in_(wanted), 1), else_=0))
    statement = (
        select(Case)
        .join(CaseDocument, col(CaseDocument.case_id) == col(Case.id))
        .where(col(Case.reference).is_(None) if reference is None else Case.reference == reference)
        .group_by(col(Case.id))
        .having(func.count(col(CaseDocument.id)) == len(wanted))
        .having(matching == len(wanted))
        .order_by(col(Case.created_at).desc())
        .limit(1)
    )
    return session.exec(statement).first()


def get_document(*, session: Session, case_id: str, document_id: int) -> CaseDocument:
    """The upload ``document_id`` of ``case_id``, or DocumentNotFoundError."""
    row = session.get(CaseDocument, document_id)
    if row is None or row.case_id != case_id:
        raise DocumentNotFoundError(
            f"Case {case_id!r} has no document {document_id}.",
            case_id=case_id,
            document_id=document_id,
        )
    return row


def list_cases_page(
    *,
    session: Session,
    limit: int,
    after: tuple[datetime, str] | None = None,
    statuses: Collection[CaseStatus] = (),
    path: str | None = None,
    tier: int | None = None,
    reference: str | None = None,
    reference_prefix: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> list[Case]:
    """Up to ``limit`` cases, newest first, strictly after the ``(created_at, id)`` key ``after``.

    Ordering by creation time and then id is total, so a page boundary never skips or
    repeats a case, whatever is created meanwhile. Times are compared in UTC.
    """
    statement = select(Case)
    if statuses:
        statement = statement.where(col(Case.status).in_(list(statuses)))
    if path is not None:
        statement = statement.where(Case.path == path)
    if tier is not None:
        statement = statement.where(Case.tier == str(tier))
    if reference is not None:
        statement = statement.where(Case.reference == reference)
    if reference_prefix:
        escaped = reference_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(col(Case.reference).like(f"{escaped}%", escape="\\"))
    if created_after is not None:
        statement = statement.where(col(Case.created_at) >= _utc(created_after))
    if created_before is not None:
        statement = statement.where(col(Case.created_at) < _utc(created_before))
    if after is not None:
        created_at, case_id = _utc(after[0]), after[1]
        statement = statement.where(
            or_(
                col(Case.created_at) < created_at,
                and_(col(Case.created_at) == created_at, col(Case.id) < case_id),
            )
        )
    statement = statement.order_by(col(Case.created_at).desc(), col(Case.id).desc()).limit(limit)
    return list(session.exec(statement).all())


def _utc(moment: datetime) -> datetime:
    # Stored times are UTC (SQLite keeps them without a zone): compare like with like.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
