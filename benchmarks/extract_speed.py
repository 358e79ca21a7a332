"""Offline extraction time per CUAD contract after ingestion.

Run: ``python benchmarks/extract_speed.py [--dataset DIR] [--limit N]``.

Every PDF is ingested first (through the corpus cache, so a second run does not parse
again); then the full offline extraction (``extract_document``: pattern extractors and the
clause classifier, with chunking and grounding) is timed per document, single-threaded.
Prints a table and ends with one JSON line: median and p95 seconds per document, and the
same for documents of 15-25 pages (a "typical 20-page contract").
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table


def _summary(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"count": 0, "median_s": None, "p95_s": None, "max_s": None}
    array = np.asarray(values)
    return {
        "count": len(values),
        "median_s": round(float(np.median(array)), 4),
        "p95_s": round(float(np.percentile(array, 95)), 4),
        "max_s": round(float(array.max()), 4),
    }


def main(argv: list[str] | None = None) -> None:
    """Time the offline extraction of every contract of ``--dataset``."""
    from evals.cuad.corpus import DEFAULT_CUAD_DIR, load_documents, read_labels
    from extractors.classifier.extractor import ClauseClassifier
    from extractors.extract import extract_document
    from extractors.registry import DEFAULT_OFFLINE, get_extractors

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_CUAD_DIR)
    parser.add_argument("--limit", type=int, default=None, help="only the first N contracts")
    parser.add_argument("--workers", type=int, default=2, help="PDF parser processes")
    args = parser.parse_args(argv)
    console = Console(stderr=True)

    contracts = read_labels(args.dataset)[: args.limit]
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("ingesting", total=len(contracts))
        documents, report = load_documents(
            args.dataset,
            [c.contract_id for c in contracts],
            workers=args.workers,
            progress=lambda _: bar.advance(task),
        )
    extractors = get_extractors(DEFAULT_OFFLINE)
    classifier = next(e for e in extractors if isinstance(e, ClauseClassifier))
    # One warm-up so imports and first-call caches are not billed to the first contract.
    if documents:
        extract_document(next(iter(documents.values())), extractors=extractors)

    timings: list[tuple[str, int, int, float, float]] = []
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("extracting", total=len(documents))
        for contract_id, document in documents.items():
            started = time.perf_counter()
            extract_document(document, extractors=extractors)
            total = time.perf_counter() - started
            started = time.perf_counter()
            classifier.extract(document, [])
            clause = time.perf_counter() - started
            timings.append((contract_id, document.page_count, len(document.text), total, clause))
            bar.advance(task)

    everything = [t[3] for t in timings]
    typical = [t[3] for t in timings if 15 <= t[1] <= 25]
    clause_only = [t[4] for t in timings]
    table = Table(title=f"Offline extraction time per contract ({report.source})")
    for column in ("documents", "count", "median s", "p95 s", "max s"):
        table.add_column(column, justify="right" if column != "documents" else "left")
    rows = {
        "all contracts": _summary(everything),
        "15-25 pages": _summary(typical),
        "clause classifier alone": _summary(clause_only),
    }
    for name, figures in rows.items():
        table.add_row(name, *(str(figures[k]) for k in ("count", "median_s", "p95_s", "max_s")))
    console.print(table)
    slowest = sorted(timings, key=lambda t: -t[3])[:3]
    for contract_id, pages, chars, seconds, _ in slowest:
        console.print(f"slowest: {contract_id} {pages} pages {chars} chars {seconds:.3f} s")
    result: dict[str, Any] = {
        "documents": len(timings),
        "failures": len(report.failures),
        "median_s": rows["all contracts"]["median_s"],
        "p95_s": rows["all contracts"]["p95_s"],
        "typical_20_pages": rows["15-25 pages"],
        "classifier": rows["clause classifier alone"],
        "median_pages": statistics.median(t[1] for t in timings) if timings else None,
        "text_source": report.source,
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
