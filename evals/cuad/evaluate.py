"""Measure the offline extraction on CUAD: ``python -m evals.cuad.evaluate [--dataset DIR]``.

Without ``--dataset``: 5-fold cross-validation by contract over the development split;
every fold refits the clause model from scratch and the held-out contracts go through
the full offline extraction (``extract_document``) with that fold's model in place of
the shipped one. With ``--dataset DIR``: the SHIPPED model and extraction score any
folder in CUAD layout, no refitting. Either way: per-category precision/recall/F1 of
clause presence, macro-F1, recall of the approval-triggering categories, and the
accuracy of governing law and agreement date against CUAD's answers (defined once in
``evals.cuad.answers``, which ``evals.cuad.score_values`` uses too: agreement date over
full ``m/d/yyyy`` answers, partial answers such as ``[]/[]/2004`` reported apart and in an
inclusive figure), and the contracts each approval category missed, by name. With
``--seeds 13,1,2,...`` the cross-validation runs once per partition into folds, and the
report gives each partition, the mean macro-F1 and the worst recall of each approval
category. The last line is one JSON object of the figures.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rich.console import Console
from rich.progress import Progress

from evals.cuad.answers import AnswerScores
from evals.cuad.corpus import DEFAULT_CUAD_DIR, CuadContract
from evals.cuad.crossval import contract_folds
from evals.cuad.deterministic import clause_presence, deterministic_extractors
from evals.cuad.metrics import category_scores
from evals.cuad.prepare import PreparedCorpus, prepare_corpus
from evals.cuad.report import (
    ATTRIBUTION,
    PartitionFigures,
    category_table,
    clause_figures,
    partition_figures,
    partition_table,
    print_json_line,
)
from evals.cuad.training import TrainConfig, UnitCorpus, fit_clause_model
from extractors.base import Extractor
from extractors.classifier.categories import APPROVAL_KEYS, CATEGORIES, category_by_key
from extractors.classifier.extractor import ClauseClassifier
from extractors.classifier.model import ClauseModel
from extractors.document import Document
from extractors.extract import extract_document
from extractors.facts import FactRecord


def add_answers(scores: AnswerScores, contract: CuadContract, record: FactRecord) -> None:
    """Score a record's governing law and agreement date against CUAD's answers."""
    law = record.legal.governing_law
    scores.add_law(
        contract.contract_id, contract.governing_law, law.value if law.is_present else None
    )
    when = record.commercial.agreement_date
    scores.add_date(
        contract.contract_id, contract.agreement_date, when.value if when.is_present else None
    )


@dataclass
class ExtractionRun:
    """Runs the offline extraction over contracts and records what it found."""

    contracts: Sequence[CuadContract]
    documents: dict[str, Document]
    advance: Callable[[], None]
    answers: AnswerScores = field(default_factory=AnswerScores)
    predicted: NDArray[np.bool_] = field(init=False)

    def __post_init__(self) -> None:
        self.predicted = np.zeros((len(self.contracts), len(CATEGORIES)), dtype=bool)

    def run(self, extractors: list[Extractor], positions: Sequence[int]) -> None:
        """Extract the contracts at ``positions`` with ``extractors``."""
        for position in positions:
            contract = self.contracts[position]
            record = extract_document(self.documents[contract.contract_id], extractors=extractors)
            self.predicted[position] = clause_presence(record)
            add_answers(self.answers, contract, record)
            self.advance()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.cuad.evaluate", description=__doc__)
    parser.add_argument(
        "--dataset",
        type=Path,
        default=None,
        help="score the shipped model on this CUAD-layout folder (no cross-validation)",
    )
    parser.add_argument("--folds", type=int, default=5, help="folds of the cross-validation")
    parser.add_argument("--limit", type=int, default=None, help="only the first N contracts")
    parser.add_argument("--workers", type=int, default=2, help="PDF parser processes")
    parser.add_argument("--reparse", action="store_true", help="ignore the cached parsed PDFs")
    parser.add_argument("--txt", action="store_true", help="CUAD's txt/ instead of the PDFs (dev)")
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="another partition into folds (and sampling seed) than the one training uses, "
        "to see how much the figures move with the split",
    )
    parser.add_argument(
        "--seeds",
        type=_seed_list,
        default=None,
        help="comma-separated seeds: run the cross-validation once per partition and report "
        "each one, the mean and the worst (e.g. 13,1,2,3,4)",
    )
    args = parser.parse_args(argv)
    if args.seeds is not None and (args.seed is not None or args.dataset is not None):
        parser.error("--seeds replaces --seed and needs cross-validation (no --dataset)")
    return args


def _seed_list(value: str) -> list[int]:
    try:
        seeds = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of integers: {value!r}"
        ) from None
    if not seeds or len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"give distinct seeds, at least one: {value!r}")
    return seeds


def approval_misses(
    contracts: Sequence[CuadContract], predicted: NDArray[np.bool_], truth: NDArray[np.bool_]
) -> dict[str, list[str]]:
    """Per approval category, the labelled contracts the extraction did not flag.

    These are the contracts an approver would not have been asked about: the figure a
    recall stands for, by name, so anyone can read the clause CUAD's lawyers marked.
    """
    misses: dict[str, list[str]] = {}
    for column, category in enumerate(CATEGORIES):
        if category.key in APPROVAL_KEYS:
            missed = np.flatnonzero(truth[:, column] & ~predicted[:, column])
            misses[category.key] = [contracts[int(row)].contract_id for row in missed]
    return misses


def cross_validated_run(
    prepared: PreparedCorpus,
    corpus: UnitCorpus,
    config: TrainConfig,
    folds: int,
    advance: Callable[[], None],
) -> ExtractionRun:
    """Every fold refits the model; its held-out contracts go through the full extraction."""
    contracts = prepared.contracts
    run = ExtractionRun(contracts, prepared.documents, advance)
    others = deterministic_extractors()
    ids = [contract.contract_id for contract in contracts]
    for fold, (train, test) in enumerate(contract_folds(ids, folds, config.seed, corpus.group_of)):
        data = fit_clause_model(corpus, train, config, version=f"cv-fold-{fold + 1}")
        classifier = ClauseClassifier(model=ClauseModel(data))
        run.run([*others, classifier], test.tolist())
    return run


def _answers_line(answers: dict[str, Any]) -> str:
    return (
        f"governing law accuracy {answers['governing_law_accuracy']} over "
        f"{answers['governing_law_scored']} contracts; agreement date accuracy "
        f"{answers['agreement_date_accuracy']} over {answers['agreement_date_scored']} full "
        f"answers ({answers['agreement_date_partial_agreeing']} of "
        f"{answers['agreement_date_partial']} partial answers agreed with; inclusive "
        f"{answers['agreement_date_inclusive_accuracy']})"
    )


def _print_misses(console: Console, misses: dict[str, list[str]]) -> None:
    for key, ids in misses.items():
        if ids:
            console.print(f"missed {category_by_key(key).cuad_name}: {', '.join(ids)}")


def _several_partitions(
    args: argparse.Namespace, prepared: PreparedCorpus, console: Console, started: float
) -> None:
    """The cross-validation once per seed: each partition's figures, the mean and the worst."""
    contracts = prepared.contracts
    truth = _truth(contracts)
    corpus = UnitCorpus(prepared.labelled, TrainConfig().ngram_range)
    partitions: list[PartitionFigures] = []
    answers: dict[str, Any] = {}
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("extracting", total=len(contracts) * len(args.seeds))
        for seed in args.seeds:
            run = cross_validated_run(
                prepared,
                corpus,
                TrainConfig(seed=seed),
                args.folds,
                lambda: progress.advance(task),
            )
            scores = category_scores(run.predicted, truth)
            partitions.append(
                PartitionFigures(seed, scores, approval_misses(contracts, run.predicted, truth))
            )
            answers = run.answers.figures()
    console.print(partition_table(partitions, f"{args.folds}-fold cross-validation, by partition"))
    for partition in partitions:
        console.print(f"[bold]seed {partition.seed}")
        _print_misses(console, partition.misses)
    console.print(_answers_line(answers))
    console.print(f"text from {prepared.report.source}; {len(contracts)} contracts; {ATTRIBUTION}")
    figures: dict[str, Any] = {
        **partition_figures(partitions),
        **answers,
        "mode": "cross_validation_partitions",
        "contracts": len(contracts),
        "text_source": prepared.report.source,
        "seconds": round(time.monotonic() - started, 1),
    }
    print_json_line(console, figures)


def _truth(contracts: Sequence[CuadContract]) -> NDArray[np.bool_]:
    return np.array([[c.present[k.key] for k in CATEGORIES] for c in contracts], dtype=bool)


def main(argv: list[str] | None = None) -> None:
    """Run the evaluation and print the table and the JSON line."""
    args = parse_args(argv)
    console = Console(stderr=True)
    started = time.monotonic()
    shipped = args.dataset is not None
    dataset = args.dataset or DEFAULT_CUAD_DIR
    prepared = prepare_corpus(
        dataset,
        use_txt=args.txt,
        reparse=args.reparse,
        limit=args.limit,
        workers=args.workers,
        console=console,
        label=not shipped,
    )
    if args.seeds is not None:
        _several_partitions(args, prepared, console, started)
        return
    contracts = prepared.contracts
    truth = _truth(contracts)
    config = TrainConfig() if args.seed is None else TrainConfig(seed=args.seed)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("extracting", total=len(contracts))
        if shipped:
            classifier = ClauseClassifier()
            mode = f"shipped model {classifier.model_version} on {dataset}"
            run = ExtractionRun(contracts, prepared.documents, lambda: progress.advance(task))
            run.run([*deterministic_extractors(), classifier], range(len(contracts)))
        else:
            corpus = UnitCorpus(prepared.labelled, config.ngram_range)
            mode = f"{args.folds}-fold cross-validation by contract on {dataset}"
            run = cross_validated_run(
                prepared, corpus, config, args.folds, lambda: progress.advance(task)
            )
    scores = category_scores(run.predicted, truth)
    console.print(category_table(scores, f"Clause presence — {mode}"))
    misses = approval_misses(contracts, run.predicted, truth)
    _print_misses(console, misses)
    answers = run.answers.figures()
    console.print(_answers_line(answers))
    console.print(f"text from {prepared.report.source}; {len(contracts)} contracts; {ATTRIBUTION}")
    figures: dict[str, Any] = {
        **clause_figures(scores),
        "approval_misses": misses,
        **answers,
        "mode": "dataset" if shipped else "cross_validation",
        "seed": None if shipped else config.seed,
        "contracts": len(contracts),
        "text_source": prepared.report.source,
        "seconds": round(time.monotonic() - started, 1),
    }
    print_json_line(console, figures)


if __name__ == "__main__":
    main()
