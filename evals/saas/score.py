"""Score the offline extraction on the labelled SaaS bundles: per-field precision and recall.

Usage: ``python -m evals.saas.score [--dataset DIR]``. Ingests every document of every
bundle, runs the offline extraction on each bundle, compares with ``expected.yaml``, checks
that every evidence quote is exact, prints a table, and ends with one JSON line of figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.settings import Settings
from app.triage import triage_documents
from evals.saas.generate import DEFAULT_DATASET, bundle_dirs
from evals.saas.labels import BundleLabel, load_label
from evals.saas.scoring import (
    EvidenceCheck,
    FieldCounts,
    check_evidence,
    micro,
    score_record,
    total,
)
from extractors.document import Document
from extractors.facts import FactRecord
from extractors.ingest import ingest_path, shutdown_pool
from extractors.registry import DEFAULT_OFFLINE, get_extractors
from rules import Policy, load_policy


@dataclass
class RunResult:
    """Everything one scoring run measured."""

    fields: dict[str, FieldCounts]
    extractors: tuple[str, ...] = ()
    bundles: int = 0
    documents: int = 0
    evidence_total: int = 0
    evidence_valid: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def micro(self) -> FieldCounts:
        return micro(self.fields)

    @property
    def evidence_valid_share(self) -> float | None:
        return self.evidence_valid / self.evidence_total if self.evidence_total else None


def ingest_bundle(bundle_dir: Path, label: BundleLabel) -> list[Document]:
    """Ingest the bundle's documents in the order the label lists them."""
    return [ingest_path(bundle_dir / document.file) for document in label.documents]


def extract(documents: list[Document], extractor_names: Sequence[str]) -> FactRecord:
    """The facts the service's triage reads from a bundle, with the named extractors."""
    settings = Settings(rules_engine="reference")
    triage = triage_documents(
        documents, settings=settings, policy=_policy(), extractors=get_extractors(extractor_names)
    )
    return triage.facts


@cache
def _policy() -> Policy:
    return load_policy()


def run(dataset: Path, extractor_names: Sequence[str] = DEFAULT_OFFLINE) -> RunResult:
    """Score every bundle under ``dataset`` with the named extractors."""
    per_bundle = []
    result = RunResult(fields={}, extractors=tuple(extractor_names))
    started = time.perf_counter()
    for bundle_dir in bundle_dirs(dataset):
        label = load_label(bundle_dir)
        result.bundles += 1
        result.documents += len(label.documents)
        try:
            documents = ingest_bundle(bundle_dir, label)
            record = extract(documents, extractor_names)
        except Exception as error:  # a failing bundle is reported and scored as finding nothing
            result.errors.append(f"{bundle_dir.name}: {type(error).__name__}: {error}")
            per_bundle.append(score_record(label, FactRecord()))
            continue
        per_bundle.append(score_record(label, record))
        evidence: EvidenceCheck = check_evidence(record, documents)
        result.evidence_total += evidence.total
        result.evidence_valid += evidence.valid
    result.fields = total(per_bundle)
    result.seconds = time.perf_counter() - started
    return result


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def print_table(result: RunResult, console: Console) -> None:
    """Per-field counts, precision and recall as a Rich table."""
    table = Table(title="SaaS set: offline extraction per field", show_lines=False)
    table.add_column("field", no_wrap=True)
    for name in ("labelled", "predicted", "TP", "FP", "FN", "precision", "recall"):
        table.add_column(name, justify="right")
    for path, counts in result.fields.items():
        table.add_row(
            path,
            str(counts.labelled),
            str(counts.predicted),
            str(counts.tp),
            str(counts.fp),
            str(counts.fn),
            _ratio(counts.precision),
            _ratio(counts.recall),
        )
    micro = result.micro
    table.add_section()
    table.add_row(
        "micro (all fields)",
        str(micro.labelled),
        str(micro.predicted),
        str(micro.tp),
        str(micro.fp),
        str(micro.fn),
        _ratio(micro.precision),
        _ratio(micro.recall),
    )
    console.print(table)
    console.print(
        f"bundles {result.bundles}, documents {result.documents}, "
        f"evidence quotes {result.evidence_total} "
        f"(exact: {_ratio(result.evidence_valid_share)}), {result.seconds:.1f} s"
    )
    for message, bundles in _grouped(result.errors).items():
        console.print(f"[red]error[/red] in {', '.join(bundles)}: {escape(message)}")


def _grouped(errors: list[str]) -> dict[str, list[str]]:
    # One line per distinct failure: a missing model fails every bundle the same way.
    grouped: dict[str, list[str]] = {}
    for error in errors:
        bundle, _, message = error.partition(": ")
        grouped.setdefault(message, []).append(bundle)
    return grouped


def figures(result: RunResult) -> dict[str, Any]:
    """The run's figures as one JSON-ready object."""
    micro = result.micro
    precision, recall = micro.precision, micro.recall
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else None
    )
    return {
        "fields": {
            path: {
                "labelled": counts.labelled,
                "predicted": counts.predicted,
                "tp": counts.tp,
                "fp": counts.fp,
                "fn": counts.fn,
                "precision": counts.precision,
                "recall": counts.recall,
            }
            for path, counts in result.fields.items()
        },
        "micro_precision": precision,
        "micro_recall": recall,
        "micro_f1": f1,
        "evidence_quotes": result.evidence_total,
        "evidence_valid_share": result.evidence_valid_share,
        "extractors": list(result.extractors),
        "bundles": result.bundles,
        "documents": result.documents,
        "errors": len(result.errors),
        "seconds": round(result.seconds, 3),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument(
        "--extractors",
        default=",".join(DEFAULT_OFFLINE),
        help="comma-separated extractor names (default: the shipped offline set)",
    )
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.extractors.split(",") if name.strip()]
    if not bundle_dirs(args.dataset):
        print(f"no bundles (*/expected.yaml) under {args.dataset}", file=sys.stderr)
        return 2
    try:
        result = run(args.dataset, names)
    finally:
        shutdown_pool()
    console = Console(width=max(Console().width, 110))
    console.print(f"extractors: {', '.join(names)}")
    print_table(result, console)
    print(json.dumps(figures(result), sort_keys=False))
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
