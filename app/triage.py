"""Documents in, facts and decision out: the triage of one case, without a database.

The case pipeline (``app.pipeline``) persists around this function, and the evaluations and
benchmarks call it directly, so what they measure is exactly what the service decides.

The deterministic extractors always run. When a model is configured it reads the documents
at the same time; its grounded findings reach the rules beside the deterministic facts, and
the decision is the advisory one: never less strict than the deterministic facts alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from app.ai.config import model_settings
from app.deciding import decide_advisory_with_settings
from app.settings import Settings
from extractors.base import Extractor
from extractors.document import Document
from extractors.extract import merge_advisory, run_extractors
from extractors.facts import FactRecord
from extractors.llm import AiReading, CacheEntry, read_documents
from extractors.llm.reader import EXTRACTOR_NAME, EXTRACTOR_VERSION
from extractors.registry import get_extractors
from rules import CaseContext, Decision, Policy


@dataclass(frozen=True)
class Triage:
    """The facts read from a case's documents and the decision taken on them.

    ``facts`` are the deterministic facts; ``advisory_facts`` add the model's grounded
    findings (the same record when the model added none); ``reading`` is what the model
    said, or why it said nothing.
    """

    facts: FactRecord
    decision: Decision
    reading: AiReading | None = None
    advisory_facts: FactRecord | None = None

    @property
    def model_complexity(self) -> str | None:
        """The model's complexity assessment, when a quoted reason for it is in the text."""
        if self.reading is None or not self.reading.complexity_grounded:
            return None
        return self.reading.complexity


def triage_documents(
    documents: Sequence[Document],
    *,
    settings: Settings,
    policy: Policy,
    context: CaseContext | None = None,
    extractors: Sequence[Extractor] | None = None,
    model_cache: Mapping[str, CacheEntry] | None = None,
) -> Triage:
    """Extract the facts of ``documents`` and decide them, as the service does for a case."""
    config = model_settings(settings)
    active = (
        list(extractors)
        if extractors is not None
        else get_extractors(settings.offline_extractors, config)
    )
    if config.enabled:
        # The model reads while the deterministic extractors run; it never holds them up
        # for longer than its own deadline.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-reading") as pool:
            pending = pool.submit(read_documents, documents, config, cache=model_cache)
            findings = run_extractors(documents, active)
            reading = pending.result()
    else:
        findings = run_extractors(documents, active)
        reading = read_documents(documents, config)
    facts, advisory = merge_advisory(
        documents,
        findings,
        extractors=active,
        advisory_findings=reading.facts,
        advisory_extractors={EXTRACTOR_NAME: EXTRACTOR_VERSION},
    )
    decision = decide_advisory_with_settings(
        facts,
        advisory if advisory is not facts else None,
        policy=policy,
        context=context or CaseContext(),
        settings=settings,
        model_complexity=reading.complexity if reading.complexity_grounded else None,
    )
    return Triage(facts=facts, decision=decision, reading=reading, advisory_facts=advisory)
