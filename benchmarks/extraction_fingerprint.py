"""A fingerprint of everything offline extraction reads, to prove a speed-up changed nothing.

Every CUAD development contract (the part ``evals/cuad`` trains and evaluates on, read the
same way: ``read_labels``, ``in_part``, ``load_documents``) and every SaaS bundle under
``evals/saas/bundles`` goes through the service's own triage (``app.triage.triage_documents``
with the shipped offline extractors, decided by the reference engine). Per document or bundle
the fingerprint holds the SHA-256 of the ingested documents (text, pages, problems), of the
fact record's canonical JSON and of the decision's; the facts themselves are written beside
it, so a difference can be read, not only counted.

    python benchmarks/extraction_fingerprint.py --dataset ../shared/datasets/cuad \
        --out .cache/fingerprint/after [--compare .cache/fingerprint/before] [--reparse]

``--reparse`` reads every PDF again through the current ingestion code instead of the
corpus cache (``.cache/cuad``): needed when ingestion itself changed. ``--compare DIR`` names
every document whose document, facts or decision hash differs from the earlier run in
``DIR``, with the fact paths that differ, and exits 1 if any does. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = REPO_ROOT.parent / "shared" / "datasets" / "cuad"
DEFAULT_SAAS = REPO_ROOT / "evals" / "saas" / "bundles"
FINGERPRINT_FILE = "fingerprint.json"

console = Console(stderr=True)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical(value: Any) -> str:
    """Sorted keys, no spaces: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry(documents: Sequence[Any], facts: Any, decision: Any) -> tuple[dict[str, str], str]:
    """The hashes of one case and its facts as indented JSON (for reading a difference)."""
    facts_json = canonical(facts.model_dump(mode="json"))
    hashes = {
        "documents": sha256(canonical([d.model_dump(mode="json") for d in documents])),
        "facts": sha256(facts_json),
        "decision": sha256(decision.to_json()),
    }
    return hashes, json.dumps(json.loads(facts_json), indent=1, sort_keys=True)


def cuad_documents(dataset: Path, *, reparse: bool, workers: int) -> dict[str, Any]:
    """The development contracts' documents by contract id, read as the evaluations read them."""
    from evals.cuad.corpus import load_documents, read_labels
    from evals.cuad.split import in_part

    ids = in_part([c.contract_id for c in read_labels(dataset)], "development")
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"reading {len(ids)} CUAD development PDFs", total=len(ids))
        documents, report = load_documents(
            dataset, ids, reparse=reparse, workers=workers, progress=lambda _: bar.advance(task)
        )
    for contract_id, reason in sorted(report.failures.items()):
        console.print(f"[yellow]{contract_id}: refused: {reason}[/yellow]")
    # Identical PDFs share one cached document, named after whichever was read last: each
    # is named after its own contract here, so the facts' document names do not vary.
    return {
        f"cuad/{contract_id}": [
            documents[contract_id].model_copy(update={"filename": f"{contract_id}.pdf"})
        ]
        for contract_id in sorted(documents)
    }


def saas_documents(directory: Path) -> dict[str, Any]:
    """Each SaaS bundle's documents, in the order its label lists them."""
    from evals.saas.generate import bundle_dirs
    from evals.saas.labels import load_label
    from evals.saas.score import ingest_bundle

    return {
        f"saas/{bundle.name}": ingest_bundle(bundle, load_label(bundle))
        for bundle in bundle_dirs(directory)
    }


def fingerprint(cases: dict[str, Any], out: Path) -> tuple[dict[str, dict[str, str]], float]:
    """Triage every case as the service does; write the facts and return the hashes."""
    from app.settings import Settings
    from app.triage import triage_documents
    from extractors.registry import DEFAULT_OFFLINE, get_extractors
    from rules import load_policy

    settings = Settings(rules_engine="reference")
    policy = load_policy()
    extractors = get_extractors(DEFAULT_OFFLINE)
    hashes: dict[str, dict[str, str]] = {}
    spent = 0.0
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("extracting and deciding", total=len(cases))
        for name, documents in cases.items():
            started = time.perf_counter()
            result = triage_documents(
                documents, settings=settings, policy=policy, extractors=extractors
            )
            spent += time.perf_counter() - started
            hashes[name], facts = entry(documents, result.facts, result.decision)
            target = out / "facts" / f"{name}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(facts + "\n", "utf-8")
            bar.advance(task)
    return hashes, spent


def fact_differences(before: Path, after: Path) -> list[str]:
    """The leaf paths whose values differ between two facts files."""

    def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
        if isinstance(value, dict):
            found: dict[str, Any] = {}
            for key, item in value.items():
                found.update(leaves(item, f"{prefix}.{key}" if prefix else str(key)))
            return found
        if isinstance(value, list):
            found = {}
            for index, item in enumerate(value):
                found.update(leaves(item, f"{prefix}[{index}]"))
            return found or {prefix: []}
        return {prefix: value}

    old = leaves(json.loads(before.read_text("utf-8"))) if before.is_file() else {}
    new = leaves(json.loads(after.read_text("utf-8"))) if after.is_file() else {}
    return sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))


def compare(
    hashes: dict[str, dict[str, str]], earlier: Path, out: Path
) -> dict[str, dict[str, Any]]:
    """Each case whose hashes differ from ``earlier``'s fingerprint (or that only one has)."""
    previous: dict[str, dict[str, str]] = json.loads(
        (earlier / FINGERPRINT_FILE).read_text("utf-8")
    )["cases"]
    differences: dict[str, dict[str, Any]] = {}
    for name in sorted(previous.keys() | hashes.keys()):
        old, new = previous.get(name), hashes.get(name)
        if old == new:
            continue
        changed = sorted(
            k
            for k in (old or {}).keys() | (new or {}).keys()
            if (old or {}).get(k) != (new or {}).get(k)
        )
        paths = fact_differences(earlier / "facts" / f"{name}.json", out / "facts" / f"{name}.json")
        differences[name] = {"changed": changed, "fact_paths": paths[:20]}
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="the CUAD folder")
    parser.add_argument("--saas", type=Path, default=DEFAULT_SAAS, help="the SaaS bundles")
    parser.add_argument("--out", type=Path, required=True, help="folder for the fingerprint")
    parser.add_argument("--compare", type=Path, help="an earlier --out folder to compare with")
    parser.add_argument("--reparse", action="store_true", help="ingest every PDF again")
    parser.add_argument("--workers", type=int, default=2, help="PDF parser processes")
    parser.add_argument("--limit", type=int, help="only the first N CUAD contracts (a quick look)")
    args = parser.parse_args(argv)

    from extractors.ingest import shutdown_pool

    started = time.perf_counter()
    try:
        cases = cuad_documents(args.dataset, reparse=args.reparse, workers=args.workers)
        if args.limit is not None:
            cases = dict(list(cases.items())[: args.limit])
        cuad_count = len(cases)
        cases.update(saas_documents(args.saas))
    finally:
        shutdown_pool()
    read_s = time.perf_counter() - started
    hashes, extract_s = fingerprint(cases, args.out)
    digest = sha256(canonical(hashes))
    (args.out / FINGERPRINT_FILE).write_text(
        json.dumps({"digest": digest, "cases": hashes}, indent=1, sort_keys=True) + "\n", "utf-8"
    )
    differences = compare(hashes, args.compare, args.out) if args.compare else {}

    table = Table(title="Extraction fingerprint", title_justify="left")
    for column in ("cases", "CUAD development", "SaaS bundles", "read s", "triage s", "digest"):
        table.add_column(column, justify="left" if column == "digest" else "right")
    table.add_row(
        str(len(cases)),
        str(cuad_count),
        str(len(cases) - cuad_count),
        f"{read_s:.1f}",
        f"{extract_s:.1f}",
        digest[:16],
    )
    Console(width=150).print(table)
    if args.compare:
        if differences:
            for name, difference in differences.items():
                print(f"DIFFERS {name}: {', '.join(difference['changed'])}")
                for path in difference["fact_paths"]:
                    print(f"    {path}")
        else:
            print(f"identical to {args.compare} ({len(hashes)} cases)")
    figures = {
        "cases": len(cases),
        "cuad_development": cuad_count,
        "saas_bundles": len(cases) - cuad_count,
        "digest": digest,
        "read_s": round(read_s, 1),
        "triage_s": round(extract_s, 1),
        "compared_with": str(args.compare) if args.compare else None,
        "differing": sorted(differences),
    }
    print(json.dumps(figures, sort_keys=True))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
