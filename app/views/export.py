"""The case view as files people pass on: a Markdown report, a CSV of facts, brief JSON.

Presentation only: every sentence and value comes from the ``CaseView``, nothing is decided
again here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from app.views.case_view import (
    FACT_GROUPS,
    PATH_WORDS,
    AiFindingView,
    AiView,
    ApprovalView,
    CaseView,
    DocumentView,
    EvidenceView,
    FactView,
)
from app.views.wording import citation, count_words, media_word, short_quote
from rules import OnboardingPath

CSV_COLUMNS = (
    "group",
    "path",
    "label",
    "status",
    "value",
    "source",
    "document",
    "page",
    "quote",
)

# What ``--brief`` keeps of the case: the decision and what it asks of people.
BRIEF_FIELDS = frozenset(
    {"id", "reference", "status", "summary", "path", "tier", "approvals", "information_needed"}
)

_SHORT_HASH = len("sha256:") + 12

# A Markdown table cell holds a whole quote; a terminal line does not.
_MARKDOWN_QUOTE = 200


@dataclass(frozen=True)
class Reason:
    """One reason an approval is needed, with the rule that gave it and the clauses quoted."""

    text: str
    rule: str
    evidence: list[EvidenceView]


def approval_reasons(view: CaseView, approval: ApprovalView) -> list[Reason]:
    """Each reason of ``approval`` with the quotes of the facts its rule fired on."""
    rules = {rule.id: rule for rule in view.fired_rules}
    reasons = []
    for rule_id, text in zip(approval.rules, approval.reasons, strict=False):
        rule = rules.get(rule_id)
        evidence = [span for ref in rule.facts for span in ref.evidence] if rule else []
        reasons.append(Reason(text=text, rule=rule_id, evidence=evidence))
    return reasons


def path_words(view: CaseView) -> str:
    """``Assisted, tier 3``; what the status says when nothing is decided yet."""
    if view.path is None:
        return status_words(view)
    words = PATH_WORDS.get(OnboardingPath(view.path), view.path)
    return f"{words}, tier {view.tier}" if view.tier is not None else words


def status_words(view: CaseView) -> str:
    """``needs information`` for ``needs_information``."""
    return view.status.value.replace("_", " ")


def document_words(document: DocumentView) -> str:
    """``PDF, 4 pages, 6,630 characters, read by pypdf`` or ``refused (code): why``."""
    if document.error_code is not None:
        return f"refused ({document.error_code}): {document.error_message or ''}".rstrip(": ")
    return ", ".join(
        [
            media_word(document.media_type),
            count_words(document.page_count, "page"),
            count_words(document.char_count, "character"),
            f"read by {document.loader or 'unknown'}",
        ]
    )


def versions_words(view: CaseView, *, short: bool = False) -> str:
    """Rule set, engine, extractors and fact schema the decision was made with."""
    versions = view.versions
    parts = []
    if versions.rule_set:
        # 12 hex digits tell rule sets apart to a reader; the JSON keeps the whole hash.
        rule_set = versions.rule_set
        if short and len(rule_set) > _SHORT_HASH:
            rule_set = rule_set[:_SHORT_HASH] + "…"
        parts.append(f"rule set {rule_set}")
    if versions.engine:
        parts.append(f"engine {versions.engine}")
    if versions.extractors:
        extractors = ", ".join(f"{k} {v}" for k, v in sorted(versions.extractors.items()))
        parts.append(f"extractors {extractors}")
    if versions.fact_schema:
        parts.append(f"fact schema {versions.fact_schema}")
    if versions.model:
        parts.append(f"model {versions.model}")
    return "; ".join(parts)


def ai_status_words(ai: AiView) -> str:
    """What the model did for the case, in one line: off, unavailable and why, or its usage."""
    if ai.status != "used":
        return ai.reason or f"AI {ai.status}"
    calls = count_words(ai.model_calls, "model call")
    parts = [f"AI reading by {ai.model or 'the model'} (advisory)", calls]
    if ai.cached_chunks:
        parts.append(f"{ai.cached_chunks} from the cache")
    parts.append(f"{ai.tokens_in:,} tokens in, {ai.tokens_out:,} out")
    if ai.estimated_cost is not None:
        parts.append(f"estimated ${ai.estimated_cost:.4f}")
    if ai.grounded_share is not None:
        parts.append(f"{ai.grounded_share:.0%} of findings quoted from the documents")
    return " · ".join(parts)


def ai_finding_words(finding: AiFindingView) -> str:
    """A finding as one line: kind, label, what the model says, and what became of it."""
    text = f"[{finding.kind}] {finding.label}: {finding.text}".rstrip(": ")
    if not finding.grounded:
        return f"{text} — ungrounded: its quote is not in the documents, so the rules ignore it"
    if finding.adds_approval:
        return f"{text} — adds the {finding.adds_approval} approval"
    return text


def ai_complexity_words(ai: AiView) -> str | None:
    """“high: several entities; custom SLA (raised the tier to 3)”, or None."""
    if ai.complexity is None:
        return None
    words = ai.complexity
    if ai.complexity_rationale:
        words += f": {ai.complexity_rationale.rstrip('.')}"
    if ai.raised_tier is not None:
        words += f" (raised the tier to {ai.raised_tier})"
    return words


def brief_json(view: CaseView) -> str:
    """The decision part of the case as JSON."""
    return view.model_dump_json(indent=2, include=set(BRIEF_FIELDS))


def full_json(view: CaseView) -> str:
    """The whole case view as JSON."""
    return view.model_dump_json(indent=2)


def facts_csv(view: CaseView) -> str:
    """One row per fact found or excluded, with its first quote: for a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for group, fact in _facts(view):
        first = fact.evidence[0] if fact.evidence else None
        writer.writerow(
            [
                group,
                fact.path,
                fact.label,
                fact.status.value,
                fact.display,
                fact.source or "",
                (first.document or "") if first else "",
                first.page if first else "",
                " ".join(first.quote.split()) if first else "",
            ]
        )
    return buffer.getvalue()


def case_markdown(view: CaseView, *, brief: bool = False) -> str:
    """A readable report of the case: the decision in one sentence first, then its evidence."""
    title = view.reference or f"case {view.id}"
    lines = [f"# Triage: {_cell(title)}", "", f"**{view.summary}**", ""]
    lines += [
        f"- Path: {path_words(view)}",
        f"- Status: {status_words(view)}",
        f"- Case: `{view.id}`",
        "",
    ]
    if view.approvals:
        lines += ["## Approvals", ""]
        for approval in view.approvals:
            lines += [
                f"### {approval.role} (within {approval.due_business_hours} business hours)",
                "",
            ]
            for reason in approval_reasons(view, approval):
                cited = citation(reason.evidence, width=_MARKDOWN_QUOTE)
                lines.append(f"- {reason.text}" + (f" — {cited}" if cited else ""))
            lines.append("")
    if view.information_needed:
        lines += ["## Information needed", ""]
        lines += [f"- {need.reason} (`{need.path}`)" for need in view.information_needed]
        lines.append("")
    if brief:
        return "\n".join(lines)
    if view.risk_flags:
        lines += ["## Risk flags", "", ", ".join(view.risk_flags), ""]
    lines += _markdown_ai(view)
    lines += _markdown_documents(view)
    lines += _markdown_facts(view)
    lines += _markdown_obligations(view)
    lines += _markdown_rules(view)
    lines += ["## Versions", "", versions_words(view) or "none recorded", ""]
    return "\n".join(lines)


def _markdown_ai(view: CaseView) -> list[str]:
    ai = view.ai
    if ai is None:
        return []
    lines = ["## AI reading (advisory)", "", ai_status_words(ai), ""]
    if ai.status != "used":
        return lines
    if ai.summary:
        cited = citation(ai.summary_evidence, width=_MARKDOWN_QUOTE)
        lines += [f"> {ai.summary}" + (f" — {cited}" if cited else ""), ""]
    complexity = ai_complexity_words(ai)
    if complexity:
        lines += [f"- Complexity: {complexity}", ""]
    if ai.findings:
        lines += ["| Finding | Grounded | Evidence |", "| --- | --- | --- |"]
        for finding in ai.findings:
            evidence = (
                citation(finding.evidence, width=_MARKDOWN_QUOTE)
                if finding.grounded
                else f"not found: “{short_quote(finding.quote or '', _MARKDOWN_QUOTE)}”"
            )
            lines.append(
                _row(ai_finding_words(finding), "yes" if finding.grounded else "no", evidence)
            )
        lines.append("")
    return lines


def _markdown_documents(view: CaseView) -> list[str]:
    if not view.documents:
        return []
    lines = ["## Documents", "", "| File | Read | Problems |", "| --- | --- | --- |"]
    for document in view.documents:
        lines.append(
            _row(
                document.filename or document.sha256[:12],
                document_words(document),
                "; ".join(document.problems),
            )
        )
    return [*lines, ""]


def _markdown_facts(view: CaseView) -> list[str]:
    lines: list[str] = []
    for group in FACT_GROUPS:
        facts = view.facts.get(group, [])
        if not facts:
            continue
        lines += [f"## {group.capitalize()}", "", "| Fact | Value | Source | Evidence |"]
        lines.append("| --- | --- | --- | --- |")
        for fact in facts:
            lines.append(
                _row(
                    fact.label,
                    fact.display,
                    fact.source or "",
                    citation(fact.evidence, width=_MARKDOWN_QUOTE),
                )
            )
        lines.append("")
    return lines


def _markdown_obligations(view: CaseView) -> list[str]:
    if not view.obligations:
        return []
    lines = [
        "## Obligations",
        "",
        "| Party | What | By when | Evidence |",
        "| --- | --- | --- | --- |",
    ]
    for obligation in view.obligations:
        due = (obligation.due or "") + (" (recurring)" if obligation.recurring else "")
        lines.append(
            _row(
                obligation.party,
                obligation.action,
                due.strip(),
                citation(obligation.evidence, width=_MARKDOWN_QUOTE),
            )
        )
    return [*lines, ""]


def _markdown_rules(view: CaseView) -> list[str]:
    if not view.fired_rules:
        return []
    lines = ["## Rules fired", "", "| Rule | Why | Facts |", "| --- | --- | --- |"]
    for rule in view.fired_rules:
        facts = "; ".join(f"{ref.path} = {ref.display}" for ref in rule.facts)
        why = rule.description + (" (advisory)" if rule.advisory else "")
        lines.append(_row(f"`{rule.id}`", why, facts))
    return [*lines, ""]


def _facts(view: CaseView) -> Iterator[tuple[str, FactView]]:
    for group in FACT_GROUPS:
        for fact in view.facts.get(group, []):
            yield group, fact


def _row(*cells: str) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _cell(text: str) -> str:
    """One Markdown table cell: on one line, its pipes escaped."""
    return short_quote(text, 10_000).replace("|", "\\|")
