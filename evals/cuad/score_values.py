"""Accuracy of the pattern extractor's governing law and agreement date on CUAD.

Usage: ``python -m evals.cuad.score_values --dataset DIR [--part P] [--txt] [--limit N]
[--errors]``. The development contracts by default (``--part sealed`` or ``all`` for the
others, ``evals.cuad.split``); wrong predictions are listed for the development part only,
so no wording is tuned on a sealed contract.
Reads ``master_clauses.csv`` of a folder in CUAD layout, runs ``PatternExtractor`` (the
whole extractor, as the service does) over every contract's text, prints a table and ends
with one JSON line of figures.

Text: the PDFs through our own ingestion (cached by ``evals.cuad.corpus``); ``--txt``, or an
ingestion that cannot be imported, uses CUAD's own ``txt/`` rendering instead, and the
``text_source`` figure says which one was measured.

How CUAD's answers are read and what counts as right is defined once, in
``evals.cuad.answers`` (the same definition ``evals.cuad.evaluate`` uses): agreement-date
accuracy is over full ``m/d/yyyy`` answers, with partial answers ("[]/[]/2004") reported
apart and in an inclusive figure; governing law is right when the extracted value names
a jurisdiction of the answer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from evals.cuad.answers import AnswerScores
from evals.cuad.corpus import DEFAULT_CUAD_DIR, TXT_LOADER, load_documents, read_labels
from evals.cuad.split import in_part
from extractors.document import Document
from extractors.facts import Fact
from extractors.patterns import PatternExtractor


def _present_value(fact: Fact[Any] | None) -> Any:
    return fact.value if fact is not None and fact.is_present else None


def score_values(dataset_dir: Path, documents: Mapping[str, Document]) -> dict[str, Any]:
    """Governing-law and agreement-date accuracy of ``PatternExtractor`` on ``documents``."""
    extractor = PatternExtractor()
    scores = AnswerScores()
    timings: list[float] = []
    for contract in read_labels(dataset_dir):
        document = documents.get(contract.contract_id)
        if document is None:
            continue
        started = time.perf_counter()
        findings = {finding.path: finding.fact for finding in extractor.extract(document, [])}
        timings.append(time.perf_counter() - started)
        scores.add_law(
            contract.contract_id,
            contract.governing_law,
            _present_value(findings.get("legal.governing_law")),
        )
        scores.add_date(
            contract.contract_id,
            contract.agreement_date,
            _present_value(findings.get("commercial.agreement_date")),
        )
    milliseconds = sorted(1000 * seconds for seconds in timings)
    return {
        **scores.figures(),
        "documents": len(timings),
        "extract_ms_median": round(statistics.median(milliseconds), 1) if milliseconds else None,
        "extract_ms_p95": round(milliseconds[int(0.95 * (len(milliseconds) - 1))], 1)
        if milliseconds
        else None,
        "errors": scores.errors,
    }


def _table(figures: Mapping[str, Any], source: str) -> Table:
    table = Table(title=f"Pattern extractor on CUAD ({source})")
    table.add_column("value")
    table.add_column("scored", justify="right")
    table.add_column("correct", justify="right")
    table.add_column("accuracy", justify="right")
    table.add_column("notes")
    table.add_row(
        "Governing Law",
        str(figures["governing_law_scored"]),
        str(figures["governing_law_correct"]),
        f"{figures['governing_law_accuracy']}",
        f"{figures['governing_law_skipped']} answers name no jurisdiction; "
        f"{figures['governing_law_extra']} predictions where CUAD has none",
    )
    table.add_row(
        "Agreement Date",
        str(figures["agreement_date_scored"]),
        str(figures["agreement_date_correct"]),
        f"{figures['agreement_date_accuracy']}",
        "full m/d/yyyy answers only",
    )
    table.add_row(
        "Agreement Date, partial answers",
        str(figures["agreement_date_partial"]),
        str(figures["agreement_date_partial_agreeing"]),
        "",
        "agreeing with every part CUAD gives",
    )
    table.add_row(
        "Agreement Date, inclusive",
        str(figures["agreement_date_inclusive_scored"]),
        str(figures["agreement_date_correct"] + figures["agreement_date_partial_agreeing"]),
        f"{figures['agreement_date_inclusive_accuracy']}",
        "full and partial answers together",
    )
    return table


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: score a folder in CUAD layout and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--dataset", type=Path, default=DEFAULT_CUAD_DIR, help="folder in CUAD layout"
    )
    parser.add_argument("--txt", action="store_true", help="read CUAD's txt/ instead of the PDFs")
    parser.add_argument("--workers", type=int, default=2, help="ingestion processes (at most 2)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N contracts")
    parser.add_argument("--errors", action="store_true", help="list every wrong prediction")
    parser.add_argument(
        "--part",
        choices=("development", "sealed", "all"),
        default="development",
        help="which contracts of the split (evals.cuad.split)",
    )
    args = parser.parse_args(argv)
    if args.errors and args.part != "development":
        parser.error("--errors names contracts: development part only")
    console = Console(stderr=True)
    labelled = [contract.contract_id for contract in read_labels(args.dataset)]
    ids = in_part(labelled, args.part)[: args.limit]
    with console.status(f"loading {len(ids)} contracts"):
        documents, report = load_documents(
            args.dataset, ids, use_txt=args.txt, workers=min(2, max(1, args.workers))
        )
    if report.failures:
        console.print(f"[yellow]{len(report.failures)} documents could not be read[/yellow]")
    figures = score_values(args.dataset, documents)
    errors = figures.pop("errors")
    source = TXT_LOADER if report.source == TXT_LOADER else report.source
    figures["text_source"] = source
    figures["unreadable"] = len(report.failures)
    out = Console()
    out.print(_table(figures, source))
    out.print(
        f"extraction per contract: median {figures['extract_ms_median']} ms, "
        f"p95 {figures['extract_ms_p95']} ms over {figures['documents']} documents"
    )
    if args.errors:
        for line in errors:
            out.print(f"  {line}", markup=False)
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
