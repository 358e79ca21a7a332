"""The source format and its renderers: bad sources refused, blocks parsed, bytes stable."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from evals.saas.render import render
from evals.saas.sources import SourceError, parse_blocks, parse_source

BODY = """# TITLE
## 1. Fees
Fees are **payable** within thirty (30) days.
- first bullet
| Item | Amount |
|---|---|
| Platform | USD 10 |
\\pagebreak
Second page text.
"""


def write_source(tmp_path: Path, front: str, body: str = BODY) -> Path:
    path = tmp_path / "doc.src"
    path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    return path


def test_source_without_front_matter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "doc.src"
    path.write_text("# Title\nText\n", encoding="utf-8")
    with pytest.raises(SourceError, match="front matter"):
        parse_source(path)


def test_unknown_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        parse_source(write_source(tmp_path, "format: pdf\ncolour: blue"))


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        parse_source(write_source(tmp_path, "format: rtf"))


def test_pdf_source_outside_latin1_is_refused(tmp_path: Path) -> None:
    source = parse_source(
        write_source(tmp_path, "format: pdf", "Fees are \u20ac 10 \u201cnet\u201d.\n")
    )
    with pytest.raises(SourceError, match="Latin-1"):
        render(source)


def test_blocks_are_parsed_in_order() -> None:
    blocks = parse_blocks(BODY)
    assert [block.kind for block in blocks] == [
        "heading",
        "heading",
        "paragraph",
        "bullet",
        "table",
        "pagebreak",
        "paragraph",
    ]
    assert blocks[0].level == 1 and blocks[1].level == 2
    # The |---| separator row is not a data row.
    assert blocks[4].rows == (("Item", "Amount"), ("Platform", "USD 10"))


def test_pdf_has_pages_header_footer_and_page_numbers(tmp_path: Path) -> None:
    front = "format: pdf\nheader: Acme MSA\nfooter: Confidential\npage_numbers: true"
    data = render(parse_source(write_source(tmp_path, front)))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) == 2
    assert all("Acme MSA" in text and "Confidential" in text for text in pages)
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    assert "Fees are payable within thirty (30) days." in pages[0]
    assert "Second page text." in pages[1]


def test_docx_has_table_page_break_and_bold_run(tmp_path: Path) -> None:
    data = render(parse_source(write_source(tmp_path, "format: docx\nheader: Acme")))
    document = docx.Document(io.BytesIO(data))
    assert [[cell.text for cell in row.cells] for row in document.tables[0].rows] == [
        ["Item", "Amount"],
        ["Platform", "USD 10"],
    ]
    fees = next(p for p in document.paragraphs if p.text.startswith("Fees"))
    assert [run.text for run in fees.runs if run.bold] == ["payable"]
    assert 'w:br w:type="page"' in document.element.xml
    assert document.sections[0].header.paragraphs[0].text == "Acme"


def test_text_is_wrapped_and_tables_aligned(tmp_path: Path) -> None:
    long = "word " * 40
    text = render(parse_source(write_source(tmp_path, "format: txt", f"{long}\n{BODY}"))).decode()
    assert max(len(line) for line in text.splitlines()) <= 88
    assert "Platform  USD 10" in text
    assert "**" not in text


def test_markdown_keeps_markup_and_table_separator(tmp_path: Path) -> None:
    text = render(parse_source(write_source(tmp_path, "format: md"))).decode()
    assert "**payable**" in text
    assert "| Item | Amount |\n|---|---|\n| Platform | USD 10 |" in text


@pytest.mark.parametrize("output", ["pdf", "docx", "txt", "md"])
def test_rendering_twice_gives_the_same_bytes(tmp_path: Path, output: str) -> None:
    source = parse_source(write_source(tmp_path, f"format: {output}\npage_numbers: true"))
    assert render(source) == render(source)


def test_docx_zip_members_carry_a_fixed_timestamp(tmp_path: Path) -> None:
    data = render(parse_source(write_source(tmp_path, "format: docx")))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_generate_check_fails_on_a_stale_document(tmp_path: Path) -> None:
    from evals.saas.generate import main

    bundle = tmp_path / "b1"
    (bundle / "sources").mkdir(parents=True)
    (bundle / "expected.yaml").write_text("bundle: b1\n", encoding="utf-8")
    write_source(bundle / "sources", "format: txt").rename(bundle / "sources" / "doc.src")
    assert main(["--dataset", str(tmp_path), "--check"]) == 1
    assert main(["--dataset", str(tmp_path)]) == 0
    assert main(["--dataset", str(tmp_path), "--check"]) == 0
    (bundle / "doc.txt").write_text("edited by hand", encoding="utf-8")
    assert main(["--dataset", str(tmp_path), "--check"]) == 1
