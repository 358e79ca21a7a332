"""Documents in, facts and decision out: the triage of one case, without a database.

The case pipeline (``app.pipeline``) persists around this function, and the evaluations and
benchmarks call it directly, so what they measure is exactly what the service decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.deciding import decide_with_settings
from app.settings import Settings
from extractors.base import Extractor
from extractors.document import Document
from extractors.extract import extract_bundle
from extractors.facts import FactRecord
from extractors.registry import get_extractors
from rules import CaseContext, Decision, Policy


@dataclass(frozen=True)
class Triage:
    """The facts read from a case's documents and the decision taken on them."""

    facts: FactRecord
    decision: Decision


def triage_documents(
    documents: Sequence[Document],
    *,
    settings: Settings,
    policy: Policy,
    context: CaseContext | None = None,
    extractors: Sequence[Extractor] | None = None,
) -> Triage:
    """Extract the facts of ``documents`` and decide them, as the service does for a case."""
    active = (
        list(extractors) if extractors is not None else get_extractors(settings.offline_extractors)
    )
    facts = extract_bundle(documents, extractors=active)
    decision = decide_with_settings(
        facts, policy=policy, context=context or CaseContext(), settings=settings
    )
    return Triage(facts=facts, decision=decision)
