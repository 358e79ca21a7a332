"""DOCX and plain text: reading order, pages where the author broke them, clean decoding."""

from __future__ import annotations

import codecs
import io

import docx
import pytest
from docx.enum.section import WD_SECTION

from extractors.document import MediaType
from extractors.errors import ErrorCode, IngestError
from extractors.ingest import IngestLimits, ingest_bytes
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


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", b""),  # Windows tools write UTF-16 without a byte-order mark
        ("utf-16-be", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
    ],
)
def test_utf16_and_utf32_text_is_decoded(encoding: str, bom: bytes) -> None:
    text = "Zahlung binnen 30 Tagen, Gebühr 1.200 €.\r\nKündigung: 90 Tage.\n"

    document = ingest_bytes(bom + text.encode(encoding), filename="terms.txt")

    assert document.media_type is MediaType.TEXT
    assert document.text == "Zahlung binnen 30 Tagen, Gebühr 1.200 €.\nKündigung: 90 Tage.\n"


def test_undecodable_text_says_which_encodings_were_tried() -> None:
    with pytest.raises(IngestError) as refused:
        ingest_bytes(b"Caf\xe9 au lait, priced in \xa3.\n", filename="menu.txt")

    assert refused.value.code is ErrorCode.UNDECODABLE_TEXT
    assert "UTF-8 (invalid byte at offset 3)" in refused.value.message
    assert "UTF-16" in refused.value.message


def test_text_behind_a_utf16_mark_that_is_not_utf16_says_so() -> None:
    # A byte-order mark, then an odd number of bytes: not UTF-16 whatever the mark says.
    with pytest.raises(IngestError) as refused:
        ingest_bytes(codecs.BOM_UTF16_LE + "Net 30".encode("utf-16-le") + b"!", filename="t.txt")

    assert refused.value.code is ErrorCode.UNDECODABLE_TEXT
    assert "read as UTF-16 (as its byte-order mark says)" in refused.value.message


@pytest.mark.parametrize(
    ("data", "filename", "pages"),
    [
        (b"One\fTwo\fThree\f\n\f", "filings.txt", ["One", "Two", "Three"]),
        (
            hostile.docx_bytes(["One", "Two", "Three"], page_break_after=1),
            "order.docx",
            ["One\nTwo", "Three"],
        ),
    ],
)
def test_page_limit_counts_only_pages_that_are_kept(
    data: bytes, filename: str, pages: list[str]
) -> None:
    # Blank pages at the end (and, in a DOCX, at the start) are dropped, so not counted.
    exact = IngestLimits(max_pages=len(pages))

    document = ingest_bytes(data, filename=filename, limits=exact)

    assert [document.page_text(n).strip() for n in range(1, document.page_count + 1)] == pages
    with pytest.raises(IngestError) as refused:
        ingest_bytes(data, filename=filename, limits=IngestLimits(max_pages=len(pages) - 1))
    assert refused.value.code is ErrorCode.TOO_MANY_PAGES
    assert f"has {len(pages)} pages" in refused.value.message
