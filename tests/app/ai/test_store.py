"""The answer cache and the case's reading on SQLite and PostgreSQL (migration 0005)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from app.ai.models import CaseModelReading
from app.ai.store import cached_answers, case_reading, store_answers, store_reading
from app.cases import create_case
from app.db import create_db_engine, migrate, session_scope
from extractors.llm import AiReading, CacheEntry


@pytest.fixture
def database(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


def _entry(key: str, tokens: int = 10) -> CacheEntry:
    return CacheEntry(
        key=key,
        model="m",
        prompt_hash="p" * 64,
        document_sha256="d" * 64,
        chunk_start=0,
        chunk_end=100,
        answer_json="{}",
        tokens_in=tokens,
        tokens_out=1,
        latency_ms=12.5,
    )


def test_answers_are_stored_once_and_found_by_key(database: Engine) -> None:
    with session_scope(database) as session:
        store_answers(session=session, entries=[_entry("a" * 64), _entry("b" * 64)])
    # Another worker storing the same answer again keeps the first, without an error.
    with session_scope(database) as session:
        store_answers(session=session, entries=[_entry("a" * 64, tokens=99)])
    with session_scope(database) as session:
        found = cached_answers(session=session, keys=["a" * 64, "c" * 64])
    assert list(found) == ["a" * 64]
    assert found["a" * 64].tokens_in == 10 and found["a" * 64].latency_ms == 12.5


def test_the_latest_reading_of_a_case_replaces_the_one_before(database: Engine) -> None:
    with session_scope(database) as session:
        case = create_case(session=session, reference=None)
        case_id = case.id
        store_reading(
            session=session,
            case_id=case_id,
            reading=AiReading(status="unavailable", reason="AI unavailable: x", model="m"),
            advisory_facts=None,
            estimated_cost=None,
        )
    with session_scope(database) as session:
        store_reading(
            session=session,
            case_id=case_id,
            reading=AiReading(status="used", model="m", tokens_in=5, tokens_out=2),
            advisory_facts=None,
            estimated_cost=0.5,
        )
    with session_scope(database) as session:
        row = case_reading(session=session, case_id=case_id)
        assert isinstance(row, CaseModelReading)
        assert (row.status, row.reason, row.tokens_in, row.estimated_cost) == ("used", None, 5, 0.5)
        assert "new_cache_entries" not in row.reading_json
