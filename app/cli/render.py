"""The case as the terminal shows it: the decision in one plain sentence first, rules fired last.

Narrow terminals get ``label: value`` lines with the quote on an indented line below, so no
value is squeezed into a thin column; wide ones get tables for the long lists.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from app.views.case_view import FACT_GROUPS, CaseView, EvidenceView
from app.views.export import (
    ai_complexity_words,
    ai_finding_words,
    ai_status_words,
    approval_reasons,
    document_words,
    path_words,
    status_words,
    versions_words,
)
from app.views.wording import citation

# From this width the long lists (documents, facts, obligations, rules) are tables whose
# value and quote columns still get 30 characters or more; below it, lines.
TABLE_WIDTH = 120
# A quote on its own line is cut here even on a very wide terminal (in a table cell at
# ``QUOTE_WIDTH``): it points to the page, it does not replace it.
_MAX_QUOTE_LINE = 160

_PATH_STYLES = {
    "self_serve": "green",
    "standard": "green",
    "assisted": "yellow",
    "enterprise": "magenta",
    "needs_information": "red",
}


class _Page:
    """Prints wrapped lines with hanging indents at the console's width."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.width = console.width

    def blank(self) -> None:
        self.console.print()

    def heading(self, text: str) -> None:
        self.blank()
        self.console.print(Text(text, "bold"))

    def text(self, text: str, *, indent: int = 0, hang: int | None = None, style: str = "") -> None:
        lines = self.wrap(text, indent=indent, hang=indent if hang is None else hang)
        self.console.print(Text("\n".join(lines), style), overflow="fold")

    def entry(
        self, label: str, value: str, *, indent: int = 2, hang: int = 4, style: str = ""
    ) -> None:
        """``label: value`` with the label in bold, wrapped under itself."""
        lines = self.wrap(f"{label}: {value}" if value else label, indent=indent, hang=hang)
        text = Text("\n".join(lines), style)
        text.stylize("bold", indent, min(indent + len(label) + 1, len(lines[0])))
        self.console.print(text, overflow="fold")

    def cite(self, spans: Sequence[EvidenceView], *, indent: int, extra: str = "") -> None:
        """The first quote on its own indented line, dimmed."""
        line = citation(spans, width=min(self.width, _MAX_QUOTE_LINE) - indent - len(extra))
        if line or extra:
            self.text(f"{line}{extra}".strip(" ·"), indent=indent, style="dim")

    def wrap(self, text: str, *, indent: int, hang: int) -> list[str]:
        return textwrap.wrap(
            text,
            width=max(self.width, indent + 30),
            initial_indent=" " * indent,
            subsequent_indent=" " * hang,
            break_on_hyphens=False,
        ) or [" " * indent]

    def table(self, *columns: tuple[str, int]) -> Table:
        """A table spanning the width; each column with its share of it."""
        table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
        for name, ratio in columns:
            table.add_column(name, ratio=ratio, overflow="fold")
        return table


def print_case(
    console: Console, view: CaseView, *, brief: bool = False, note: str | None = None
) -> None:
    """The case in reading order; with ``brief`` only the decision and what it asks for."""
    page = _Page(console)
    _decision(page, view, note)
    if brief:
        if view.ai is not None and view.ai.status == "unavailable":
            page.blank()
            page.text(ai_status_words(view.ai), style="yellow")
        return
    if view.risk_flags:
        page.heading("Risk flags")
        page.text(", ".join(view.risk_flags), indent=2)
    _ai(page, view)
    wide = page.width >= TABLE_WIDTH
    _documents(page, view, wide=wide)
    _facts(page, view, wide=wide)
    _obligations(page, view, wide=wide)
    _rules(page, view, wide=wide)
    page.blank()
    engine = view.versions.engine
    # Anything but durable_rules means the engine failed and the reference evaluator
    # stood in (or was chosen in the settings): worth a second look.
    style = "yellow" if engine and engine != "durable" else "dim"
    page.text(f"Decided with {versions_words(view, short=True)}.", style=style)


def _decision(page: _Page, view: CaseView, note: str | None) -> None:
    page.text(view.summary, hang=2, style=f"bold {_PATH_STYLES.get(view.path or '', '')}")
    page.text(f"Path: {path_words(view)} · status: {status_words(view)}")
    page.text(f"Case {view.id}" + (f" · {view.reference}" if view.reference else ""))
    if note:
        page.text(note, style="cyan")
    if view.approvals:
        page.heading(f"Approvals ({len(view.approvals)})")
        for approval in view.approvals:
            page.entry(approval.role, f"within {approval.due_business_hours} business hours")
            for reason in approval_reasons(view, approval):
                page.text(f"• {reason.text}", indent=4, hang=6)
                page.cite(reason.evidence, indent=6)
    if view.information_needed:
        page.heading(f"Information needed ({len(view.information_needed)})")
        for need in view.information_needed:
            page.text(f"• {need.reason} ({need.path})", indent=2, hang=4)


def _ai(page: _Page, view: CaseView) -> None:
    """The model's reading, marked advisory; off or unavailable in one line saying why."""
    ai = view.ai
    if ai is None:
        return
    page.heading("AI reading (advisory)")
    if ai.status != "used":
        style = "yellow" if ai.status == "unavailable" else "dim"
        page.text(ai_status_words(ai), indent=2, style=style)
        return
    if ai.summary:
        page.text(ai.summary, indent=2)
        page.cite(ai.summary_evidence, indent=4)
    complexity = ai_complexity_words(ai)
    if complexity:
        page.entry("complexity", complexity)
    for finding in ai.findings:
        style = "" if finding.grounded else "yellow"
        page.text(f"• {ai_finding_words(finding)}", indent=2, hang=4, style=style)
        if finding.grounded:
            page.cite(finding.evidence, indent=6)
        elif finding.quote:
            page.text(f"model's quote: “{finding.quote}”", indent=6, style="dim")
    page.text(ai_status_words(ai), indent=2, style="dim")


def _documents(page: _Page, view: CaseView, *, wide: bool) -> None:
    if not view.documents:
        return
    page.heading(f"Documents ({len(view.documents)})")
    if wide:
        table = page.table(("file", 1), ("read", 2), ("problems", 1))
        for document in view.documents:
            table.add_row(
                document.filename or document.sha256[:12],
                Text(document_words(document), "red" if document.error_code else ""),
                "; ".join(document.problems),
            )
        page.console.print(table)
        return
    for document in view.documents:
        page.entry(
            document.filename or document.sha256[:12],
            document_words(document),
            style="red" if document.error_code else "",
        )
        for problem in document.problems:
            page.text(f"problem: {problem}", indent=6, style="yellow")


def _facts(page: _Page, view: CaseView, *, wide: bool) -> None:
    for group in FACT_GROUPS:
        facts = view.facts.get(group, [])
        if not facts:
            continue
        page.heading(f"{group.capitalize()} facts ({len(facts)})")
        if wide:
            table = page.table(("fact", 2), ("value", 3), ("evidence", 5))
            for fact in facts:
                source = f" · {fact.source}" if fact.source else ""
                table.add_row(
                    fact.label,
                    fact.display,
                    Text(citation(fact.evidence) + source, "dim"),
                )
            page.console.print(table)
            continue
        for fact in facts:
            page.entry(
                fact.label,
                fact.display,
                style="yellow" if fact.display == "excluded" else "",
            )
            page.cite(fact.evidence, indent=6, extra=f" · {fact.source}" if fact.source else "")


def _obligations(page: _Page, view: CaseView, *, wide: bool) -> None:
    if not view.obligations:
        return
    page.heading(f"Obligations ({len(view.obligations)})")
    table = page.table(("party", 1), ("what", 3), ("by when", 2), ("evidence", 4))
    for obligation in view.obligations:
        due = (obligation.due or "") + (" (recurring)" if obligation.recurring else "")
        if wide:
            table.add_row(
                obligation.party,
                obligation.action,
                due.strip(),
                Text(citation(obligation.evidence), "dim"),
            )
            continue
        by_when = f" — {due.strip()}" if due.strip() else ""
        page.entry(obligation.party, f"{obligation.action}{by_when}")
        page.cite(obligation.evidence, indent=6)
    if wide:
        page.console.print(table)


def _rules(page: _Page, view: CaseView, *, wide: bool) -> None:
    if not view.fired_rules:
        return
    page.heading(f"Rules fired ({len(view.fired_rules)})")
    table = page.table(("rule", 2), ("why", 3), ("facts", 3))
    for rule in view.fired_rules:
        why = rule.description + (" (advisory)" if rule.advisory else "")
        facts = [f"{ref.path} = {ref.display}" for ref in rule.facts]
        if wide:
            table.add_row(rule.id, why, "\n".join(facts))
            continue
        page.entry(rule.id, why)
        for fact in facts:
            page.text(fact, indent=6, hang=8, style="dim")
    if wide:
        page.console.print(table)
