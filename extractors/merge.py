"""Merging findings from several extractors and documents into one FactRecord.

The policy is explicit and order-independent:
- a correction by a person, then CRM data, then pattern parsers, then the classifier, then
  the model — the first source that has an answer decides a scalar value;
- a clause is present if any grounded deterministic finding says so, unless the only
  "present" evidence is the very sentence that excludes it ("shall not have audit rights");
- lists are unions;
- across documents of one case, a scalar value keeps the STRICTER reading (the direction
  per fact is the ``STRICTNESS`` table), so a case never loses caution because a document
  was added; unless a document overrides another: an amendment, a document that says it
  prevails over the agreement, or one the agreement lets vary it ("unless the Order Form
  states otherwise"). Where no direction is known (governing law), the document precedence
  decides: amendment > order form > SOW > addenda > MSA. The note says which reading won
  and why; the evidence keeps every reading, the winner's first.
Ungrounded findings never enter the record's facts; they are kept in ``unverified``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
from extractors.precedence import CasePrecedence, PrecedenceClauses
from extractors.strictness import reading_label, stricter_value

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


def merge_presence(facts: Sequence[Fact[Any]], case: CaseDocuments | None = None) -> Fact[Any]:
    """A clause-type (bool) fact from several findings: present beats excluded, with care.

    The one exception is a document that overrides another: an amendment that deletes the
    agreement's termination for convenience excludes it, however the agreement read.
    """
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
    overridden = _overridden_by_exclusion(present, excluded, case)
    present = [f for index, f in enumerate(present) if index not in overridden]
    chosen = present or excluded
    if not chosen:
        return Fact(status=FactStatus.NOT_FOUND)
    note = None
    if overridden:
        note = "; ".join(overridden.values())
    elif present and excluded:
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


def _overridden_by_exclusion(
    present: Sequence[Fact[Any]], excluded: Sequence[Fact[Any]], case: CaseDocuments | None
) -> dict[int, str]:
    """Present findings (by index) whose document an excluding document overrides, and why."""
    if case is None:
        return {}
    overridden: dict[int, str] = {}
    for index, kept in enumerate(present):
        loser = _Reading(kept.evidence[0].document_id if kept.evidence else None, kept)
        for denial in excluded:
            winner = _Reading(denial.evidence[0].document_id if denial.evidence else None, denial)
            if winner.document_id == loser.document_id:
                continue
            reason = case.overrides(winner, loser)
            if reason is not None:
                overridden[index] = (
                    f"excluded by {case.name(winner.document_id)}, which overrides "
                    f"{case.name(loser.document_id)}: {reason}"
                )
                break
    return overridden


def merge_list(facts: Sequence[Fact[Any]], case: CaseDocuments | None = None) -> Fact[Any]:
    """A list fact: the union of every grounded value, in first-seen order.

    Values from a document that an excluding document overrides drop out, as for clauses.
    """
    present = [f for f in facts if f.status is FactStatus.PRESENT]
    excluded = [f for f in facts if f.status is FactStatus.EXCLUDED]
    overridden = _overridden_by_exclusion(present, excluded, case)
    present = [f for index, f in enumerate(present) if index not in overridden]
    if not present:
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


def merge_scalar(
    facts: Sequence[Fact[Any]],
    kinds: Mapping[str, DocumentKind],
    *,
    path: str = "",
    case: CaseDocuments | None = None,
) -> Fact[Any]:
    """A single-valued fact: the best source, then across documents the stricter reading
    unless one document overrides the other (see ``_resolve``)."""
    candidates = [f for f in facts if f.status in (FactStatus.PRESENT, FactStatus.EXCLUDED)]
    if not candidates:
        return Fact(status=FactStatus.NOT_FOUND)
    case = case if case is not None else CaseDocuments(kinds=kinds)
    top = min(_SOURCE_RANK.get(f.source or Source.LLM, 9) for f in candidates)
    decisive = [f for f in candidates if _SOURCE_RANK.get(f.source or Source.LLM, 9) == top]
    readings = _readings_by_document(decisive)
    best, note = _resolve(path, readings, case)
    agreeing = [f for f in candidates if _as_key(f.value) == _as_key(best.value)]
    differing = [f for f in decisive if _as_key(f.value) != _as_key(best.value)]
    # The readings that lost stay quoted beside the one that won, so a reviewer sees both.
    evidence = _union_evidence(agreeing) + [
        e for e in _union_evidence(differing) if e not in _union_evidence(agreeing)
    ]
    lesser = {
        _as_key(f.value): f
        for f in sorted(candidates, key=_rank_key(case.kinds))
        if f.status is FactStatus.PRESENT
        and _as_key(f.value) != _as_key(best.value)
        and f not in decisive
    }
    if lesser:
        others = "; ".join(
            f"{_plain(f.value)} (p.{f.evidence[0].page})" if f.evidence else _plain(f.value)
            for f in lesser.values()
        )
        note = _join_notes(note, f"other values in the bundle: {others}")
    return best.model_copy(
        update={
            "evidence": evidence,
            "extractor": _extractor_names(agreeing),
            "note": _join_notes(best.note, note),
        }
    )


def _join_notes(*notes: str | None) -> str | None:
    return "; ".join(note for note in notes if note) or None


def _rank_key(kinds: Mapping[str, DocumentKind]) -> Any:
    """Best source, then the overriding document, then present, confidence, position."""

    def key(fact: Fact[Any]) -> tuple[Any, ...]:
        return (
            _SOURCE_RANK.get(fact.source or Source.LLM, 9),
            _document_rank(fact, kinds),
            fact.status is not FactStatus.PRESENT,
            -fact.confidence,
            min((e.start for e in fact.evidence), default=0),
            min((e.document_id or "" for e in fact.evidence), default=""),
            _as_key(fact.value),
        )

    return key


@dataclass(frozen=True)
class _Reading:
    """What one document of the case says a fact is."""

    document_id: str | None
    fact: Fact[Any]

    @property
    def position(self) -> int | None:
        """Where in its document the reading was found."""
        return self.fact.evidence[0].start if self.fact.evidence else None


def _readings_by_document(facts: Sequence[Fact[Any]]) -> list[_Reading]:
    """One reading per document: its most confident, present-first finding."""
    by_document: dict[str | None, list[Fact[Any]]] = defaultdict(list)
    for fact in facts:
        by_document[fact.evidence[0].document_id if fact.evidence else None].append(fact)
    readings = [
        _Reading(document_id, sorted(group, key=_rank_key({}))[0])
        for document_id, group in by_document.items()
    ]
    return sorted(readings, key=lambda r: r.document_id or "")


def _resolve(
    path: str, readings: Sequence[_Reading], case: CaseDocuments
) -> tuple[Fact[Any], str | None]:
    """The reading the case keeps, and a note saying why when the documents disagree.

    A document that says it overrides another (an amendment; a document claiming to
    prevail over the agreement; one the agreement lets vary it) removes that document's
    reading. Of the readings left, the stricter one stands where ``STRICTNESS`` knows
    the direction; otherwise the document precedence decides, and the note says so.
    """
    if len({_as_key(r.fact.value) for r in readings}) <= 1:
        return _first_by_precedence(readings, case), None
    notes: dict[str | None, str] = {}
    for loser in readings:
        for winner in readings:
            if loser.document_id in notes or _as_key(winner.fact.value) == _as_key(
                loser.fact.value
            ):
                continue
            reason = case.overrides(winner, loser)
            if reason is not None:
                notes[loser.document_id] = (
                    f"{case.describe(path, winner)} overrides {case.describe(path, loser)}: "
                    f"{reason}"
                )
    standing = [r for r in readings if r.document_id not in notes]
    overrides = "; ".join(notes.values())
    if len({_as_key(r.fact.value) for r in standing}) <= 1:
        return _first_by_precedence(standing, case), overrides or None
    present = [r for r in standing if r.fact.status is FactStatus.PRESENT]
    strictest = stricter_value(path, [r.fact.value for r in present])
    if strictest is not None:
        kept = _first_by_precedence(
            [r for r in present if _as_key(r.fact.value) == _as_key(strictest)], case
        )
        why = overrides or "no precedence clause"
        return kept, f"stricter of {_described(path, kept, standing, case)}; {why}"
    kept = _first_by_precedence(standing, case)
    note = (
        f"{_described(path, kept, standing, case, joiner=' kept over ')} by document "
        "precedence (amendment > order form > SOW > addenda > MSA): no direction of "
        f"strictness is known for {path or 'this fact'}"
    )
    return kept, _join_notes(overrides, note)


def _described(
    path: str,
    kept: Fact[Any],
    readings: Sequence[_Reading],
    case: CaseDocuments,
    *,
    joiner: str = " and ",
) -> str:
    """The kept reading, then the others: "net 90 (msa.pdf) and net 30 (sow.pdf)"."""
    first = [r for r in readings if r.fact is kept]
    others = [
        r for r in readings if r.fact is not kept and _as_key(r.fact.value) != _as_key(kept.value)
    ]
    return (
        case.describe(path, first[0]) + joiner + ", ".join(case.describe(path, r) for r in others)
    )


def _first_by_precedence(readings: Sequence[_Reading], case: CaseDocuments) -> Fact[Any]:
    return sorted((r.fact for r in readings), key=_rank_key(case.kinds))[0]


# Kinds whose own precedence claim ("This Order Form prevails over the Agreement") counts,
# and the kinds such a claim overrides: the agreement itself, not its security or data
# processing addenda, whose stricter terms a price document rarely means to undo.
_CLAIMANTS = frozenset(
    {DocumentKind.ORDER_FORM, DocumentKind.SOW, DocumentKind.DPA, DocumentKind.SECURITY_ADDENDUM}
)
_CLAIMED_OVER = frozenset({DocumentKind.MSA, DocumentKind.OTHER, None})


@dataclass(frozen=True)
class CaseDocuments:
    """The documents of a case as the merge needs them: kind, file name, precedence clauses."""

    kinds: Mapping[str, DocumentKind] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    precedence: Mapping[str, PrecedenceClauses] = field(default_factory=dict)

    def name(self, document_id: str | None) -> str:
        """The file name of a document, or its id."""
        if document_id is None:
            return "no document"
        return self.names.get(document_id, document_id)

    def describe(self, path: str, reading: _Reading) -> str:
        """A reading as "net 90 (msa.pdf)"."""
        value = reading.fact.value if reading.fact.is_present else None
        return f"{reading_label(path, value)} ({self.name(reading.document_id)})"

    def overrides(self, winner: _Reading, loser: _Reading) -> str | None:
        """Why ``winner``'s document overrides ``loser``'s reading, or None if it does not."""
        winner_kind = self.kinds.get(winner.document_id or "")
        loser_kind = self.kinds.get(loser.document_id or "")
        if winner_kind is DocumentKind.AMENDMENT and loser_kind is not DocumentKind.AMENDMENT:
            return f"{self.name(winner.document_id)} is an amendment"
        clauses = self.precedence.get(winner.document_id or "", PrecedenceClauses())
        claim = clauses.claim_at(winner.position)
        if claim and winner_kind in _CLAIMANTS and loser_kind in _CLAIMED_OVER:
            return f"{self.name(winner.document_id)} says \u201c{claim}\u201d"
        clauses = self.precedence.get(loser.document_id or "", PrecedenceClauses())
        grant = clauses.grant_to(winner_kind, loser.position)
        if grant and winner_kind is not None and winner_kind is not loser_kind:
            return f"{self.name(loser.document_id)} says \u201c{grant}\u201d"
        return None


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
    texts: Mapping[str, str] | None = None,
) -> FactRecord:
    """One record from all findings; ``checked`` paths without a finding become not_found.

    ``texts`` (document id -> text) lets the merge read the precedence clauses by which
    one document overrides another; without it only amendments override.
    """
    grounded = [f for f in findings if f.fact.grounded]
    unverified = [f for f in findings if not f.fact.grounded]
    by_path: dict[str, list[Fact[Any]]] = defaultdict(list)
    obligations: list[Fact[Any]] = []
    for finding in grounded:
        if finding.path == "obligations":
            obligations.append(finding.fact)
        else:
            by_path[finding.path].append(finding.fact)
    case = CaseDocuments(
        kinds=document_kinds(grounded),
        names=dict(documents or {}),
        precedence=CasePrecedence(texts or {}),
    )
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
            merged = _merge_path(path, facts, fact_value_type(path), case)
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
    path: str, facts: Sequence[Fact[Any]], value_type: Any, case: CaseDocuments
) -> Fact[Any]:
    shape = value_shape(value_type)
    if shape == "presence":
        return merge_presence(facts, case)
    if shape == "list":
        return merge_list(facts, case)
    return merge_scalar(facts, case.kinds, path=path, case=case)


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
