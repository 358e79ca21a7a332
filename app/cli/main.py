"""Entry point of the ``triage`` command; each subcommand group lives in its own module.

The command modules import their heavy dependencies (extraction, the rules engine, the
database) inside the commands, so ``triage --help`` starts at once.
"""

from __future__ import annotations

import typer

from app.cli import (
    audit_cmd,
    cases_cmd,
    db_cmd,
    ingest_cmd,
    rules_cmd,
    run_cmd,
    serve_cmd,
    users_cmd,
    worker_cmd,
)
from app.cli.options import EXIT_CODES_HELP

app = typer.Typer(
    name="triage",
    help="Read a customer's contracts, extract onboarding facts, and decide the onboarding path.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command("run", epilog=EXIT_CODES_HELP)(run_cmd.run)
ingest_cmd.register(app)
app.add_typer(cases_cmd.app, name="cases", epilog=EXIT_CODES_HELP)
app.add_typer(db_cmd.app, name="db")
app.add_typer(rules_cmd.app, name="rules")
app.add_typer(users_cmd.app, name="users")
app.add_typer(audit_cmd.app, name="audit")
app.command("worker")(worker_cmd.worker)
app.command("serve")(serve_cmd.serve)
