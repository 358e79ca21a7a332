"""``triage run``: the main job — read a bundle, extract facts, decide, store the case."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.console import make_console
from app.cli.errors import handles_errors
from app.cli.heap import no_collection_at_exit, start_up_without_collection
from app.cli.options import (
    BriefOption,
    ExitCode,
    FormatOption,
    JsonOption,
    OutputFormat,
    choose_format,
)
from app.cli.warm import (
    compiled_patterns,
    import_renderer,
    in_background,
    load_extractors,
    start_decider,
    start_parsers,
)

if TYPE_CHECKING:
    from app.jobs.reading import Upload
    from app.settings import Settings
    from rules import Policy


@handles_errors
def run(
    *,
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
    new_case: Annotated[
        bool,
        typer.Option(
            "--new-case", help="Always open a new case, even for documents already triaged."
        ),
    ] = False,
    server: Annotated[
        str | None,
        typer.Option(
            help="Send the bundle to a running service (e.g. http://127.0.0.1:8000) instead "
            "of reading it here; TRIAGE_SERVER_URL sets it, TRIAGE_API_TOKEN authenticates.",
        ),
    ] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    brief: BriefOption = False,
) -> None:
    """Triage a bundle of documents for one customer and store the case.

    The same files again (same bytes, same --reference) decide their earlier case again
    with the current policy instead of opening another; --new-case opens one anyway.
    """
    from app.settings import get_settings

    output = choose_format(fmt, as_json=as_json, brief=brief)
    if case is not None and new_case:
        raise typer.BadParameter("--case adds to a case; --new-case opens one", param_hint="--case")
    settings = get_settings()
    server = server or settings.server_url
    no_collection_at_exit()
    if server:
        # As the service's client, the command only builds what it keeps until it exits
        # (the case view's modules, imported while the service works): no collection at all.
        with start_up_without_collection():
            _run_remotely(
                server=server,
                settings=settings,
                files=files,
                reference=reference,
                case=case,
                output=output,
                brief=brief,
            )
        return
    # The parser process starts, and the extractors load, while this process imports the
    # database and the pipeline: each would otherwise be waited for in turn. The files are
    # read one after the other, so one parser process is all the command needs, and their
    # reading starts as soon as they are in memory (``ReadAhead``), not once the database
    # is ready. Start-up runs without garbage collection (``app.cli.heap``), and the
    # regexes it compiles come compiled from the previous run (``compiled_patterns``).
    with start_up_without_collection(), compiled_patterns(settings):
        start_parsers(workers=1)
        in_background(load_extractors, settings)
        policy = _valid_policy(settings)
        in_background(start_decider, settings, policy)
        uploads = _read_files(files, max_bytes=int(settings.max_upload_mb * 1_000_000))
        from app.jobs.reading import ReadAhead

        ahead = ReadAhead(uploads, settings=settings)
        # Imported here, not at the top: reading and deciding pull in the extractors, the
        # rules engine and the database, which `triage --help` does not need.
        from app.cases import find_case_by_documents
        from app.cli.show import print_view
        from app.db import dispose_engines, get_engine, session_scope
        from app.jobs.inline import run_triage
        from app.views.case_view import load_case_view

        engine = get_engine(settings.database_url)
    try:
        reused: str | None = None
        if case is None and not new_case:
            with session_scope(engine) as session:
                known = find_case_by_documents(
                    session=session, sha256s={u.sha256 for u in uploads}, reference=reference
                )
                reused = known.id if known is not None else None
        with make_console(stderr=True).status("Reading, extracting and deciding…"):
            result = run_triage(
                engine=engine,
                uploads=uploads,
                settings=settings,
                policy=policy,
                reference=reference,
                case_id=case or reused,
                reader=ahead.read,
            )
        with session_scope(engine) as session:
            view = load_case_view(session=session, case_id=result.case_id)
    finally:
        ahead.cancel()  # a file not read yet is not needed any more (an unknown --case)
        # The connections are closed now (SQLite writes its log back into the database
        # file), not left to a collection at exit that no longer comes.
        dispose_engines()
    note = f"Same documents as case {reused}: decided again." if reused else None
    print_view(view, output=output, brief=brief, note=note)
    if any(outcome.error is not None for outcome in result.outcomes):
        raise typer.Exit(int(ExitCode.REFUSED))


def _run_remotely(
    *,
    server: str,
    settings: Settings,
    files: list[Path],
    reference: str | None,
    case: str | None,
    output: OutputFormat,
    brief: bool,
) -> None:
    from app.cli.remote import RemoteError, triage_remotely

    # The case view and its renderer are imported while the service reads and decides.
    in_background(import_renderer)
    token = settings.api_token.get_secret_value() if settings.api_token else None
    try:
        with make_console(stderr=True).status(f"Sent to {server}; reading and deciding…"):
            view = triage_remotely(
                server=server,
                token=token,
                files=files,
                reference=reference,
                case_id=case,
                max_bytes=int(settings.max_upload_mb * 1_000_000),
            )
    except RemoteError as error:
        make_console(stderr=True).print(f"{error.code}: {error.detail}", markup=False)
        refused = error.status in (413, 415, 422) and error.code not in {"invalid_request"}
        raise typer.Exit(int(ExitCode.REFUSED if refused else ExitCode.FAILED)) from None
    from app.cli.show import print_view

    print_view(view, output=output, brief=brief)
    if view.status.value == "failed":
        raise typer.Exit(int(ExitCode.FAILED))


def _read_files(files: list[Path], *, max_bytes: int) -> list[Upload]:
    """Each file's bytes, read with the size cap; an unreadable path stops before any case."""
    from app.jobs.reading import Upload
    from extractors.errors import IngestError

    uploads: list[Upload] = []
    problems: list[str] = []
    for path in files:
        try:
            uploads.append(Upload.from_path(path, max_bytes=max_bytes))
        except IngestError as error:
            problems.append(f"{path}: refused: {error.code.value}: {error.message}")
    if problems:
        console = make_console(stderr=True)
        for line in problems:
            console.print(line, markup=False)
        console.print("Nothing was stored.")
        raise typer.Exit(int(ExitCode.REFUSED))
    return uploads


def _valid_policy(settings: Settings) -> Policy:
    from rules import InvalidPolicyError, load_policy

    try:
        return load_policy(settings.rules_dir)
    except InvalidPolicyError as error:
        # The service never runs on a policy that does not validate.
        console = make_console(stderr=True)
        console.print("[bold red]Refusing to triage: the policy is invalid.[/bold red]")
        console.print(str(error), markup=False)
        console.print(
            f"Fix it and check with: triage rules check {settings.rules_dir or ''}", markup=False
        )
        raise typer.Exit(int(ExitCode.USAGE)) from None
