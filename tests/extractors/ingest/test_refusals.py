"""Every kind of bad upload is refused with its own code, and the parser pool survives it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractors.errors import ErrorCode, IngestError
from extractors.ingest import IngestLimits, ingest_bytes, ingest_path
from extractors.ingest.sandbox import ParseTimeoutError, run_in_sandbox
from tests.extractors.ingest import hostile
from tests.extractors.ingest.conftest import FAST, assert_still_parses


@dataclass(frozen=True)
class BadInput:
    make: Callable[[], bytes]
    code: ErrorCode
    filename: str = "upload.pdf"
    limits: IngestLimits | None = None
    says: str = ""


BAD_INPUTS = {
    "empty": BadInput(lambda: b"", ErrorCode.EMPTY_FILE),
    "whitespace-only text": BadInput(lambda: b" \n\t\n", ErrorCode.EMPTY_FILE, "notes.txt"),
    "oversized": BadInput(
        lambda: hostile.text_pdf(["x" * 400] * 4),
        ErrorCode.TOO_LARGE,
        limits=IngestLimits(max_bytes=1_000),
    ),
    "html named .pdf": BadInput(hostile.html_page, ErrorCode.UNSUPPORTED_TYPE, says="HTML"),
    "random bytes": BadInput(hostile.random_bytes, ErrorCode.UNSUPPORTED_TYPE),
    "png image": BadInput(lambda: b"\x89PNG\r\n\x1a\n" + bytes(64), ErrorCode.UNSUPPORTED_TYPE),
    "spreadsheet zip": BadInput(hostile.spreadsheet_zip, ErrorCode.UNSUPPORTED_TYPE, "a.docx"),
    "random bytes after a pdf header": BadInput(
        lambda: hostile.random_bytes(header=b"%PDF-1.7\n"), ErrorCode.CORRUPT
    ),
    "truncated pdf": BadInput(
        lambda: hostile.truncated(hostile.text_pdf(["Cut off in the middle of the upload."])),
        ErrorCode.CORRUPT,
    ),
    "page tree cycle": BadInput(hostile.page_tree_cycle, ErrorCode.CORRUPT),
    "huge declared page count": BadInput(hostile.huge_page_count, ErrorCode.TOO_MANY_PAGES),
    "more real pages than allowed": BadInput(
        lambda: hostile.text_pdf(["One page of text."] * 3),
        ErrorCode.TOO_MANY_PAGES,
        limits=IngestLimits(max_pages=2),
    ),
    "decompression bomb": BadInput(
        lambda: hostile.decompression_bomb(120_000_000),
        ErrorCode.RESOURCE_EXHAUSTED,
        says="safety limit",
    ),
    "bomb that exhausts worker memory": BadInput(
        lambda: hostile.decompression_bomb(300_000_000),
        ErrorCode.RESOURCE_EXHAUSTED,
        # pypdf's own limit lifted, so only the address-space cap stops it.
        limits=IngestLimits(memory_bytes=200_000_000, max_stream_bytes=2_000_000_000),
        says="MB of memory",
    ),
    "content stream shared by many pages": BadInput(
        hostile.shared_content_stream, ErrorCode.PARSE_TIMEOUT, limits=FAST
    ),
    "encrypted pdf": BadInput(hostile.encrypted_pdf, ErrorCode.ENCRYPTED, says="password"),
    "password-protected office file": BadInput(
        hostile.password_protected_office_file, ErrorCode.ENCRYPTED, "terms.docx"
    ),
    "scanned image-only pdf": BadInput(hostile.scanned_pdf, ErrorCode.NO_TEXT_LAYER, says="OCR"),
    "too much text": BadInput(
        lambda: hostile.text_pdf(["A line of text that is long enough."] * 3),
        ErrorCode.TOO_MUCH_TEXT,
        limits=IngestLimits(max_chars=60),
    ),
    "invalid utf-8 text": BadInput(
        lambda: b"Caf\xe9 au lait, priced in \xa3.\n", ErrorCode.UNDECODABLE_TEXT, "menu.txt"
    ),
    "corrupt docx zip": BadInput(hostile.corrupt_docx, ErrorCode.CORRUPT, "contract.docx"),
    "docx zip bomb": BadInput(
        lambda: hostile.docx_bomb(3_000_000),
        ErrorCode.RESOURCE_EXHAUSTED,
        "contract.docx",
        IngestLimits(max_stream_bytes=2_000_000),
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_refused_with_its_code_and_the_pool_survives(
    case: BadInput, good_pdf: bytes
) -> None:
    with pytest.raises(IngestError) as refused:
        ingest_bytes(case.make(), filename=case.filename, limits=case.limits)

    assert refused.value.code is case.code, refused.value.message
    assert case.says in refused.value.message
    assert refused.value.message.endswith(".")
    assert_still_parses(good_pdf)


def test_oversized_file_on_disk_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"0" * 5_000)

    with pytest.raises(IngestError) as refused:
        ingest_path(path, limits=IngestLimits(max_bytes=1_000))

    assert refused.value.code is ErrorCode.TOO_LARGE


def test_timed_out_worker_is_killed_and_replaced(tmp_path: Path, good_pdf: bytes) -> None:
    marker = tmp_path / "pid"

    with pytest.raises(ParseTimeoutError):
        run_in_sandbox(hostile.record_pid_and_sleep, str(marker), 30.0, budget=0.5)

    pid = int(marker.read_text())
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)
    assert_still_parses(good_pdf)


def test_refusal_survives_the_trip_back_from_a_worker() -> None:
    error = IngestError(ErrorCode.CORRUPT, "The PDF is damaged.")

    returned = run_in_sandbox(hostile.echo, error, budget=10)

    assert isinstance(returned, IngestError)
    assert (returned.code, returned.message) == (error.code, error.message)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
