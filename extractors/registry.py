"""Registry of extractor providers, so settings and tests choose them by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module

from extractors.base import Extractor
from extractors.errors import ExtractorsError

ExtractorFactory = Callable[[], Extractor]

# Built-in offline providers, imported on first use so a broken optional provider
# cannot stop the others from loading.
_BUILTIN: dict[str, str] = {
    "patterns": "extractors.patterns:PatternExtractor",
    "classifier": "extractors.classifier:ClauseClassifier",
}
DEFAULT_OFFLINE = ("patterns", "classifier")

_registered: dict[str, ExtractorFactory] = {}


class UnknownExtractorError(ExtractorsError):
    """A configured extractor name that no provider answers to."""


def register_extractor(name: str, factory: ExtractorFactory) -> None:
    """Make ``factory`` available under ``name`` (replacing a built-in of that name)."""
    _registered[name] = factory


def unregister_extractor(name: str) -> None:
    """Forget a registered provider; built-ins come back."""
    _registered.pop(name, None)


def _builtin_factory(name: str) -> ExtractorFactory:
    module_name, _, attribute = _BUILTIN[name].partition(":")
    factory = getattr(import_module(module_name), attribute)
    assert callable(factory)
    return factory  # type: ignore[no-any-return]


_instances: dict[str, Extractor] = {}


def get_extractor(name: str) -> Extractor:
    """The provider registered as ``name``; built-ins are created once and reused."""
    if name in _registered:
        return _registered[name]()
    if name not in _BUILTIN:
        known = ", ".join(sorted({*_BUILTIN, *_registered}))
        raise UnknownExtractorError(f"no extractor named {name!r} (known: {known})")
    if name not in _instances:
        _instances[name] = _builtin_factory(name)()
    return _instances[name]


def get_extractors(names: Sequence[str] = DEFAULT_OFFLINE) -> list[Extractor]:
    """Providers for ``names``, in that order."""
    return [get_extractor(name) for name in names]
