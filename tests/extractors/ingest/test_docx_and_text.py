"""DOCX and plain text: reading order, pages where the author broke them, clean decoding."""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_SECTION

from extractors.document import MediaType
from extractors.errors import ErrorCode, IngestError
from extractors.ingest import ingest_bytes
from tests.extractors.ingest import hostile


def test_docx_without_text_is_refused_as_empty() -> None:
    try:
        ingest_bytes(hostile.docx_bytes(["", "   "]), filename="blank.docx")
    except IngestError as refused:
        assert refused.code is ErrorCode.EMPTY_FILE
    else:
        raise AssertionError("a DOCX without text was accepted")


def test_docx_paragraphs_and_tables_in_reading_order_split_at_page_breaks() -> None:
    data = hostile.docx_bytes(
        ["Order Form", [["Item", "Fee"], ["Platform", "$12,000"]], "Payment within 30 days."],
        page_break_after=0,
    )

    document = ingest_bytes(data, filename="order.docx")

    assert document.media_type is MediaType.DOCX
    assert document.loader == "python-docx"
    assert document.page_count == 2
    assert document.page_text(1) == "Order Form"
    assert document.page_text(2) == "Item\tFee\nPlatform\t$12,000\n\nPayment within 30 days."


def test_docx_new_page_sections_and_page_break_before_start_pages() -> None:
    word = docx.Document()
    word.add_paragraph("Master Services Agreement")
    word.add_section(WD_SECTION.NEW_PAGE)
    word.add_paragraph("Schedule A")
    word.add_section(WD_SECTION.CONTINUOUS)
    word.add_paragraph("Still schedule A")
    word.add_paragraph("Schedule B").paragraph_format.page_break_before = True
    out = io.BytesIO()
    word.save(out)

    document = ingest_bytes(out.getvalue(), filename="msa.docx")

    # The empty paragraph that carries a section break stays an empty line.
    pages = [document.page_text(number) for number in range(1, document.page_count + 1)]
    assert pages == ["Master Services Agreement", "Schedule A\n\nStill schedule A", "Schedule B"]


def test_text_is_decoded_with_unix_line_ends_and_form_feeds_as_pages() -> None:
    data = "\ufeffTerms\r\nNet 30 — days\r\n\fSchedule 1\n".encode()

    document = ingest_bytes(data, filename="terms.txt")

    assert document.media_type is MediaType.TEXT
    assert document.page_count == 2
    assert document.page_text(1) == "Terms\nNet 30 — days\n"
    assert document.page_text(2) == "Schedule 1\n"


def test_markdown_and_utf16_text_are_read() -> None:
    markdown = ingest_bytes(b"# Terms\n\nNet 30.", filename="terms.md")
    utf16 = ingest_bytes("Zahlung binnen 30 Tagen.".encode("utf-16"), filename="t.txt")

    assert markdown.media_type is MediaType.MARKDOWN
    assert markdown.text == "# Terms\n\nNet 30."
    assert utf16.text == "Zahlung binnen 30 Tagen."
