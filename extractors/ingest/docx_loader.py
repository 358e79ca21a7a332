"""Reading DOCX text with python-docx: paragraphs and tables in reading order, in pages.

A DOCX has no fixed pages; a new page starts where the author asked for one (an explicit
page break, "page break before", a section break that starts a new page). Without any,
the whole document is one page.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from extractors.errors import ErrorCode, IngestError
from extractors.ingest.limits import IngestLimits
from extractors.ingest.raw import RawDocument, RawPage
from extractors.ingest.refusals import corrupt, describe, too_many_pages, too_much_text

LOADER = "python-docx"
LOADER_VERSION = str(getattr(docx, "__version__", "unknown"))

_PAGE_BREAK = "\f"  # stands for a page break while the text is assembled
_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_SDT_CONTENT = qn("w:sdtContent")
_CONTAINERS = frozenset({qn("w:sdt"), _SDT_CONTENT, qn("w:customXml"), qn("w:smartTag")})
_T, _BR, _TYPE, _VAL = qn("w:t"), qn("w:br"), qn("w:type"), qn("w:val")
_P_PR, _SECT_PR, _PAGE_BREAK_BEFORE = qn("w:pPr"), qn("w:sectPr"), qn("w:pageBreakBefore")
_RUN_CHARS = {qn("w:tab"): "\t", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
# Word repeats text boxes in a legacy fallback copy; reading both would duplicate their text.
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_OFF = frozenset({"0", "false", "off"})


def read_docx(data: bytes, limits: IngestLimits) -> RawDocument:
    """Pages of text of a DOCX; a damaged package is refused as corrupt."""
    _check_package_size(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    # lxml's XMLSyntaxError is a SyntaxError.
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:
        raise corrupt("DOCX", describe(error)) from error
    walker = _BodyText(body)
    headers, footers = _running_text(document, walker)
    text = "\n".join([*headers, *walker.blocks(body), *footers])
    if len(text) > limits.max_chars:
        raise too_much_text(limits)
    # Blank pages before the first and after the last text are dropped; the rest are
    # counted before any is built, so a few KB of compressed page breaks cost a count.
    page_count = text.strip().count(_PAGE_BREAK) + 1
    if page_count > limits.max_pages:
        raise too_many_pages(page_count, limits)
    pages = [page.strip("\n") for page in text.split(_PAGE_BREAK)]
    # A break before the first or after the last paragraph does not make a page of its own.
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    while len(pages) > 1 and not pages[0].strip():
        pages.pop(0)
    return RawDocument(
        pages=tuple(RawPage(text=page) for page in pages),
        loader=LOADER,
        loader_version=LOADER_VERSION,
    )


def _running_text(document: object, walker: _BodyText) -> tuple[list[str], list[str]]:
    """The distinct headers and footers of the sections, each once.

    A PDF prints them on every page and plain text keeps them too: a VAT number or the
    provider's address often stands only in the footer.
    """
    headers: list[str] = []
    footers: list[str] = []
    for section in getattr(document, "sections", []):
        for kind, found in (
            ("header", headers),
            ("first_page_header", headers),
            ("footer", footers),
            ("first_page_footer", footers),
        ):
            part = getattr(section, kind)
            if part.is_linked_to_previous:
                continue
            text = "\n".join(walker.blocks(part._element)).replace(_PAGE_BREAK, "\n").strip()
            if text and text not in found:
                found.append(text)
    return headers, footers


def _check_package_size(data: bytes, limits: IngestLimits) -> None:
    """Refuse a ZIP bomb before python-docx inflates every part into memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise corrupt("DOCX", describe(error)) from error
    if inflated > limits.max_stream_bytes:
        raise IngestError(
            ErrorCode.RESOURCE_EXHAUSTED,
            f"The DOCX expands to {inflated:,} bytes, more than the "
            f"{limits.max_stream_bytes:,} bytes allowed.",
        )


class _BodyText:
    """Walks a document body; knows which section ends are followed by a new page."""

    def __init__(self, body: BaseOxmlElement) -> None:
        # A section's own type says how it starts, so whether a page break follows the
        # paragraph that ends a section depends on the type of the next section.
        sections = list(body.iter(_SECT_PR))
        self._new_page_after = {
            section
            for section, following in itertools.pairwise(sections)
            if _starts_new_page(following)
        }

    def blocks(self, parent: BaseOxmlElement) -> Iterator[str]:
        """Text of each paragraph and table row under ``parent``, in document order."""
        for child in parent.iterchildren():
            if child.tag == _P:
                yield self._paragraph(child)
            elif child.tag == _TBL:
                yield from self._table(child)
            elif child.tag in _CONTAINERS:
                yield from self.blocks(child)

    def _table(self, table: BaseOxmlElement) -> Iterator[str]:
        for row in table.iterchildren(_TR):
            cells = [
                "\n".join(self.blocks(cell)).replace(_PAGE_BREAK, "\n")
                for cell in row.iterchildren(_TC)
            ]
            yield "\t".join(cells)

    def _paragraph(self, paragraph: BaseOxmlElement) -> str:
        properties = paragraph.find(_P_PR)
        before = after = ""
        if properties is not None:
            flag = properties.find(_PAGE_BREAK_BEFORE)
            if flag is not None and flag.get(_VAL, "1").lower() not in _OFF:
                before = _PAGE_BREAK
            if properties.find(_SECT_PR) in self._new_page_after:
                after = _PAGE_BREAK
        parts: list[str] = []
        for run in _runs(paragraph):
            for item in run.iterchildren():
                if item.tag == _T:
                    parts.append(item.text or "")
                elif item.tag in _RUN_CHARS:
                    parts.append(_RUN_CHARS[item.tag])
                elif item.tag == _BR:
                    parts.append(_PAGE_BREAK if item.get(_TYPE) == "page" else "\n")
        return before + "".join(parts) + after


def _runs(element: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    """Runs under ``element`` in document order, skipping legacy fallback copies."""
    for child in element.iterchildren():
        if child.tag == _R:
            yield child
        if child.tag != _FALLBACK:
            yield from _runs(child)


def _starts_new_page(section: BaseOxmlElement) -> bool:
    kind = section.find(qn("w:type"))
    return kind is None or kind.get(_VAL) != "continuous"
