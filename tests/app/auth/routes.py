"""The operations an app serves, read from its routes (not listed by hand)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

# HEAD comes with every GET of a plain route; it is not an operation of its own.
_IMPLIED = frozenset({"HEAD"})


@dataclass(frozen=True)
class Operation:
    """One method on one route template, and the dependencies its requests go through."""

    method: str
    template: str
    dependant: Dependant | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.template)

    def __str__(self) -> str:
        return f"{self.method} {self.template}"

    def depends_on(self, call: Callable[..., Any]) -> bool:
        """Whether ``call`` is among the dependencies, at any depth."""

        def walk(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
            for sub in dependant.dependencies:
                yield sub.call
                yield from walk(sub)

        return self.dependant is not None and call in set(walk(self.dependant))


def app_operations(app: FastAPI) -> list[Operation]:
    """Every method and route template ``app`` answers, with its dependencies."""
    found = {}
    for route in iter_route_contexts(app.routes):
        template = route.path_format
        if template is None:
            continue
        dependant = getattr(route, "dependant", None)
        for method in sorted((route.methods or set()) - _IMPLIED):
            found[(method, template)] = Operation(method, template, dependant)
    return list(found.values())
