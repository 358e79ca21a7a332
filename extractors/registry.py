"""Registry of extractor providers, so settings and tests choose them by name.

Factories receive the settings (model, endpoint, limits) they are built with; a factory
that takes no argument (most test fakes) is called without them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from importlib import import_module

from extractors.base import Extractor
from extractors.errors import ExtractorsError
from extractors.llm.config import ModelSettings

ExtractorFactory = Callable[[ModelSettings], Extractor] | Callable[[], Extractor]

# Built-in offline providers, imported on first use so a broken optional provider
# cannot stop the others from loading.
_BUILTIN: dict[str, str] = {
    "patterns": "extractors.patterns:PatternExtractor",
    "classifier": "extractors.classifier:ClauseClassifier",
    "llm": "extractors.llm.extractor:ModelExtractor",
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


def _takes_settings(factory: ExtractorFactory) -> bool:
    """Whether ``factory`` wants the settings: it names a parameter ``settings``."""
    try:
        return "settings" in inspect.signature(factory).parameters
    except (TypeError, ValueError):  # a callable without a signature
        return False


def _build(factory: ExtractorFactory, settings: ModelSettings) -> Extractor:
    wants = _takes_settings(factory)
    extractor = factory(settings=settings) if wants else factory()  # type: ignore[call-arg]
    assert isinstance(extractor, Extractor)
    return extractor


_instances: dict[tuple[str, ModelSettings | None], Extractor] = {}


def get_extractor(name: str, settings: ModelSettings | None = None) -> Extractor:
    """The provider registered as ``name``, built with ``settings``; built-ins are reused."""
    settings = settings or ModelSettings()
    if name in _registered:
        return _build(_registered[name], settings)
    if name not in _BUILTIN:
        known = ", ".join(sorted({*_BUILTIN, *_registered}))
        raise UnknownExtractorError(f"no extractor named {name!r} (known: {known})")
    factory = _builtin_factory(name)
    # Providers that ignore the settings are built once; the others once per settings.
    key = (name, settings if _takes_settings(factory) else None)
    if key not in _instances:
        _instances[key] = _build(factory, settings)
    return _instances[key]


def get_extractors(
    names: Sequence[str] = DEFAULT_OFFLINE, settings: ModelSettings | None = None
) -> list[Extractor]:
    """Providers for ``names``, in that order, built with ``settings``."""
    return [get_extractor(name, settings) for name in names]
