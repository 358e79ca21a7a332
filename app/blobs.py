"""Original document bytes, stored once by their SHA-256: on disk (default) or in the database.

Content addressing makes storing idempotent: the same bytes uploaded twice, or stored again
by a job that is re-run after a crash, are one blob.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from sqlmodel import Session

from app.errors import DocumentNotFoundError
from app.models import Blob
from app.settings import Settings


class BlobStore(Protocol):
    """Where the original bytes of documents live."""

    def put(self, *, session: Session, data: bytes) -> str:
        """Store ``data`` (once) and return its SHA-256."""
        ...

    def get(self, *, session: Session, sha256: str) -> bytes:
        """The bytes stored under ``sha256``, or DocumentNotFoundError."""
        ...


class DiskBlobStore:
    """Blobs as files ``<root>/<ab>/<sha256>``, written atomically (temp file, then rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, *, session: Session, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path_of(digest)
        if target.is_file() and target.stat().st_size == len(data):
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            Path(temporary).replace(target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest

    def get(self, *, session: Session, sha256: str) -> bytes:
        target = self.path_of(sha256)
        if not target.is_file():
            raise DocumentNotFoundError(f"The original bytes of document {sha256} are not stored.")
        return target.read_bytes()


class DatabaseBlobStore:
    """Blobs as rows of the ``blobs`` table, in the same transaction as the case."""

    def put(self, *, session: Session, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if session.get(Blob, digest) is None:
            session.add(Blob(sha256=digest, size=len(data), data=data))
            session.flush()
        return digest

    def get(self, *, session: Session, sha256: str) -> bytes:
        blob = session.get(Blob, sha256)
        if blob is None:
            raise DocumentNotFoundError(f"The original bytes of document {sha256} are not stored.")
        return blob.data


def blob_store(settings: Settings) -> BlobStore:
    """The store the settings choose."""
    if settings.document_store == "database":
        return DatabaseBlobStore()
    return DiskBlobStore(settings.data_dir / "blobs")
