"""The deterministic extractor: regexes and parsers for every fact that has a precise shape.

Each topic module (money, dates, payment, term, legal, security, ...) returns ``Hit``s;
``PatternExtractor`` folds them into one finding per schema path, with the evidence spans
quoting the document exactly. A path is *present* when found, *excluded* when the text
explicitly rules it out ("No source code escrow is provided"), and absent from the
findings otherwise (the caller marks it ``not_found``). A value derived from several
statements (an annual value from a total and its term) quotes each of them and says in the
fact's note how it was derived.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from types import UnionType
from typing import Any, ClassVar, Union, get_args, get_origin

from pydantic import BaseModel

from extractors.base import Extractor
from extractors.document import Chunk, Document
from extractors.evidence import make_evidence
from extractors.facts import Fact, FactStatus, Finding, Source, fact_value_type
from extractors.patterns import (
    document_kind,
    governing_law,
    implementation,
    legal,
    money,
    negation,
    obligations,
    parties,
    payment,
    security,
    service,
    tax,
    term,
)
from extractors.patterns.core import Hit, TextView

__all__ = ["PATTERN_VERSION", "PatternExtractor", "extract_hits", "is_list_path"]

PATTERN_VERSION = "1.7.0"

# The order hits are listed in; a reading one module needs from another (the parties, the
# amounts) is a ``per_view`` function it calls, so no module depends on running after another.
_MODULES: tuple[tuple[frozenset[str], Callable[[TextView], list[Hit]]], ...] = (
    (document_kind.CHECKS, document_kind.extract),
    (parties.CHECKS, parties.extract),
    (term.CHECKS, term.extract),
    (money.CHECKS, money.extract),
    (payment.CHECKS, payment.extract),
    (governing_law.CHECKS, governing_law.extract),
    (legal.CHECKS, legal.extract),
    (security.CHECKS, security.extract),
    (service.CHECKS, service.extract),
    (implementation.CHECKS, implementation.extract),
    (tax.CHECKS, tax.extract),
    (obligations.CHECKS, obligations.extract),
    (negation.CHECKS, negation.extract),
)
# A list value carries at most this many quotes per item, a scalar this many in total.
_QUOTES_PER_ITEM = 2
_QUOTES_PER_VALUE = 3


def extract_hits(document: Document) -> list[Hit]:
    """Every hit of every topic module, before they are folded into findings."""
    view = TextView(document)
    hits: list[Hit] = []
    for _, extract in _MODULES:
        hits.extend(extract(view))
    return hits


def _key(value: Any) -> str:
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    return repr(value)


def _value_type(path: str) -> Any:
    value_type = fact_value_type(path)
    inner = [arg for arg in get_args(value_type) if arg is not type(None)]
    # ``T | None`` -> ``T``
    return (
        inner[0] if get_origin(value_type) in (Union, UnionType) and len(inner) == 1 else value_type
    )


def is_list_path(path: str) -> bool:
    """Whether the fact at ``path`` holds a list (its hits each add items)."""
    return get_origin(_value_type(path)) is list


def _is_bool(path: str) -> bool:
    return _value_type(path) is bool


def _overlaps(hit: Hit, others: Sequence[Hit]) -> bool:
    return any(hit.start < other.end and other.start < hit.end for other in others)


class PatternExtractor(Extractor):
    """Regex and parser extraction of shaped facts, negations and obligations."""

    name: ClassVar[str] = "patterns"
    version: ClassVar[str] = PATTERN_VERSION
    checks: ClassVar[frozenset[str]] = frozenset().union(*(checks for checks, _ in _MODULES))

    def extract(self, document: Document, chunks: Sequence[Chunk]) -> list[Finding]:
        """Findings for ``document``; ``chunks`` are not needed, patterns read the whole text."""
        by_path: dict[str, list[Hit]] = defaultdict(list)
        for hit in extract_hits(document):
            by_path[hit.path].append(hit)
        findings: list[Finding] = []
        for path in sorted(by_path):
            hits = by_path[path]
            if path == "obligations":
                findings.extend(self._finding(document, path, [hit], hit.value) for hit in hits)
                continue
            finding = self._fold(document, path, hits)
            if finding is not None:
                findings.append(finding)
        return findings

    def _fold(self, document: Document, path: str, hits: list[Hit]) -> Finding | None:
        excluded = [hit for hit in hits if hit.status is FactStatus.EXCLUDED]
        # A mention inside the very sentence that rules the term out is not a finding of it.
        present = [
            hit for hit in hits if hit.status is FactStatus.PRESENT and not _overlaps(hit, excluded)
        ]
        if not present:
            if not excluded:
                return None
            return self._finding(
                document,
                path,
                excluded[:_QUOTES_PER_VALUE],
                False if _is_bool(path) else None,
                status=FactStatus.EXCLUDED,
            )
        if is_list_path(path):
            return self._list_finding(document, path, present)
        return self._scalar_finding(document, path, present)

    def _list_finding(self, document: Document, path: str, hits: list[Hit]) -> Finding:
        values: dict[str, Any] = {}
        quotes: dict[str, list[Hit]] = defaultdict(list)
        for hit in sorted(hits, key=lambda h: h.start):
            items = hit.value if isinstance(hit.value, list) else [hit.value]
            for item in items:
                key = _key(item)
                values.setdefault(key, item)
                if len(quotes[key]) < _QUOTES_PER_ITEM:
                    quotes[key].append(hit)
        chosen = [hit for key in values for hit in quotes[key]]
        return self._finding(document, path, chosen, list(values.values()))

    def _scalar_finding(self, document: Document, path: str, hits: list[Hit]) -> Finding:
        groups: dict[str, list[Hit]] = defaultdict(list)
        for hit in hits:
            groups[_key(hit.value)].append(hit)

        def strength(key: str) -> tuple[float, int, int]:
            group = groups[key]
            # Surest first; then the value said most often; then the one said first.
            return (max(h.confidence for h in group), len(group), -min(h.start for h in group))

        best = max(groups, key=strength)
        chosen = sorted(groups[best], key=lambda h: (-h.confidence, h.start))[:_QUOTES_PER_VALUE]
        return self._finding(document, path, chosen, chosen[0].value)

    def _finding(
        self,
        document: Document,
        path: str,
        hits: list[Hit],
        value: Any,
        *,
        status: FactStatus = FactStatus.PRESENT,
    ) -> Finding:
        spans = sorted({span for hit in hits for span in hit.spans})
        confidence = max(hit.confidence for hit in hits)
        if len(hits) > 1 and status is FactStatus.PRESENT:
            confidence = min(0.99, confidence + 0.02 * (len(hits) - 1))
        fact: Fact[Any] = Fact(
            status=status,
            value=value,
            evidence=[make_evidence(document, start, end) for start, end in spans],
            source=Source.PATTERN,
            confidence=round(confidence, 3),
            extractor=self.name,
            # A value also stated outright needs no account of how it was derived.
            note=max(hits, key=lambda hit: (hit.confidence, hit.note is None)).note,
        )
        return Finding(path=path, fact=fact)
