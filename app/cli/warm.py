"""Starting slow things early: parser processes, the extractors, the rules engine's worker.

A spawned parser or rules worker needs a good part of a second to start, and the extractors
as long to import (hundreds of regexes, the clause model; the regexes' compiled form is
kept on disk between runs, see ``compiled_patterns``). A command that will need them
starts them while it does its own setup, so they are ready when it gets there instead of
being waited for in turn. Warming changes nothing that is computed: a failure here is left
for the real call to meet and report.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.settings import Settings
    from rules import Policy


# Every warm-up started, so that whoever closes what they start (tests) can wait for them.
_STARTED: list[threading.Thread] = []


def in_background(work: Callable[..., object], *args: object) -> threading.Thread:
    """``work(*args)`` in a daemon thread, any error ignored."""

    def run() -> None:
        with contextlib.suppress(Exception):
            work(*args)

    thread = threading.Thread(target=run, name=f"warm-{work.__name__}", daemon=True)
    thread.start()
    _STARTED[:] = [*(started for started in _STARTED if started.is_alive()), thread]
    return thread


def wait_for_warm_ups(timeout_s: float) -> None:
    """Wait (at most ``timeout_s`` for each) for the warm-ups started so far to end.

    A command that fails early returns while its rules worker may still be starting: a test
    that stops the workers after the command waits here first, or one starts after it.
    """
    while _STARTED:
        _STARTED.pop().join(timeout_s)


def start_parsers(workers: int | None = None) -> None:
    """Start the sandboxed parser processes now (``workers`` of them, else the default
    number), without waiting for them."""
    from extractors.ingest import warm_up

    if workers is None:
        warm_up()
    else:
        warm_up(workers)


def load_extractors(settings: Settings) -> None:
    """Import and build the configured extractors (regexes compiled, clause model read),
    as the triage of a case asks for them, and the text splitter that cuts a document into
    their chunks (imported on its first cut: a tenth of a second or more)."""
    from app.ai.config import model_settings
    from extractors.chunking import chunk_text
    from extractors.registry import get_extractors

    with compiled_patterns(settings):
        get_extractors(settings.offline_extractors, model_settings(settings))
        chunk_text("Warm.")


def load_extractors_fully(settings: Settings) -> None:
    """``load_extractors``, and the patterns otherwise compiled when a contract needs them."""
    from extractors.patterns.negation import compile_all

    with compiled_patterns(settings):
        load_extractors(settings)
        compile_all()


def compiled_patterns(settings: Settings) -> contextlib.AbstractContextManager[None]:
    """Regular expressions compiled inside come from, and go to, the deployment's cache of
    compiled patterns (``extractors.regex_cache``) instead of being compiled from source
    in every process."""
    from extractors.regex_cache import compiled_from_disk

    return compiled_from_disk(settings.data_dir / "cache")


def start_decider(settings: Settings, policy: Policy) -> None:
    """Start the rules engine's worker with one decision on no facts, kept nowhere."""
    from app.deciding import decide_with_settings
    from extractors.facts import FactRecord
    from rules import CaseContext

    decide_with_settings(FactRecord(), policy=policy, context=CaseContext(), settings=settings)


def start_configured_decider(settings: Settings) -> None:
    """``start_decider`` for the policy the settings name."""
    from rules import load_policy

    start_decider(settings, load_policy(settings.rules_dir))


def import_renderer() -> None:
    """Import the case view and the terminal renderer."""
    import app.cli.show  # noqa: F401
