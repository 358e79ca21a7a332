"""The sealed part of CUAD: chosen once, read from a committed file, never re-chosen.

About 30 % of the development contracts are set aside as a sealed part: nothing is trained,
tuned or cross-validated on them, so the shipped model can be scored on contracts it has
never seen. The ids live in ``sealed.txt`` beside this module; everything reads that file.
``python -m evals.cuad.split`` prints what the procedure chooses and whether the committed
file agrees with it; ``--write`` writes the file only where none exists yet.

The procedure: within each ``agreement_type`` of ``manifest.csv`` (the stratum), the
near-duplicate groups of ``evals.cuad.duplicates`` are shuffled with a fixed seed and drawn
whole, as long as the stratum's sealed contracts stay within ``round(share * size)``; a group
belongs to the stratum most of its contracts are in.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Literal

from evals.cuad.corpus import DEFAULT_CUAD_DIR

SEALED_FILE = Path(__file__).resolve().with_name("sealed.txt")
SEED = 510
SHARE = 0.30

Part = Literal["development", "sealed", "all"]


def read_sealed(path: Path = SEALED_FILE) -> frozenset[str]:
    """The sealed contract ids of the committed file (``#`` lines are comments)."""
    lines = (line.strip() for line in path.read_text("utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def sealed_digest(path: Path = SEALED_FILE) -> str:
    """SHA-256 of the sealed ids (sorted, one per line): stored with every model trained."""
    ids = "\n".join(sorted(read_sealed(path)))
    return hashlib.sha256(ids.encode()).hexdigest()


def in_part(contract_ids: Sequence[str], part: Part, path: Path = SEALED_FILE) -> list[str]:
    """The ids of ``part``: ``development`` (not sealed), ``sealed``, or ``all``."""
    if part == "all":
        return list(contract_ids)
    sealed = read_sealed(path)
    return [i for i in contract_ids if (i in sealed) == (part == "sealed")]


def read_agreement_types(dataset: Path) -> dict[str, str]:
    """Contract id -> ``agreement_type`` from ``dataset/manifest.csv``."""
    with (dataset / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        return {row["id"]: row["agreement_type"] for row in csv.DictReader(handle)}


def choose_sealed(
    agreement_types: Mapping[str, str],
    groups: Mapping[str, str],
    share: float = SHARE,
    seed: int = SEED,
) -> list[str]:
    """The sealed ids: per stratum, whole groups drawn in seeded order up to its share."""
    members: dict[str, list[str]] = defaultdict(list)
    for contract_id in sorted(agreement_types):
        members[groups.get(contract_id, contract_id)].append(contract_id)
    strata: dict[str, list[str]] = defaultdict(list)
    for group, ids in sorted(members.items()):
        counts = Counter(agreement_types[i] for i in ids)
        # Most of its contracts decide; a tie goes to the type of the group's first contract.
        stratum = max(counts, key=lambda t: (counts[t], t == agreement_types[ids[0]]))
        strata[stratum].append(group)
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw, not a secret
    sealed: list[str] = []
    for stratum in sorted(strata):
        order = list(strata[stratum])
        rng.shuffle(order)
        size = sum(len(members[group]) for group in order)
        target = math.floor(share * size + 0.5)
        taken = 0
        for group in order:
            if taken + len(members[group]) <= target:
                sealed.extend(members[group])
                taken += len(members[group])
    return sorted(sealed)


def header(total: int, chosen: int, share: float, seed: int) -> str:
    """The comment block of ``sealed.txt``: how the ids were chosen."""
    return (
        "# CUAD contracts sealed from development: no training, tuning or cross-validation\n"
        "# reads them; only the shipped model and extractors are scored on them.\n"
        f"# Chosen once by `python -m evals.cuad.split` (seed {seed}, share {share:.2f}):\n"
        "# stratified by agreement_type (manifest.csv), round(share * size) per type, drawn\n"
        "# as whole near-duplicate groups (evals/cuad/duplicates.py on our ingested PDF text).\n"
        f"# {chosen} of {total} contracts. Never re-chosen: the code only reads this file.\n"
    )


def _groups(dataset: Path, ids: Collection[str], workers: int) -> dict[str, str]:
    from evals.cuad.corpus import load_documents
    from evals.cuad.duplicates import near_duplicate_groups

    documents, report = load_documents(dataset, sorted(ids), workers=workers)
    if report.failures:
        raise SystemExit(f"cannot read {sorted(report.failures)}: the split needs every text")
    return near_duplicate_groups({i: d.text for i, d in documents.items()})


def main(argv: list[str] | None = None) -> None:
    """Print what the procedure chooses and whether the committed file agrees."""
    parser = argparse.ArgumentParser(prog="python -m evals.cuad.split", description=__doc__)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_CUAD_DIR)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--write", action="store_true", help="write sealed.txt (refused when it exists)"
    )
    args = parser.parse_args(argv)
    if args.write and SEALED_FILE.exists():
        raise SystemExit(f"{SEALED_FILE} exists: the sealed part is chosen once, never again")
    types = read_agreement_types(args.dataset)
    chosen = choose_sealed(types, _groups(args.dataset, types, args.workers))
    by_type = Counter(types[i] for i in chosen)
    for stratum, size in sorted(Counter(types.values()).items()):
        print(f"{stratum:28} {by_type[stratum]:3} of {size:3} sealed", file=sys.stderr)
    text = header(len(types), len(chosen), SHARE, SEED) + "".join(f"{i}\n" for i in chosen)
    if args.write:
        SEALED_FILE.write_text(text, "utf-8")
        print(f"wrote {SEALED_FILE}: {len(chosen)} of {len(types)} contracts", file=sys.stderr)
    elif SEALED_FILE.exists():
        committed = read_sealed()
        verdict = "agrees" if committed == set(chosen) else "differs (the file stands)"
        print(f"committed {SEALED_FILE.name} {verdict}", file=sys.stderr)
    print(text, end="")


if __name__ == "__main__":
    main()
