"""Facts a person corrected: checked against the fact schema, and laid over the documents' facts.

A corrected fact is the person's (``Source.PERSON``), with their reason as its note and
their quote, when they give one, placed in the document it comes from.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from app.approvals.errors import InvalidFactValueError, QuoteNotFoundError, UnknownFactPathError
from app.approvals.models import Correction
from extractors.document import Document
from extractors.extract import Grounder
from extractors.facts import (
    Evidence,
    Fact,
    FactRecord,
    FactStatus,
    Source,
    fact_paths,
    fact_value_type,
)

CORRECTION_EXTRACTOR = "correction"
_PATHS = frozenset(fact_paths())


def _fact_type(path: str) -> type[Fact[Any]]:
    section, name = path.split(".", 1)
    model = FactRecord.model_fields[section].annotation
    assert isinstance(model, type) and issubclass(model, BaseModel)
    fact_type = model.model_fields[name].annotation
    assert isinstance(fact_type, type) and issubclass(fact_type, Fact)
    return fact_type


def check_path(path: str) -> str:
    """``path`` if the fact schema has it, else UnknownFactPathError."""
    if path not in _PATHS:
        raise UnknownFactPathError(
            f"There is no fact {path!r}; facts are named section.field, "
            "e.g. commercial.payment_terms_days.",
            field="path",
        )
    return path


def check_value(path: str, value: Any) -> Any:
    """``value`` as the schema types ``path`` (strictly: "30" is not a number of days)."""
    try:
        return TypeAdapter(fact_value_type(path)).validate_json(json.dumps(value), strict=True)
    except ValidationError as error:
        problems = "; ".join(e["msg"] for e in error.errors(include_url=False))
        raise InvalidFactValueError(
            f"{json.dumps(value)} is not a value for {path}: {problems}.",
            field="value",
            errors=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in error.errors()],
        ) from error


def place_quote(quote: str, documents: Sequence[Document]) -> Evidence:
    """Where ``quote`` is in the case's documents (QuoteNotFoundError when nowhere)."""
    placed = Grounder(documents).place(Evidence(start=0, end=0, page=1, quote=quote))
    if placed is None:
        raise QuoteNotFoundError(
            "The quote was not found in the case's documents; copy it from the document, "
            "or leave it out.",
            field="quote",
        )
    return placed


def corrected_fact(
    *,
    path: str,
    value: Any,
    reason: str,
    quote: str | None,
    documents: Sequence[Document],
) -> Fact[Any]:
    """The fact a correction states: present with ``value``, or not found when it is null."""
    checked = check_value(check_path(path), value)
    evidence = [place_quote(quote, documents)] if quote else []
    return _fact_type(path)(
        status=FactStatus.NOT_FOUND if checked is None else FactStatus.PRESENT,
        value=checked,
        evidence=evidence,
        source=Source.PERSON,
        confidence=1.0,
        extractor=CORRECTION_EXTRACTOR,
        note=reason,
    )


def apply_corrections(facts: FactRecord, corrections: Sequence[Correction]) -> FactRecord:
    """``facts`` with every correction laid over them, in order (the last one on a fact wins)."""
    for correction in corrections:
        section, name = correction.path.split(".", 1)
        fact = _fact_type(correction.path).model_validate_json(correction.new_json)
        updated = getattr(facts, section).model_copy(update={name: fact})
        facts = facts.model_copy(update={section: updated})
    return facts
