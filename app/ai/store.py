"""Reading and writing the answer cache and the case's reading, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Executable
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.ai.models import CaseModelReading, ModelAnswerCache
from app.models import utcnow
from extractors.facts import FactRecord
from extractors.llm import AiReading, CacheEntry


def cached_answers(*, session: Session, keys: Sequence[str]) -> dict[str, CacheEntry]:
    """The cached answers among ``keys``."""
    if not keys:
        return {}
    rows = session.exec(select(ModelAnswerCache).where(col(ModelAnswerCache.key).in_(keys)))
    return {
        row.key: CacheEntry.model_validate(row.model_dump(exclude={"created_at"})) for row in rows
    }


def store_answers(*, session: Session, entries: Sequence[CacheEntry]) -> None:
    """Add new answers; one another worker stored first is kept as it is."""
    if not entries:
        return
    rows = [entry.model_dump() | {"created_at": utcnow()} for entry in entries]
    dialect = session.get_bind().dialect.name
    table = ModelAnswerCache.__table__  # type: ignore[attr-defined]
    statement: Executable
    if dialect == "postgresql":
        statement = postgresql_insert(table).values(rows).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite_insert(table).values(rows).on_conflict_do_nothing()
    else:  # pragma: no cover - the service runs on SQLite or PostgreSQL
        known = set(cached_answers(session=session, keys=[e.key for e in entries]))
        for entry in entries:
            if entry.key not in known:
                session.add(ModelAnswerCache.model_validate(entry.model_dump()))
        return
    session.execute(statement)


def store_reading(
    *,
    session: Session,
    case_id: str,
    reading: AiReading,
    advisory_facts: FactRecord | None,
    estimated_cost: float | None,
) -> CaseModelReading:
    """Keep ``reading`` as the case's latest (without the cache entries it produced)."""
    row = session.get(CaseModelReading, case_id) or CaseModelReading(
        case_id=case_id, status=reading.status, reading_json="{}"
    )
    row.status = reading.status
    row.reason = reading.reason
    row.model = reading.model
    row.prompt_version = reading.prompt_version
    row.reading_json = reading.model_dump_json(exclude={"new_cache_entries"})
    row.advisory_facts_json = advisory_facts.model_dump_json() if advisory_facts else None
    row.tokens_in = reading.tokens_in
    row.tokens_out = reading.tokens_out
    row.estimated_cost = estimated_cost
    row.updated_at = utcnow()
    session.add(row)
    return row


def case_reading(*, session: Session, case_id: str) -> CaseModelReading | None:
    """The case's stored reading, if the case was read since the model could read."""
    return session.get(CaseModelReading, case_id)
