"""``triage ingest FILE...``: read documents as the service would and show what was read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from app.cli.console import make_console

if TYPE_CHECKING:
    from extractors.document import Document
    from extractors.errors import IngestError


def ingest(
    files: Annotated[
        list[Path],
        typer.Argument(help="PDF, DOCX, text or Markdown files.", exists=True, dir_okay=False),
    ],
    pages: Annotated[bool, typer.Option("--pages", help="Also list every page.")] = False,
    workers: Annotated[int, typer.Option(min=1, max=8, help="Parser processes to read with.")] = 2,
) -> None:
    """Read each file into pages and text; exit 1 if any file is refused."""
    # Imported here: the parsers are slow to load and `triage --help` does not need them.
    from app.pipeline import ingest_limits
    from app.settings import get_settings
    from extractors.chunking import chunk_document
    from extractors.document import Document
    from extractors.errors import IngestError
    from extractors.ingest import ingest_many

    console = make_console()
    outcomes = dict(ingest_many(files, limits=ingest_limits(get_settings()), workers=workers))
    summary = Table(title="Ingested documents")
    for column in ("file", "type", "pages", "characters", "chunks", "loader", "problems"):
        summary.add_column(
            column, justify="right" if column in {"pages", "characters", "chunks"} else "left"
        )
    refused: list[tuple[Path, IngestError]] = []
    for path in files:
        outcome = outcomes[path]
        if isinstance(outcome, IngestError):
            refused.append((path, outcome))
            summary.add_row(str(path), "-", "-", "-", "-", "-", f"[red]{outcome.code.value}[/red]")
            continue
        summary.add_row(
            str(path),
            outcome.media_type.name.lower(),
            str(outcome.page_count),
            f"{len(outcome.text):,}",
            str(len(chunk_document(outcome))),
            f"{outcome.loader} {outcome.loader_version}",
            "; ".join(problem.message for problem in outcome.problems) or "none",
        )
    console.print(summary)
    if pages:
        for path in files:
            outcome = outcomes[path]
            if isinstance(outcome, Document):
                console.print(_page_table(path, outcome))
    for path, error in refused:
        console.print(
            f"[red]refused[/red] {path}: {error.code.value}: {error.message}", highlight=False
        )
    if refused:
        raise typer.Exit(code=1)


def _page_table(path: Path, document: Document) -> Table:
    table = Table(title=f"{path.name}: pages")
    for column in ("page", "start", "end", "characters", "images", "begins with"):
        table.add_column(column, justify="left" if column == "begins with" else "right")
    for page in document.pages:
        opening = " ".join(document.page_text(page.number).split())[:60]
        table.add_row(
            str(page.number),
            str(page.start),
            str(page.end),
            str(page.char_count),
            str(page.image_count),
            opening,
        )
    return table


def register(app: typer.Typer) -> None:
    """Add ``ingest`` to the ``triage`` command."""
    app.command("ingest")(ingest)
