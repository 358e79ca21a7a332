"""Entry point of the ``triage`` command; each subcommand group lives in its own module."""

from __future__ import annotations

import typer

from app.cli import ingest_cmd, rules_cmd, run_cmd

app = typer.Typer(
    name="triage",
    help="Read a customer's contracts, extract onboarding facts, and decide the onboarding path.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command("run")(run_cmd.run)
ingest_cmd.register(app)
app.add_typer(rules_cmd.app, name="rules")
