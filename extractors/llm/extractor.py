"""The model-backed reader as an ``Extractor``, so the registry can build it by name.

It answers for no path (``checks`` is empty): a model that finds nothing must never turn
"nobody looked" into "looked and not there". The case pipeline calls ``read_documents``
directly to keep the summary, complexity and costs; this adapter serves callers that only
want findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from extractors.base import Extractor
from extractors.document import Chunk, Document
from extractors.facts import Finding
from extractors.llm.config import ModelSettings
from extractors.llm.reader import EXTRACTOR_NAME, EXTRACTOR_VERSION, read_documents


class ModelExtractor(Extractor):
    """Grounded advisory findings from the configured model (none when it is off or fails)."""

    name: ClassVar[str] = EXTRACTOR_NAME
    version: ClassVar[str] = EXTRACTOR_VERSION
    checks: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, settings: ModelSettings | None = None) -> None:
        self.settings = settings or ModelSettings()

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        """The grounded clause and obligation findings of ``document``."""
        return read_documents([document], self.settings).facts
