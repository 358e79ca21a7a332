"""The case as people and callers see it: decision in plain words first, then the evidence.

Built from what is stored (the case row, its documents, its latest job), never recomputed,
so the CLI, the API and the web pages show exactly what was decided.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session

from app.ai.models import CaseModelReading
from app.ai.store import case_reading
from app.approvals.basis import shown
from app.approvals.lifecycle import removal_pending_roles
from app.approvals.models import ApprovalRecord, ApprovalState, Correction
from app.approvals.records import case_approvals, case_corrections, people
from app.cases import case_documents, get_case
from app.jobs.store import latest_job
from app.models import Case, CaseDocument, CaseStatus, DocumentStatus, Job
from app.views.wording import fact_label, join_words, plain_value, short_quote
from extractors.facts import Evidence, Fact, FactRecord, FactStatus, fact_paths, get_fact
from extractors.llm import AiReading
from rules import Approval, ApprovalRole, Decision, FiredRule, OnboardingPath

FACT_GROUPS = ("commercial", "legal", "security", "service", "implementation", "tax")

PATH_WORDS = {
    OnboardingPath.SELF_SERVE: "Self-serve",
    OnboardingPath.STANDARD: "Standard",
    OnboardingPath.ASSISTED: "Assisted",
    OnboardingPath.ENTERPRISE: "Enterprise",
    OnboardingPath.NEEDS_INFORMATION: "Needs information",
}

_STATUS_WORDS = {
    CaseStatus.RECEIVED: "Received: the documents are stored and wait to be read.",
    CaseStatus.QUEUED: "Queued: the documents are stored and wait to be read.",
    CaseStatus.PROCESSING: "Processing: reading the documents and deciding.",
}

# How many reasons the one-sentence summary names before it says "and N more".
_SUMMARY_REASONS = 3


class EvidenceView(BaseModel):
    """A quote with where it is: document, page and character offsets."""

    document_id: str | None
    document: str | None = Field(description="The file name of the document quoted.")
    page: int
    page_end: int | None = None
    start: int
    end: int
    quote: str


class FactView(BaseModel):
    path: str
    label: str
    status: FactStatus
    value: Any = None
    display: str = Field(description="The value as a person would write it.")
    source: str | None
    extractor: str | None
    confidence: float
    grounded: bool
    evidence: list[EvidenceView]
    used_by_rules: list[str] = Field(description="Rules that fired on this fact.")


class ApprovalView(BaseModel):
    role: str
    reasons: list[str]
    rules: list[str]
    due_business_hours: int
    evidence: list[EvidenceView] = Field(description="The clauses that require the approval.")
    state: ApprovalState | None = Field(
        default=None, description="pending, granted, rejected, reset or expired."
    )
    requested_at: datetime | None = None
    due_at: datetime | None = Field(default=None, description="When the approver must decide.")
    approver: str | None = Field(default=None, description="Who granted or rejected it.")
    decided_at: datetime | None = None
    comment: str | None = None
    reset_cause: str | None = Field(
        default=None, description="Why a decided approval is asked again."
    )
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None
    removal_pending_confirmation: bool = Field(
        default=False,
        description="A correction would drop it; it stays required until a person holding "
        "its role confirms the removal.",
    )


class CorrectionView(BaseModel):
    """A person's correction of a fact and what it changed."""

    id: int
    path: str
    label: str
    old: str = Field(description="The value before, as a person would write it.")
    new: str
    reason: str
    quote: str | None
    corrected_by: str
    created_at: datetime
    path_before: str | None
    path_after: str | None
    approvals_before: list[str]
    approvals_after: list[str]


class RuleFactView(BaseModel):
    path: str
    display: str
    evidence: list[EvidenceView]


class FiredRuleView(BaseModel):
    id: str
    description: str
    file: str
    advisory: bool
    facts: list[RuleFactView]


class NeedView(BaseModel):
    path: str
    kind: str
    reason: str
    rule: str


class ObligationView(BaseModel):
    party: str
    action: str
    due: str | None
    recurring: bool
    evidence: list[EvidenceView]


class DocumentView(BaseModel):
    id: int
    filename: str | None
    sha256: str
    status: DocumentStatus
    media_type: str | None
    byte_size: int
    page_count: int
    char_count: int
    loader: str | None
    error_code: str | None = Field(description="Why the upload was refused, if it was.")
    error_message: str | None
    problems: list[str] = Field(description="What the reader noticed but could work around.")


class JobView(BaseModel):
    id: str
    status: str
    attempts: int
    error_code: str | None
    error_message: str | None
    created_at: datetime
    finished_at: datetime | None


class Versions(BaseModel):
    rule_set: str | None
    engine: str | None
    extractors: dict[str, str]
    fact_schema: str | None
    model: str | None = Field(description="The language model that read the case, if any.")


class AiFindingView(BaseModel):
    """One thing the model read, advisory: counted by the rules only when grounded."""

    kind: str = Field(description='"obligation", "risk", "clause", "complexity", ...')
    label: str = Field(description="Short plain words, e.g. “Most-favoured nation”.")
    text: str = Field(description="What the model says, one or two sentences.")
    grounded: bool = Field(description="Whether the model's quote was found in the document.")
    evidence: list[EvidenceView] = Field(description="Where the quote is; empty when ungrounded.")
    quote: str | None = Field(description="The quote the model gave (shown when ungrounded).")
    adds_approval: str | None = Field(
        default=None, description="The role this finding adds, if it reached the rules."
    )


class AiView(BaseModel):
    """What the language model added to the case: advisory, never less strict than without it."""

    status: str = Field(description='"off", "used" or "unavailable".')
    reason: str | None = Field(
        description="Why the model was off or unavailable "
        '("AI unavailable: the model timed out after 3 attempts").'
    )
    summary: str | None
    summary_evidence: list[EvidenceView] = Field(
        default_factory=list, description="The quotes the summary rests on."
    )
    complexity: str | None = Field(description='The model\'s complexity assessment, e.g. "high".')
    complexity_rationale: str | None
    findings: list[AiFindingView]
    grounded_share: float | None = Field(
        description="The share of the model's findings whose quote is in the document."
    )
    model: str | None
    prompt_hashes: dict[str, str] = Field(description="Prompt name -> SHA-256 of its files.")
    tokens_in: int = 0
    tokens_out: int = 0
    estimated_cost: float | None = None
    model_calls: int = Field(default=0, description="Calls that reached the model.")
    cached_chunks: int = Field(default=0, description="Chunks answered from the cache.")
    raised_tier: int | None = Field(
        default=None, description="The tier the model's complexity assessment raised it to."
    )


class CaseView(BaseModel):
    """Everything shown about one case, in the order a person reads it."""

    id: str
    reference: str | None
    status: CaseStatus
    summary: str = Field(description="The decision in one plain sentence.")
    path: str | None
    tier: int | None
    approvals: list[ApprovalView]
    information_needed: list[NeedView]
    risk_flags: list[str]
    facts: dict[str, list[FactView]] = Field(description="Facts found or excluded, by group.")
    obligations: list[ObligationView]
    fired_rules: list[FiredRuleView]
    documents: list[DocumentView]
    versions: Versions
    metadata: dict[str, Any]
    error_code: str | None
    error_message: str | None
    job: JobView | None
    created_at: datetime
    updated_at: datetime
    waiting_for: list[str] = Field(
        default_factory=list, description="The roles whose approval the case waits for."
    )
    returned_reason: str | None = Field(
        default=None, description="Why an approver sent the case back."
    )
    corrections: list[CorrectionView] = Field(default_factory=list)
    ai: AiView | None = Field(
        default=None,
        description="The language model's advisory reading; None for cases stored before it.",
    )

    @property
    def refused_documents(self) -> list[DocumentView]:
        return [d for d in self.documents if d.status is DocumentStatus.REFUSED]


def load_case_view(*, session: Session, case_id: str) -> CaseView:
    """The view of a stored case (CaseNotFoundError if there is none)."""
    case = get_case(session=session, case_id=case_id)
    rows = case_documents(session=session, case_id=case_id)
    records = case_approvals(session=session, case_id=case_id)
    corrections = case_corrections(session=session, case_id=case_id)
    names = people(
        session=session,
        user_ids=[*(r.decided_by for r in records), *(c.user_id for c in corrections)],
    )
    return build_case_view(
        case,
        rows,
        latest_job(session=session, case_id=case_id),
        approvals=records,
        corrections=corrections,
        people=names,
        reading=case_reading(session=session, case_id=case_id),
    )


def build_case_view(
    case: Case,
    rows: list[CaseDocument],
    job: Job | None,
    *,
    approvals: Sequence[ApprovalRecord] = (),
    corrections: Sequence[Correction] = (),
    people: Mapping[str, str] | None = None,
    ai: AiView | None = None,
    reading: CaseModelReading | None = None,
) -> CaseView:
    """The view of ``case`` from its stored rows (no database access)."""
    facts = FactRecord.model_validate_json(case.facts_json) if case.facts_json else None
    decision = Decision.model_validate_json(case.decision_json) if case.decision_json else None
    names = facts.documents if facts else {}
    if ai is None and reading is not None:
        ai = ai_view(reading, decision, names)
    fired = decision.fired_rules if decision else []
    rules_by_fact: dict[str, list[str]] = {}
    for rule in fired:
        for ref in rule.facts:
            rules_by_fact.setdefault(ref.path, []).append(rule.id)
    return CaseView(
        id=case.id,
        reference=case.reference,
        status=case.status,
        summary=summary_sentence(case, decision, approvals),
        path=decision.path.value if decision else None,
        tier=decision.tier if decision else None,
        approvals=_approvals(decision, approvals, corrections, people or {}, names),
        information_needed=[
            NeedView(path=n.path, kind=n.kind.value, reason=n.reason, rule=n.rule)
            for n in (decision.information_needed if decision else [])
        ],
        risk_flags=decision.risk_flags if decision else [],
        facts=_fact_groups(facts, rules_by_fact) if facts else {},
        obligations=_obligations(facts) if facts else [],
        fired_rules=[_fired_rule(rule, names) for rule in fired],
        documents=[_document(row) for row in rows],
        versions=Versions(
            rule_set=decision.ruleset_version if decision else case.rule_set_version,
            engine=decision.engine if decision else None,
            extractors=facts.extractors if facts else {},
            fact_schema=facts.schema_version if facts else None,
            model=ai.model if ai else None,
        ),
        metadata=json.loads(case.metadata_json) if case.metadata_json else {},
        error_code=case.error_code,
        error_message=case.error_message,
        job=_job(job) if job else None,
        created_at=case.created_at,
        updated_at=case.updated_at,
        waiting_for=[
            r.role for r in approvals if r.state in (ApprovalState.PENDING, ApprovalState.RESET)
        ],
        returned_reason=_returned_reason(case, approvals),
        corrections=[_correction(c, people or {}) for c in corrections],
        ai=ai,
    )


def ai_view(row: CaseModelReading, decision: Decision | None, names: dict[str, str]) -> AiView:
    """The model's stored reading as shown, with the approvals its findings added."""
    reading = AiReading.model_validate_json(row.reading_json)
    adds = _model_approvals(decision)
    findings = [
        AiFindingView(
            kind=f.kind,
            label=f.label,
            text=f.text,
            grounded=f.grounded,
            evidence=_evidence(f.evidence, names),
            quote=f.quote,
            adds_approval=adds.get(f.path or "") if f.grounded else None,
        )
        for f in reading.findings
    ]
    raised = None
    if decision is not None and any(
        flag.startswith("model_complexity_") for flag in decision.risk_flags
    ):
        raised = decision.tier
    return AiView(
        status=row.status,
        reason=row.reason,
        summary=reading.summary,
        summary_evidence=_evidence(reading.summary_evidence, names),
        complexity=reading.complexity,
        complexity_rationale=reading.complexity_rationale,
        findings=findings,
        grounded_share=reading.grounded_share,
        model=row.model if row.status != "off" else None,
        prompt_hashes=reading.prompt_hashes,
        tokens_in=row.tokens_in,
        tokens_out=row.tokens_out,
        estimated_cost=row.estimated_cost,
        model_calls=reading.model_calls,
        cached_chunks=sum(1 for call in reading.calls if call.cached),
        raised_tier=raised,
    )


def _model_approvals(decision: Decision | None) -> dict[str, str]:
    """Fact path -> role, for the approvals only the model's facts made fire."""
    if decision is None:
        return {}
    by_rule = {rule_id: a.role.value for a in decision.approvals for rule_id in a.rules}
    adds: dict[str, str] = {}
    for rule in decision.fired_rules:
        if not rule.advisory or rule.id not in by_rule:
            continue
        for ref in rule.facts:
            if ref.source == "llm":
                adds.setdefault(ref.path, by_rule[rule.id])
    return adds


def _approvals(
    decision: Decision | None,
    records: Sequence[ApprovalRecord],
    corrections: Sequence[Correction],
    people: Mapping[str, str],
    names: dict[str, str],
) -> list[ApprovalView]:
    """The decision's approvals with where each stands, then those kept only until a person
    of their role confirms a correction's removal (described by the decision before it)."""
    by_role = {r.role: r for r in records}
    views = [
        _approval_view(a, decision, by_role.get(a.role.value), people, names)
        for a in (decision.approvals if decision else [])
    ]
    for role in sorted(removal_pending_roles(decision, records)):
        earlier = _earlier_approval(role, corrections)
        record = by_role[role]
        if earlier is None:
            approval = Approval(
                role=ApprovalRole(role),
                reasons=json.loads(record.reasons_json),
                rules=json.loads(record.rules_json),
                due_business_hours=0,
            )
            views.append(
                _approval_view(approval, None, record, people, names, pending_removal=True)
            )
        else:
            views.append(_approval_view(*earlier, record, people, names, pending_removal=True))
    return views


def _earlier_approval(
    role: str, corrections: Sequence[Correction]
) -> tuple[Approval, Decision] | None:
    for correction in reversed(corrections):
        if correction.decision_before_json is None:
            continue
        before = Decision.model_validate_json(correction.decision_before_json)
        for approval in before.approvals:
            if approval.role.value == role:
                return approval, before
    return None


def _approval_view(
    approval: Approval,
    decision: Decision | None,
    record: ApprovalRecord | None,
    people: Mapping[str, str],
    names: dict[str, str],
    *,
    pending_removal: bool = False,
) -> ApprovalView:
    fired = decision.fired_rules if decision else []
    view = ApprovalView(
        role=approval.role.value,
        reasons=approval.reasons,
        rules=approval.rules,
        due_business_hours=approval.due_business_hours,
        evidence=_rule_evidence(fired, approval.rules, names),
        removal_pending_confirmation=pending_removal,
    )
    if record is None:
        return view
    return view.model_copy(
        update={
            "state": record.state,
            "requested_at": record.requested_at,
            "due_at": record.due_at,
            "approver": people.get(record.decided_by or "", record.decided_by),
            "decided_at": record.decided_at,
            "comment": record.comment,
            "reset_cause": record.reset_cause,
            "reminded_at": record.reminded_at,
            "escalated_at": record.escalated_at,
        }
    )


def _returned_reason(case: Case, records: Sequence[ApprovalRecord]) -> str | None:
    if case.status is not CaseStatus.RETURNED:
        return None
    reasons = [
        f"{r.role} rejected it: {r.comment}" for r in records if r.state is ApprovalState.REJECTED
    ]
    return "; ".join(reasons) or None


def _correction(correction: Correction, people: Mapping[str, str]) -> CorrectionView:
    before = (
        Decision.model_validate_json(correction.decision_before_json)
        if correction.decision_before_json
        else None
    )
    after = (
        Decision.model_validate_json(correction.decision_after_json)
        if correction.decision_after_json
        else None
    )
    return CorrectionView(
        id=correction.id or 0,
        path=correction.path,
        label=fact_label(correction.path),
        old=_fact_display(correction.old_json),
        new=_fact_display(correction.new_json),
        reason=correction.reason,
        quote=correction.quote,
        corrected_by=people.get(correction.user_id, correction.user_id),
        created_at=correction.created_at,
        path_before=before.path.value if before else None,
        path_after=after.path.value if after else None,
        approvals_before=[a.role.value for a in before.approvals] if before else [],
        approvals_after=[a.role.value for a in after.approvals] if after else [],
    )


def _fact_display(fact_json: str | None) -> str:
    if fact_json is None:
        return "none"
    fact = json.loads(fact_json)
    if fact.get("status") != FactStatus.PRESENT.value:
        return str(fact.get("status", "none")).replace("_", " ")
    return shown(fact.get("value"))


def summary_sentence(
    case: Case, decision: Decision | None, records: Sequence[ApprovalRecord] = ()
) -> str:
    """“Assisted: security and tax must approve — data residency requirement (EU); …”.

    Once people act, the sentence says where the case stands: who has approved, who is
    still to, ready for provisioning, or returned and why.
    """
    if case.status is CaseStatus.FAILED:
        return f"Failed: {case.error_message or case.error_code or 'the case could not be read'}."
    if decision is None:
        return _STATUS_WORDS.get(case.status, "Not decided yet.")
    head = PATH_WORDS[decision.path]
    required = [a.role.value for a in decision.approvals]
    if case.status is CaseStatus.READY_FOR_PROVISIONING:
        if not required:
            return f"{head}: ready for provisioning; no approval needed."
        return f"{head}: ready for provisioning — {join_words(required)} approved."
    if case.status is CaseStatus.RETURNED:
        why = _returned_reason(case, records) or "an approver rejected it"
        return f"{head}: returned — {why}."
    granted = [r.role for r in records if r.state is ApprovalState.GRANTED]
    granted = [role for role in granted if role in required]
    sentence = decision_summary(decision)
    if granted and len(granted) < len(required):
        waiting = [role for role in required if role not in granted]
        sentence = sentence.replace(
            f"{join_words(required)} must approve",
            f"{join_words(waiting)} must approve ({join_words(granted)} approved)",
            1,
        )
    return sentence


def decision_summary(decision: Decision) -> str:
    """A decision in one plain sentence (no case needed: the API's recommendations use it)."""
    head = PATH_WORDS[decision.path]
    if decision.path is OnboardingPath.NEEDS_INFORMATION:
        reasons = [need.reason.rstrip(".") for need in decision.information_needed]
        return f"{head}: {_reason_list(reasons)}."
    if not decision.approvals:
        return f"{head}: no approval needed."
    roles = join_words([a.role.value for a in decision.approvals])
    by_id = {rule.id: rule for rule in decision.fired_rules}
    reasons = []
    for approval in decision.approvals:
        for rule_id, reason in zip(approval.rules, approval.reasons, strict=False):
            phrase = _reason_phrase(reason, by_id.get(rule_id))
            if phrase not in reasons:
                reasons.append(phrase)
    return f"{head}: {roles} must approve — {_reason_list(reasons)}."


def _reason_list(reasons: list[str]) -> str:
    shown = reasons[:_SUMMARY_REASONS]
    text = "; ".join(shown)
    hidden = len(reasons) - len(shown)
    return f"{text}; and {hidden} more reasons" if hidden else text


def _reason_phrase(reason: str, rule: FiredRule | None) -> str:
    """A rule's reason in lower case, with the short value it fired on: 'data residency (EU)'."""
    text = reason.rstrip(".")
    if text[:1].isupper() and not text[:2].isupper():  # keep "SOC 2", lower "Custom"
        text = text[:1].lower() + text[1:]
    if rule is not None:
        for ref in rule.facts:
            if ref.value is None or isinstance(ref.value, bool):
                continue
            shown = plain_value(ref.value)
            if 0 < len(shown) <= 30:
                return f"{text} ({shown})"
    return text


def _evidence(items: list[Evidence] | list[Any], names: dict[str, str]) -> list[EvidenceView]:
    return [
        EvidenceView(
            document_id=e.document_id,
            document=names.get(e.document_id or ""),
            page=e.page,
            page_end=getattr(e, "page_end", None),
            start=e.start,
            end=e.end,
            quote=e.quote,
        )
        for e in items
    ]


def _rule_evidence(
    fired: list[FiredRule], rule_ids: list[str], names: dict[str, str]
) -> list[EvidenceView]:
    views: list[EvidenceView] = []
    seen: set[tuple[str | None, int, int]] = set()
    for rule in fired:
        if rule.id not in rule_ids:
            continue
        for ref in rule.facts:
            for view in _evidence(ref.evidence, names):
                key = (view.document_id, view.start, view.end)
                if key not in seen:
                    seen.add(key)
                    views.append(view)
    return views


def _fact_groups(
    facts: FactRecord, rules_by_fact: dict[str, list[str]]
) -> dict[str, list[FactView]]:
    groups: dict[str, list[FactView]] = {group: [] for group in FACT_GROUPS}
    for path in fact_paths():
        fact: Fact[Any] = get_fact(facts, path)
        if fact.status not in (FactStatus.PRESENT, FactStatus.EXCLUDED):
            continue
        value = fact.model_dump(mode="json")["value"]
        groups[path.split(".", 1)[0]].append(
            FactView(
                path=path,
                label=fact_label(path),
                status=fact.status,
                value=value,
                display=plain_value(fact.value)
                if fact.status is FactStatus.PRESENT
                else "excluded",
                source=fact.source.value if fact.source else None,
                extractor=fact.extractor,
                confidence=fact.confidence,
                grounded=fact.grounded,
                evidence=_evidence(fact.evidence, facts.documents),
                used_by_rules=rules_by_fact.get(path, []),
            )
        )
    return groups


def _obligations(facts: FactRecord) -> list[ObligationView]:
    views = []
    for fact in facts.obligations:
        obligation = fact.value
        if obligation is None:
            continue
        due = obligation.due_date.isoformat() if obligation.due_date else obligation.due_relative
        views.append(
            ObligationView(
                party=obligation.party.value,
                action=obligation.action,
                due=due,
                recurring=obligation.recurring,
                evidence=_evidence(fact.evidence, facts.documents),
            )
        )
    return views


def _fired_rule(rule: FiredRule, names: dict[str, str]) -> FiredRuleView:
    return FiredRuleView(
        id=rule.id,
        description=rule.description,
        file=rule.file,
        advisory=rule.advisory,
        facts=[
            RuleFactView(
                path=ref.path,
                display=plain_value(ref.value),
                evidence=_evidence(ref.evidence, names),
            )
            for ref in rule.facts
        ],
    )


def _document(row: CaseDocument) -> DocumentView:
    problems: list[str] = []
    if row.document_json:
        data = json.loads(row.document_json)
        problems = [p.get("message", "") for p in data.get("problems", [])]
    return DocumentView(
        id=row.id or 0,
        filename=row.filename,
        sha256=row.sha256,
        status=row.status,
        media_type=row.media_type,
        byte_size=row.byte_size,
        page_count=row.page_count,
        char_count=row.char_count,
        loader=row.loader,
        error_code=row.error_code,
        error_message=row.error_message,
        problems=problems,
    )


def _job(job: Job) -> JobView:
    return JobView(
        id=job.id,
        status=job.status.value,
        attempts=job.attempts,
        error_code=job.error_code,
        error_message=job.error_message,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


def short_summary(view: CaseView, width: int = 120) -> str:
    """The summary cut to ``width`` characters (for lists)."""
    return short_quote(view.summary, width)
