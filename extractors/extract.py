"""EXTRACT: run the configured extractors over a document or bundle and merge the findings.

This is the one function the CLI, the service pipeline and the evaluations call, so
what is measured is what ships.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from extractors.base import Extractor
from extractors.chunking import chunk_document
from extractors.document import Document
from extractors.evidence import make_evidence
from extractors.facts import Evidence, Fact, FactRecord, Finding
from extractors.locate import QuoteLocator
from extractors.merge import merge_findings
from extractors.registry import DEFAULT_OFFLINE, get_extractors


class Grounder:
    """Checks evidence quotes against the documents of a bundle, folding each one at most once."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents = list(documents)
        self._by_id = {document.document_id: document for document in documents}
        self._locators: dict[str, QuoteLocator] = {}

    def _locator(self, document: Document) -> QuoteLocator:
        if document.document_id not in self._locators:
            self._locators[document.document_id] = QuoteLocator(document.text)
        return self._locators[document.document_id]

    def place(self, evidence: Evidence) -> Evidence | None:
        """The evidence with exact offsets in its document, or None if its quote is nowhere."""
        known = self._by_id.get(evidence.document_id or "")
        candidates = [known] if known is not None else self.documents
        for document in candidates:
            exact = document.text[evidence.start : evidence.end]
            if evidence.quote and exact == evidence.quote:
                return make_evidence(document, evidence.start, evidence.end)
            span = self._locator(document).find(evidence.quote)
            if span is not None:
                return make_evidence(document, *span)
        return None

    def ground(self, finding: Finding) -> Finding:
        """Repair offsets that do not quote the document, or mark the finding ungrounded.

        Models are bad at counting characters, so a wrong offset is re-located through the
        quote locator; a quote found nowhere makes the finding ungrounded: kept for display,
        never seen by the rules.
        """
        placed = [(evidence, self.place(evidence)) for evidence in finding.fact.evidence]
        grounded = finding.fact.grounded and all(new is not None for _, new in placed)
        evidence = [new if new is not None else old for old, new in placed]
        fact: Fact[Any] = finding.fact.model_copy(
            update={"evidence": evidence, "grounded": grounded}
        )
        return Finding(path=finding.path, fact=fact)


def run_extractors(documents: Sequence[Document], extractors: Sequence[Extractor]) -> list[Finding]:
    """Every extractor over every document, each finding grounded in its document."""
    findings: list[Finding] = []
    for document in documents:
        chunks = chunk_document(document)
        grounder = Grounder([document])
        for extractor in extractors:
            findings.extend(grounder.ground(f) for f in extractor.extract(document, chunks))
    return findings


def extract_bundle(
    documents: Sequence[Document],
    *,
    extractors: Sequence[Extractor] | None = None,
    extra_findings: Sequence[Finding] = (),
) -> FactRecord:
    """The merged fact record of a bundle of documents (an MSA, its order forms, ...)."""
    active = list(extractors) if extractors is not None else get_extractors(DEFAULT_OFFLINE)
    findings = run_extractors(documents, active)
    grounder = Grounder(documents)
    findings.extend(grounder.ground(f) for f in extra_findings)
    checked = {path for extractor in active for path in extractor.checks}
    return merge_findings(
        findings,
        checked=checked,
        documents={d.document_id: d.filename or d.document_id for d in documents},
        extractors={extractor.name: extractor.version for extractor in active},
        texts={d.document_id: d.text for d in documents},
    )


def extract_advisory(
    documents: Sequence[Document],
    *,
    extractors: Sequence[Extractor],
    advisory_findings: Sequence[Finding],
    advisory_extractors: Mapping[str, str] | None = None,
) -> tuple[FactRecord, FactRecord]:
    """The deterministic record, and the record with the grounded advisory findings added."""
    return merge_advisory(
        documents,
        run_extractors(documents, extractors),
        extractors=extractors,
        advisory_findings=advisory_findings,
        advisory_extractors=advisory_extractors,
    )


def merge_advisory(
    documents: Sequence[Document],
    findings: Sequence[Finding],
    *,
    extractors: Sequence[Extractor],
    advisory_findings: Sequence[Finding],
    advisory_extractors: Mapping[str, str] | None = None,
) -> tuple[FactRecord, FactRecord]:
    """Two records from the extractors' ``findings``: without and with the advisory ones.

    The advisory findings are grounded again here, and only those whose quote is in a
    document reach the second record; without any, both records are the same object.
    """
    grounder = Grounder(documents)
    used = [g for g in (grounder.ground(f) for f in advisory_findings) if g.fact.grounded]
    checked = {path for extractor in extractors for path in extractor.checks}
    names = {d.document_id: d.filename or d.document_id for d in documents}
    texts = {d.document_id: d.text for d in documents}
    versions = {extractor.name: extractor.version for extractor in extractors}
    deterministic = merge_findings(
        findings, checked=checked, documents=names, extractors=versions, texts=texts
    )
    if not used:
        return deterministic, deterministic
    merged = merge_findings(
        [*findings, *used],
        checked=checked,
        documents=names,
        extractors=versions | dict(advisory_extractors or {}),
        texts=texts,
    )
    return deterministic, merged


def extract_document(
    document: Document, *, extractors: Sequence[Extractor] | None = None
) -> FactRecord:
    """The fact record of a single document."""
    return extract_bundle([document], extractors=extractors)
