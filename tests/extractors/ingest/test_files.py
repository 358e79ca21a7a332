"""Reading uploads from paths: only regular files, only up to the limit; names fit to show."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from extractors.errors import ErrorCode, IngestError
from extractors.ingest import (
    IngestLimits,
    display_filename,
    ingest_bytes,
    ingest_many,
    ingest_path,
    read_upload_file,
)
from tests.extractors.ingest import hostile

TEXT = b"Either party may terminate this Agreement on ninety days written notice.\n"


def _refusal(path: Path, max_bytes: int = 1_000_000) -> IngestError:
    with pytest.raises(IngestError) as refused:
        read_upload_file(path, max_bytes)
    return refused.value


def test_regular_file_is_read_whole_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_bytes(TEXT)

    assert read_upload_file(path, len(TEXT)) == TEXT


def test_file_over_the_limit_is_refused_with_its_measured_size(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"0" * 31_400)

    refusal = _refusal(path, max_bytes=25_000)

    assert refusal.code is ErrorCode.TOO_LARGE
    assert refusal.message == "The file is 31.4 KB; at most 25 KB is accepted."


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "upload.pdf"
    os.mkfifo(fifo)

    refusal = _refusal(fifo)  # opening it for reading would block until a writer comes

    assert refusal.code is ErrorCode.NOT_A_REGULAR_FILE
    assert "'upload.pdf' is a named pipe (FIFO), not a regular file" in refusal.message


@pytest.mark.parametrize("target", ["/dev/urandom", "/dev/zero"])
def test_symlink_to_an_endless_device_is_refused_unread(tmp_path: Path, target: str) -> None:
    link = tmp_path / "contract.pdf"
    link.symlink_to(target)

    refusal = _refusal(link)

    assert refusal.code is ErrorCode.NOT_A_REGULAR_FILE
    assert "a character device" in refusal.message


def test_directory_and_socket_are_refused(tmp_path: Path) -> None:
    directory = tmp_path / "folder.docx"
    directory.mkdir()
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(tmp_path / "s.txt"))
    try:
        refusals = [_refusal(directory), _refusal(tmp_path / "s.txt")]
    finally:
        listener.close()

    assert [refusal.code for refusal in refusals] == [ErrorCode.NOT_A_REGULAR_FILE] * 2
    assert "is a directory" in refusals[0].message
    assert "is a socket" in refusals[1].message


def test_file_longer_than_its_stated_size_is_cut_off_at_the_limit() -> None:
    # /proc files state a size of 0 and are as long as they are: only reading tells.
    path = Path("/proc/self/maps")
    assert path.stat().st_size == 0

    refusal = _refusal(path, max_bytes=100)

    assert refusal.code is ErrorCode.TOO_LARGE
    assert refusal.message == "The file is larger than 100 bytes; at most 100 bytes is accepted."


def test_missing_path_raises_as_it_always_did(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_upload_file(tmp_path / "missing.pdf", 1_000)


def test_ingest_many_refuses_a_fifo_among_files_and_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "terms.txt").write_bytes(TEXT)
    os.mkfifo(tmp_path / "pipe.txt")
    results: dict[str, object] = {}

    def ingest() -> None:
        for path, outcome in ingest_many(sorted(tmp_path.iterdir())):
            results[path.name] = outcome

    reader = threading.Thread(target=ingest, daemon=True)
    reader.start()
    reader.join(timeout=60)

    assert not reader.is_alive(), "ingest_many blocked on a FIFO"
    refused = results["pipe.txt"]
    assert isinstance(refused, IngestError)
    assert refused.code is ErrorCode.NOT_A_REGULAR_FILE
    assert not isinstance(results["terms.txt"], IngestError)


def test_upload_of_unknown_length_is_not_given_a_size() -> None:
    # Equal to the limit after rounding, so "is 25 MB; at most 25 MB" would contradict itself.
    with pytest.raises(IngestError) as refused:
        ingest_bytes(b"x" * 1_001, filename="notes.txt", limits=IngestLimits(max_bytes=1_000))

    assert refused.value.code is ErrorCode.TOO_LARGE
    assert refused.value.message == "The file is larger than 1 KB; at most 1 KB is accepted."


def test_file_name_that_is_not_utf8_is_stored_with_replacement_characters(
    tmp_path: Path,
) -> None:
    # What the file system gives for the bytes b"Vertr\xe4g.txt" (Latin-1, not UTF-8).
    name = os.fsdecode(b"Vertr\xe4g.txt")
    assert name == "Vertr\udce4g.txt"
    path = tmp_path / name
    path.write_bytes(TEXT)

    from_path = ingest_path(path)
    from_bytes = ingest_bytes(TEXT, filename=name)

    for document in (from_path, from_bytes):
        assert document.filename == "Vertr\ufffdg.txt"
        document.model_dump_json()  # encodes: no lone surrogates left


def test_refusal_naming_an_undecodable_suffix_can_be_encoded() -> None:
    with pytest.raises(IngestError) as refused:
        ingest_bytes(hostile.html_page(), filename=os.fsdecode(b"page.p\xffdf"))

    assert refused.value.code is ErrorCode.UNSUPPORTED_TYPE
    refused.value.message.encode("utf-8")
    assert ".p\ufffddf name" in refused.value.message


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Order Form.pdf", "Order Form.pdf"),
        ("Vertr\udce4g.txt", "Vertr\ufffdg.txt"),
        ("Gr\udcc3\udcbc\udcc3\udc9fe.txt", "Grüße.txt"),  # UTF-8 escaped byte by byte
        ("lone\ud800.txt", "lone\ufffd.txt"),
        ("two\nlines\x1b[31m.pdf", "two\ufffdlines\ufffd[31m.pdf"),
        ("invoice\u202efdp.exe", "invoice\ufffdfdp.exe"),  # would show as "invoiceexe.pdf"
        (None, None),
    ],
)
def test_display_filename(name: str | None, shown: str | None) -> None:
    assert display_filename(name) == shown


def test_display_filename_cuts_an_overlong_name_keeping_its_suffix() -> None:
    shown = display_filename("a" * 5_000 + ".docx")

    assert shown is not None
    assert len(shown) == 255
    assert shown.endswith("a.docx")
    assert "\u2026" in shown
