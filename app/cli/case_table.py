"""A list of cases for the terminal: a table when it fits, two short lines a case when not."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import datetime

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from app.views.case_list import CaseListItem
from app.views.wording import age_words

# A 32-character id, a reference, a status, a path and the approvals fit side by side here.
LIST_TABLE_WIDTH = 130


def print_case_list(
    console: Console, items: Sequence[CaseListItem], *, now: datetime | None = None
) -> None:
    """Newest first: id, reference, status, path, tier, approvals and age of each case."""
    if not items:
        console.print("No cases.")
        return
    if console.width >= LIST_TABLE_WIDTH:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for column in ("id", "reference", "status", "path", "tier", "approvals", "age"):
            table.add_column(column, no_wrap=column in {"id", "status", "tier", "age"})
        for item in items:
            table.add_row(
                item.id,
                item.reference or "—",
                item.status.value,
                item.path or "—",
                str(item.tier) if item.tier is not None else "—",
                ", ".join(item.approvals) or "none",
                age_words(item.created_at, now),
            )
        console.print(table)
        return
    for item in items:
        console.print(
            Text.assemble((item.id, "bold"), f"  {age_words(item.created_at, now)}"),
            overflow="fold",
        )
        console.print(Text("\n".join(_details(item, width=console.width))), overflow="fold")


def _details(item: CaseListItem, *, width: int) -> list[str]:
    decided = f"{item.path}, tier {item.tier}" if item.path else "not decided"
    approvals = ", ".join(item.approvals) or "no approval"
    parts = [item.reference or "no reference", item.status.value, decided, approvals]
    return textwrap.wrap(
        " · ".join(parts),
        width=max(width, 40),
        initial_indent="  ",
        subsequent_indent="    ",
        break_on_hyphens=False,
    )
