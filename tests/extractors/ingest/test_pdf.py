"""PDFs become Documents whose pages tile the text, say who read them, and flag missing text."""

from __future__ import annotations

import hashlib

import pypdf
import pytest

from extractors.document import PAGE_SEPARATOR, MediaType
from extractors.ingest import IngestLimits, ingest_bytes, worker
from extractors.ingest.assemble import normalise_page_text
from extractors.ingest.pdf_pdfium import clean_pdfium_text
from extractors.ingest.pdf_pypdf import read_pdf
from extractors.ingest.raw import (
    LOADER_FALLBACK,
    PAGES_WITHOUT_TEXT,
    SCANNED_PAGES,
    LoaderUnavailableError,
)
from tests.extractors.ingest import hostile
from tests.extractors.ingest.conftest import FAST, GOOD_PAGES, assert_still_parses


def test_pypdf_timeout_on_a_legitimate_file_falls_back_to_pdfium(good_pdf: bytes) -> None:
    text = "This page is read by PDFium after pypdf runs out of time."

    document = ingest_bytes(hostile.slow_pdf_with_text(text), limits=FAST)

    assert document.loader == "pypdfium2"
    assert document.page_text(1).strip() == text
    codes = {problem.code for problem in document.problems}
    assert LOADER_FALLBACK in codes
    assert PAGES_WITHOUT_TEXT in codes
    assert_still_parses(good_pdf)


def test_self_referencing_form_is_read_once_without_hanging(good_pdf: bytes) -> None:
    document = ingest_bytes(hostile.self_referencing_form())

    assert document.text.count("This clause draws itself again.") == 1
    assert_still_parses(good_pdf)


def test_partly_scanned_pdf_is_accepted_with_its_scanned_pages_named() -> None:
    document = ingest_bytes(hostile.partly_scanned_pdf())

    assert document.page_count == 2
    assert document.pages[1].image_count == 1
    scanned = [problem for problem in document.problems if problem.code == SCANNED_PAGES]
    assert [problem.pages for problem in scanned] == [[2]]
    assert "OCR" in scanned[0].message


def test_pdf_encrypted_without_a_user_password_opens() -> None:
    document = ingest_bytes(hostile.encrypted_pdf(user_password=""))

    assert document.text.strip() == hostile.ENCRYPTED_TEXT


def test_pages_tile_the_text_with_offsets_hash_and_loader(good_pdf: bytes) -> None:
    document = ingest_bytes(good_pdf, filename="msa.pdf")

    assert document.media_type is MediaType.PDF
    assert (document.loader, document.loader_version) == ("pypdf", pypdf.__version__)
    assert document.sha256 == hashlib.sha256(good_pdf).hexdigest()
    assert (document.filename, document.byte_size) == ("msa.pdf", len(good_pdf))
    assert document.problems == []
    assert [page.number for page in document.pages] == [1, 2]
    pieces = [document.text[page.start : page.end] for page in document.pages]
    assert PAGE_SEPARATOR.join(pieces) == document.text
    assert [piece.strip() for piece in pieces] == GOOD_PAGES
    assert document.page_at(document.text.index("terminate")) == 2


def test_pdfium_text_gets_line_ends_and_hyphens_back() -> None:
    raw = "non\ufffeexclusive licence\r\nfor forty\ufffefive days\r\n"

    assert clean_pdfium_text(raw) == "non-exclusive licence\nfor forty-five days\n"


def test_page_text_is_canonical_unicode_without_nul() -> None:
    # Some PDF fonts map ';' to GREEK QUESTION MARK, canonically the same character.
    assert normalise_page_text("Agreement\u037e and\x00 Cafe\u0301") == "Agreement; and Café"


def test_typographic_quotes_become_ascii_one_for_one() -> None:
    # Contracts mix curly and straight quotes at random; one form keeps every consumer
    # (patterns, quotes from a model, search) simple, and nothing shifts: one character
    # for one.
    raw = "the \u201cCustomer\u201d and Party\u2019s \u2018Term\u2019 of 5\u2032 \u2013 not a dash"
    folded = normalise_page_text(raw)
    assert folded == "the \"Customer\" and Party's 'Term' of 5' \u2013 not a dash"
    assert len(folded) == len(raw)


def test_unicode_spaces_become_plain_spaces_and_invisible_ones_go() -> None:
    # Four CUAD PDFs in ten set every word gap as a no-break space: patterns written with
    # a plain space, and the cut of over-long sentences at a space, must see one.
    raw = "In\xa0the\u2002event\u202fof\u3000a\u2009breach\u200b,\u2028notify"
    folded = normalise_page_text(raw)
    assert folded == "In the event of a breach,\nnotify"
    assert "shall\xa0not" not in normalise_page_text("Vendor shall\xa0not assign")


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_pdf_without_a_user_password_is_read_by_pypdf(algorithm: str) -> None:
    data = hostile.encrypted_pdf(user_password="", owner_password="x", algorithm=algorithm)

    document = ingest_bytes(data, filename="aes.pdf")

    assert document.loader == "pypdf"
    assert document.text.strip() == hostile.ENCRYPTED_TEXT
    assert document.problems == []


def test_aes_128_without_a_crypto_library_is_unavailable_to_pypdf_not_corrupt() -> None:
    # Without a crypto library pypdf opens an AES-128 file (its key needs only MD5 and RC4)
    # and fails on the first stream it decrypts, mid-read: that must not read as damage.
    data = hostile.encrypted_pdf(user_password="", owner_password="x", algorithm="AES-128")

    with hostile.pypdf_without_aes(), pytest.raises(LoaderUnavailableError):
        read_pdf(data, IngestLimits())


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_pdf_falls_back_to_pdfium_when_pypdf_lacks_aes(
    algorithm: str, monkeypatch: pytest.MonkeyPatch, good_pdf: bytes
) -> None:
    data = hostile.encrypted_pdf(user_password="", owner_password="x", algorithm=algorithm)
    # The parser workers run the crypto-less pypdf for these calls only.
    monkeypatch.setattr(worker, "read_pdf", hostile.read_pdf_without_aes)

    document = ingest_bytes(data, filename="aes.pdf")

    assert document.loader == "pypdfium2"
    assert document.text.strip() == hostile.ENCRYPTED_TEXT
    assert [problem.code for problem in document.problems] == [LOADER_FALLBACK]
    assert "cannot decrypt" in document.problems[0].message
    monkeypatch.undo()
    assert_still_parses(good_pdf)
