"""``triage run``: the main job — read a bundle, extract facts, decide, store the case."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.console import make_console
from app.cli.render import print_triage
from app.db import get_engine
from app.jobs.inline import run_triage
from app.pipeline import Upload
from app.settings import get_settings
from extractors.document import Document
from extractors.errors import IngestError
from rules import InvalidPolicyError, load_policy


def run(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Contract, order form, SOW ... (PDF, DOCX, text).", exists=True, dir_okay=False
        ),
    ],
    reference: Annotated[
        str | None, typer.Option(help="Customer or CRM reference of the case.")
    ] = None,
    case: Annotated[
        str | None, typer.Option(help="Add to (or resume) this existing case id.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the decision as JSON.")] = False,
) -> None:
    """Triage a bundle of documents for one customer and store the case."""
    settings = get_settings()
    console = make_console()
    try:
        policy = load_policy(settings.rules_dir)
    except InvalidPolicyError as error:
        # The service never runs on a policy that does not validate.
        console.print("[bold red]Refusing to triage: the policy is invalid.[/bold red]")
        console.print(str(error), markup=False)
        console.print(f"Fix it and check with: triage rules check {settings.rules_dir or ''}")
        raise typer.Exit(2) from None
    engine = get_engine(settings.database_url)
    with console.status("Reading, extracting and deciding…"):
        result = run_triage(
            engine=engine,
            uploads=[Upload.from_path(path) for path in files],
            settings=settings,
            policy=policy,
            reference=reference,
            case_id=case,
        )
    assert result.decision is not None
    if as_json:
        typer.echo(result.decision.to_json())
    else:
        outcomes: list[tuple[str, Document | IngestError]] = [
            (o.filename or o.sha256[:12], o.document if o.document is not None else o.error)  # type: ignore[misc]
            for o in result.outcomes
        ]
        print_triage(
            console,
            case_id=result.case_id,
            outcomes=outcomes,
            facts=result.facts,
            decision=result.decision,
        )
    if any(outcome.error is not None for outcome in result.outcomes):
        raise typer.Exit(code=1)
