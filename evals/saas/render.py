"""Render parsed sources into PDF, DOCX, plain text or Markdown, byte for byte reproducibly."""

from __future__ import annotations

import io
import textwrap
import zipfile
from datetime import UTC, datetime
from typing import Any

from evals.saas.sources import Block, OutputFormat, Source, SourceError, SourceSettings, plain

# Fixed so that rendering the same source twice gives the same bytes.
RENDER_TIMESTAMP = datetime(2024, 1, 1, tzinfo=UTC)
TEXT_WIDTH = 88
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def render(source: Source) -> bytes:
    """The bytes of ``source`` rendered in its declared format."""
    renderers = {
        OutputFormat.PDF: render_pdf,
        OutputFormat.DOCX: render_docx,
        OutputFormat.TXT: render_text,
        OutputFormat.MD: render_markdown,
    }
    return renderers[source.settings.format](source)


# ---- PDF ---------------------------------------------------------------------------


def render_pdf(source: Source) -> bytes:
    """A multi-page PDF with optional running header, footer and "Page N of M"."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    settings = source.settings
    family = settings.font
    size = settings.font_size

    class _ContractPDF(FPDF):
        def header(self) -> None:
            if settings.header:
                self.set_font(family, "I", 8)
                self.cell(0, 5, settings.header, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.ln(3)

        def footer(self) -> None:
            if not (settings.footer or settings.page_numbers):
                return
            self.set_y(-14)
            self.set_font(family, "", 8)
            if settings.footer:
                self.cell(0, 4, settings.footer, align="L")
                self.set_x(self.l_margin)
            if settings.page_numbers:
                self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")

    pdf = _ContractPDF(format="A4" if settings.paper == "a4" else "Letter")
    pdf.set_creation_date(RENDER_TIMESTAMP)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_margins(22, 18, 22)
    pdf.add_page()
    line_height = size * 0.5 * settings.line_spacing
    for block in source.blocks:
        _check_latin1(source, block)
        if block.kind == "pagebreak":
            pdf.add_page()
        elif block.kind == "heading":
            heading_size = {1: size + 4, 2: size + 1}.get(block.level, size)
            pdf.set_font(family, "B", heading_size)
            pdf.ln(2 if block.level > 1 else 0)
            pdf.multi_cell(
                0,
                heading_size * 0.55,
                plain(block.text),
                align="C" if block.level == 1 else "L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            pdf.ln(1.5)
        elif block.kind == "table":
            pdf.set_font(family, "", size - 1)
            with pdf.table(
                text_align="LEFT", line_height=line_height, first_row_as_headings=True
            ) as table:
                for cells in block.rows:
                    row = table.row()
                    for cell in cells:
                        row.cell(plain(cell))
            pdf.ln(2)
        else:
            pdf.set_font(family, "", size)
            text = block.text if block.kind == "paragraph" else f"-  {block.text}"
            indent = 6 if block.kind == "bullet" else 0
            pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(
                0, line_height, text, align="L", markdown=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            pdf.ln(1.8)
    return bytes(pdf.output())


def _check_latin1(source: Source, block: Block) -> None:
    # The PDF core fonts cover Latin-1 only; a stray curly quote must fail loudly, not render "?".
    for text in [block.text, *(cell for row in block.rows for cell in row)]:
        try:
            text.encode("latin-1")
        except UnicodeEncodeError as error:
            raise SourceError(
                f"{source.path}: not Latin-1, cannot go in a PDF: {text!r}"
            ) from error


# ---- DOCX --------------------------------------------------------------------------


def render_docx(source: Source) -> bytes:
    """A DOCX with heading styles, real tables, page breaks, header/footer and PAGE fields."""
    import docx
    from docx.shared import Pt

    settings = source.settings
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = {"times": "Times New Roman", "courier": "Courier New"}.get(
        settings.font, "Calibri"
    )
    style.font.size = Pt(settings.font_size + 0.5)
    properties = document.core_properties
    properties.created = RENDER_TIMESTAMP.replace(tzinfo=None)
    properties.modified = RENDER_TIMESTAMP.replace(tzinfo=None)
    properties.last_modified_by = ""
    properties.author = ""
    properties.revision = 1
    section = document.sections[0]
    if settings.header:
        section.header.paragraphs[0].text = settings.header
    if settings.footer or settings.page_numbers:
        footer = section.footer.paragraphs[0]
        if settings.footer:
            footer.add_run(settings.footer + ("    " if settings.page_numbers else ""))
        if settings.page_numbers:
            footer.add_run("Page ")
            _add_page_field(footer)
    for block in source.blocks:
        _add_docx_block(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _add_docx_block(document: Any, block: Block) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if block.kind == "pagebreak":
        document.add_page_break()
    elif block.kind == "heading":
        heading = document.add_heading(plain(block.text), level=min(block.level, 3) - 1)
        if block.level == 1:
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif block.kind == "table":
        columns = max(len(cells) for cells in block.rows)
        table = document.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        for cells in block.rows:
            row = table.add_row().cells
            for index, cell in enumerate(cells):
                row[index].text = plain(cell)
    else:
        style = "List Bullet" if block.kind == "bullet" else None
        paragraph = document.add_paragraph(style=style)
        for index, piece in enumerate(block.text.split("**")):
            if piece:
                paragraph.add_run(piece).bold = index % 2 == 1


def _add_page_field(paragraph: object) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)  # type: ignore[attr-defined]


def _normalise_zip(data: bytes) -> bytes:
    # zipfile stamps every member with the current time; a fixed stamp keeps the bytes stable.
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(member.filename))
    return output.getvalue()


# ---- text and Markdown -------------------------------------------------------------


def render_text(source: Source) -> bytes:
    """Plain text hard-wrapped at 88 columns, the way contracts arrive pasted from email."""
    lines: list[str] = []
    if source.settings.header:
        lines += [source.settings.header, ""]
    for block in source.blocks:
        if block.kind == "pagebreak":
            continue
        if block.kind == "heading":
            text = plain(block.text)
            lines.append(text.upper() if block.level <= 2 else text)
            if block.level == 1:
                lines.append("=" * len(text))
        elif block.kind == "table":
            lines += _text_table(block)
        elif block.kind == "bullet":
            lines += textwrap.wrap(
                plain(block.text), TEXT_WIDTH, initial_indent="  - ", subsequent_indent="    "
            )
        else:
            lines += textwrap.wrap(plain(block.text), TEXT_WIDTH)
        lines.append("")
    if source.settings.footer:
        lines += [source.settings.footer, ""]
    return "\n".join(lines).encode("utf-8")


def _text_table(block: Block) -> list[str]:
    columns = max(len(cells) for cells in block.rows)
    rows = [[plain(cell) for cell in cells] + [""] * (columns - len(cells)) for cells in block.rows]
    widths = [max(len(row[index]) for row in rows) for index in range(columns)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def render_markdown(source: Source) -> bytes:
    """Markdown as written, with tables given their separator row."""
    lines: list[str] = []
    for block in source.blocks:
        if block.kind == "pagebreak":
            continue
        if block.kind == "heading":
            lines.append(f"{'#' * block.level} {block.text}")
        elif block.kind == "table":
            lines += _markdown_table(block.rows)
        elif block.kind == "bullet":
            lines.append(f"- {block.text}")
        else:
            lines.append(block.text)
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def _markdown_table(rows: tuple[tuple[str, ...], ...]) -> list[str]:
    lines = ["| " + " | ".join(cells) + " |" for cells in rows]
    lines.insert(1, "|" + "|".join("---" for _ in rows[0]) + "|")
    return lines


def describe(settings: SourceSettings) -> str:
    """A short human description of how a source is rendered (for the README table)."""
    furniture = [
        name
        for name, present in (
            ("header", settings.header),
            ("footer", settings.footer),
            ("page numbers", settings.page_numbers),
        )
        if present
    ]
    return f"{settings.format.value.upper()}" + (f" ({', '.join(furniture)})" if furniture else "")
