"""``triage serve`` with the crash tests' slow extractor registered (see ``run_worker``).

Put ``slow`` in ``TRIAGE_OFFLINE_EXTRACTORS`` and set ``TRIAGE_TEST_SLOW_S`` (and
``TRIAGE_TEST_SLOW_ONCE``) as for ``tests.support.run_worker``: the in-process job workers
of the embedded shape then hold a job long enough for a test to kill the server mid-job.
Run as ``python -m tests.support.run_serve [serve options]`` from the repository root.
"""

from __future__ import annotations

import typer

from app.cli.serve_cmd import serve
from extractors.registry import register_extractor
from tests.support.run_worker import SlowExtractor


def main() -> None:
    """Register the slow extractor, then run the serve command in this process."""
    # One uvicorn process (the default --workers 1) runs the app here, so it sees the registry.
    register_extractor("slow", SlowExtractor)
    typer.run(serve)


if __name__ == "__main__":
    main()
