"""``triage rules``: validate the policy files and replay cases against another rule set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from app.cli.console import make_console

if TYPE_CHECKING:
    from app.settings import Settings
    from rules import ReplayCase, ReplayReport

app = typer.Typer(
    help="Validate the onboarding policy and review a change before release.", no_args_is_help=True
)


@app.command("check")
def check(
    directory: Annotated[
        Path | None, typer.Argument(help="Policy directory (default: the shipped policy).")
    ] = None,
) -> None:
    """Validate rule files and parameters against their schemas and the fact schema."""
    # Imported here, as in every command: the rules package is slow to load.
    from rules import DEFAULT_POLICY_DIR, check_policy, load_policy

    console = make_console()
    target = directory or DEFAULT_POLICY_DIR
    issues = check_policy(target)
    for issue in issues:
        console.print(
            f"[red]{issue.file}:{issue.line}[/red]: {issue.message}",
            highlight=False,
            soft_wrap=True,
        )
    if issues:
        console.print(f"{len(issues)} problem(s) in {target}", highlight=False)
        raise typer.Exit(code=1)
    policy = load_policy(target)
    console.print(f"{target}: {len(policy.rules)} rules, valid ({policy.version})", highlight=False)


def _table(report: ReplayReport) -> Table:
    table = Table(title=f"{len(report.changed)} of {report.cases} decisions would change")
    for column in ("case", "path", "tier", "approvals", "rules responsible"):
        table.add_column(column)
    for change in report.changed:
        approvals = " ".join(
            [
                *(f"+{role}" for role in change.approvals_added),
                *(f"-{role}" for role in change.approvals_removed),
            ]
        )
        rules = " ".join(
            [
                *(f"+{rule}" for rule in change.rules_now_firing),
                *(f"-{rule}" for rule in change.rules_no_longer_firing),
            ]
        )
        table.add_row(
            change.case_id,
            f"{change.old_path.value} → {change.new_path.value}",
            f"{change.old_tier} → {change.new_tier}",
            approvals or "=",
            rules or "=",
        )
    return table


def _stored_cases(settings: Settings) -> list[ReplayCase]:
    from app.db import get_engine, session_scope
    from app.stored_cases import stored_replay_cases

    with session_scope(get_engine(settings.database_url)) as session:
        return list(stored_replay_cases(session=session))


@app.command("replay")
def replay_command(
    rules: Annotated[Path, typer.Option("--rules", help="The new policy directory to review.")],
    facts: Annotated[
        Path | None, typer.Option("--facts", help="Directory of case files (*.json).")
    ] = None,
    old: Annotated[
        Path | None,
        typer.Option("--old", help="The policy to compare with (default: the shipped one)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON only.")] = False,
) -> None:
    """Re-decide stored cases with another rule set and show which decisions would change.

    Cases come from ``--facts DIR`` when given, else from the configured database.
    """
    from app.settings import get_settings
    from rules import PolicyError, load_policy, read_replay_cases, replay

    console = make_console()
    settings = get_settings()
    try:
        cases = read_replay_cases(facts) if facts is not None else _stored_cases(settings)
        report = replay(cases, old=load_policy(old or settings.rules_dir), new=load_policy(rules))
    except PolicyError as error:
        console.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(code=1) from error
    if as_json:
        typer.echo(json.dumps(report.model_dump(mode="json"), sort_keys=True))
        return
    console.print(_table(report))
    console.print(f"old {report.old_version}\nnew {report.new_version}", highlight=False)
