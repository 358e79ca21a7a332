"""The source format of the SaaS documents: YAML front matter plus a small Markdown subset.

One line is one block: ``#``/``##``/``###`` headings, ``- `` bullets, ``|`` table rows (a
``|---|`` row after the first is skipped), ``\\pagebreak``, and plain paragraphs.
``**bold**`` marks inline emphasis. Blank lines only separate blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

PAGE_BREAK = "\\pagebreak"


class OutputFormat(StrEnum):
    """What a source renders to; the rendered file's extension is the format's value."""

    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"
    MD = "md"


class SourceSettings(BaseModel):
    """Front matter of a source: output format and page furniture."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: OutputFormat
    header: str | None = None
    footer: str | None = None
    page_numbers: bool = False
    font: Literal["helvetica", "times", "courier"] = "helvetica"
    font_size: float = 10.5
    line_spacing: float = 1.0
    paper: Literal["a4", "letter"] = "letter"


@dataclass(frozen=True)
class Block:
    """One rendered unit: a heading, paragraph, bullet, table or page break."""

    kind: Literal["heading", "paragraph", "bullet", "table", "pagebreak"]
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Source:
    """A parsed source file: where it lives, its settings and its blocks."""

    path: Path
    settings: SourceSettings
    blocks: tuple[Block, ...]

    @property
    def output_name(self) -> str:
        return f"{self.path.stem}.{self.settings.format.value}"


class SourceError(ValueError):
    """A source file that does not follow the format."""


def parse_source(path: Path) -> Source:
    """Read one source file into its settings and blocks."""
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise SourceError(f"{path}: missing front matter")
    front, _, body = raw[4:].partition("\n---\n")
    settings = SourceSettings.model_validate(yaml.safe_load(front))
    return Source(path=path, settings=settings, blocks=tuple(parse_blocks(body)))


def parse_blocks(body: str) -> list[Block]:
    """Blocks of a source body in order."""
    blocks: list[Block] = []
    table: list[tuple[str, ...]] = []
    for line in [*body.splitlines(), ""]:
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = tuple(cell.strip() for cell in stripped.strip("|").split("|"))
            if table and all(set(cell) <= set("-: ") for cell in cells):
                continue
            table.append(cells)
            continue
        if table:
            blocks.append(Block(kind="table", rows=tuple(table)))
            table = []
        if not stripped:
            continue
        if stripped == PAGE_BREAK:
            blocks.append(Block(kind="pagebreak"))
        elif stripped.startswith("#"):
            hashes, _, text = stripped.partition(" ")
            blocks.append(Block(kind="heading", text=text.strip(), level=len(hashes)))
        elif stripped.startswith("- "):
            blocks.append(Block(kind="bullet", text=stripped[2:].strip()))
        else:
            blocks.append(Block(kind="paragraph", text=stripped))
    return blocks


def plain(text: str) -> str:
    """Text without the ``**`` emphasis marks."""
    return text.replace("**", "")


def find_sources(directory: Path) -> list[Path]:
    """Source files of one bundle (``sources/*.src``), sorted by name."""
    return sorted((directory / "sources").glob("*.src"))
