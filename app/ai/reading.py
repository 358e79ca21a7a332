"""The model's reading in the case pipeline: cached answers in, the reading and new answers out."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from app.ai.config import estimated_cost, model_settings
from app.ai.models import CaseModelReading
from app.ai.store import cached_answers, store_answers, store_reading
from app.settings import Settings
from extractors.document import Document
from extractors.facts import FactRecord
from extractors.llm import AiReading, CacheEntry
from extractors.llm.reader import plan_chunks


def known_answers(
    *, session: Session, documents: Sequence[Document], settings: Settings
) -> dict[str, CacheEntry]:
    """The answers already cached for the chunks a reading of ``documents`` would send."""
    config = model_settings(settings)
    if not config.enabled or not documents:
        return {}
    keys = [plan.key for plan in plan_chunks(documents, config)]
    return cached_answers(session=session, keys=keys)


def record_reading(
    *,
    session: Session,
    case_id: str,
    reading: AiReading,
    advisory_facts: FactRecord | None,
    settings: Settings,
) -> CaseModelReading:
    """Store the reading beside the decision, and the answers it got from the model."""
    store_answers(session=session, entries=reading.new_cache_entries)
    cost = estimated_cost(settings, reading.model, reading.tokens_in, reading.tokens_out)
    return store_reading(
        session=session,
        case_id=case_id,
        reading=reading,
        advisory_facts=advisory_facts,
        estimated_cost=cost,
    )
