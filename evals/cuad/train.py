"""Train the shipped clause model on CUAD: ``python -m evals.cuad.train``.

Parses the PDFs with our own ingestion (cached), labels sentences with the lawyers'
excerpts, cross-validates the whole procedure by contract (the figures stored with the
model), then fits it on every development contract and writes the artefact the service
loads. The sealed contracts (``evals/cuad/sealed.txt``) are never read: the artefact records
the digest of the sealed ids it left out.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from evals.cuad.corpus import DEFAULT_CUAD_DIR
from evals.cuad.crossval import cross_validate
from evals.cuad.metrics import category_scores, macro_f1
from evals.cuad.prepare import prepare_corpus
from evals.cuad.report import ATTRIBUTION, category_table, clause_figures, print_json_line
from evals.cuad.split import SEALED_FILE, read_sealed, sealed_digest
from evals.cuad.training import TrainConfig, UnitCorpus, fit_clause_model
from extractors.classifier.model import MODEL_DIR, ClauseModelData

MODEL_SERIES = "3"


def model_version(data: ClauseModelData) -> str:
    """``<series>+<digest of the weights>``: equal weights, equal version."""
    digest = hashlib.sha256()
    for array in (data.unit_weights, data.unit_bias, data.doc_weights, data.thresholds):
        digest.update(array.tobytes())
    digest.update("\n".join(data.vocabulary).encode())
    return f"{MODEL_SERIES}+{digest.hexdigest()[:12]}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.cuad.train", description=__doc__)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_CUAD_DIR, help="CUAD-layout folder")
    parser.add_argument("--output", type=Path, default=MODEL_DIR, help="where the artefact goes")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: skip)")
    parser.add_argument("--workers", type=int, default=2, help="PDF parser processes")
    parser.add_argument("--reparse", action="store_true", help="ignore the cached parsed PDFs")
    parser.add_argument(
        "--txt", action="store_true", help="use CUAD's txt/ instead of parsing the PDFs (dev only)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Train, cross-validate, write the artefact, print the figures."""
    args = parse_args(argv)
    console = Console(stderr=True)
    started = time.monotonic()
    prepared = prepare_corpus(
        args.dataset,
        use_txt=args.txt,
        reparse=args.reparse,
        workers=args.workers,
        console=console,
        part="development",
    )
    config = TrainConfig()
    corpus = UnitCorpus(prepared.labelled, config.ngram_range)
    console.print(
        f"{len(prepared.labelled)} contracts, {corpus.counts.shape[0]} sentences, text from "
        f"{prepared.report.source}; {prepared.located_share:.1%} of excerpts located"
    )
    metrics: dict[str, Any] = {
        "training": {
            "contracts": len(prepared.labelled),
            "sentences": int(corpus.counts.shape[0]),
            "text_source": prepared.report.source,
            "skipped": prepared.report.failures,
            "excerpts_located": round(prepared.located_share, 4),
            "part": "development",
            "sealed_left_out": {
                "file": SEALED_FILE.name,
                "contracts": len(read_sealed()),
                "sha256": sealed_digest(),
            },
            "config": dataclasses.asdict(config),
            "data": ATTRIBUTION,
        }
    }
    if args.folds > 1:
        result = cross_validate(corpus, config, n_folds=args.folds, progress=console.print)
        # The model ships beside the deterministic extractors and its thresholds count on
        # them, so the figures that stand for the service are those of the two together
        # (a clause is present if either finds it); the model's own are kept beside them.
        scores = category_scores(result.predicted | corpus.found_by_patterns, result.truth)
        alone = category_scores(result.predicted, result.truth)
        title = f"{args.folds}-fold cross-validation by contract, beside the patterns"
        console.print(category_table(scores, title))
        metrics["cross_validation"] = {
            "folds": args.folds,
            "beside_patterns": True,
            **clause_figures(scores),
            "model_alone_macro_f1": round(macro_f1(alone), 4),
        }
    data = fit_clause_model(
        corpus, range(len(corpus.contracts)), config, version="unversioned", progress=console.print
    )
    data = dataclasses.replace(data, version=model_version(data), metrics=metrics)
    data.save(args.output)
    elapsed = time.monotonic() - started
    console.print(f"wrote {args.output} (model {data.version}) in {elapsed:.0f} s")
    figures: dict[str, Any] = {
        "model_version": data.version,
        "artefact": os.fspath(args.output),
        "seconds": round(elapsed, 1),
        **metrics.get("cross_validation", {}),
        "training": metrics["training"],
    }
    print_json_line(console, figures)


if __name__ == "__main__":
    main()
