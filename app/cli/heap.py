"""Garbage collection in a command that builds a large heap as it starts and exits soon after.

``triage run`` imports and builds about a million objects that it keeps until it exits
(the extractors' compiled patterns and clause model, SQLAlchemy's and pydantic's models,
the policy). CPython's collector walks that whole heap again each time it has grown by a
quarter, and once more at exit: a third of a second while starting and as much again at
exit, on a run of a few seconds, for garbage that does not matter to a process about to
end. So start-up runs without automatic collection, and what it built is then frozen
(``gc.freeze``: left out of every later collection) before collection resumes for the work
itself, whose garbage is collected as usual. At exit the heap is frozen again, so the
interpreter does not walk it one last time; what a finaliser must do before then (closing
the database's connections) the command does itself.

Nothing computed depends on when garbage is collected.
"""

from __future__ import annotations

import atexit
import functools
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def start_up_without_collection() -> Iterator[None]:
    """No automatic collection inside; then what was built is frozen and collection resumes
    as it was (also when the block fails)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@functools.cache
def no_collection_at_exit() -> None:
    """Freeze the heap at exit, before the interpreter's last walk over it (once a process)."""
    atexit.register(gc.freeze)
