"""Rich rendering of what the pipeline read, found and decided, for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from extractors.document import Document
from extractors.errors import IngestError
from extractors.facts import Evidence, Fact, FactRecord, FactStatus, fact_paths, get_fact
from rules import Decision

_QUOTE_WIDTH = 90


def plain_value(value: Any) -> str:
    """A fact value as a person would write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(plain_value(item) for item in value)
    if isinstance(value, BaseModel | dict):
        data = (
            value.model_dump(exclude_none=True)
            if isinstance(value, BaseModel)
            else {k: v for k, v in value.items() if v is not None}
        )
        if set(data) == {"amount", "currency"}:
            return f"{data['currency']} {data['amount']:,.2f}"
        if "name" in data:
            extra = ", ".join(f"{k}={plain_value(v)}" for k, v in data.items() if k != "name")
            return f"{data['name']} ({extra})" if extra else str(data["name"])
        return ", ".join(f"{k}={plain_value(v)}" for k, v in data.items())
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def cite(evidence: Sequence[Evidence], documents: dict[str, str] | None = None) -> str:
    """The first evidence span as ``p.N “quote”``."""
    if not evidence:
        return ""
    first = evidence[0]
    quote = " ".join(first.quote.split())
    if len(quote) > _QUOTE_WIDTH:
        quote = quote[: _QUOTE_WIDTH - 1] + "…"
    where = f"p.{first.page}" + (f"-{first.page_end}" if first.page_end else "")
    if documents and first.document_id in documents and len(documents) > 1:
        where = f"{documents[first.document_id]} {where}"
    more = f" (+{len(evidence) - 1})" if len(evidence) > 1 else ""
    return f"{where} “{quote}”{more}"


def documents_table(rows: Sequence[tuple[str, Document | IngestError]]) -> Table:
    """One row per file: pages, characters, loader and problems, or why it was refused."""
    table = Table(title="Documents read", expand=True)
    table.add_column("file", overflow="fold", ratio=2)
    for column in ("type", "pages", "characters", "read by"):
        table.add_column(column, no_wrap=True)
    table.add_column("problems", overflow="fold", ratio=3)
    for name, outcome in rows:
        if isinstance(outcome, IngestError):
            table.add_row(
                name,
                "—",
                "—",
                "—",
                "—",
                Text(f"refused: {outcome.code.value}: {outcome.message}", "red"),
            )
            continue
        problems = "; ".join(p.message for p in outcome.problems) or "none"
        table.add_row(
            name,
            outcome.media_type.name.lower(),
            str(outcome.page_count),
            f"{len(outcome.text):,}",
            f"{outcome.loader} {outcome.loader_version}",
            problems,
        )
    return table


def facts_table(facts: FactRecord) -> Table:
    """Every fact found or explicitly excluded, with source, page and quote."""
    table = Table(title="Facts found (with evidence)", expand=True)
    table.add_column("fact", no_wrap=True)
    table.add_column("value", overflow="fold", ratio=2)
    table.add_column("source", no_wrap=True)
    table.add_column("evidence", overflow="fold", ratio=3)
    for path in fact_paths():
        fact: Fact[Any] = get_fact(facts, path)
        if fact.status is FactStatus.PRESENT:
            value = plain_value(fact.value)
        elif fact.status is FactStatus.EXCLUDED:
            value = "[yellow]excluded[/yellow]"
        else:
            continue
        source = fact.source.value if fact.source else ""
        table.add_row(path, value, source, cite(fact.evidence, facts.documents))
    return table


def obligations_table(facts: FactRecord) -> Table:
    """Who must do what, by when."""
    table = Table(title="Obligations", expand=True)
    table.add_column("party", no_wrap=True)
    table.add_column("what", overflow="fold", ratio=3)
    table.add_column("by when", overflow="fold", ratio=1)
    table.add_column("evidence", overflow="fold", ratio=2)
    for fact in facts.obligations:
        obligation = fact.value
        if obligation is None:
            continue
        due = obligation.due_date.isoformat() if obligation.due_date else obligation.due_relative
        if obligation.recurring:
            due = f"{due or ''} (recurring)".strip()
        table.add_row(
            obligation.party.value, obligation.action, due or "", cite(fact.evidence)[:60]
        )
    return table


def decision_panel(decision: Decision) -> Panel:
    """Path, tier, approvals and the rules that asked for them."""
    summary = Text.assemble(
        ("Path: ", "bold"),
        (decision.path.value, "bold magenta"),
        ("   Tier: ", "bold"),
        (str(decision.tier), "bold"),
        ("   Rule set: ", "bold"),
        (decision.ruleset_version[:16], ""),
        ("   Engine: ", "bold"),
        # Anything but durable_rules here means the engine failed and the reference
        # evaluator stood in (or was chosen in the settings).
        (decision.engine, "" if decision.engine == "durable" else "bold yellow"),
    )
    approvals = Table(title="Approvals required before provisioning", expand=True)
    approvals.add_column("role", no_wrap=True)
    approvals.add_column("why", overflow="fold", ratio=3)
    approvals.add_column("rules", overflow="fold", ratio=2)
    approvals.add_column("SLA (business h)", no_wrap=True)
    for approval in decision.approvals:
        approvals.add_row(
            approval.role.value,
            "; ".join(approval.reasons),
            ", ".join(approval.rules),
            str(approval.due_business_hours),
        )
    parts: list[Any] = [summary, approvals]
    if decision.information_needed:
        needs = Table(title="Information needed", expand=True)
        for column in ("fact", "kind", "why"):
            needs.add_column(column)
        for need in decision.information_needed:
            needs.add_row(need.path, need.kind.value, need.reason)
        parts.append(needs)
    if decision.risk_flags:
        parts.append(Text("Risk flags: " + ", ".join(decision.risk_flags), "yellow"))
    fired = Table(title="Rules that fired, and the facts behind them", expand=True)
    fired.add_column("rule", overflow="fold", ratio=1)
    fired.add_column("facts", overflow="fold", ratio=2)
    fired.add_column("evidence", overflow="fold", ratio=2)
    for rule in decision.fired_rules:
        refs = "; ".join(f"{ref.path}={plain_value(ref.value)}" for ref in rule.facts)
        evidence = next((ref.evidence[0] for ref in rule.facts if ref.evidence), None)
        quote = f"p.{evidence.page} “{' '.join(evidence.quote.split())[:80]}”" if evidence else ""
        fired.add_row(rule.id, refs, quote)
    parts.append(fired)
    return Panel(Group(*parts), title="Decision", border_style="magenta")


def print_triage(
    console: Console,
    *,
    case_id: str,
    outcomes: Sequence[tuple[str, Document | IngestError]],
    facts: FactRecord,
    decision: Decision,
) -> None:
    """The one-page triage of a case, as the terminal shows it."""
    console.print(documents_table(outcomes))
    console.print(facts_table(facts))
    if facts.obligations:
        console.print(obligations_table(facts))
    if facts.unverified:
        console.print(
            f"[yellow]{len(facts.unverified)} unverified finding(s) not used by the rules.[/yellow]"
        )
    console.print(decision_panel(decision))
    console.print(f"Case [bold]{case_id}[/bold] stored.")
