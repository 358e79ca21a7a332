"""``triage worker`` with an extractor named ``witness`` that says which process read what.

With ``TRIAGE_TEST_WITNESS`` set to a file path, every document the extractor is given
appends one line ``<pid> <sha256>`` to that file; it finds nothing, so decisions are
unchanged. Put ``witness`` in ``TRIAGE_OFFLINE_EXTRACTORS`` to use it. Only this process
registers it: any other process asked to run it fails with ``UnknownExtractorError``.
Run as ``python -m tests.support.run_witnessed_worker [worker options]`` from the
repository root.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from app.cli.worker_cmd import main as worker_main
from extractors.base import Extractor
from extractors.document import Chunk, Document
from extractors.facts import Finding
from extractors.registry import register_extractor

WITNESS_ENV = "TRIAGE_TEST_WITNESS"


class WitnessExtractor(Extractor):
    """Finds nothing; records the process that read each document."""

    name: ClassVar[str] = "witness"
    version: ClassVar[str] = "1"
    checks: ClassVar[frozenset[str]] = frozenset()

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        record = os.environ.get(WITNESS_ENV)
        if record:
            # One short append per line: lines from several processes never interleave.
            with Path(record).open("a", encoding="utf-8") as out:
                out.write(f"{os.getpid()} {document.sha256}\n")
        return []


def witnessed(path: Path) -> list[tuple[int, str]]:
    """The ``(pid, sha256)`` lines the extractor wrote to ``path`` so far."""
    if not path.exists():
        return []
    pairs = (line.split() for line in path.read_text(encoding="utf-8").splitlines() if line)
    return [(int(pid), sha) for pid, sha in pairs]


def main() -> None:
    """Register the witness extractor, then run the worker command."""
    register_extractor("witness", WitnessExtractor)
    worker_main()


if __name__ == "__main__":
    main()
