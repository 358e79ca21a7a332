"""Accuracy of the pattern extractor's governing law and agreement date on CUAD.

Usage: ``python -m evals.cuad.score_values --dataset DIR [--txt] [--limit N] [--errors]``.
Reads ``master_clauses.csv`` of a folder in CUAD layout, runs ``PatternExtractor`` (the
whole extractor, as the service does) over every contract's text, prints a table and ends
with one JSON line of figures.

Text: the PDFs through our own ingestion (cached by ``evals.cuad.corpus``); ``--txt``, or an
ingestion that cannot be imported, uses CUAD's own ``txt/`` rendering instead, and the
``text_source`` figure says which one was measured.

Normalisation of CUAD's answers:
- Governing law: the answer is split on ";" (some contracts name two laws); each part is
  read with the same gazetteer the extractor uses ("State of New York" -> "New York",
  "Ontario, Canada" -> "Ontario", "England; Wales" -> "England and Wales", "People's
  Republic of China" -> "China"). A prediction is correct when it equals any listed part.
  Blank answers are not scored (a prediction there is counted as ``governing_law_extra``),
  and answers that name no jurisdiction ("[]", "[* * *]", "the state in which the
  franchised restaurant is located") are skipped.
- Agreement date: answers in full ``m/d/yyyy`` form (the first one when ";"-separated) are
  compared for equality with the predicted date. Answers with blanks (``[]/[]/2004``: the
  signed copy left the day or month empty) cannot be matched by a full date and are not
  in the accuracy; they are reported as ``agreement_date_partial`` with how many
  predictions agree on every component CUAD does give.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from evals.cuad.corpus import DEFAULT_CUAD_DIR, TXT_LOADER, load_documents, read_labels
from extractors.document import Document
from extractors.facts import Fact
from extractors.patterns import PatternExtractor
from extractors.patterns.places import canonical_jurisdiction

_FULL_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_PARTIAL_DATE = re.compile(r"^\s*(\d{1,2}|\[\])/(\d{1,2}|\[\])/(\d{4}|[\d\[\]]+)\s*$")


@dataclass
class _Tally:
    scored: int = 0
    correct: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float | None:
        return round(self.correct / self.scored, 4) if self.scored else None


def governing_law_answers(answer: str) -> set[str]:
    """The canonical jurisdictions a CUAD ``Governing Law-Answer`` names (empty if none)."""
    names = {canonical_jurisdiction(part) for part in answer.split(";") if part.strip()}
    return {name for name in names if name}


def agreement_date_answer(answer: str) -> date | None:
    """The full date of a CUAD ``Agreement Date-Answer``, or None if blank or partial."""
    first = answer.split(";", maxsplit=1)[0]
    match = _FULL_DATE.match(first)
    if match is None:
        return None
    month, day, year = (int(group) for group in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _partial_agrees(answer: str, predicted: date | None) -> bool:
    match = _PARTIAL_DATE.match(answer.split(";", maxsplit=1)[0])
    if match is None or predicted is None:
        return False
    month, day, year = match.groups()
    checks = [(month, predicted.month), (day, predicted.day)]
    if year.isdigit():
        checks.append((year, predicted.year))
    return all(not given.isdigit() or int(given) == actual for given, actual in checks)


@dataclass
class _Scores:
    law: _Tally = field(default_factory=_Tally)
    agreement: _Tally = field(default_factory=_Tally)
    law_extra: int = 0
    law_skipped: int = 0
    partial: int = 0
    partial_agreeing: int = 0

    def add_law(self, contract_id: str, answer: str, predicted: str | None) -> None:
        if not answer:
            self.law_extra += predicted is not None
            return
        expected = governing_law_answers(answer)
        if not expected:
            self.law_skipped += 1
            return
        self.law.scored += 1
        if predicted in expected:
            self.law.correct += 1
        else:
            self.law.errors.append(f"{contract_id}: {answer!r} -> {predicted!r}")

    def add_date(self, contract_id: str, answer: str, predicted: date | None) -> None:
        if not answer:
            return
        expected = agreement_date_answer(answer)
        if expected is None:
            self.partial += 1
            self.partial_agreeing += _partial_agrees(answer, predicted)
            return
        self.agreement.scored += 1
        if predicted == expected:
            self.agreement.correct += 1
        else:
            self.agreement.errors.append(f"{contract_id}: {expected} -> {predicted}")


def _present_value(fact: Fact[Any] | None) -> Any:
    return fact.value if fact is not None and fact.is_present else None


def score_values(dataset_dir: Path, documents: Mapping[str, Document]) -> dict[str, Any]:
    """Governing-law and agreement-date accuracy of ``PatternExtractor`` on ``documents``."""
    extractor = PatternExtractor()
    scores = _Scores()
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
        "governing_law_accuracy": scores.law.accuracy,
        "governing_law_scored": scores.law.scored,
        "governing_law_correct": scores.law.correct,
        "governing_law_skipped": scores.law_skipped,
        "governing_law_extra": scores.law_extra,
        "agreement_date_accuracy": scores.agreement.accuracy,
        "agreement_date_scored": scores.agreement.scored,
        "agreement_date_correct": scores.agreement.correct,
        "agreement_date_partial": scores.partial,
        "agreement_date_partial_agreeing": scores.partial_agreeing,
        "documents": len(timings),
        "extract_ms_median": round(statistics.median(milliseconds), 1) if milliseconds else None,
        "extract_ms_p95": round(milliseconds[int(0.95 * (len(milliseconds) - 1))], 1)
        if milliseconds
        else None,
        "errors": {"governing_law": scores.law.errors, "agreement_date": scores.agreement.errors},
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
        f"{figures['agreement_date_partial']} partial answers, "
        f"{figures['agreement_date_partial_agreeing']} agreeing on the parts given",
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
    args = parser.parse_args(argv)
    console = Console(stderr=True)
    ids = [contract.contract_id for contract in read_labels(args.dataset)][: args.limit]
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
        for kind, lines in errors.items():
            out.print(f"[bold]{kind}[/bold]")
            for line in lines:
                out.print(f"  {line}", markup=False)
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
