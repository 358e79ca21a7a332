"""``triage audit verify``: check that the audit trail is whole, or say where it is not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.console import make_console
from app.cli.errors import handles_errors

if TYPE_CHECKING:
    from app.audit.verify import ChainBreak, VerifyReport

VERIFY_EXIT_CODES = (
    "Exit codes: 0 the trail is whole; 1 a break was found (or the noted head is gone); "
    "2 usage error."
)

app = typer.Typer(help="Check the hash-chained audit trail.", no_args_is_help=True)


@app.command("verify", epilog=VERIFY_EXIT_CODES)
@handles_errors
def verify(
    *,
    anchor: Annotated[
        str | None,
        typer.Option(
            "--anchor",
            help="A head hash printed by an earlier verify: fail if it is no longer in the "
            "chain (the newest events were removed or rewritten).",
        ),
    ] = None,
) -> None:
    """Recompute every event's hash and follow every link, globally and per case."""
    # Imported here: the database layer is not needed for --help.
    from sqlmodel import Session

    from app.audit.verify import verify_chain
    from app.db import get_engine
    from app.settings import get_settings

    engine = get_engine(get_settings().database_url)
    try:
        with Session(engine) as session:
            report = verify_chain(session=session, anchor=anchor)
    finally:
        engine.dispose()  # a one-shot command: no pooled connection outlives it
    console = make_console()
    for line in report_lines(report, anchor=anchor):
        console.print(line, markup=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


def report_lines(report: VerifyReport, *, anchor: str | None) -> list[str]:
    """What ``verify`` prints: OK with the counts and head, or the first break."""
    counts = f"{report.events} events, {report.cases} case chains"
    if report.ok:
        lines = [f"OK: {counts}; head {report.head or '(empty)'}"]
        if anchor is not None:
            lines.append(f"The noted head {anchor} is in the chain.")
        return lines
    lines = [f"BROKEN: {counts} checked"]
    if report.first is not None:
        lines.append(f"First break: {describe(report.first)}")
        if report.breaks_total > 1:
            lines.append(f"{report.breaks_total} breaks in all (each chain reports its own).")
    if report.anchor_found is False:
        lines.append(
            f"The noted head {anchor} is not in the chain: events up to it were removed "
            "or rewritten."
        )
    return lines


def describe(found: ChainBreak) -> str:
    """``event 17 (case abc, no. 3), case chain: ...``."""
    where = f"event {found.event_id}"
    if found.case_id is not None:
        where += f" (case {found.case_id}, no. {found.case_seq})"
    return f"{where}, {found.chain.value} chain, {found.kind.value}: {found.detail}"
