"""The answer the model gives for one chunk, and its JSON Schema derived from the fact schema.

The clause categories are boolean fact paths and the obligation parties are the schema's
``PartyRole``, so an answer maps onto facts without translation. The strict schema follows
the rules of strict structured outputs: every property required, no extra properties, no
defaults, references inlined.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from extractors.facts import PartyRole
from extractors.llm.prompts import ClauseCategory

Complexity = Literal["low", "medium", "high"]
COMPLEXITY_ORDER: tuple[str, ...] = ("low", "medium", "high")


class QuotedPoint(BaseModel):
    model_config = ConfigDict(extra="ignore")

    point: str
    quote: str


class ObligationAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    party: PartyRole
    action: str
    due: str | None
    recurring: bool
    quote: str


class RiskAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    label: str
    explanation: str
    quote: str


class ClauseAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    category: str
    present: bool
    quote: str | None
    explanation: str


class ChunkAnswer(BaseModel):
    """Everything asked of one chunk, answered in one call."""

    model_config = ConfigDict(extra="ignore")

    summary: str
    summary_quotes: list[str] = Field(max_length=10)
    complexity: Complexity
    complexity_reasons: list[QuotedPoint]
    obligations: list[ObligationAnswer]
    risks: list[RiskAnswer]
    clauses: list[ClauseAnswer]


SCHEMA_NAME = "chunk_reading"


def answer_schema(categories: tuple[ClauseCategory, ...]) -> dict[str, Any]:
    """The strict JSON Schema of ``ChunkAnswer``, clause categories as an enum of fact paths."""
    schema = ChunkAnswer.model_json_schema()
    definitions = schema.pop("$defs", {})
    inlined: dict[str, Any] = _strict(_inline(schema, definitions))
    clause = inlined["properties"]["clauses"]["items"]
    clause["properties"]["category"] = {
        "type": "string",
        "enum": [category.path for category in categories],
    }
    return inlined


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return _inline(copy.deepcopy(definitions[name]), definitions)
        return {key: _inline(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    return node


_DROPPED_KEYWORDS = frozenset({"title", "default", "maxItems", "description"})


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _strict(value) for key, value in node.items() if key not in _DROPPED_KEYWORDS}
    if out.get("type") == "object" and "properties" in out:
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out
