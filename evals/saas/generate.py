"""Render every bundle's sources into its PDF, DOCX, text and Markdown documents.

Usage: ``python -m evals.saas.generate [--dataset DIR] [--check]``. ``--check`` renders
in memory and fails if any committed document differs from its source.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from evals.saas.render import render
from evals.saas.sources import find_sources, parse_source

DEFAULT_DATASET = Path(__file__).resolve().parent / "bundles"
# Bundles set aside once, in styles the development set does not use: nothing is chosen on them.
SEALED_DATASET = Path(__file__).resolve().parent / "sealed"


def bundle_dirs(dataset: Path) -> list[Path]:
    """Bundle directories of a dataset: those holding an ``expected.yaml``, sorted."""
    return sorted(path.parent for path in dataset.glob("*/expected.yaml"))


def render_bundle(bundle: Path) -> dict[str, bytes]:
    """Rendered bytes of each source of ``bundle``, by output file name."""
    rendered: dict[str, bytes] = {}
    for path in find_sources(bundle):
        source = parse_source(path)
        rendered[source.output_name] = render(source)
    return rendered


def generate(dataset: Path, *, check: bool) -> tuple[int, list[str]]:
    """Write (or with ``check`` compare) every rendered document; returns (count, stale files)."""
    count = 0
    stale: list[str] = []
    for bundle in bundle_dirs(dataset):
        for name, data in render_bundle(bundle).items():
            target = bundle / name
            count += 1
            if check:
                if not target.is_file() or target.read_bytes() != data:
                    stale.append(str(target))
            else:
                target.write_bytes(data)
    return count, stale


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    console = Console()
    count, stale = generate(args.dataset, check=args.check)
    verb = "checked" if args.check else "rendered"
    console.print(f"{verb} {count} documents in {args.dataset}")
    for name in stale:
        console.print(f"[red]out of date:[/red] {name}")
    print(json.dumps({"documents": count, "stale": len(stale)}))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
