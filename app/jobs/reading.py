"""Reading uploads: each one parsed in the sandboxed parser pool, outside any transaction.

Apart from the pipeline (``app.pipeline`` re-exports these names) so that it needs neither
the database nor the rules: ``triage run`` starts reading its files here while it still
loads those, and the parse, in its own process, overlaps that start-up instead of
following it.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from app.settings import Settings
from extractors.document import Document
from extractors.errors import IngestError
from extractors.ingest import IngestLimits, display_filename, ingest_bytes, read_upload_file


@dataclass(frozen=True)
class Upload:
    """Bytes as received, with the name the user gave them (never trusted for the type)."""

    data: bytes
    filename: str | None = None

    @classmethod
    def from_path(cls, path: Path, *, max_bytes: int) -> Upload:
        """Read a regular file, never more than ``max_bytes`` (IngestError otherwise)."""
        return cls(data=read_upload_file(path, max_bytes), filename=path.name)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class UploadOutcome:
    """What became of one upload: a document, or the reason it was refused."""

    filename: str | None
    sha256: str
    document: Document | None = None
    error: IngestError | None = None
    already_stored: bool = False


def ingest_limits(settings: Settings) -> IngestLimits:
    """The ingestion limits configured for this deployment."""
    return IngestLimits(
        max_bytes=int(settings.max_upload_mb * 1_000_000),
        max_pages=settings.max_pages,
        max_chars=settings.max_chars,
        timeout_base_s=settings.parse_timeout_base_s,
        timeout_per_page_s=settings.parse_timeout_per_page_s,
        timeout_cap_s=settings.parse_timeout_cap_s,
        memory_bytes=settings.parse_memory_mb * 1_000_000,
    )


def read_upload(upload: Upload, *, limits: IngestLimits) -> UploadOutcome:
    """Ingest one upload (sandboxed, time- and memory-bounded): its document or its refusal."""
    try:
        document = ingest_bytes(upload.data, filename=upload.filename, limits=limits)
    except IngestError as error:
        name = display_filename(upload.filename) if upload.filename else None
        return UploadOutcome(name, upload.sha256, None, error)
    return UploadOutcome(document.filename, upload.sha256, document)


def read_uploads(uploads: Sequence[Upload], *, settings: Settings) -> list[UploadOutcome]:
    """Ingest each upload (sandboxed, time- and memory-bounded) outside any transaction.

    Reading happens before the database is touched, so a slow parse never holds SQLite's
    write lock and a refused upload leaves nothing half-stored.
    """
    limits = ingest_limits(settings)
    return [read_upload(upload, limits=limits) for upload in uploads]


class ReadAhead:
    """Uploads read one after the other in a background thread, from the moment it is made.

    ``read`` is ``read_uploads`` for whichever uploads the caller then needs: it waits for
    the ones already being read and reads any other itself. Each upload is read exactly as
    ``read_uploads`` reads it; an error other than a refusal reaches ``read`` as it would
    have reached ``read_uploads``.
    """

    def __init__(self, uploads: Sequence[Upload], *, settings: Settings) -> None:
        self._limits = ingest_limits(settings)
        self._pending: dict[tuple[str, str | None], Future[UploadOutcome]] = {}
        queued: list[tuple[Upload, Future[UploadOutcome]]] = []
        for upload in uploads:
            if _key(upload) not in self._pending:
                future: Future[UploadOutcome] = Future()
                self._pending[_key(upload)] = future
                queued.append((upload, future))
        # A daemon thread: a command that stops early (a bad argument, ^C) does not wait
        # for a parse nobody needs any more.
        threading.Thread(
            target=self._read_all, args=(queued,), name="read-ahead", daemon=True
        ).start()

    def _read_all(self, queued: list[tuple[Upload, Future[UploadOutcome]]]) -> None:
        for upload, future in queued:
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(read_upload(upload, limits=self._limits))
            except BaseException as error:  # handed to whoever waits for this upload
                future.set_exception(error)

    def read(self, uploads: Sequence[Upload]) -> list[UploadOutcome]:
        """The outcome of each of ``uploads``, in order, as ``read_uploads`` gives it."""
        outcomes: list[UploadOutcome] = []
        for upload in uploads:
            pending = self._pending.get(_key(upload))
            if pending is None or pending.cancelled():
                outcomes.append(read_upload(upload, limits=self._limits))
            else:
                outcomes.append(pending.result())
        return outcomes

    def cancel(self) -> None:
        """Read no upload that has not started yet."""
        for future in self._pending.values():
            future.cancel()


def _key(upload: Upload) -> tuple[str, str | None]:
    """What an upload's outcome depends on: its bytes and its name."""
    return upload.sha256, upload.filename
