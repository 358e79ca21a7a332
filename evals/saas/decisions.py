"""Decision-level evaluation of the SaaS bundles through the function the service runs.

Usage: ``python -m evals.saas.decisions [--dataset DIR] [--sealed DIR | --no-sealed]
[--report FILE.html] [--check-baseline | --write-baseline]``.

Every bundle is ingested and triaged by ``app.triage.triage_documents`` (the same extraction,
policy and engine as a case), and its decision is compared with the ``decision`` block of its
``expected.yaml``: approval recall and precision per role, approvals that must not fire and did,
clean deals routed to nobody, path accuracy and its confusion matrix, ``needs_information`` and
why, and how often each rule fired wrongly. Fact scores are printed beside them. The development
set and the sealed set are reported side by side; cases are named for the development set only,
so that nothing is tuned on the sealed one. The last line is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app.settings import Settings
from app.triage import Triage, triage_documents
from evals.saas.decision_metrics import (
    ROLES,
    TARGETS,
    BundleVerdict,
    DecisionFigures,
    judge,
    meets,
)
from evals.saas.generate import DEFAULT_DATASET, SEALED_DATASET, bundle_dirs
from evals.saas.labels import BundleLabel, load_label
from evals.saas.scoring import FieldCounts, micro, score_record, total
from extractors.document import Document
from extractors.errors import IngestError
from extractors.ingest import ingest_path, shutdown_pool
from rules import CaseContext, Policy, load_policy

BASELINE = Path(__file__).resolve().parent / "baseline.json"
# How far a gated figure may fall below the committed baseline before the gate fails: one
# bundle's worth on a set of about forty, so a real regression cannot hide in rounding.
TOLERANCE = 0.02
GATED = ("approval_recall", "clean_share_no_approval")
DEVELOPMENT, SEALED = "development", "sealed"


@dataclass
class SplitRun:
    """One set of bundles triaged and judged."""

    name: str
    dataset: Path
    decisions: DecisionFigures = field(default_factory=DecisionFigures)
    facts: dict[str, FieldCounts] = field(default_factory=dict)
    unlabelled: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def fact_micro(self) -> FieldCounts:
        return micro(self.facts)


def read_bundle(bundle_dir: Path, label: BundleLabel) -> tuple[list[Document], CaseContext]:
    """A bundle's documents as the service reads them; unreadable files go in the context."""
    documents: list[Document] = []
    unreadable: list[str] = []
    for item in label.documents:
        try:
            documents.append(ingest_path(bundle_dir / item.file))
        except IngestError:
            unreadable.append(item.file)
    return documents, CaseContext(unreadable_documents=unreadable)


def triage_bundle(
    bundle_dir: Path, label: BundleLabel, *, settings: Settings, policy: Policy
) -> tuple[list[Document], Triage]:
    """Ingest and triage one bundle as the service would."""
    documents, context = read_bundle(bundle_dir, label)
    return documents, triage_documents(documents, settings=settings, policy=policy, context=context)


def run_split(name: str, dataset: Path, *, settings: Settings, policy: Policy) -> SplitRun:
    """Triage every bundle under ``dataset`` and judge the decisions that carry a label."""
    run = SplitRun(name=name, dataset=dataset)
    started = time.perf_counter()
    per_bundle = []
    for bundle_dir in bundle_dirs(dataset):
        label = load_label(bundle_dir)
        try:
            _, triage = triage_bundle(bundle_dir, label, settings=settings, policy=policy)
        except Exception as error:  # one broken bundle is reported, the others still count
            message = f"{type(error).__name__}: {error}"
            if label.decision is not None:
                run.decisions.verdicts.append(
                    judge(bundle_dir.name, label.decision, None, error=message)
                )
            continue
        per_bundle.append(score_record(label, triage.facts))
        if label.decision is None:
            run.unlabelled.append(bundle_dir.name)
            continue
        run.decisions.verdicts.append(judge(bundle_dir.name, label.decision, triage.decision))
    run.facts = total(per_bundle)
    run.seconds = time.perf_counter() - started
    return run


# ---- printing ----------------------------------------------------------------------------


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


HEADLINES: tuple[tuple[str, str], ...] = (
    ("bundles", "bundles with a decision label"),
    ("clean_deals", "clean deals (no approval due)"),
    ("approval_recall", "approval recall"),
    ("approval_precision", "approval precision"),
    ("forbidden_fired_share", "approvals that must not fire, fired"),
    ("clean_share_no_approval", "clean deals with no approval"),
    ("spurious_per_clean_deal", "approvals per clean deal"),
    ("path_share", "path right or within bounds"),
    ("needs_information_rate", "needs_information rate"),
    ("needs_information_wrong", "needs_information against the label"),
)


def headline_table(runs: list[SplitRun]) -> Table:
    """The figures a user judges, one column per split, with the targets."""
    table = Table(title="Decisions, as the user sees them")
    table.add_column("figure")
    for run in runs:
        table.add_column(run.name, justify="right")
    table.add_column("target", justify="right")
    summaries = [run.decisions.summary() for run in runs]
    for key, text in HEADLINES:
        cells = []
        for summary in summaries:
            value = summary[key]
            mark = {True: "", False: " ✗", None: ""}[meets(key, value)]
            cells.append(
                (_ratio(value) if isinstance(value, float) or value is None else str(value)) + mark
            )
        target = f"{TARGETS[key][0]} {TARGETS[key][1]:.2f}" if key in TARGETS else ""
        table.add_row(text, *cells, target)
    table.add_section()
    for run in runs:
        micro = run.fact_micro
        table.add_row(
            f"facts P / R ({run.name})",
            *[
                f"{_ratio(micro.precision)} / {_ratio(micro.recall)}" if other is run else ""
                for other in runs
            ],
            "",
        )
    return table


def role_table(runs: list[SplitRun]) -> Table:
    """Per role: required, found, needless; recall and precision, per split."""
    table = Table(title="Approvals per role (recall / precision; needless of must-not)")
    table.add_column("role")
    for run in runs:
        table.add_column(run.name, justify="right")
    for role in ROLES:
        cells = []
        for run in runs:
            figures = run.decisions.role(role)
            cells.append(
                f"{_ratio(figures.recall)} / {_ratio(figures.precision)}"
                f"  ({figures.found}/{figures.required}; {figures.needless}/{figures.forbidden})"
            )
        table.add_row(role.value, *cells)
    return table


def confusion_table(run: SplitRun) -> Table:
    """Expected path (or bounds) against the predicted path."""
    confusion = run.decisions.confusion()
    predicted = sorted({p for _, p in confusion})
    table = Table(title=f"Path confusion ({run.name}): expected ↓, predicted →")
    table.add_column("expected")
    for name in predicted:
        table.add_column(name.replace("_", " "), justify="right")
    for expected in sorted({e for e, _ in confusion}):
        table.add_row(expected, *[str(confusion.get((expected, p), "")) for p in predicted])
    return table


def rule_table(runs: list[SplitRun]) -> Table:
    """How often each rule fired, and how often wrongly, per split."""
    table = Table(title="Rule firings (fired / wrongly)")
    table.add_column("rule")
    firings = [run.decisions.rule_firings() for run in runs]
    for run in runs:
        table.add_column(run.name, justify="right")
    for rule in sorted({rule for counts in firings for rule in counts}):
        table.add_row(rule, *[f"{c[rule][0]} / {c[rule][1]}" if rule in c else "" for c in firings])
    return table


def worst_table(verdicts: list[BundleVerdict], title: str) -> Table:
    """The bundles with the most mistakes and what went wrong."""
    table = Table(title=title, show_lines=True)
    table.add_column("bundle", no_wrap=True)
    table.add_column("what went wrong")
    for verdict in verdicts:
        table.add_row(verdict.bundle, escape("; ".join(verdict.causes())))
    return table


def print_runs(runs: list[SplitRun], console: Console) -> None:
    """Every table, development before sealed."""
    console.print(headline_table(runs))
    console.print(role_table(runs))
    for run in runs:
        console.print(confusion_table(run))
    console.print(rule_table(runs))
    for run in runs:
        reasons = run.decisions.needs_information_reasons()
        if reasons:
            console.print(f"[bold]needs_information against the label ({run.name}):[/bold]")
            for reason, count in reasons.most_common():
                console.print(f"  {count} × {escape(reason)}")
    development = [run for run in runs if run.name == DEVELOPMENT]
    for run in development:
        worst = run.decisions.worst()
        if worst:
            console.print(worst_table(worst, f"Worst cases ({run.name})"))
    if any(run.name == SEALED for run in runs):
        console.print("Sealed cases are reported as figures only, never case by case.")
    for run in runs:
        if run.unlabelled:
            console.print(f"{run.name}: no decision label: {', '.join(run.unlabelled)}")


def figures(runs: list[SplitRun], policy: Policy, settings: Settings) -> dict[str, Any]:
    """Everything measured, as JSON data."""
    result: dict[str, Any] = {
        "policy": policy.version,
        "engine": settings.rules_engine,
        "extractors": list(settings.offline_extractors),
    }
    for run in runs:
        micro = run.fact_micro
        summary = run.decisions.summary()
        summary["facts"] = {
            "micro_precision": _round(micro.precision),
            "micro_recall": _round(micro.recall),
        }
        summary["rules"] = {
            rule: {"fired": fired, "wrong": wrong}
            for rule, (fired, wrong) in run.decisions.rule_firings().items()
        }
        summary["seconds"] = round(run.seconds, 1)
        result[run.name] = summary
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# ---- the regression gate -----------------------------------------------------------------


def gated(result: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """The figures the gate holds, per split."""
    return {
        split: {name: result[split][name] for name in GATED}
        for split in (DEVELOPMENT, SEALED)
        if split in result
    }


def check_baseline(result: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Sentences for every gated figure that fell more than ``TOLERANCE`` below the baseline."""
    failures: list[str] = []
    for split, names in baseline.items():
        for name, before in names.items():
            now = result.get(split, {}).get(name)
            if before is None:
                continue
            if now is None or now < before - TOLERANCE:
                failures.append(f"{split} {name} fell from {before} to {now}")
    return failures


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="development set")
    parser.add_argument("--sealed", type=Path, default=SEALED_DATASET, help="sealed set")
    parser.add_argument("--no-sealed", action="store_true", help="leave the sealed set out")
    parser.add_argument("--engine", choices=["durable", "reference"], default=None)
    parser.add_argument("--report", type=Path, help="write a self-contained HTML report here")
    gate = parser.add_mutually_exclusive_group()
    gate.add_argument(
        "--check-baseline", action="store_true", help=f"fail if below {BASELINE.name}"
    )
    gate.add_argument("--write-baseline", action="store_true", help=f"update {BASELINE.name}")
    args = parser.parse_args(argv)

    splits = [(DEVELOPMENT, args.dataset)]
    if not args.no_sealed and bundle_dirs(args.sealed):
        splits.append((SEALED, args.sealed))
    if not bundle_dirs(args.dataset):
        print(f"no bundles (*/expected.yaml) under {args.dataset}", file=sys.stderr)
        return 2
    settings = Settings() if args.engine is None else Settings(rules_engine=args.engine)
    policy = load_policy(settings.rules_dir)
    try:
        runs = [run_split(name, path, settings=settings, policy=policy) for name, path in splits]
    finally:
        shutdown_pool()
    console = Console(width=max(Console().width, 100))
    print_runs(runs, console)
    result = figures(runs, policy, settings)
    if args.report:
        from evals.saas.decision_report import write_report

        write_report(args.report, runs, result)
        console.print(f"report written to {args.report}")
    status = 0
    if args.write_baseline:
        BASELINE.write_text(json.dumps(gated(result), indent=2, sort_keys=True) + "\n")
        console.print(f"baseline written to {BASELINE}")
    elif args.check_baseline:
        failures = check_baseline(result, json.loads(BASELINE.read_text()))
        for failure in failures:
            console.print(f"[red]regression:[/red] {failure} (tolerance {TOLERANCE})")
        status = 1 if failures else 0
    print(json.dumps(result, sort_keys=False))
    return status


if __name__ == "__main__":
    sys.exit(main())
