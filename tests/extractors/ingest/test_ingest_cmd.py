"""``triage ingest``: a summary of what was read, and a non-zero exit naming a refusal's code."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from app.cli import ingest_cmd
from extractors.chunking import chunk_document
from extractors.ingest import ingest_path
from tests.extractors.ingest import hostile
from tests.extractors.ingest.conftest import GOOD_PAGES


def _cli() -> typer.Typer:
    cli = typer.Typer()

    @cli.callback()
    def main() -> None:
        """Keeps ``ingest`` a subcommand, as in ``triage``."""

    ingest_cmd.register(cli)
    return cli


def test_refused_file_exits_non_zero_with_its_error_code(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(hostile.scanned_pdf())
    good = tmp_path / "good.pdf"
    good.write_bytes(hostile.text_pdf(GOOD_PAGES))

    result = CliRunner().invoke(_cli(), ["ingest", str(scan), str(good)], env={"COLUMNS": "200"})

    assert result.exit_code == 1
    assert "no_text_layer" in result.output
    assert "OCR" in result.output
    assert "good.pdf" in result.output


def test_ingest_prints_pages_characters_problems_and_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("partly.pdf")
    path.write_bytes(hostile.partly_scanned_pdf())
    document = ingest_path(path)
    chunks = chunk_document(document)

    result = CliRunner().invoke(_cli(), ["ingest", "--pages", str(path)], env={"COLUMNS": "200"})

    assert result.exit_code == 0, result.output
    row = next(
        line for line in result.output.splitlines() if "partly.pdf" in line and "pdf " in line
    )
    cells = [cell.strip() for cell in row.split("│") if cell.strip()]
    assert cells[1:5] == ["pdf", "2", f"{len(document.text):,}", str(len(chunks))]
    assert "scanned" in result.output
    assert "This agreement is made between the parties" in result.output
