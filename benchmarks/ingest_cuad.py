"""How well and how fast ingestion reads real contracts: CUAD's PDFs against CUAD's own text.

For every PDF under ``DATASET/pdf/`` this runs the service's full ingest (load in the parser
pool, chunk, hash) and, in the same run, bare sequential pypdf text extraction of the same
files, then reports:

* failures by error code;
* token recall of our text against ``DATASET/txt/`` (tokens are whitespace-separated, so
  whitespace differences do not count). ``recall`` compares the tokens as they are;
  ``recall_folded`` first folds the typography CUAD's text flattens (curly quotes and
  apostrophes, dashes, compatibility characters) on both sides, to show how much of the
  gap is typography rather than missing text;
* the share of CUAD's labelled clause excerpts (``master_clauses.csv``) the quote locator
  finds in our text;
* pages per second, and the time of our ingest over that of bare pypdf.

The last line of output is one JSON object with the figures. CUAD is CC BY 4.0, The Atticus
Project (Hendrycks et al., 2021).

    nice -n 10 python benchmarks/ingest_cuad.py [--dataset DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import statistics
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from extractors.chunking import chunk_document
from extractors.document import Document
from extractors.errors import IngestError
from extractors.ingest import ingest_many, shutdown_pool
from extractors.locate import ELISION_MARKER, QuoteLocator

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = REPO_ROOT.parent / "shared" / "datasets" / "cuad"
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)

# Wide enough for the tables when the output goes to a file or a pipe.
console = Console(width=None if sys.stdout.isatty() else 150)


@dataclass
class FileResult:
    """What happened to one contract."""

    name: str
    pages: int = 0
    error: str | None = None
    loader: str = ""
    problems: list[str] = field(default_factory=list)
    recall: float = 0.0
    recall_folded: float = 0.0
    missing: list[str] = field(default_factory=list)
    quotes: int = 0
    quotes_found: int = 0


def main() -> None:
    """Run the benchmark and print its table and JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dataset", type=Path, default=DEFAULT_DATASET, help="folder in CUAD layout"
    )
    parser.add_argument("--limit", type=int, default=0, help="only the first N PDFs (quick runs)")
    parser.add_argument("--workers", type=int, default=2, help="parser processes (default 2)")
    parser.add_argument("--worst", type=int, default=10, help="list the N files of lowest recall")
    args = parser.parse_args()

    pdfs = sorted((args.dataset / "pdf").glob("*.pdf"))
    if args.limit:
        pdfs = pdfs[: args.limit]
    if not pdfs:
        console.print(f"no PDFs under {args.dataset / 'pdf'}")
        sys.exit(2)
    for path in pdfs:  # warm the page cache so neither timed pass pays for the first read
        path.read_bytes()
    excerpts = _read_excerpts(args.dataset / "master_clauses.csv")

    with _progress() as progress:
        documents, ours_s, chunk_count = _run_ingest(pdfs, args.workers, progress)
        shutdown_pool()
        pypdf_s = _run_bare_pypdf(pdfs, progress)
        results = _score(pdfs, documents, excerpts, args.dataset / "txt", progress)

    figures = _figures(results, ours_s, pypdf_s, chunk_count)
    _print_tables(results, figures, args.worst)
    print(json.dumps(figures))


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<26}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=console,
    )


def _run_ingest(
    pdfs: list[Path], workers: int, progress: Progress
) -> tuple[dict[Path, Document | IngestError], float, int]:
    """Our full ingest (load in the pool, chunk, hash) over every file, timed."""
    task = progress.add_task("ingest (ours)", total=len(pdfs), current="")
    outcomes: dict[Path, Document | IngestError] = {}
    chunk_count = 0
    started = time.perf_counter()
    for path, outcome in ingest_many(pdfs, workers=workers):
        if isinstance(outcome, Document):
            chunk_count += len(chunk_document(outcome))
        outcomes[path] = outcome
        progress.update(task, advance=1, current=path.name)
    return outcomes, time.perf_counter() - started, chunk_count


def _run_bare_pypdf(pdfs: list[Path], progress: Progress) -> float:
    """Plain sequential pypdf extract_text of the same files, no limits, no isolation."""
    task = progress.add_task("bare pypdf (baseline)", total=len(pdfs), current="")
    started = time.perf_counter()
    for path in pdfs:
        progress.update(task, current=path.name)
        try:
            reader = PdfReader(path)
            "".join(page.extract_text() for page in reader.pages)
        except Exception as error:  # the baseline only times; its failures are shown
            progress.console.print(f"bare pypdf failed on {path.name}: {error!r}")
        progress.update(task, advance=1)
    return time.perf_counter() - started


def _score(
    pdfs: list[Path],
    outcomes: dict[Path, Document | IngestError],
    excerpts: dict[str, list[str]],
    txt_dir: Path,
    progress: Progress,
) -> list[FileResult]:
    task = progress.add_task("scoring", total=len(pdfs), current="")
    results = []
    for path in pdfs:
        progress.update(task, current=path.name)
        result = FileResult(name=path.stem)
        quotes = excerpts.get(path.stem, [])
        result.quotes = len(quotes)
        outcome = outcomes[path]
        if isinstance(outcome, IngestError):
            result.error = outcome.code.value
        else:
            reference = (txt_dir / f"{path.stem}.txt").read_text(encoding="utf-8")
            result.pages = outcome.page_count
            result.loader = outcome.loader
            result.problems = [problem.code for problem in outcome.problems]
            result.recall, result.missing = _token_recall(outcome.text, reference)
            result.recall_folded, _ = _token_recall(_fold(outcome.text), _fold(reference))
            result.quotes_found = _found_quotes(outcome.text, quotes)
        results.append(result)
        progress.update(task, advance=1)
    return results


def _token_recall(ours: str, reference: str) -> tuple[float, list[str]]:
    """Share of the reference's tokens (with multiplicity) found in ours; the most missed."""
    wanted = Counter(reference.split())
    have = Counter(ours.split())
    total = sum(wanted.values())
    missing = wanted - have
    recall = 1.0 - sum(missing.values()) / total if total else 1.0
    return recall, [token for token, _ in missing.most_common(5)]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)


def _found_quotes(text: str, quotes: list[str]) -> int:
    locator = QuoteLocator(text)
    found = 0
    for quote in quotes:
        if ELISION_MARKER in quote:
            found += locator.find_elided(quote) is not None
        else:
            found += locator.find(quote) is not None
    return found


def _read_excerpts(path: Path) -> dict[str, list[str]]:
    """Every labelled excerpt per contract id: the list cells of the non-answer columns."""
    if not path.is_file():
        return {}
    csv.field_size_limit(sys.maxsize)
    excerpts: dict[str, list[str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = [
            name
            for name in reader.fieldnames or []
            if name not in {"id", "agreement_type", "Filename"} and not name.endswith("-Answer")
        ]
        for row in reader:
            quotes: list[str] = []
            for column in columns:
                cell = row[column].strip()
                if cell.startswith("["):
                    quotes.extend(str(item) for item in ast.literal_eval(cell) if str(item).strip())
            excerpts[row["id"]] = quotes
    return excerpts


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _figures(
    results: list[FileResult], ours_s: float, pypdf_s: float, chunk_count: int
) -> dict[str, object]:
    parsed = [result for result in results if result.error is None]
    strict = [result.recall for result in parsed]
    folded = [result.recall_folded for result in parsed]
    quotes = sum(result.quotes for result in results)
    pages = sum(result.pages for result in parsed)
    return {
        "files": len(results),
        "failures": len(results) - len(parsed),
        "failures_by_code": dict(Counter(r.error for r in results if r.error is not None)),
        "median_recall": round(statistics.median(strict), 4) if strict else 0.0,
        "p5_recall": round(_percentile(strict, 0.05), 4),
        "median_recall_folded": round(statistics.median(folded), 4) if folded else 0.0,
        "p5_recall_folded": round(_percentile(folded, 0.05), 4),
        "quote_found_share": round(sum(r.quotes_found for r in results) / quotes, 4)
        if quotes
        else 0.0,
        "quotes": quotes,
        "pages": pages,
        "chunks": chunk_count,
        "pages_per_s": round(pages / ours_s, 1) if ours_s else 0.0,
        "seconds_ours": round(ours_s, 1),
        "seconds_pypdf": round(pypdf_s, 1),
        "ratio_vs_pypdf": round(ours_s / pypdf_s, 3) if pypdf_s else 0.0,
        "fallbacks": sum(1 for r in parsed if r.loader != "pypdf"),
    }


def _print_tables(results: list[FileResult], figures: dict[str, object], worst: int) -> None:
    summary = Table(title="Ingestion of CUAD contracts (CUAD v1, CC BY 4.0, The Atticus Project)")
    summary.add_column("figure")
    summary.add_column("value", justify="right")
    labels = {
        "files": "PDF files",
        "failures": "refused",
        "median_recall": "token recall, median",
        "p5_recall": "token recall, 5th percentile",
        "median_recall_folded": "recall with typography folded, median",
        "p5_recall_folded": "recall with typography folded, 5th pct",
        "quote_found_share": "labelled excerpts found",
        "quotes": "labelled excerpts",
        "pages": "pages read",
        "chunks": "chunks",
        "pages_per_s": "pages per second (ours)",
        "seconds_ours": "seconds, our ingest (load+chunk+hash)",
        "seconds_pypdf": "seconds, bare sequential pypdf",
        "ratio_vs_pypdf": "time ratio ours / pypdf",
        "fallbacks": "read by the PDFium fallback",
    }
    for key, label in labels.items():
        summary.add_row(label, str(figures[key]))
    console.print(summary)

    failures = [result for result in results if result.error is not None]
    if failures:
        refused = Table(title="Refused files")
        refused.add_column("file")
        refused.add_column("code")
        for result in failures:
            refused.add_row(result.name, result.error or "")
        console.print(refused)

    fallbacks = [r for r in results if r.error is None and r.loader != "pypdf"]
    if fallbacks:
        other = Table(title="Files read by the fallback loader")
        for column in ("file", "pages", "loader", "problems"):
            other.add_column(column)
        for result in fallbacks:
            other.add_row(result.name, str(result.pages), result.loader, ", ".join(result.problems))
        console.print(other)

    parsed = sorted((r for r in results if r.error is None), key=lambda r: r.recall)
    lowest = Table(title=f"Lowest recall ({min(worst, len(parsed))} of {len(parsed)} files)")
    for column in ("file", "pages", "recall", "folded", "excerpts found", "loader", "most missed"):
        lowest.add_column(column, overflow="fold")
    for result in parsed[:worst]:
        lowest.add_row(
            result.name,
            str(result.pages),
            f"{result.recall:.4f}",
            f"{result.recall_folded:.4f}",
            f"{result.quotes_found}/{result.quotes}",
            result.loader + (f" ({', '.join(result.problems)})" if result.problems else ""),
            " ".join(result.missing),
        )
    console.print(lowest)

    spread = Table(title="Recall distribution over parsed files")
    spread.add_column("measure")
    for share in ("min", "p5", "p25", "median", "p75"):
        spread.add_column(share, justify="right")
    for label, values in (
        ("recall", [r.recall for r in parsed]),
        ("folded", [r.recall_folded for r in parsed]),
    ):
        points = [0.0, 0.05, 0.25, 0.5, 0.75]
        spread.add_row(label, *(f"{_percentile(values, point):.4f}" for point in points))
    console.print(spread)


if __name__ == "__main__":
    main()
