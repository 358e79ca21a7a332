"""Printing CUAD figures as a table and as the closing JSON line."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from evals.cuad.metrics import CategoryScore, approval_recall, macro_f1
from extractors.classifier.categories import APPROVAL_KEYS, category_by_key

ATTRIBUTION = (
    "CUAD v1 (The Atticus Project; Hendrycks, Burns, Chen & Ball, 2021), CC BY 4.0; "
    "the 398 contracts of the development split, of which evals/cuad/sealed.txt is sealed."
)


def wide_console() -> Console:
    """A stderr console wide enough for side-by-side tables when output is not a terminal."""
    console = Console(stderr=True)
    return console if console.is_terminal else Console(stderr=True, width=170)


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


def side_by_side_table(
    parts: Mapping[str, list[CategoryScore]], title: str, caption: str | None = None
) -> Table:
    """Per category, each part's support, precision, recall and F1 beside the other's."""
    table = Table(title=title, caption=caption)
    table.add_column("category")
    table.add_column("approval")
    for name in parts:
        for column in ("n", "P", "R", "F1"):
            table.add_column(f"{name} {column}" if column == "n" else column, justify="right")
    rows = zip(*parts.values(), strict=True)
    for scores in rows:
        category = category_by_key(scores[0].key)
        cells: list[str] = []
        for score in scores:
            cells += [str(score.support), f"{score.precision:.3f}", f"{score.recall:.3f}"]
            cells.append(f"{score.f1:.3f}")
        table.add_row(category.cuad_name, category.approval or "", *cells)
    table.add_section()
    macro = [cell for scores in parts.values() for cell in ("", "", "", f"{macro_f1(scores):.3f}")]
    table.add_row("macro", "", *macro)
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


# Approval categories must reach this recall (the target, checked per partition).
APPROVAL_RECALL_TARGET = 0.90


@dataclass(frozen=True)
class PartitionFigures:
    """One partition's cross-validated scores and the approval contracts it missed."""

    seed: int
    scores: list[CategoryScore]
    misses: dict[str, list[str]]

    @property
    def macro_f1(self) -> float:
        return macro_f1(self.scores)

    @property
    def approval_recall(self) -> dict[str, float]:
        """Recall of each approval category that has labelled contracts in the data."""
        return approval_recall([score for score in self.scores if score.support])

    @property
    def short_of_target(self) -> dict[str, float]:
        """Approval categories under the recall target in this partition."""
        return {k: v for k, v in self.approval_recall.items() if v < APPROVAL_RECALL_TARGET}


def partition_table(partitions: list[PartitionFigures], title: str) -> Table:
    """A row per partition: macro-F1, worst approval recall, categories under the target."""
    table = Table(title=title)
    for column in ("seed", "macro-F1", "lowest approval recall", "approval categories < 0.90"):
        table.add_column(column, justify="left" if column.startswith("approval") else "right")
    for partition in partitions:
        short = partition.short_of_target
        table.add_row(
            str(partition.seed),
            f"{partition.macro_f1:.4f}",
            f"{min(partition.approval_recall.values()):.3f}",
            ", ".join(f"{category_by_key(k).cuad_name} {v:.2f}" for k, v in short.items())
            or "none",
        )
    table.add_section()
    values = [partition.macro_f1 for partition in partitions]
    table.add_row(
        "mean", f"{np.mean(values):.4f}", "", f"range {min(values):.4f}-{max(values):.4f}"
    )
    return table


def partition_figures(partitions: list[PartitionFigures]) -> dict[str, Any]:
    """The JSON figures of several partitions: each one, their mean, and the worst recall.

    ``per_category`` holds the mean over partitions, and ``approval_category_recall`` holds
    the worst partition's recall of each category, since a recall target must hold in each.
    """
    keys = [score.key for score in partitions[0].scores]
    mean = {
        key: {
            metric: round(float(np.mean([getattr(p.scores[i], metric) for p in partitions])), 4)
            for metric in ("precision", "recall", "f1")
        }
        for i, key in enumerate(keys)
    }
    worst = {
        key: min(p.approval_recall[key] for p in partitions)
        for key in partitions[0].approval_recall
    }
    values = [p.macro_f1 for p in partitions]
    return {
        "macro_f1": round(float(np.mean(values)), 4),
        "macro_f1_min": round(min(values), 4),
        "macro_f1_max": round(max(values), 4),
        "per_category": mean,
        "approval_category_recall": worst,
        "approval_min_recall": min(worst.values()) if worst else None,
        "partitions_meeting_recall_target": sum(not p.short_of_target for p in partitions),
        "per_seed": [
            {
                "seed": p.seed,
                "macro_f1": round(p.macro_f1, 4),
                "approval_category_recall": p.approval_recall,
                "approval_misses": p.misses,
            }
            for p in partitions
        ],
        "seeds": [p.seed for p in partitions],
    }


def print_json_line(console: Console, figures: dict[str, Any]) -> None:
    """The last line of every evaluation: one JSON object, nothing after it."""
    console.file.flush()
    print(json.dumps(figures, sort_keys=False), flush=True)
