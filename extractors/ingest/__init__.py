"""Ingestion: uploaded bytes (PDF, DOCX, text, Markdown) into a Document with pages and offsets.

The names below are imported on first use: reading a file's bytes (``read_upload_file``)
needs neither the parser pool nor the document model.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractors.ingest.detect import detect_media_type
    from extractors.ingest.files import display_filename, read_upload_file
    from extractors.ingest.limits import DEFAULT_LIMITS, IngestLimits
    from extractors.ingest.load import ingest_bytes, ingest_many, ingest_path
    from extractors.ingest.sandbox import shutdown_pool, warm_up

__all__ = [
    "DEFAULT_LIMITS",
    "IngestLimits",
    "detect_media_type",
    "display_filename",
    "ingest_bytes",
    "ingest_many",
    "ingest_path",
    "read_upload_file",
    "shutdown_pool",
    "warm_up",
]

_HOMES = {
    "detect_media_type": "extractors.ingest.detect",
    "display_filename": "extractors.ingest.files",
    "read_upload_file": "extractors.ingest.files",
    "DEFAULT_LIMITS": "extractors.ingest.limits",
    "IngestLimits": "extractors.ingest.limits",
    "ingest_bytes": "extractors.ingest.load",
    "ingest_many": "extractors.ingest.load",
    "ingest_path": "extractors.ingest.load",
    "shutdown_pool": "extractors.ingest.sandbox",
    "warm_up": "extractors.ingest.sandbox",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
