"""Measure the offline extraction on CUAD: ``python -m evals.cuad.evaluate [--dataset DIR]``.

Two parts of the folder side by side (``evals.cuad.split``):

* development: 5-fold cross-validation by contract over the development contracts; every
  fold refits the clause model from scratch and the held-out contracts go through the
  product's triage with that fold's model in place of the shipped one;
* sealed: the contracts of ``evals/cuad/sealed.txt``, scored by the SHIPPED model and the
  deterministic extractors as they are (no refitting; the shipped model never saw them).

Every contract is triaged by ``app.triage.triage_documents``, the function the service runs.
Both parts get the same figures: per-category precision/recall/F1 of clause presence,
macro-F1, recall of the approval-triggering categories, the accuracy of governing law and
agreement date against CUAD's answers (defined once in ``evals.cuad.answers``, which
``evals.cuad.score_values`` uses too: agreement date over full ``m/d/yyyy`` answers, partial
answers such as ``[]/[]/2004`` reported apart and in an inclusive figure), and what the
extraction errors do to the approvals (``evals.cuad.decision_metrics``; per rule in
``python -m evals.cuad.decisions``). The development contracts each approval category
missed are named; sealed ones are only counted, so nothing is tuned on them. With
``--seeds 13,1,2,...`` the cross-validation runs once per partition into folds, and the
report gives each partition, the mean macro-F1 and the worst recall of each approval
category (the sealed figures do not depend on the seed). With ``--shipped``, the shipped
model scores every contract of the folder instead (a folder held out from training, such as
CUAD's other contracts). The last line is one JSON object of the figures:
``{"development": {...}, "sealed": {...}, ...}``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray
from rich.console import Console
from rich.progress import Progress

from app.settings import Settings
from app.triage import triage_documents
from evals.cuad.answers import AnswerScores
from evals.cuad.corpus import DEFAULT_CUAD_DIR, CuadContract
from evals.cuad.crossval import contract_folds
from evals.cuad.decision_metrics import CuadDecisions, role_table
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
    side_by_side_table,
    wide_console,
)
from evals.cuad.split import SEALED_FILE, read_sealed
from evals.cuad.training import TrainConfig, UnitCorpus, fit_clause_model
from extractors.base import Extractor
from extractors.classifier.categories import APPROVAL_KEYS, CATEGORIES, category_by_key
from extractors.classifier.extractor import ClauseClassifier
from extractors.classifier.model import ClauseModel
from extractors.document import Document
from extractors.facts import FactRecord
from rules import Policy, load_policy

DEVELOPMENT: Final = "development"
SEALED: Final = "sealed"


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


def evaluation_settings() -> Settings:
    """The service's settings, deciding with the plain-Python reference evaluator."""
    return Settings(rules_engine="reference")


@dataclass
class ExtractionRun:
    """Triages contracts as the service does and records what it found and decided."""

    contracts: Sequence[CuadContract]
    documents: dict[str, Document]
    advance: Callable[[], None]
    policy: Policy = field(default_factory=load_policy)
    settings: Settings = field(default_factory=evaluation_settings)
    answers: AnswerScores = field(default_factory=AnswerScores)
    predicted: NDArray[np.bool_] = field(init=False)
    decisions: CuadDecisions = field(init=False)

    def __post_init__(self) -> None:
        self.predicted = np.zeros((len(self.contracts), len(CATEGORIES)), dtype=bool)
        self.decisions = CuadDecisions(self.policy, self.settings)

    def run(self, extractors: list[Extractor], positions: Sequence[int]) -> None:
        """Triage the contracts at ``positions`` with ``extractors``."""
        for position in positions:
            contract = self.contracts[position]
            triage = triage_documents(
                [self.documents[contract.contract_id]],
                settings=self.settings,
                policy=self.policy,
                extractors=extractors,
            )
            self.predicted[position] = clause_presence(triage.facts)
            add_answers(self.answers, contract, triage.facts)
            self.decisions.add(contract, triage.facts)
            self.advance()

    def figures(self, *, name_contracts: bool) -> dict[str, Any]:
        """Clause, answer and decision figures; contracts named only if ``name_contracts``."""
        truth = _truth(self.contracts)
        misses = approval_misses(self.contracts, self.predicted, truth)
        return {
            "contracts": len(self.contracts),
            **clause_figures(category_scores(self.predicted, truth)),
            "approval_misses": misses if name_contracts else {k: len(v) for k, v in misses.items()},
            **self.answers.figures(),
            "decisions": self.decisions.figures(name_contracts=name_contracts),
        }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.cuad.evaluate", description=__doc__)
    parser.add_argument(
        "--dataset", type=Path, default=DEFAULT_CUAD_DIR, help="folder in CUAD layout"
    )
    parser.add_argument(
        "--shipped",
        action="store_true",
        help="score the shipped model on every contract of the folder (no split, no refitting)",
    )
    parser.add_argument("--folds", type=int, default=5, help="folds of the cross-validation")
    parser.add_argument("--limit", type=int, default=None, help="only the first N of each part")
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
    if args.seeds is not None and (args.seed is not None or args.shipped):
        parser.error("--seeds replaces --seed and needs cross-validation (no --shipped)")
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
    """Every fold refits the model; its held-out contracts go through the product's triage."""
    contracts = prepared.contracts
    run = ExtractionRun(contracts, prepared.documents, advance)
    others = deterministic_extractors()
    ids = [contract.contract_id for contract in contracts]
    for fold, (train, test) in enumerate(contract_folds(ids, folds, config.seed, corpus.group_of)):
        data = fit_clause_model(corpus, train, config, version=f"cv-fold-{fold + 1}")
        classifier = ClauseClassifier(model=ClauseModel(data))
        run.run([*others, classifier], test.tolist())
    return run


def shipped_run(prepared: PreparedCorpus, advance: Callable[[], None]) -> ExtractionRun:
    """The shipped model and deterministic extractors over every contract, no refitting."""
    run = ExtractionRun(prepared.contracts, prepared.documents, advance)
    run.run([*deterministic_extractors(), ClauseClassifier()], range(len(prepared.contracts)))
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


def _print_sealed(console: Console, sealed: dict[str, Any]) -> None:
    counts = {k: n for k, n in sealed["approval_misses"].items() if n}
    missed = ", ".join(f"{category_by_key(k).cuad_name} {n}" for k, n in counts.items())
    console.print(f"[bold]sealed[/bold] (counted, never named): missed {missed or 'none'}")
    console.print(f"sealed: {_answers_line(sealed)}")


def _truth(contracts: Sequence[CuadContract]) -> NDArray[np.bool_]:
    return np.array([[c.present[k.key] for k in CATEGORIES] for c in contracts], dtype=bool)


@dataclass(frozen=True)
class Parts:
    """The development contracts (labelled, for refitting) and the sealed ones."""

    development: PreparedCorpus
    sealed: PreparedCorpus


def prepare_parts(args: argparse.Namespace, console: Console) -> Parts:
    """Read both parts of the folder; only the development part is labelled for refitting."""
    common: dict[str, Any] = {
        "use_txt": args.txt,
        "reparse": args.reparse,
        "limit": args.limit,
        "workers": args.workers,
        "console": console,
    }
    development = prepare_corpus(args.dataset, part=DEVELOPMENT, **common)
    sealed = prepare_corpus(args.dataset, part=SEALED, label=False, **common)
    return Parts(development, sealed)


def evaluate_parts(
    args: argparse.Namespace, parts: Parts, console: Console
) -> tuple[ExtractionRun, ExtractionRun]:
    """The development cross-validation (``args.seed``) and the sealed contracts, triaged."""
    config = TrainConfig() if args.seed is None else TrainConfig(seed=args.seed)
    total = len(parts.development.contracts) + len(parts.sealed.contracts)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("triaging", total=total)
        corpus = UnitCorpus(parts.development.labelled, config.ngram_range)
        development = cross_validated_run(
            parts.development, corpus, config, args.folds, lambda: progress.advance(task)
        )
        sealed = shipped_run(parts.sealed, lambda: progress.advance(task))
    return development, sealed


def _meta(parts: Parts, started: float) -> dict[str, Any]:
    return {
        "model_version": ClauseClassifier().model_version,
        "split": {"sealed_file": SEALED_FILE.name, "sealed_ids": len(read_sealed())},
        "text_source": parts.development.report.source,
        "seconds": round(time.monotonic() - started, 1),
        "data": ATTRIBUTION,
    }


def _one_partition(args: argparse.Namespace, console: Console, started: float) -> None:
    parts = prepare_parts(args, console)
    development, sealed = evaluate_parts(args, parts, console)
    figures = {
        DEVELOPMENT: development.figures(name_contracts=True),
        SEALED: sealed.figures(name_contracts=False),
    }
    scores = {
        "dev": category_scores(development.predicted, _truth(development.contracts)),
        "sealed": category_scores(sealed.predicted, _truth(sealed.contracts)),
    }
    caption = f"dev: {args.folds}-fold cross-validation; sealed: the shipped model"
    console.print(side_by_side_table(scores, f"Clause presence on {args.dataset}", caption))
    _print_misses(console, figures[DEVELOPMENT]["approval_misses"])
    console.print(f"development: {_answers_line(figures[DEVELOPMENT])}")
    _print_sealed(console, figures[SEALED])
    console.print(
        role_table(
            {"dev": figures[DEVELOPMENT]["decisions"], "sealed": figures[SEALED]["decisions"]},
            "Approvals decided on extracted vs CUAD-labelled facts",
        )
    )
    console.print(ATTRIBUTION)
    seed = TrainConfig().seed if args.seed is None else args.seed
    figures[DEVELOPMENT].update(mode="cross_validation", folds=args.folds, seed=seed)
    figures[SEALED].update(mode="shipped_model")
    print_json_line(console, {**figures, **_meta(parts, started)})


def _several_partitions(args: argparse.Namespace, console: Console, started: float) -> None:
    """The cross-validation once per seed: each partition's figures, the mean and the worst."""
    parts = prepare_parts(args, console)
    contracts = parts.development.contracts
    truth = _truth(contracts)
    corpus = UnitCorpus(parts.development.labelled, TrainConfig().ngram_range)
    partitions: list[PartitionFigures] = []
    first: ExtractionRun | None = None
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("triaging", total=len(contracts) * len(args.seeds))
        for seed in args.seeds:
            run = cross_validated_run(
                parts.development,
                corpus,
                TrainConfig(seed=seed),
                args.folds,
                lambda: progress.advance(task),
            )
            first = first or run
            scores = category_scores(run.predicted, truth)
            partitions.append(
                PartitionFigures(seed, scores, approval_misses(contracts, run.predicted, truth))
            )
        sealed = shipped_run(parts.sealed, lambda: progress.advance(task))
    assert first is not None
    sealed_figures = sealed.figures(name_contracts=False)
    console.print(partition_table(partitions, f"{args.folds}-fold cross-validation, by partition"))
    for partition in partitions:
        console.print(f"[bold]seed {partition.seed}")
        _print_misses(console, partition.misses)
    development_answers = first.answers.figures()
    console.print(f"development: {_answers_line(development_answers)}")
    console.print(
        side_by_side_table(
            {
                "dev": partitions[0].scores,
                "sealed": category_scores(sealed.predicted, _truth(sealed.contracts)),
            },
            "Clause presence",
            f"dev: cross-validation, seed {args.seeds[0]}; sealed: the shipped model",
        )
    )
    _print_sealed(console, sealed_figures)
    development_decisions = first.decisions.figures(name_contracts=True)
    console.print(
        role_table(
            {"dev": development_decisions, "sealed": sealed_figures["decisions"]},
            "Approvals decided on extracted vs CUAD-labelled facts",
        )
    )
    console.print(ATTRIBUTION)
    development_figures: dict[str, Any] = {
        "contracts": len(contracts),
        **partition_figures(partitions),
        **development_answers,
        "decisions": {**development_decisions, "seed": args.seeds[0]},
        "mode": "cross_validation_partitions",
        "folds": args.folds,
    }
    sealed_figures["mode"] = "shipped_model"
    print_json_line(
        console,
        {DEVELOPMENT: development_figures, SEALED: sealed_figures, **_meta(parts, started)},
    )


def _shipped(args: argparse.Namespace, console: Console, started: float) -> None:
    """The shipped model over every contract of the folder, one column."""
    prepared = prepare_corpus(
        args.dataset,
        use_txt=args.txt,
        reparse=args.reparse,
        limit=args.limit,
        workers=args.workers,
        console=console,
        label=False,
        part="all",
    )
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("triaging", total=len(prepared.contracts))
        run = shipped_run(prepared, lambda: progress.advance(task))
    figures = run.figures(name_contracts=True)
    scores = category_scores(run.predicted, _truth(run.contracts))
    classifier = ClauseClassifier()
    console.print(
        category_table(scores, f"Clause presence — shipped model {classifier.model_version}")
    )
    _print_misses(console, figures["approval_misses"])
    console.print(_answers_line(figures))
    console.print(role_table({"shipped": figures["decisions"]}, "Approvals"))
    console.print(f"text from {prepared.report.source}; {ATTRIBUTION}")
    figures.update(
        mode="dataset",
        model_version=classifier.model_version,
        text_source=prepared.report.source,
        seconds=round(time.monotonic() - started, 1),
    )
    print_json_line(console, figures)


def main(argv: list[str] | None = None) -> None:
    """Run the evaluation and print the tables and the JSON line."""
    args = parse_args(argv)
    console = wide_console()
    started = time.monotonic()
    if args.shipped:
        _shipped(args, console, started)
    elif args.seeds is not None:
        _several_partitions(args, console, started)
    else:
        _one_partition(args, console, started)


if __name__ == "__main__":
    main()
