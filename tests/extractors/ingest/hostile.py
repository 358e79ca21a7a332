"""Crafted files for the ingestion tests: well-formed ones, and ones built to break a parser.

PDFs are written byte by byte so that each hostile structure is exactly what its name says;
``build_pdf`` computes the cross-reference table so the files are otherwise valid.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import random
import time
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar
from unittest import mock

import docx
import pypdf._encryption
from docx.enum.text import WD_BREAK
from pypdf import PdfReader, PdfWriter
from pypdf._crypt_providers import _fallback

from extractors.ingest import worker
from extractors.ingest.limits import IngestLimits
from extractors.ingest.raw import RawDocument

ENCRYPTED_TEXT = "Confidential terms of the agreement."
T = TypeVar("T")
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
# pypdf skips pages without resources, so every hostile page declares a font (object 5).
_FONT_RESOURCES = b"<< /Font << /F1 5 0 R >> >>"


def build_pdf(objects: Sequence[bytes], *, root: int = 1, trailer: bytes = b"") -> bytes:
    """A PDF whose object ``n`` (1-based) is ``objects[n - 1]``, with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objects) + 1, root, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def stream(data: bytes, *, extra: bytes = b"", compress: bool = True) -> bytes:
    """A stream object body, Flate-compressed unless asked otherwise."""
    if compress:
        data = zlib.compress(data, 9)
        extra = b"/Filter /FlateDecode " + extra
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_content(text: str) -> bytes:
    """A content stream that shows ``text`` line by line in Helvetica."""
    lines = [b"BT /F1 11 Tf 14 TL 72 720 Td"]
    for line in text.splitlines():
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        lines.append(b"(" + escaped.encode("cp1252") + b") Tj T*")
    lines.append(b"ET")
    return b"\n".join(lines)


def text_pdf(pages: Sequence[str]) -> bytes:
    """A well-formed PDF with one page per entry of ``pages``, each showing that text."""
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        _FONT,
    ]
    for index, page_text in enumerate(pages):
        content_ref = 5 + 2 * index
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_ref
        )
        objects.append(stream(text_content(page_text)))
    return build_pdf(objects)


def _single_page_pdf(content: bytes, resources: bytes, extra_objects: Sequence[bytes]) -> bytes:
    """Catalog, pages, page (objects 1-3), its content (4), then ``extra_objects`` from 5 on."""
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s "
            b"/Contents 4 0 R >>" % resources,
            content,
            *extra_objects,
        ]
    )


@functools.cache
def decompression_bomb(expanded_bytes: int) -> bytes:
    """One page whose small content stream inflates to ``expanded_bytes`` of blank space."""
    compressor = zlib.compressobj(9)
    block = b" " * (1 << 20)
    parts = [compressor.compress(block) for _ in range(expanded_bytes // len(block))]
    parts.append(compressor.flush())
    packed = b"".join(parts)
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
    return _single_page_pdf(content + packed + b"\nendstream", _FONT_RESOURCES, [_FONT])


def self_referencing_form() -> bytes:
    """A page that draws a form XObject which shows some text and then draws itself again."""
    form = stream(
        b"BT /F1 11 Tf 72 720 Td (This clause draws itself again.) Tj ET /X0 Do",
        extra=b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
        b"/Resources << /Font << /F1 6 0 R >> /XObject << /X0 5 0 R >> >> ",
    )
    return _single_page_pdf(
        stream(b"/X0 Do"),
        b"<< /Font << /F1 6 0 R >> /XObject << /X0 5 0 R >> >>",
        [form, _FONT],
    )


def page_tree_cycle() -> bytes:
    """A page tree whose intermediate node lists the root as its own child."""
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 6 0 R >> >> /Contents 4 0 R >>",
            stream(text_content("A page inside a cyclic page tree.")),
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 5 0 R] /Count 1 >>",
            _FONT,
        ]
    )


def huge_page_count(declared: int = 2_000_000_000) -> bytes:
    """One real page, but a page tree that declares ``declared`` pages."""
    good = text_pdf(["The only page there really is."])
    return good.replace(b"/Count 1 >>", b"/Count %d >>" % declared, 1)


def shared_content_stream(pages: int = 400, operators: int = 100_000) -> bytes:
    """Many pages drawing the same compressed stream of cheap operators: hours for pypdf."""
    shared = stream(b"BT /F1 1 Tf () Tj ET\n" * operators)
    kids = b" ".join(b"%d 0 R" % (4 + index) for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        shared,
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents 3 0 R >>" % (4 + pages)
    ] * pages
    return build_pdf([*objects, _FONT])


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages that only paint an image, the way a scanner's PDF does: no text layer at all."""
    pixels = bytes(random.Random(7).getrandbits(8) for _ in range(64 * 64))
    image = stream(
        pixels,
        extra=b"/Type /XObject /Subtype /Image /Width 64 /Height 64 "
        b"/ColorSpace /DeviceGray /BitsPerComponent 8 ",
    )
    draw = stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q")
    kids = b" ".join(b"%d 0 R" % (5 + index) for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        image,
        draw,
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /Im0 3 0 R >> >> /Contents 4 0 R >>"
    ] * pages
    return build_pdf(objects)


def partly_scanned_pdf() -> bytes:
    """A text page followed by an image-only page."""
    text = text_pdf(["This agreement is made between the parties named below, in good faith."])
    scan = scanned_pdf(1)
    writer = PdfWriter()
    for data in (text, scan):
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(
    user_password: str = "secret", owner_password: str = "owner", algorithm: str = "RC4-128"
) -> bytes:
    """A text PDF encrypted with ``algorithm``; an empty ``user_password`` opens it freely."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf([ENCRYPTED_TEXT]))))
    writer.encrypt(user_password, owner_password, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def slow_pdf_with_text(text: str, heavy_pages: int = 3) -> bytes:
    """A page of ``text``, then pages pypdf needs seconds each for and PDFium milliseconds."""
    heavy = stream(b"BT /F1 1 Tf () Tj ET\n" * 100_000)
    kids = b" ".join(b"%d 0 R" % (6 + index) for index in range(heavy_pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R %s] /Count %d >>" % (kids, 1 + heavy_pages),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        stream(text_content(text)),
        _FONT,
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents %d 0 R >>" % (6 + heavy_pages)
    ] * heavy_pages
    return build_pdf([*objects, heavy])


def random_bytes(size: int = 4096, *, seed: int = 1, header: bytes = b"") -> bytes:
    """``size`` random bytes after an optional ``header`` (e.g. ``%PDF-1.7``)."""
    return header + random.Random(seed).randbytes(size)


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    """The first ``keep`` share of ``data``, as an interrupted upload leaves it."""
    return data[: int(len(data) * keep)]


def html_page() -> bytes:
    """An HTML error page, as a misconfigured download saves under a .pdf name."""
    return b"<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found</body></html>"


def docx_bytes(blocks: Sequence[str | list[list[str]]], *, page_break_after: int = -1) -> bytes:
    """A DOCX of paragraphs (strings) and tables (rows of cells), optionally a page break."""
    document = docx.Document()
    for index, block in enumerate(blocks):
        if isinstance(block, str):
            paragraph = document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for row, cells in zip(table.rows, block, strict=True):
                for cell, value in zip(row.cells, cells, strict=True):
                    cell.text = value
            paragraph = document.add_paragraph("")
        if index == page_break_after:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def corrupt_docx() -> bytes:
    """A DOCX whose ZIP archive is cut off before its central directory."""
    return truncated(docx_bytes(["A paragraph that will not survive."] * 20), 0.5)


def docx_bomb(inflated_bytes: int) -> bytes:
    """A valid DOCX carrying an extra part that inflates to ``inflated_bytes``."""
    out = io.BytesIO(docx_bytes(["A small document with a large attachment."]))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/filler.bin", b"\x00" * inflated_bytes)
    return out.getvalue()


def spreadsheet_zip() -> bytes:
    """A ZIP laid out like an Excel workbook."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def password_protected_office_file() -> bytes:
    """The start of an OLE2 container holding an encrypted OOXML package."""
    name = "EncryptedPackage".encode("utf-16-le")
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + name + b"\x00" * 512


def record_pid_and_sleep(path: str, seconds: float) -> None:
    """Run in a parser worker: note which process this is, then hang like a stuck parser."""
    Path(path).write_text(str(os.getpid()))
    time.sleep(seconds)


def echo(value: T) -> T:
    """Run in a parser worker: send ``value`` back, to prove it survives pickling both ways."""
    return value


def combining_marks_text(size: int = 2_000_000) -> bytes:
    """UTF-8 text that is one long run of combining marks of two classes (``size`` bytes).

    Marks of different combining classes must be sorted by canonical reordering, which
    Python does in time quadratic in the length of the run.
    """
    marks = "\u0301\u0316"  # acute (class 230) and grave below (class 220)
    return ("Zalgo: a" + marks * (size // 4)).encode()


def form_feed_text(size: int = 4_800_000) -> bytes:
    """A text file of ``size`` bytes that is almost entirely form feeds: a page each."""
    return b"First page\n" + b"\f" * size + b"Last page\n"


def docx_with_page_breaks(count: int = 900_000) -> bytes:
    """A small DOCX whose one paragraph holds ``count`` page breaks between two words."""
    template = docx_bytes(["PLACEHOLDER"])
    breaks = '<w:br w:type="page"/>' * count
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"<w:t>PLACEHOLDER</w:t>",
                    f"<w:t>Start</w:t>{breaks}<w:t>End</w:t>".encode(),
                )
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def combining_marks_pdf(marks: int = 100_000) -> bytes:
    """A page whose text layer is a base letter followed by ``marks`` combining marks.

    A ToUnicode map sends character codes 1 and 2 to marks of two combining classes.
    """
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Marks def "
        b"1 begincodespacerange <00> <FF> endcodespacerange "
        b"2 beginbfchar <01> <0301> <02> <0316> endbfchar "
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>"
    )
    content = b"BT /F1 11 Tf 72 720 Td (Zalgo a" + b"\x01\x02" * (marks // 2) + b") Tj ET"
    return _single_page_pdf(stream(content), _FONT_RESOURCES, [font, stream(cmap)])


@contextlib.contextmanager
def pypdf_without_aes() -> Iterator[None]:
    """pypdf as it is without a crypto library: RC4 and MD5 work, AES raises DependencyError."""
    names = ("CryptAES", "aes_cbc_decrypt", "aes_cbc_encrypt", "aes_ecb_decrypt", "aes_ecb_encrypt")
    with contextlib.ExitStack() as patches:
        for name in names:
            patches.enter_context(
                mock.patch.object(pypdf._encryption, name, getattr(_fallback, name))
            )
        yield


def read_pdf_without_aes(data: bytes, limits: IngestLimits, loader: str) -> RawDocument:
    """Run in a parser worker: ``worker.read_pdf`` with pypdf lacking AES for this call only."""
    with pypdf_without_aes():
        return worker.read_pdf(data, limits, loader)
