"""Garbage collection around a command's start-up: paused inside, frozen and resumed after."""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator

import pytest

from app.cli import heap


@pytest.fixture(autouse=True)
def _collector_as_it_was() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:  # pragma: no cover - the suite runs with collection on
        gc.disable()


class Node:
    """An object the collector tracks."""


def test_start_up_runs_without_collection_and_what_it_built_is_frozen() -> None:
    gc.enable()
    gc.unfreeze()
    with heap.start_up_without_collection():
        assert not gc.isenabled()
        built = [Node() for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(built)
    # Frozen: in no generation that a collection walks.
    assert not any(found is built[0] for found in gc.get_objects())


def test_collection_resumes_when_start_up_fails() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), heap.start_up_without_collection():
        raise RuntimeError("the policy is invalid")
    assert gc.isenabled()


def test_collection_left_off_stays_off() -> None:
    gc.disable()
    with heap.start_up_without_collection():
        pass
    assert not gc.isenabled()


def test_the_heap_is_frozen_at_exit_once(monkeypatch: pytest.MonkeyPatch) -> None:
    registered: list[object] = []
    monkeypatch.setattr(atexit, "register", registered.append)
    heap.no_collection_at_exit.cache_clear()
    try:
        heap.no_collection_at_exit()
        heap.no_collection_at_exit()
    finally:
        heap.no_collection_at_exit.cache_clear()
    assert registered == [gc.freeze]
