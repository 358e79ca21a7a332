"""Reading an upload from a path without trusting the path, and naming it for display.

A path can lead anywhere: a FIFO that blocks until someone writes to it, a symlink to
/dev/urandom that never ends, a directory, a socket. Only regular files are read, and even
they only up to the size limit, however large they claim (or grow) to be.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
from pathlib import Path

from extractors.errors import ErrorCode, IngestError
from extractors.ingest.refusals import too_large

_CHUNK_BYTES = 1 << 20
# A display name longer than a file system allows is cut in the middle, keeping its suffix.
_MAX_NAME_CHARS = 255
_KEPT_TAIL_CHARS = 32
# Control characters, lone surrogates, and the bidirectional overrides and isolates that
# can make "invoice\u202efdp.exe" display as "invoiceexe.pdf".
_UNDISPLAYABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def read_upload_file(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``max_bytes``.

    Anything else (FIFO, device, directory, socket) is refused as ``not_a_regular_file``
    without reading from it; a file over the limit is refused as ``too_large`` as soon as
    the limit is passed while reading.
    """
    status = Path(path).stat()  # follows symlinks: what would actually be read
    if not stat.S_ISREG(status.st_mode):
        raise not_a_regular_file(path, status.st_mode)
    if status.st_size > max_bytes:
        raise too_large(status.st_size, max_bytes)
    # Non-blocking, so that a FIFO swapped in since the stat cannot hang the open; the
    # descriptor is then checked again, since that is what is read.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with io.FileIO(descriptor, "rb") as handle:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            raise not_a_regular_file(path, opened.st_mode)
        return _read_capped(handle, max_bytes)


def display_filename(name: str | None) -> str | None:
    """``name`` fit to store and show: undecodable bytes and control characters as U+FFFD.

    File names from the file system that are not valid UTF-8 arrive with their bytes
    escaped as lone surrogates, which no UTF-8 encoder (JSON, the database) accepts.
    """
    if name is None:
        return None
    # Names decoded with surrogateescape get their bytes back, decoded as UTF-8 where they
    # are; any other lone surrogate is replaced below.
    with contextlib.suppress(UnicodeEncodeError):
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    name = _UNDISPLAYABLE.sub("\ufffd", name)
    if len(name) > _MAX_NAME_CHARS:
        head = _MAX_NAME_CHARS - _KEPT_TAIL_CHARS - 1
        name = f"{name[:head]}\u2026{name[-_KEPT_TAIL_CHARS:]}"
    return name


def not_a_regular_file(path: str | os.PathLike[str], mode: int) -> IngestError:
    """The refusal for a path that leads to something other than a regular file."""
    shown = display_filename(Path(path).name) or str(path)
    return IngestError(
        ErrorCode.NOT_A_REGULAR_FILE,
        f"{shown!r} is {_kind(mode)}, not a regular file; only files can be uploaded.",
    )


def _read_capped(handle: io.FileIO, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := handle.read(min(_CHUNK_BYTES, max_bytes + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:  # grew since the stat, or its size was never true
            raise too_large(None, max_bytes)
    return b"".join(chunks)


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((kind for test, kind in kinds if test(mode)), "a special file")
