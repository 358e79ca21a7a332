"""The type of an upload comes from its bytes; the name only tells Markdown from text."""

from __future__ import annotations

import pytest

from extractors.document import MediaType
from extractors.errors import ErrorCode, IngestError
from extractors.ingest import detect_media_type
from tests.extractors.ingest import hostile


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (hostile.html_page(), "invoice.pdf", "HTML"),
        (b"<?xml version='1.0'?><root/>", "terms.txt", "XML"),
        (b"\x89PNG\r\n\x1a\n" + bytes(32), "scan.pdf", "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old.doc", "OLE2"),
        (hostile.spreadsheet_zip(), "book.docx", "Excel"),
        (b"{\\rtf1\\ansi Hello}", "letter.txt", "RTF"),
        (hostile.random_bytes(), None, "binary"),
    ],
)
def test_other_formats_are_refused_naming_what_they_are(
    data: bytes, filename: str | None, kind: str
) -> None:
    with pytest.raises(IngestError) as refused:
        detect_media_type(data, filename)

    assert refused.value.code is ErrorCode.UNSUPPORTED_TYPE
    assert kind in refused.value.message


def test_empty_bytes_are_refused_as_empty() -> None:
    with pytest.raises(IngestError) as refused:
        detect_media_type(b"", "empty.pdf")

    assert refused.value.code is ErrorCode.EMPTY_FILE


def test_pdf_is_recognised_whatever_its_name_and_leading_junk() -> None:
    pdf = hostile.text_pdf(["Some text."])

    assert detect_media_type(pdf, "contract.txt") is MediaType.PDF
    assert detect_media_type(b"\r\n" * 100 + pdf, None) is MediaType.PDF


def test_docx_is_recognised_by_its_main_part_even_when_damaged() -> None:
    assert detect_media_type(hostile.docx_bytes(["Hello."]), "x.bin") is MediaType.DOCX
    assert detect_media_type(hostile.corrupt_docx(), "contract.docx") is MediaType.DOCX


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"# Terms\n\nNet 30.", "terms.md", MediaType.MARKDOWN),
        (b"# Terms\n\nNet 30.", "terms.MARKDOWN", MediaType.MARKDOWN),
        (b"# Terms\n\nNet 30.", None, MediaType.TEXT),
        (b"Plain terms.", "terms.pdf", MediaType.TEXT),
        ("Zahlung binnen 30 Tagen.".encode("utf-16"), "terms.txt", MediaType.TEXT),
        ("Zahlung binnen 30 Tagen.".encode("utf-16-le"), "terms.md", MediaType.MARKDOWN),
        ("Zahlung binnen 30 Tagen.".encode("utf-16-be"), None, MediaType.TEXT),
        (b"Caf\xe9", "menu.txt", MediaType.TEXT),  # text, though not UTF-8: refused later
    ],
)
def test_text_is_text_and_the_name_only_marks_markdown(
    data: bytes, filename: str | None, expected: MediaType
) -> None:
    assert detect_media_type(data, filename) is expected


def test_zero_bytes_in_the_pattern_of_utf16_do_not_make_binary_data_text() -> None:
    # Every other byte zero, like UTF-16, but what it spells is control codes.
    data = bytes(byte for code in range(1, 200) for byte in (code % 16, 0))

    with pytest.raises(IngestError) as refused:
        detect_media_type(data, "table.bin")

    assert refused.value.code is ErrorCode.UNSUPPORTED_TYPE


def test_refusal_shows_an_undecodable_suffix_with_a_replacement_character() -> None:
    with pytest.raises(IngestError) as refused:
        detect_media_type(hostile.html_page(), "page.p\udcffdf")

    assert ".p\ufffddf name" in refused.value.message
