"""Case-level inputs that are not contract facts but still steer the decision."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CaseContext(BaseModel):
    """What the pipeline knows about the case as a whole; rules name it ``context.<field>``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Documents of the bundle that could not be turned into text (filename or id): the
    # facts are then incomplete, so the default policy asks for information.
    unreadable_documents: list[str] = Field(default_factory=list)


CONTEXT_PATHS: tuple[str, ...] = tuple(f"context.{name}" for name in CaseContext.model_fields)
