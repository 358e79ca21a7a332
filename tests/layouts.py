"""One contract, three uploads: sources rendered as PDF, DOCX and text, then ingested.

Tests that a reading does not depend on the layout render the same source in every format
with the SaaS evaluation's renderer and ingest it as an upload is.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from evals.saas.render import render
from evals.saas.sources import OutputFormat, Source, SourceSettings, parse_blocks
from extractors.document import Document
from extractors.ingest import ingest_bytes

FORMATS = (OutputFormat.PDF, OutputFormat.DOCX, OutputFormat.TXT)

# The core PDF fonts are Latin-1: typography folds to what a PDF of the same text would hold.
_LATIN1 = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u20ac": "EUR ",
        "\u2022": "-",
        "\u00a0": " ",
        "\u2212": "-",
    }
)


def _fold(text: str | None) -> str | None:
    if text is None:
        return None
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def as_format(source: Source, output: OutputFormat) -> Source:
    """The same source rendered as ``output`` (folded to Latin-1 for a PDF)."""
    settings = source.settings.model_copy(update={"format": output})
    if output is not OutputFormat.PDF:
        return dataclasses.replace(source, settings=settings)
    settings = settings.model_copy(
        update={"header": _fold(settings.header), "footer": _fold(settings.footer)}
    )
    blocks = tuple(
        dataclasses.replace(
            block,
            text=_fold(block.text) or "",
            rows=tuple(tuple(_fold(cell) or "" for cell in row) for row in block.rows),
        )
        for block in source.blocks
    )
    return dataclasses.replace(source, settings=settings, blocks=blocks)


def ingest_as(source: Source, output: OutputFormat) -> Document:
    """``source`` rendered as ``output`` and ingested as an upload of that name."""
    data = render(as_format(source, output))
    return ingest_bytes(data, filename=f"{source.path.stem}.{output.value}")


def rendered(
    body: str, output: OutputFormat, *, name: str = "contract", footer: str | None = None
) -> Document:
    """``body`` (the SaaS source format) rendered as ``output`` and ingested."""
    source = Source(
        path=Path(f"{name}.src"),
        settings=SourceSettings(format=output, footer=footer),
        blocks=tuple(parse_blocks(body)),
    )
    return ingest_as(source, output)
