"""Compiled patterns kept on disk: the same patterns, compiled once, whatever the file holds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from extractors import regex_cache
from extractors.regex_cache import cache_file, compiled_from_disk
from tests.conftest import REPO_ROOT

# Named groups, look-arounds, flags inline and passed, bytes: what the compiler encodes.
PATTERNS: list[tuple[str | bytes, int]] = [
    (r"(?P<amount>\d{1,3}(?:[ ,.]\d{3})*)(?:\.\d{2})?\s*(?P<code>USD|EUR)", 0),
    (r"(?<![\w.])net\s+(\d+)\b(?!\s*%)", re.IGNORECASE),
    (r"(?x) governed \s+ by \s+ the \s+ laws \s+ of (?# a comment ) \s+ (\w+)", 0),
    (r"^\s*(?:fees?|total)\s*[:|]", re.MULTILINE | re.IGNORECASE),
    (rb"%PDF-(\d)\.(\d)", 0),
]
TEXT = "Total: USD 1,380,000.00 USD, payable net 30 days; governed by the laws of England."


def _fresh(pattern: str | bytes, flags: int) -> re.Pattern[str] | re.Pattern[bytes]:
    re.purge()  # re's own in-memory cache would answer before the compiler is asked
    return re.compile(pattern, flags)


def _same(a: re.Pattern[str] | re.Pattern[bytes], b: re.Pattern[str] | re.Pattern[bytes]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (
        b.pattern,
        b.flags,
        b.groups,
        b.groupindex,
    )
    subject: str | bytes = TEXT.encode() if isinstance(a.pattern, bytes) else TEXT
    assert [m.span() for m in a.finditer(subject)] == [m.span() for m in b.finditer(subject)]  # type: ignore[arg-type]


@pytest.fixture
def compiled_from_source(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every pattern the compiler builds from its source (not from the file)."""
    built: list[object] = []
    original = regex_cache._compile_with_code

    def counting(pattern: str | bytes, flags: int) -> object:
        built.append(pattern)
        return original(pattern, flags)

    monkeypatch.setattr(regex_cache, "_compile_with_code", counting)
    return built


def test_patterns_compiled_once_come_from_the_file_the_next_time(
    tmp_path: Path, compiled_from_source: list[object]
) -> None:
    plain = [_fresh(pattern, flags) for pattern, flags in PATTERNS]
    with compiled_from_disk(tmp_path):
        first = [_fresh(pattern, flags) for pattern, flags in PATTERNS]
    assert len(compiled_from_source) == len(PATTERNS)
    path = cache_file(tmp_path)
    assert path is not None and path.is_file()

    compiled_from_source.clear()
    with compiled_from_disk(tmp_path):
        again = [_fresh(pattern, flags) for pattern, flags in PATTERNS]

    assert compiled_from_source == []
    for expected, one, other in zip(plain, first, again, strict=True):
        _same(expected, one)
        _same(expected, other)


def test_outside_the_block_nothing_is_kept(tmp_path: Path) -> None:
    with compiled_from_disk(tmp_path):
        _fresh(r"inside\s+(\d+)", 0)
    _fresh(r"made from a document: Acme Widgets", 0)
    path = cache_file(tmp_path)
    assert path is not None
    kept = {key[1] for key in regex_cache._read(path)}
    assert r"inside\s+(\d+)" in kept
    assert "made from a document: Acme Widgets" not in kept
    # The compiler's own function is back: nothing patched is left behind.
    assert not hasattr(re._compiler.compile, "original")  # type: ignore[attr-defined]


def test_a_damaged_file_means_compiling_as_usual_and_writing_it_anew(
    tmp_path: Path, compiled_from_source: list[object]
) -> None:
    path = cache_file(tmp_path)
    assert path is not None
    path.write_bytes(b"\x00not marshal data")

    with compiled_from_disk(tmp_path):
        compiled = [_fresh(pattern, flags) for pattern, flags in PATTERNS]

    assert len(compiled_from_source) == len(PATTERNS)
    for (pattern, flags), one in zip(PATTERNS, compiled, strict=True):
        _same(_fresh(pattern, flags), one)
    assert len(regex_cache._read(path)) == len(PATTERNS)


def test_an_entry_the_engine_rejects_is_compiled_afresh(
    tmp_path: Path, compiled_from_source: list[object]
) -> None:
    pattern, flags = PATTERNS[0]
    with compiled_from_disk(tmp_path):
        _fresh(pattern, flags)
    path = cache_file(tmp_path)
    assert path is not None
    entries = regex_cache._read(path)
    key = next(iter(entries))
    final_flags, code, *rest = entries[key]
    entries[key] = (final_flags, [999_999, *code[1:]], *rest)  # type: ignore[assignment]
    path.write_bytes(__import__("marshal").dumps(entries))
    compiled_from_source.clear()

    with compiled_from_disk(tmp_path):
        compiled = _fresh(pattern, flags)

    assert compiled_from_source == [pattern]
    _same(_fresh(pattern, flags), compiled)


def test_every_pattern_the_extractors_compile_is_kept_exactly_as_re_compiles_it(
    tmp_path: Path,
) -> None:
    # A fresh interpreter: here the extractors may already be loaded by other tests.
    load = (
        "from pathlib import Path\n"
        "from extractors.regex_cache import compiled_from_disk\n"
        f"with compiled_from_disk(Path({str(tmp_path)!r})):\n"
        "    from extractors.patterns.negation import compile_all\n"
        "    from extractors.registry import get_extractors\n"
        "    get_extractors(['patterns', 'classifier'])\n"
        "    compile_all()\n"
    )
    subprocess.run([sys.executable, "-c", load], cwd=REPO_ROOT, check=True, timeout=120)
    path = cache_file(tmp_path)
    assert path is not None
    entries = regex_cache._read(path)

    assert len(entries) > 100  # the extractors' patterns, compiled as they load
    for (_, pattern, flags), entry in entries.items():
        assert regex_cache._compile_with_code(pattern, flags)[1] == entry
