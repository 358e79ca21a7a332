"""Decision-level evaluation on CUAD: ``python -m evals.cuad.decisions [--dataset DIR]``.

For every contract the policy decides twice (``evals.cuad.decision_metrics``): on a fact
record built from CUAD's gold labels (expected approvals) and on the record the product's
own triage (``app.triage.triage_documents``) extracted (predicted approvals), both cut down
to the facts CUAD labels. Reported per role (approval recall and precision) and per rule
(false and missed firings), development and sealed side by side: the development contracts
are triaged by cross-validation, each fold's refitted model reading the contracts it was not
trained on; the sealed contracts by the shipped model, which never saw them. Contracts are
named for the development part only. The last line is one JSON object:
``{"development": {...}, "sealed": {...}, ...}``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from evals.cuad.corpus import DEFAULT_CUAD_DIR
from evals.cuad.decision_metrics import role_table, rule_table
from evals.cuad.evaluate import DEVELOPMENT, SEALED, evaluate_parts, prepare_parts
from evals.cuad.report import ATTRIBUTION, print_json_line, wide_console
from extractors.classifier.extractor import ClauseClassifier


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.cuad.decisions", description=__doc__)
    parser.add_argument(
        "--dataset", type=Path, default=DEFAULT_CUAD_DIR, help="folder in CUAD layout"
    )
    parser.add_argument("--folds", type=int, default=5, help="folds of the cross-validation")
    parser.add_argument("--seed", type=int, default=None, help="partition into folds")
    parser.add_argument("--limit", type=int, default=None, help="only the first N of each part")
    parser.add_argument("--workers", type=int, default=2, help="PDF parser processes")
    parser.add_argument("--reparse", action="store_true", help="ignore the cached parsed PDFs")
    parser.add_argument("--txt", action="store_true", help="CUAD's txt/ instead of the PDFs (dev)")
    return parser.parse_args(argv)


def _print_development_misses(console: Console, development: dict[str, Any]) -> None:
    for rule, row in development["rules"].items():
        if row["missed"]:
            console.print(f"development {rule} missed: {', '.join(row['missed'])}")
        if row["false"]:
            console.print(f"development {rule} fired wrongly: {', '.join(row['false'])}")


def main(argv: list[str] | None = None) -> None:
    """Triage both parts, decide gold and extracted facts, print the tables and the JSON."""
    args = parse_args(argv)
    console = wide_console()
    started = time.monotonic()
    parts = prepare_parts(args, console)
    development, sealed = evaluate_parts(args, parts, console)
    figures = {
        DEVELOPMENT: development.decisions.figures(name_contracts=True),
        SEALED: sealed.decisions.figures(name_contracts=False),
    }
    shown = {"dev": figures[DEVELOPMENT], "sealed": figures[SEALED]}
    console.print(role_table(shown, "Approvals decided on extracted vs CUAD-labelled facts"))
    console.print(rule_table(shown, "Rules fired on extracted vs CUAD-labelled facts"))
    _print_development_misses(console, figures[DEVELOPMENT])
    console.print(ATTRIBUTION)
    print_json_line(
        console,
        {
            **figures,
            "development_mode": f"{args.folds}-fold cross-validation",
            "sealed_mode": "shipped model",
            "model_version": ClauseClassifier().model_version,
            "text_source": parts.development.report.source,
            "seconds": round(time.monotonic() - started, 1),
            "data": ATTRIBUTION,
        },
    )


if __name__ == "__main__":
    main()
