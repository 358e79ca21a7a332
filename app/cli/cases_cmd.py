"""``triage cases``: list the stored cases and show one of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.console import make_console
from app.cli.errors import handles_errors
from app.cli.options import BriefOption, FormatOption, JsonOption, choose_format

if TYPE_CHECKING:
    from app.models import CaseStatus

app = typer.Typer(help="List the stored cases and show one of them.", no_args_is_help=True)


@app.command("list")
@handles_errors
def list_cases(
    *,
    status: Annotated[
        str | None,
        typer.Option(
            help="Only cases in this status: received, queued, processing, decided, "
            "needs_information or failed."
        ),
    ] = None,
    path: Annotated[
        str | None,
        typer.Option(
            help="Only cases decided on this path: self_serve, standard, assisted, enterprise "
            "or needs_information."
        ),
    ] = None,
    reference: Annotated[
        str | None, typer.Option(help="Only cases whose reference contains this (any case).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many cases.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """The newest cases first: id, reference, status, path, tier, approvals and age."""
    # Imported here: the database layer is not needed for --help.
    from app.cli.case_table import print_case_list
    from app.db import get_engine, session_scope
    from app.settings import get_settings
    from app.views.case_list import list_case_items

    settings = get_settings()
    with session_scope(get_engine(settings.database_url)) as session:
        items = list_case_items(
            session=session,
            status=_status(status),
            path=_path(path),
            reference=reference,
            limit=limit,
        )
    if as_json:
        typer.echo("[" + ",".join(item.model_dump_json() for item in items) + "]")
        return
    print_case_list(make_console(), items)


@app.command("show")
@handles_errors
def show_case(
    *,
    case_id: Annotated[str, typer.Argument(help="The case id (see: triage cases list).")],
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    brief: BriefOption = False,
) -> None:
    """One case: the decision in a sentence, approvals, documents, facts, obligations, rules."""
    from app.cli.show import print_view
    from app.db import get_engine, session_scope
    from app.settings import get_settings
    from app.views.case_view import load_case_view

    output = choose_format(fmt, as_json=as_json, brief=brief)
    with session_scope(get_engine(get_settings().database_url)) as session:
        view = load_case_view(session=session, case_id=case_id)
    print_view(view, output=output, brief=brief)


def _status(value: str | None) -> CaseStatus | None:
    from app.models import CaseStatus

    if value is None:
        return None
    try:
        return CaseStatus(value.strip().lower())
    except ValueError:
        names = ", ".join(status.value for status in CaseStatus)
        raise typer.BadParameter(f"{value!r} is none of {names}", param_hint="--status") from None


def _path(value: str | None) -> str | None:
    if value is None:
        return None
    # Only when asked: the rules package is the slowest import of a list.
    from rules import OnboardingPath

    try:
        return OnboardingPath(value.strip().lower().replace("-", "_")).value
    except ValueError:
        names = ", ".join(path.value for path in OnboardingPath)
        raise typer.BadParameter(f"{value!r} is none of {names}", param_hint="--path") from None
