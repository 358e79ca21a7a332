"""Reading PDF text with PDFium (pypdfium2), the fallback when pypdf cannot finish a file."""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdfium2.version import PYPDFIUM_INFO

from extractors.ingest.limits import IngestLimits
from extractors.ingest.raw import PYPDFIUM2_LOADER, RawDocument, RawPage
from extractors.ingest.refusals import corrupt, needs_password, too_many_pages, too_much_text

LOADER = PYPDFIUM2_LOADER
LOADER_VERSION = str(PYPDFIUM_INFO)

_IMAGE_SEARCH_DEPTH = 3
# PDFium puts U+FFFE where a hyphen ended a line (and drops the line break); the page shows a
# hyphen there, so that is what the text gets back.
_HYPHEN_MARKER = "\ufffe"


def read_pdf(data: bytes, limits: IngestLimits) -> RawDocument:
    """Text of every page; encrypted files that need a password are refused."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise needs_password() from error
        raise corrupt("PDF", str(error)) from error
    try:
        page_count = len(document)
        if page_count > limits.max_pages:
            raise too_many_pages(page_count, limits)
        pages: list[RawPage] = []
        characters = 0
        for index in range(page_count):
            page = document[index]
            textpage = page.get_textpage()
            text = clean_pdfium_text(textpage.get_text_range())
            images = sum(
                1
                for _ in page.get_objects(
                    filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=_IMAGE_SEARCH_DEPTH
                )
            )
            textpage.close()
            page.close()
            characters += len(text)
            if characters > limits.max_chars:
                raise too_much_text(limits)
            pages.append(RawPage(text=text, image_count=images))
    finally:
        document.close()
    return RawDocument(pages=tuple(pages), loader=LOADER, loader_version=LOADER_VERSION)


def clean_pdfium_text(text: str) -> str:
    """PDFium's page text with pypdf's conventions: ``\\n`` line ends, real hyphens."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace(_HYPHEN_MARKER, "-")
