"""What each reader of the pattern extractor fires on, and how often it is right.

Every hit of ``extractors.patterns`` names the reader that made it (``legal._liquidated_damages``,
``payment._payment_terms``, or a concept's wording). This report runs the readers over the
development data only — CUAD's development contracts (``evals.cuad.split``) and the SaaS
development bundles — and counts, per fact path and reader, the documents it fires on and
how many of those its value is right for:

- CUAD: a clause category is right where CUAD's lawyers label the clause present (or, for an
  exclusion, absent); the governing law and agreement date where they agree with CUAD's
  answer. Paths CUAD does not label are counted as fired, not scored.
- SaaS: per bundle, a hit is right where the bundle's label expects that value (a hit on a
  path the label leaves out is wrong: a label lists every fact its bundle states).

Counts of documents belong here, in a generated report, not in comments beside a wording.

    python -m evals.wordings --dataset ../shared/datasets/cuad [--saas DIR] [--markdown FILE]

Prints a table and ends with one JSON line of its totals. The sealed parts are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from extractors.document import Document
from extractors.facts import FactStatus
from extractors.patterns import extract_hits
from extractors.patterns.core import Hit

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = REPO_ROOT.parent / "shared" / "datasets" / "cuad"
DEFAULT_SAAS = REPO_ROOT / "evals" / "saas" / "bundles"

console = Console(stderr=True)


@dataclass
class Tally:
    """Where one reader fired for one path, and where it was right or wrong.

    A document it was right on once and wrong on once counts as wrong.
    """

    fired: set[str] = field(default_factory=set)
    right: set[str] = field(default_factory=set)
    wrong: set[str] = field(default_factory=set)

    def add(self, name: str, verdict: bool | None) -> None:
        self.fired.add(name)
        if verdict is not None:
            (self.right if verdict else self.wrong).add(name)

    def figures(self) -> dict[str, Any]:
        scored = self.right | self.wrong
        right = self.right - self.wrong
        return {
            "fired": len(self.fired),
            "scored": len(scored),
            "right": len(right),
            "precision": round(len(right) / len(scored), 3) if scored else None,
        }


Key = tuple[str, str]  # (fact path, reader)


# --- CUAD ------------------------------------------------------------------------------


def cuad_verdict(hit: Hit, contract: Any) -> bool | None:
    """Whether ``hit`` agrees with CUAD's labels for ``contract``; None where CUAD is silent."""
    from evals.cuad.answers import agreement_date_matches, governing_law_matches
    from extractors.classifier.categories import CATEGORIES

    present = hit.status is FactStatus.PRESENT and hit.value is not False
    for category in CATEGORIES:
        if category.path == hit.path:
            return bool(contract.present[category.key]) == present
    if hit.path == "legal.governing_law" and contract.governing_law:
        return governing_law_matches(str(hit.value), contract.governing_law)
    if hit.path == "commercial.agreement_date" and isinstance(hit.value, date):
        from evals.cuad.answers import parse_date_answer

        if parse_date_answer(contract.agreement_date) is None:
            return None
        return agreement_date_matches(hit.value, contract.agreement_date)
    return None


def cuad_development(dataset: Path, workers: int) -> list[tuple[Any, Document]]:
    """CUAD's development contracts with their documents, read as the evaluations read them."""
    from evals.cuad.corpus import load_documents, read_labels
    from evals.cuad.split import in_part

    contracts = {c.contract_id: c for c in read_labels(dataset)}
    ids = in_part(list(contracts), "development")
    documents, report = load_documents(dataset, ids, workers=workers)
    for contract_id, reason in sorted(report.failures.items()):
        console.print(f"[yellow]{contract_id}: refused: {reason}[/yellow]")
    return [(contracts[i], documents[i]) for i in sorted(documents)]


# --- SaaS ------------------------------------------------------------------------------


def saas_verdict(hit: Hit, label: Any) -> bool | None:
    """Whether the bundle's label expects what ``hit`` says (None: the label is silent)."""
    from evals.saas.labels import FactsScope, LabelStatus
    from evals.saas.scoring import Prediction, count_field

    expected = label.expected().get(hit.path)
    if expected is None and label.facts_scope is FactsScope.PARTIAL:
        return None
    if hit.status is FactStatus.EXCLUDED or hit.value is False:
        prediction = Prediction(LabelStatus.EXCLUDED)
    else:
        value = True if hit.value is None else hit.value
        if _is_list(hit.path) and not isinstance(value, list):
            value = [value]  # one item of a list fact, read on its own
        prediction = Prediction(LabelStatus.PRESENT, value)
    counts = count_field(hit.path, expected, prediction)
    return counts.fp == 0


def _is_list(path: str) -> bool:
    from extractors.patterns import is_list_path

    return is_list_path(path)


def saas_development(directory: Path) -> list[tuple[str, Any, list[Document]]]:
    """Each development bundle's name, label and documents."""
    from evals.saas.generate import bundle_dirs
    from evals.saas.labels import load_label
    from evals.saas.score import ingest_bundle

    bundles = []
    for bundle in bundle_dirs(directory):
        label = load_label(bundle)
        bundles.append((bundle.name, label, ingest_bundle(bundle, label)))
    return bundles


# --- counting and reporting ------------------------------------------------------------


def tally_hits(
    tallies: dict[Key, Tally], name: str, hits: Iterable[Hit], verdict: Any, *labels: Any
) -> None:
    for hit in hits:
        if hit.path == "obligations":
            continue  # a list of commitments, scored by the SaaS evaluation as a whole
        tallies[(hit.path, hit.reader)].add(name, verdict(hit, *labels))


def rows(cuad: Mapping[Key, Tally], saas: Mapping[Key, Tally]) -> list[dict[str, Any]]:
    """One row per (path, reader), by path then by how often it fires."""
    keys = sorted(
        cuad.keys() | saas.keys(),
        key=lambda key: (key[0], -len(cuad.get(key, Tally()).fired), key[1]),
    )
    return [
        {
            "path": path,
            # A concept's wording is named "path: wording"; the path has its own column.
            "reader": reader.removeprefix(f"{path}: "),
            "cuad": cuad.get((path, reader), Tally()).figures(),
            "saas": saas.get((path, reader), Tally()).figures(),
        }
        for path, reader in keys
    ]


def _cell(figures: Mapping[str, Any]) -> str:
    if not figures["fired"]:
        return "-"
    if not figures["scored"]:
        return f"{figures['fired']} (not scored)"
    return f"{figures['right']}/{figures['scored']}" + (
        f" +{figures['fired'] - figures['scored']}" if figures["fired"] > figures["scored"] else ""
    )


def print_table(report: Sequence[Mapping[str, Any]], cuad_n: int, saas_n: int) -> None:
    table = Table(
        title=f"Readers on development data: right/scored (CUAD {cuad_n} contracts, "
        f"SaaS {saas_n} bundles)",
        title_justify="left",
    )
    table.add_column("fact path")
    table.add_column("reader")
    table.add_column("CUAD", justify="right")
    table.add_column("SaaS", justify="right")
    for row in report:
        table.add_row(row["path"], row["reader"], _cell(row["cuad"]), _cell(row["saas"]))
    Console().print(table)


def markdown(report: Sequence[Mapping[str, Any]], cuad_n: int, saas_n: int) -> str:
    lines = [
        "# Pattern readers on development data",
        "",
        f"CUAD development contracts: {cuad_n}; SaaS development bundles: {saas_n}. "
        "Cells: right/scored documents (+ fired where not scored).",
        "",
        "| fact path | reader | CUAD | SaaS |",
        "|---|---|---:|---:|",
    ]
    lines += [
        f"| {row['path']} | {row['reader']} | {_cell(row['cuad'])} | {_cell(row['saas'])} |"
        for row in report
    ]
    return "\n".join(lines) + "\n"


def totals(report: Sequence[Mapping[str, Any]], part: str) -> dict[str, Any]:
    scored = sum(row[part]["scored"] for row in report)
    right = sum(row[part]["right"] for row in report)
    return {
        "readers_firing": sum(1 for row in report if row[part]["fired"]),
        "scored": scored,
        "right": right,
        "precision": round(right / scored, 3) if scored else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="the CUAD folder")
    parser.add_argument("--saas", type=Path, default=DEFAULT_SAAS, help="SaaS development bundles")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--workers", type=int, default=2, help="PDF parser processes")
    parser.add_argument("--no-cuad", action="store_true", help="only the SaaS bundles")
    args = parser.parse_args(argv)

    from extractors.ingest import shutdown_pool

    cuad_tallies: dict[Key, Tally] = defaultdict(Tally)
    saas_tallies: dict[Key, Tally] = defaultdict(Tally)
    try:
        contracts = [] if args.no_cuad else cuad_development(args.dataset, args.workers)
        bundles = saas_development(args.saas)
    finally:
        shutdown_pool()
    for contract, document in contracts:
        hits = extract_hits(document)
        tally_hits(cuad_tallies, contract.contract_id, hits, cuad_verdict, contract)
    for name, label, documents in bundles:
        for document in documents:
            tally_hits(saas_tallies, name, extract_hits(document), saas_verdict, label)

    report = rows(cuad_tallies, saas_tallies)
    print_table(report, len(contracts), len(bundles))
    if args.markdown:
        args.markdown.write_text(markdown(report, len(contracts), len(bundles)), "utf-8")
    figures = {
        "cuad_contracts": len(contracts),
        "saas_bundles": len(bundles),
        "readers": len(report),
        "cuad": totals(report, "cuad"),
        "saas": totals(report, "saas"),
    }
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
