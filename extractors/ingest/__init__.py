"""Ingestion: uploaded bytes (PDF, DOCX, text, Markdown) into a Document with pages and offsets."""

from extractors.ingest.detect import detect_media_type
from extractors.ingest.files import display_filename, read_upload_file
from extractors.ingest.limits import DEFAULT_LIMITS, IngestLimits
from extractors.ingest.load import ingest_bytes, ingest_many, ingest_path
from extractors.ingest.sandbox import shutdown_pool

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
]
