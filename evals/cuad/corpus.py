"""Reading a folder in CUAD layout: labels from ``master_clauses.csv``, text from the PDFs.

The text is what the service sees: every PDF goes through our own ingestion, and the
parsed ``Document`` is cached as JSON under ``.cache/cuad/`` keyed by the PDF's SHA-256
and the PDF loader's version (``reparse=True``, ``--reparse`` on the command line, or
deleting the folder refreshes it after a change of ingestion code). When the
ingestion package cannot be imported, CUAD's own ``txt/`` rendering stands in as a
one-page document (marked by its loader name, so no figure is mistaken for the real one).
"""

from __future__ import annotations

import ast
import csv
import hashlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from extractors.classifier.categories import CATEGORIES
from extractors.document import Document, MediaType, Page

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CUAD_DIR = REPO_ROOT.parent / "shared" / "datasets" / "cuad"
CACHE_DIR = REPO_ROOT / ".cache" / "cuad"
TXT_LOADER = "cuad-txt"
CORPUS_VERSION = "1"


@dataclass(frozen=True)
class CuadContract:
    """One contract's labels: the excerpts of each category and the normalised answers."""

    contract_id: str
    agreement_type: str
    excerpts: dict[str, list[str]]
    present: dict[str, bool]
    governing_law: str
    agreement_date: str
    extra: dict[str, list[str]] = field(default_factory=dict)


def _literal_list(cell: str) -> list[str]:
    if not cell.strip():
        return []
    value = ast.literal_eval(cell)
    if not isinstance(value, list):
        raise ValueError(f"expected a list literal, got {type(value).__name__}")
    return [str(item) for item in value]


def read_labels(dataset: Path) -> list[CuadContract]:
    """The contracts of ``dataset/master_clauses.csv`` in file order."""
    path = dataset / "master_clauses.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: not a folder in CUAD layout")
    csv.field_size_limit(sys.maxsize)
    contracts: list[CuadContract] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            excerpts = {c.key: _literal_list(row[c.cuad_name]) for c in CATEGORIES}
            present = {
                c.key: row[f"{c.cuad_name}-Answer"].strip().lower() == "yes" for c in CATEGORIES
            }
            contracts.append(
                CuadContract(
                    contract_id=row["id"],
                    agreement_type=row.get("agreement_type", ""),
                    excerpts=excerpts,
                    present=present,
                    governing_law=row.get("Governing Law-Answer", "").strip(),
                    agreement_date=row.get("Agreement Date-Answer", "").strip(),
                )
            )
    return contracts


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ingestion_key() -> str | None:
    """Cache key part for our ingestion (PDF loader versions), or None if it cannot be imported."""
    try:
        from extractors import ingest
    except ImportError:
        return None
    if not hasattr(ingest, "ingest_many"):
        return None
    from extractors.ingest.assemble import NORMALISATION_VERSION

    return (
        f"pypdf{version('pypdf')}-pdfium{version('pypdfium2')}-n{NORMALISATION_VERSION}"
        f"-c{CORPUS_VERSION}"
    )


def text_document(path: Path) -> Document:
    """CUAD's own text rendering of a contract as a one-page document (fallback only)."""
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    return Document(
        text=text,
        pages=[Page(number=1, start=0, end=len(text))],
        sha256=hashlib.sha256(raw).hexdigest(),
        media_type=MediaType.TEXT,
        loader=TXT_LOADER,
        loader_version=CORPUS_VERSION,
        filename=path.name,
        byte_size=len(raw),
    )


@dataclass(frozen=True)
class LoadReport:
    """What a corpus load did: which text source, how many from cache, which files failed."""

    source: str
    cached: int
    parsed: int
    failures: dict[str, str]


def load_documents(
    dataset: Path,
    contract_ids: list[str],
    *,
    use_txt: bool = False,
    reparse: bool = False,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, Document], LoadReport]:
    """Parsed documents by contract id (PDFs through our ingestion, cached; or ``txt/``)."""
    fingerprint = None if use_txt else ingestion_key()
    if fingerprint is None:
        documents = {}
        for contract_id in contract_ids:
            documents[contract_id] = text_document(dataset / "txt" / f"{contract_id}.txt")
            if progress:
                progress(contract_id)
        return documents, LoadReport(TXT_LOADER, 0, len(documents), {})

    from extractors.ingest import ingest_many

    cache = CACHE_DIR / "documents"
    cache.mkdir(parents=True, exist_ok=True)
    documents = {}
    pending: dict[Path, tuple[str, Path]] = {}
    for contract_id in contract_ids:
        pdf = dataset / "pdf" / f"{contract_id}.pdf"
        cached = cache / f"{_sha256(pdf)}-{fingerprint}.json"
        if cached.is_file() and not reparse:
            documents[contract_id] = Document.model_validate_json(cached.read_text("utf-8"))
            if progress:
                progress(contract_id)
        else:
            pending[pdf] = (contract_id, cached)
    failures: dict[str, str] = {}
    for pdf, outcome in _ingest(ingest_many, list(pending), workers):
        contract_id, cached = pending[pdf]
        if isinstance(outcome, Document):
            temporary = cached.with_suffix(".tmp")
            temporary.write_text(outcome.model_dump_json(), "utf-8")
            temporary.replace(cached)
            documents[contract_id] = outcome
        else:
            failures[contract_id] = str(outcome)
        if progress:
            progress(contract_id)
    report = LoadReport(
        source=f"ingest:{fingerprint}",
        cached=len(contract_ids) - len(pending),
        parsed=len(pending) - len(failures),
        failures=failures,
    )
    return documents, report


def _ingest(
    ingest_many: Callable[..., Iterator[tuple[Path, object]]], paths: list[Path], workers: int
) -> Iterator[tuple[Path, object]]:
    if not paths:
        return iter(())
    return ingest_many(paths, workers=workers)
