"""The offline extractors against the same with a model reading beside them, side by side.

Usage: ``python -m evals.compare_llm [--stub] [--saas DIR] [--cuad DIR] [--cuad-limit N]``.

Both configurations triage the same labelled documents through ``app.triage.triage_documents``
(the function the service runs): the SaaS development bundles, judged on their ``decision``
labels, and CUAD development contracts (CUAD's text rendering), judged on the approvals the
policy gives CUAD's gold labels. The model is whatever ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``
/ ``TRIAGE_OPENAI_MODEL`` point at (OpenAI, vLLM, Ollama, llama.cpp ...); ``--stub`` starts
the local stub server instead, to see the command work without a model. The model's answers
are cached in memory for the run. The sealed splits are never read. The last line is one
JSON object of the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from app.ai.config import estimated_cost
from app.settings import Settings
from app.triage import Triage, triage_documents
from evals.cuad.corpus import DEFAULT_CUAD_DIR, read_labels, text_document
from evals.cuad.decision_metrics import CuadDecisions
from evals.cuad.split import in_part
from evals.saas.decision_metrics import DecisionFigures, judge
from evals.saas.decisions import read_bundle
from evals.saas.generate import DEFAULT_DATASET, bundle_dirs
from evals.saas.labels import load_label
from extractors.document import Document
from extractors.ingest import shutdown_pool
from extractors.llm import AiReading, CacheEntry
from rules import CaseContext, Policy, load_policy

REPO_ROOT = Path(__file__).resolve().parent.parent
OFFLINE, MODEL = "offline", "with model"


@dataclass
class ModelTally:
    """What the model cost and how often it could not help."""

    readings: int = 0
    unavailable: list[str] = field(default_factory=list)
    tokens_in: int = 0
    tokens_out: int = 0
    grounded: list[float] = field(default_factory=list)
    findings: int = 0
    cache: dict[str, CacheEntry] = field(default_factory=dict)

    def add(self, name: str, reading: AiReading | None) -> None:
        if reading is None:
            return
        self.readings += 1
        if reading.status != "used":
            self.unavailable.append(f"{name}: {reading.reason}")
        self.tokens_in += reading.tokens_in
        self.tokens_out += reading.tokens_out
        self.findings += len(reading.findings)
        if reading.grounded_share is not None:
            self.grounded.append(reading.grounded_share)
        self.cache.update({entry.key: entry for entry in reading.new_cache_entries})

    def figures(self, settings: Settings) -> dict[str, Any]:
        model = settings.openai_model
        return {
            "model": model,
            "readings": self.readings,
            "unavailable": len(self.unavailable),
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "estimated_cost": estimated_cost(settings, model, self.tokens_in, self.tokens_out),
            "findings": self.findings,
            "grounded_share": round(sum(self.grounded) / len(self.grounded), 3)
            if self.grounded
            else None,
        }


def _triage(
    documents: list[Document],
    *,
    settings: Settings,
    policy: Policy,
    context: CaseContext,
    tally: ModelTally | None,
    name: str,
) -> Triage:
    triage = triage_documents(
        documents,
        settings=settings,
        policy=policy,
        context=context,
        model_cache=tally.cache if tally is not None else None,
    )
    if tally is not None:
        tally.add(name, triage.reading)
    return triage


def compare_saas(
    dataset: Path, configurations: dict[str, Settings], policy: Policy, tally: ModelTally
) -> dict[str, DecisionFigures]:
    """Each development bundle triaged in both configurations and judged on its label."""
    results = {name: DecisionFigures() for name in configurations}
    for bundle_dir in bundle_dirs(dataset):
        label = load_label(bundle_dir)
        if label.decision is None:
            continue
        documents, context = read_bundle(bundle_dir, label)
        for name, settings in configurations.items():
            triage = _triage(
                documents,
                settings=settings,
                policy=policy,
                context=context,
                tally=tally if name == MODEL else None,
                name=bundle_dir.name,
            )
            results[name].verdicts.append(judge(bundle_dir.name, label.decision, triage.decision))
    return results


def compare_cuad(
    dataset: Path,
    configurations: dict[str, Settings],
    policy: Policy,
    tally: ModelTally,
    limit: int,
) -> dict[str, CuadDecisions]:
    """Development contracts triaged in both configurations, judged on CUAD's gold labels."""
    contracts = read_labels(dataset)
    development = set(in_part([c.contract_id for c in contracts], "development"))
    chosen = [c for c in contracts if c.contract_id in development][:limit]
    results = {name: CuadDecisions(policy=policy, settings=s) for name, s in configurations.items()}
    for contract in chosen:
        document = text_document(dataset / "txt" / f"{contract.contract_id}.txt")
        for name, settings in configurations.items():
            triage = _triage(
                [document],
                settings=settings,
                policy=policy,
                context=CaseContext(),
                tally=tally if name == MODEL else None,
                name=contract.contract_id,
            )
            # The model's facts are judged as the advisory decision sees them.
            record = triage.advisory_facts if triage.advisory_facts is not None else triage.facts
            results[name].add(contract, record)
    return results


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


SAAS_ROWS = (
    ("approval_recall", "approval recall"),
    ("approval_precision", "approval precision"),
    ("forbidden_fired_share", "approvals that must not fire, fired"),
    ("clean_share_no_approval", "clean deals with no approval"),
    ("path_share", "path right or within bounds"),
    ("needs_information_rate", "needs_information rate"),
)


def saas_table(results: dict[str, dict[str, Any]]) -> Table:
    table = Table(title="SaaS bundles: decisions against their labels")
    table.add_column("figure")
    for name in results:
        table.add_column(name, justify="right")
    for key, text in SAAS_ROWS:
        table.add_row(text, *[_cell(summary.get(key)) for summary in results.values()])
    return table


def cuad_table(results: dict[str, dict[str, Any]]) -> Table:
    table = Table(title="CUAD contracts: approvals against those of the gold labels")
    table.add_column("role / figure")
    for name in results:
        table.add_column(f"{name} recall", justify="right")
        table.add_column(f"{name} precision", justify="right")
    first = next(iter(results.values()))
    for role in first["roles"]:
        cells = []
        for figures in results.values():
            cells += [
                _cell(figures["roles"][role]["recall"]),
                _cell(figures["roles"][role]["precision"]),
            ]
        table.add_row(role, *cells)
    table.add_row(
        "same approvals as gold",
        *[c for f in results.values() for c in (_cell(f["same_approvals_share"]), "")],
    )
    return table


@contextmanager
def _stub_endpoint() -> Iterator[str]:
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from tests.support.openai_stub import running_stub

    with running_stub() as stub:
        yield stub.base_url


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.compare_llm", description=__doc__)
    parser.add_argument("--saas", type=Path, default=DEFAULT_DATASET, help="SaaS bundles")
    parser.add_argument("--cuad", "--dataset", type=Path, default=DEFAULT_CUAD_DIR)
    parser.add_argument("--cuad-limit", type=int, default=25, help="CUAD contracts (0: none)")
    parser.add_argument("--no-saas", action="store_true", help="skip the SaaS bundles")
    parser.add_argument(
        "--stub", action="store_true", help="answer with the local stub server, not a model"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run both configurations over the labelled sets; print the tables and the JSON line."""
    args = parse_args(argv)
    console = Console(width=max(Console().width, 120))
    base = Settings(rules_engine="reference")
    endpoint = _stub_endpoint() if args.stub else nullcontext(None)
    with endpoint as stub_url:
        model = base.model_copy(
            update={"openai_base_url": stub_url, "openai_model": "stub-model"} if stub_url else {}
        )
        if model.llm_provider_name == "offline":
            console.print(
                "No model configured: set OPENAI_BASE_URL (and OPENAI_API_KEY, "
                "TRIAGE_OPENAI_MODEL) to an OpenAI-compatible endpoint, or pass --stub."
            )
            return 2
        offline = base.model_copy(
            update={"openai_api_key": None, "openai_base_url": None, "llm_provider": "offline"}
        )
        configurations = {OFFLINE: offline, MODEL: model}
        policy = load_policy()
        tally = ModelTally()
        started = time.monotonic()
        figures: dict[str, Any] = {"policy": policy.version}
        try:
            if not args.no_saas:
                saas = compare_saas(args.saas, configurations, policy, tally)
                figures["saas"] = {name: r.summary() for name, r in saas.items()}
                console.print(saas_table(figures["saas"]))
            if args.cuad_limit > 0:
                cuad = compare_cuad(args.cuad, configurations, policy, tally, args.cuad_limit)
                figures["cuad"] = {
                    name: r.figures(name_contracts=False) for name, r in cuad.items()
                }
                console.print(cuad_table(figures["cuad"]))
        finally:
            shutdown_pool()
    figures["model"] = tally.figures(model)
    figures["seconds"] = round(time.monotonic() - started, 1)
    for line in tally.unavailable[:10]:
        console.print(f"model unavailable for {line}")
    console.print(
        f"model {figures['model']['model']}: {tally.readings} readings, "
        f"{len(tally.unavailable)} unavailable, {tally.tokens_in} tokens in, "
        f"{tally.tokens_out} out, grounded share {_cell(figures['model']['grounded_share'])}"
    )
    print(json.dumps(figures, sort_keys=True, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
