"""``triage worker`` with a deliberately slow extractor named ``slow``, for the crash tests.

``TRIAGE_TEST_SLOW_S`` says how long the extractor sleeps per document (default 0); with
``TRIAGE_TEST_SLOW_ONCE`` set to a file path, only the first call (in any process) sleeps,
so the job runs fast when it is run again. Put ``slow`` in ``TRIAGE_OFFLINE_EXTRACTORS`` to
use it. Run as ``python -m tests.support.run_worker [worker options]`` from the repository
root.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from app.cli.worker_cmd import main as worker_main
from extractors.base import Extractor
from extractors.document import Chunk, Document
from extractors.facts import Finding
from extractors.registry import register_extractor

SLOW_ENV = "TRIAGE_TEST_SLOW_S"
SLOW_ONCE_ENV = "TRIAGE_TEST_SLOW_ONCE"


class SlowExtractor(Extractor):
    """Finds nothing, slowly: a job that is still running when the test kills its worker."""

    name: ClassVar[str] = "slow"
    version: ClassVar[str] = "1"
    checks: ClassVar[frozenset[str]] = frozenset()

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        if _first_call():
            time.sleep(float(os.environ.get(SLOW_ENV, "0")))
        return []


def _first_call() -> bool:
    marker = os.environ.get(SLOW_ONCE_ENV)
    if not marker:
        return True
    try:
        Path(marker).touch(exist_ok=False)
    except FileExistsError:
        return False
    return True


def main() -> None:
    """Register the slow extractor, then run the worker command."""
    register_extractor("slow", SlowExtractor)
    worker_main()


if __name__ == "__main__":
    main()
