"""The extractor contract: every provider (patterns, classifier, LLM, test fake) implements it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from extractors.document import Chunk, Document
from extractors.facts import Finding


class Extractor(ABC):
    """Reads one document and answers for the schema paths it ``checks``.

    A path in ``checks`` with no finding becomes ``not_found``; a path no extractor checks
    stays ``not_checked``. That is how "we looked and it is not there" differs from
    "nobody looked".
    """

    name: ClassVar[str]
    version: ClassVar[str]
    checks: ClassVar[frozenset[str]]

    @abstractmethod
    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        """Findings for ``document``; every evidence span must quote ``document.text`` exactly."""
