"""Bar charts as data the templates draw as inline SVG: no script, no chart library, and
each chart sits beside the table of its numbers for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    fraction: float  # of the longest bar, 0..1


def bars(items: Sequence[tuple[str, float, str]]) -> list[Bar]:
    """``(label, value, display)`` rows scaled to the largest value."""
    top = max((value for _, value, _ in items), default=0.0)
    return [
        Bar(label=label, value=value, display=display, fraction=value / top if top > 0 else 0.0)
        for label, value, display in items
    ]
