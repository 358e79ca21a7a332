"""Compiled regular expressions kept on disk between runs, as ``.pyc`` files keep bytecode.

The extractors compile some hundreds of patterns as they load, and CPython's ``re`` parses
and compiles each from its source in pure Python: most of a second of every command that
reads a contract, before it reads anything. What that compilation produces (the engine's
code for the pattern) depends only on the pattern, its flags and the interpreter, so it is
kept in a file, keyed by all three, and handed to the engine directly the next time.

Only what is compiled inside ``compiled_from_disk`` is kept: the patterns a program builds
as it starts, not those made from a document's text. The file is one per interpreter
version; an entry the engine rejects, an unreadable file or an interpreter whose internals
differ all mean compiling from source, as without this module. Nothing a pattern matches
depends on where its code came from.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

try:  # the engine and compiler behind ``re``; their internals are checked before use
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _sre: Any = _compiler._sre
except (ImportError, AttributeError):  # pragma: no cover - another interpreter
    _sre = None

# Bumped when what an entry holds changes.
_FORMAT = 1
# More entries than any start-up compiles means patterns made from data slipped in.
_MAX_ENTRIES = 20_000

_Key = tuple[str, str | bytes, int]
# flags, code, groups, groupindex, indexgroup: the arguments of ``_sre.compile``.
_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


def _tag() -> str | None:
    """What the engine's code depends on, or None where this module cannot work."""
    if _sre is None or not hasattr(_compiler, "_code") or not hasattr(_sre, "compile"):
        return None
    return f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{_FORMAT}"


def cache_file(directory: Path) -> Path | None:
    """The file this interpreter's compiled patterns live in, under ``directory``."""
    tag = _tag()
    return None if tag is None else directory / f"regex-{tag}.marshal"


class _Store:
    """The entries read from the file, the ones compiled since, and the hook that uses them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[_Key, _Entry] = _read(path)
        self.added = 0
        self.lock = threading.Lock()

    def compile(self, original: Callable[..., Any], pattern: Any, flags: int = 0) -> Any:
        if not isinstance(pattern, (str, bytes)) or flags & re.DEBUG:
            return original(pattern, flags)
        key: _Key = (type(pattern).__name__, pattern, int(flags))
        entry = self.entries.get(key)
        if entry is not None:
            try:
                return _sre.compile(pattern, *entry)
            except Exception:  # an entry the engine rejects: compile it afresh
                log.debug("compiled pattern from disk rejected: %r", pattern, exc_info=True)
        compiled, entry = _compile_with_code(pattern, int(flags))
        with self.lock:
            if len(self.entries) < _MAX_ENTRIES:
                self.entries[key] = entry
                self.added += 1
        return compiled

    def save(self) -> None:
        if not self.added:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock:
            data = marshal.dumps(self.entries)
        # Written whole, then renamed: a reader sees the old file or the new, never half.
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".regex-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            Path(temporary).replace(self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _read(path: Path) -> dict[_Key, _Entry]:
    try:
        # The deployment's own file, in its data directory beside the uploads and the
        # database; and every entry still passes the engine's own check of its code.
        entries = marshal.loads(path.read_bytes())  # noqa: S302
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _compile_with_code(pattern: str | bytes, flags: int) -> tuple[Any, _Entry]:
    """``re``'s own compilation, step by step, keeping the engine's arguments."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # Plain ints (the compiler's opcodes are an int subclass), so the entry can be written.
    entry: _Entry = (
        int(flags | parsed.state.flags),
        [int(word) for word in code],
        int(parsed.state.groups - 1),
        {str(name): int(index) for name, index in groupindex.items()},
        tuple(indexgroup),
    )
    return _sre.compile(pattern, *entry), entry


_ACTIVE: list[_Store] = []
_ACTIVE_LOCK = threading.Lock()


@contextlib.contextmanager
def compiled_from_disk(directory: Path) -> Iterator[None]:
    """Inside, every pattern ``re`` compiles comes from (or goes to) the file under
    ``directory``; the file is brought up to date on leaving. Nested or concurrent uses
    share one store; a failure to read or write the file only means compiling as usual."""
    path = cache_file(directory)
    if path is None:
        yield
        return
    with _ACTIVE_LOCK:
        if not _ACTIVE:
            store = _Store(path)
            original = _compiler.compile

            def cached(pattern: Any, flags: int = 0) -> Any:
                return store.compile(original, pattern, flags)

            cached.original = original  # type: ignore[attr-defined]
            _compiler.compile = cached
        _ACTIVE.append(_ACTIVE[0] if _ACTIVE else store)
    try:
        yield
    finally:
        with _ACTIVE_LOCK:
            store = _ACTIVE.pop()
            if not _ACTIVE:
                _compiler.compile = _compiler.compile.original
                try:
                    store.save()
                except (OSError, ValueError):
                    log.debug("could not keep compiled patterns in %s", path, exc_info=True)
