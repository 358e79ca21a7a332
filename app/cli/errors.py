"""App errors become one plain line on stderr and an exit code, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

import typer
from rich.text import Text

from app.cli.console import make_console
from app.cli.options import ExitCode

P = ParamSpec("P")
R = TypeVar("R")


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so an app or policy error prints its message and exits with its code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except Exception as error:
            known = explain(error)
            if known is None:
                raise  # a bug: the traceback is what a maintainer needs
            fail(*known)

    return wrapper


def explain(error: Exception) -> tuple[str, ExitCode] | None:
    """The message and exit code of an app or policy error; None for anything else."""
    # Imported on failure only: the error classes pull in the extractors and the rules.
    from app.errors import (
        InvalidRequestError,
        NotFoundError,
        PolicyUnavailableError,
        TriageError,
        UploadRefusedError,
    )
    from rules import PolicyError

    if isinstance(error, PolicyError):
        return str(error), ExitCode.USAGE
    if not isinstance(error, TriageError):
        return None
    if isinstance(error, UploadRefusedError):
        return error.detail, ExitCode.REFUSED
    if isinstance(error, NotFoundError | InvalidRequestError | PolicyUnavailableError):
        return error.detail, ExitCode.USAGE
    return error.detail, ExitCode.FAILED


def fail(message: str, code: ExitCode) -> NoReturn:
    """Print ``error: message`` on stderr and stop with ``code``."""
    make_console(stderr=True).print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)
    raise typer.Exit(int(code))
