"""From a folder in CUAD layout to labelled contracts, with progress on the console."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from evals.cuad.corpus import CuadContract, LoadReport, load_documents, read_labels
from evals.cuad.deterministic import deterministic_extractors
from evals.cuad.labelling import LabelledContract, label_contract
from evals.cuad.split import Part, in_part
from extractors.document import Document


@dataclass(frozen=True)
class PreparedCorpus:
    """Labels, parsed documents and labelled sentences of every readable contract."""

    contracts: list[CuadContract]
    documents: dict[str, Document]
    labelled: list[LabelledContract]
    report: LoadReport

    @property
    def located_share(self) -> float:
        """Share of CUAD's excerpts found in our text."""
        total = sum(item.excerpts for item in self.labelled)
        return sum(item.located for item in self.labelled) / total if total else 0.0


def prepare_corpus(
    dataset: Path,
    *,
    use_txt: bool = False,
    reparse: bool = False,
    limit: int | None = None,
    workers: int = 2,
    console: Console | None = None,
    label: bool = True,
    part: Part = "development",
) -> PreparedCorpus:
    """Read labels, parse (or load cached) documents and label their sentences.

    ``part`` keeps the development contracts (the default), the sealed ones or all of them
    (``evals.cuad.split``); ``limit`` then keeps the first N of those.
    """
    console = console or Console(stderr=True)
    contracts = read_labels(dataset)
    kept = set(in_part([contract.contract_id for contract in contracts], part))
    contracts = [contract for contract in contracts if contract.contract_id in kept]
    if limit is not None:
        contracts = contracts[:limit]
    ids = [contract.contract_id for contract in contracts]
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("reading contracts", total=len(ids))
        documents, report = load_documents(
            dataset,
            ids,
            use_txt=use_txt,
            reparse=reparse,
            workers=workers,
            progress=lambda _: bar.advance(task),
        )
    for contract_id, reason in sorted(report.failures.items()):
        console.print(f"[yellow]skipped {contract_id}: {reason}")
    readable = [contract for contract in contracts if contract.contract_id in documents]
    labelled: list[LabelledContract] = []
    if label:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("labelling sentences", total=len(readable))
            extractors = deterministic_extractors()
            for contract in readable:
                document = documents[contract.contract_id]
                labelled.append(label_contract(contract, document, extractors))
                bar.advance(task)
    return PreparedCorpus(readable, documents, labelled, report)
