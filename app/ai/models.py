"""Tables of the model's part: answers cached by what they depend on, and each case's reading."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Column, Field, SQLModel

from app.models import utcnow


class ModelAnswerCache(SQLModel, table=True):
    """A validated answer for one chunk: the same document, prompts, model and settings are
    never sent to the model twice."""

    __tablename__ = "model_answer_cache"

    key: str = Field(primary_key=True, max_length=64)
    model: str = Field(max_length=200)
    prompt_hash: str = Field(max_length=64)
    document_sha256: str = Field(max_length=64, index=True)
    chunk_start: int
    chunk_end: int
    answer_json: str = Field(sa_column=Column(Text, nullable=False))
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    created_at: datetime = Field(default_factory=utcnow)


class CaseModelReading(SQLModel, table=True):
    """The model's latest reading of a case (or why there was none), beside its decision."""

    __tablename__ = "case_model_readings"

    case_id: str = Field(foreign_key="cases.id", primary_key=True, max_length=32)
    status: str = Field(max_length=20)
    reason: str | None = Field(default=None, sa_column=Column(Text))
    model: str | None = Field(default=None, max_length=200)
    prompt_version: str | None = Field(default=None, max_length=64)
    # The reading (summary, complexity, findings with their grounding, calls, prompt hashes).
    reading_json: str = Field(sa_column=Column(Text, nullable=False))
    # The facts the advisory decision saw: deterministic plus grounded model facts.
    advisory_facts_json: str | None = Field(default=None, sa_column=Column(Text))
    tokens_in: int = 0
    tokens_out: int = 0
    estimated_cost: float | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
