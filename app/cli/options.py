"""Options shared by the commands that print a case, and the exit codes every command uses."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Annotated

import typer


class ExitCode(IntEnum):
    """What a command's exit status means (listed in each command's help)."""

    OK = 0
    # An upload could not be read: the case is stored, and asks for a readable copy.
    REFUSED = 1
    # The command was used wrongly: an unknown case, an invalid policy, clashing options.
    USAGE = 2
    # The case could not be processed, or a service it needs did not answer.
    FAILED = 3


EXIT_CODES_HELP = (
    "Exit codes: 0 decided (or done); 1 an upload was refused (the case is stored and asks for a "
    "readable copy); 2 usage error, unknown case or invalid policy; 3 the case could not "
    "be processed."
)


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"


FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="text (default), json (the whole case), markdown (a report) or csv (one row a fact).",
        case_sensitive=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="The same as --format json.")]
BriefOption = Annotated[
    bool,
    typer.Option(
        "--brief", help="Only the decision: summary, path, approvals and information needed."
    ),
]


def choose_format(fmt: OutputFormat | None, *, as_json: bool, brief: bool) -> OutputFormat:
    """The output format asked for, refusing contradictions (exit 2)."""
    if as_json and fmt not in (None, OutputFormat.JSON):
        raise typer.BadParameter(f"--json contradicts --format {fmt}", param_hint="--json")
    chosen = OutputFormat.JSON if as_json else fmt or OutputFormat.TEXT
    if brief and chosen is OutputFormat.CSV:
        raise typer.BadParameter("csv lists the facts; it has no brief form", param_hint="--brief")
    return chosen
