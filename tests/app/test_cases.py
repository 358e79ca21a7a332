"""Cases and their documents persist idempotently on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from app.cases import (
    CaseNotFoundError,
    add_document,
    add_refused_document,
    case_documents,
    create_case,
    get_case,
    load_documents,
)
from app.db import create_db_engine, migrate, session_scope
from app.models import CaseDocument, DocumentStatus
from extractors.errors import ErrorCode, IngestError
from tests.extractors.test_chunking import make_document


def test_migrations_create_the_schema_and_are_idempotent(db_url: str) -> None:
    engine = create_db_engine(db_url)
    migrate(engine)
    migrate(engine)
    assert {"cases", "case_documents", "alembic_version"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_same_bytes_for_the_same_case_are_stored_once(db_url: str) -> None:
    engine = create_db_engine(db_url)
    migrate(engine)
    document = make_document(["Order form", "Payment net 30."])
    with session_scope(engine) as session:
        case = create_case(session=session, reference="ACME")
        first = add_document(session=session, case=case, document=document)
        second = add_document(session=session, case=case, document=document)
        assert first.id == second.id
        case_id = case.id
    with session_scope(engine) as session:
        rows = case_documents(session=session, case_id=case_id)
        assert len(rows) == 1
        assert load_documents(rows) == [document]
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(CaseDocument(case_id=case_id, sha256=document.sha256))
    engine.dispose()


def test_refused_upload_is_recorded_and_loses_nothing(db_url: str) -> None:
    engine = create_db_engine(db_url)
    migrate(engine)
    good = make_document(["Master agreement"])
    with session_scope(engine) as session:
        case = create_case(session=session)
        add_document(session=session, case=case, document=good)
        add_refused_document(
            session=session,
            case=case,
            sha256="0" * 64,
            filename="scan.pdf",
            error=IngestError(ErrorCode.NO_TEXT_LAYER, "The PDF has no text layer."),
        )
        case_id = case.id
    with session_scope(engine) as session:
        rows = case_documents(session=session, case_id=case_id)
        assert [row.status for row in rows] == [DocumentStatus.INGESTED, DocumentStatus.REFUSED]
        assert rows[1].error_code == "no_text_layer"
        assert load_documents(rows) == [good]
        with pytest.raises(CaseNotFoundError):
            get_case(session=session, case_id="missing")
    engine.dispose()
