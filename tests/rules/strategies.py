"""Hypothesis strategies: generated cases for a policy, and AI findings to add to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st

from extractors.facts import FactRecord, Source
from rules import CaseContext, Policy
from rules.paths import is_context
from rules.sampling import sample_case

T = TypeVar("T")


class DrawChooser:
    """Lets ``rules.sampling`` draw its choices from hypothesis, so failures shrink."""

    def __init__(self, data: st.DataObject) -> None:
        self._data = data

    def choice(self, options: Sequence[T]) -> T:
        return self._data.draw(st.sampled_from(list(options)))

    def integer(self, low: int, high: int) -> int:
        return self._data.draw(st.integers(low, high))


def draw_case(data: st.DataObject, policy: Policy) -> tuple[FactRecord, CaseContext]:
    """A generated fact record and context exercising every path the policy tests."""
    return sample_case(DrawChooser(data), policy)


def draw_ai_additions(data: st.DataObject, policy: Policy, deterministic: FactRecord) -> FactRecord:
    """``deterministic`` with some facts replaced by AI findings (grounded or not)."""
    donor, _ = sample_case(DrawChooser(data), policy)
    candidates = [path for path in policy.fact_paths if not is_context(path)]
    chosen = data.draw(st.lists(st.sampled_from(candidates), unique=True, max_size=len(candidates)))
    sections: dict[str, dict[str, Any]] = {}
    for path in chosen:
        section, name = path.split(".", 1)
        fact = getattr(getattr(donor, section), name)
        sections.setdefault(section, {})[name] = fact.model_copy(update={"source": Source.LLM})
    updates = {
        section: getattr(deterministic, section).model_copy(update=fields)
        for section, fields in sections.items()
    }
    return deterministic.model_copy(update=updates)
