"""Merging findings from several extractors and documents into one FactRecord.

The policy is explicit and order-independent:
- a correction by a person, then CRM data, then pattern parsers, then the classifier, then
  the model — the first source that has an answer decides a scalar value;
- a clause is present if any grounded deterministic finding says so, unless the only
  "present" evidence is the very sentence that excludes it ("shall not have audit rights");
- lists are unions;
- across documents of one bundle, an amendment overrides an order form, which overrides
  a SOW, which overrides the MSA, for scalar values; the values overridden stay in the note.
Ungrounded findings never enter the record's facts; they are kept in ``unverified``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from extractors.facts import (
    DocumentKind,
    Evidence,
    Fact,
    FactRecord,
    FactStatus,
    Finding,
    Party,
    Source,
    fact_paths,
    fact_value_type,
    get_fact,
)

_SOURCE_RANK = {
    Source.PERSON: 0,
    Source.CRM: 1,
    Source.PATTERN: 2,
    Source.CLASSIFIER: 3,
    Source.LLM: 4,
}
_KIND_RANK = {
    DocumentKind.AMENDMENT: 0,
    DocumentKind.ORDER_FORM: 1,
    DocumentKind.SOW: 2,
    DocumentKind.SECURITY_ADDENDUM: 3,
    DocumentKind.DPA: 3,
    DocumentKind.MSA: 4,
    DocumentKind.OTHER: 5,
}
_NO_KIND_RANK = 6


def _document_rank(fact: Fact[Any], kinds: Mapping[str, DocumentKind]) -> int:
    ranks = [
        _KIND_RANK[kind]
        for e in fact.evidence
        if (kind := kinds.get(e.document_id or "")) is not None
    ]
    return min(ranks, default=_NO_KIND_RANK)


def _overlaps(a: Evidence, b: Evidence) -> bool:
    return a.document_id == b.document_id and a.start < b.end and b.start < a.end


def _item_key(item: Any) -> str:
    """Identity of a list item: a party by its name (found with and without a role or
    country), anything else by its whole value (two product lines may share a name)."""
    if isinstance(item, Party):
        return " ".join(item.name.casefold().split())
    return _as_key(item)


def _fill_in(kept: Any, other: Any) -> Any:
    """``kept`` with the blanks (None, or an unknown role) filled from ``other``."""
    if not isinstance(kept, BaseModel) or type(kept) is not type(other):
        return kept
    updates = {
        name: getattr(other, name)
        for name in type(kept).model_fields
        if getattr(kept, name) in (None, "other") and getattr(other, name) not in (None, "other")
    }
    return kept.model_copy(update=updates) if updates else kept


def _as_key(value: Any) -> str:
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    return repr(value)


def _union_evidence(facts: Iterable[Fact[Any]]) -> list[Evidence]:
    seen: dict[tuple[str | None, int, int], Evidence] = {}
    for fact in facts:
        for evidence in fact.evidence:
            seen.setdefault((evidence.document_id, evidence.start, evidence.end), evidence)
    return sorted(seen.values(), key=lambda e: (e.document_id or "", e.start, e.end))


def _extractor_names(facts: Sequence[Fact[Any]]) -> str | None:
    names = sorted({fact.extractor for fact in facts if fact.extractor})
    return ",".join(names) or None


def _best_source(facts: Sequence[Fact[Any]]) -> Source | None:
    sources = [fact.source for fact in facts if fact.source is not None]
    return min(sources, key=lambda source: _SOURCE_RANK[source], default=None)


def merge_presence(facts: Sequence[Fact[Any]]) -> Fact[Any]:
    """A clause-type (bool) fact from several findings: present beats excluded, with care."""
    top = min(_SOURCE_RANK[f.source] for f in facts if f.source is not None)
    if top <= _SOURCE_RANK[Source.CRM]:
        # A person's correction or CRM data is authoritative.
        facts = [f for f in facts if f.source is not None and _SOURCE_RANK[f.source] == top]
    present = [f for f in facts if f.status is FactStatus.PRESENT]
    excluded = [f for f in facts if f.status is FactStatus.EXCLUDED]
    exclusion_spans = [e for f in excluded for e in f.evidence]
    # Evidence that is itself inside an exclusion sentence does not make the clause present.
    present = [
        f
        for f in present
        if not f.evidence
        or any(not any(_overlaps(e, x) for x in exclusion_spans) for e in f.evidence)
    ]
    chosen = present or excluded
    if not chosen:
        return Fact(status=FactStatus.NOT_FOUND)
    note = None
    if present and excluded:
        note = "also excluded elsewhere: " + "; ".join(
            f"p.{e.page} “{e.quote[:80]}”" for e in exclusion_spans[:3]
        )
    return Fact(
        status=FactStatus.PRESENT if present else FactStatus.EXCLUDED,
        value=bool(present),
        evidence=_union_evidence(chosen),
        source=_best_source(chosen),
        confidence=max(f.confidence for f in chosen),
        extractor=_extractor_names(chosen),
        note=note,
    )


def merge_list(facts: Sequence[Fact[Any]]) -> Fact[Any]:
    """A list fact: the union of every grounded value, in first-seen order."""
    present = [f for f in facts if f.status is FactStatus.PRESENT]
    if not present:
        excluded = [f for f in facts if f.status is FactStatus.EXCLUDED]
        if excluded:
            return merge_scalar(excluded, {})
        return Fact(status=FactStatus.NOT_FOUND)
    values: dict[str, Any] = {}
    for fact in sorted(present, key=lambda f: _SOURCE_RANK.get(f.source or Source.LLM, 9)):
        for item in fact.value or []:
            key = _item_key(item)
            values[key] = _fill_in(values[key], item) if key in values else item
    return Fact(
        status=FactStatus.PRESENT,
        value=list(values.values()),
        evidence=_union_evidence(present),
        source=_best_source(present),
        confidence=max(f.confidence for f in present),
        extractor=_extractor_names(present),
    )


def merge_scalar(facts: Sequence[Fact[Any]], kinds: Mapping[str, DocumentKind]) -> Fact[Any]:
    """A single-valued fact: best source, then the overriding document, then confidence."""
    candidates = [f for f in facts if f.status in (FactStatus.PRESENT, FactStatus.EXCLUDED)]
    if not candidates:
        return Fact(status=FactStatus.NOT_FOUND)
    ranked = sorted(
        candidates,
        key=lambda f: (
            _SOURCE_RANK.get(f.source or Source.LLM, 9),
            _document_rank(f, kinds),
            f.status is not FactStatus.PRESENT,
            -f.confidence,
            min((e.start for e in f.evidence), default=0),
        ),
    )
    best = ranked[0]
    others = {
        _as_key(f.value): f
        for f in ranked[1:]
        if f.status is FactStatus.PRESENT and _as_key(f.value) != _as_key(best.value)
    }
    if not others:
        agreeing = [f for f in ranked if _as_key(f.value) == _as_key(best.value)]
        return best.model_copy(
            update={
                "evidence": _union_evidence(agreeing),
                "extractor": _extractor_names(agreeing),
            }
        )
    overridden = "; ".join(
        f"{_plain(f.value)} (p.{f.evidence[0].page})" if f.evidence else _plain(f.value)
        for f in others.values()
    )
    note = f"other values in the bundle: {overridden}"
    return best.model_copy(update={"note": note if not best.note else f"{best.note}; {note}"})


def _plain(value: Any) -> str:
    if isinstance(value, BaseModel):
        return ", ".join(f"{k}={v}" for k, v in value.model_dump(exclude_none=True).items())
    return str(value)


def document_kinds(findings: Iterable[Finding]) -> dict[str, DocumentKind]:
    """Kind of each document of a bundle, from the document-kind findings, by document id."""
    kinds: dict[str, DocumentKind] = {}
    for finding in findings:
        if finding.path != "commercial.document_kinds" or not finding.fact.is_present:
            continue
        for evidence in finding.fact.evidence:
            if evidence.document_id and finding.fact.value:
                first = DocumentKind(finding.fact.value[0])
                kinds.setdefault(evidence.document_id, first)
    return kinds


def merge_findings(
    findings: Sequence[Finding],
    *,
    checked: Iterable[str],
    documents: Mapping[str, str] | None = None,
    extractors: Mapping[str, str] | None = None,
) -> FactRecord:
    """One record from all findings; ``checked`` paths without a finding become not_found."""
    grounded = [f for f in findings if f.fact.grounded]
    unverified = [f for f in findings if not f.fact.grounded]
    by_path: dict[str, list[Fact[Any]]] = defaultdict(list)
    obligations: list[Fact[Any]] = []
    for finding in grounded:
        if finding.path == "obligations":
            obligations.append(finding.fact)
        else:
            by_path[finding.path].append(finding.fact)
    kinds = document_kinds(grounded)
    checked_paths = set(checked)
    record = FactRecord(
        documents=dict(documents or {}),
        extractors=dict(extractors or {}),
        unverified=unverified,
    )
    sections: dict[str, dict[str, Fact[Any]]] = defaultdict(dict)
    for path in fact_paths():
        section, name = path.split(".", 1)
        facts = by_path.get(path, [])
        if facts:
            merged = _merge_path(path, facts, fact_value_type(path), kinds)
        elif path in checked_paths:
            merged = Fact(status=FactStatus.NOT_FOUND)
        else:
            merged = get_fact(record, path)
        sections[section][name] = merged
    updates: dict[str, Any] = {
        section: getattr(record, section).model_copy(update=fields)
        for section, fields in sections.items()
    }
    updates["obligations"] = _dedupe_obligations(obligations)
    return record.model_copy(update=updates)


def value_shape(value_type: Any) -> Literal["presence", "list", "scalar"]:
    """How a value type merges: a clause flag, a list, or a single value."""
    if get_origin(value_type) is Union:
        inner = [arg for arg in get_args(value_type) if arg is not type(None)]
        value_type = inner[0] if len(inner) == 1 else value_type
    if value_type is bool:
        return "presence"
    if get_origin(value_type) is list:
        return "list"
    return "scalar"


def _merge_path(
    path: str, facts: Sequence[Fact[Any]], value_type: Any, kinds: Mapping[str, DocumentKind]
) -> Fact[Any]:
    shape = value_shape(value_type)
    if shape == "presence":
        return merge_presence(facts)
    if shape == "list":
        return merge_list(facts)
    return merge_scalar(facts, kinds)


def _dedupe_obligations(facts: Sequence[Fact[Any]]) -> list[Fact[Any]]:
    seen: set[tuple[str | None, int, int]] = set()
    kept: list[Fact[Any]] = []
    for fact in facts:
        key = (
            (fact.evidence[0].document_id, fact.evidence[0].start, fact.evidence[0].end)
            if fact.evidence
            else (None, len(kept), 0)
        )
        if key not in seen:
            seen.add(key)
            kept.append(fact)
    return sorted(
        kept,
        key=lambda f: (
            (f.evidence[0].document_id or "", f.evidence[0].start) if f.evidence else ("", 0)
        ),
    )
