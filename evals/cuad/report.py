"""Printing CUAD figures as a table and as the closing JSON line."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from evals.cuad.metrics import CategoryScore, approval_recall, macro_f1
from extractors.classifier.categories import APPROVAL_KEYS, category_by_key

ATTRIBUTION = (
    "CUAD v1 (The Atticus Project; Hendrycks, Burns, Chen & Ball, 2021), CC BY 4.0; "
    "development split: figures are development figures."
)


def category_table(scores: list[CategoryScore], title: str) -> Table:
    """Per-category precision, recall and F1, approval categories marked."""
    table = Table(title=title)
    for column in ("category", "approval", "support", "predicted", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column in {"category", "approval"} else "right")
    for score in scores:
        category = category_by_key(score.key)
        table.add_row(
            category.cuad_name,
            category.approval or "",
            str(score.support),
            str(score.predicted),
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
        )
    table.add_section()
    table.add_row("macro", "", "", "", "", "", f"{macro_f1(scores):.3f}")
    return table


def clause_figures(scores: list[CategoryScore]) -> dict[str, Any]:
    """The clause part of the JSON figures."""
    recall = approval_recall(scores)
    return {
        "macro_f1": round(macro_f1(scores), 4),
        "per_category": {score.key: score.as_dict() for score in scores},
        "approval_category_recall": recall,
        "approval_min_recall": min(recall.values()) if recall else None,
        "approval_categories": sorted(APPROVAL_KEYS),
    }


def print_json_line(console: Console, figures: dict[str, Any]) -> None:
    """The last line of every evaluation: one JSON object, nothing after it."""
    console.file.flush()
    print(json.dumps(figures, sort_keys=False), flush=True)
