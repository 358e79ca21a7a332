"""Real contracts: CUAD PDFs read into text that matches CUAD's own text of them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from extractors.document import Document
from extractors.ingest import ingest_many

# Small contracts of different producers; the full set is measured by benchmarks/ingest_cuad.py.
SAMPLE = ("cuad-0001", "cuad-0007", "cuad-0053", "cuad-0120")


def _token_recall(ours: str, reference: str) -> float:
    wanted = Counter(reference.split())
    return sum((Counter(ours.split()) & wanted).values()) / max(1, sum(wanted.values()))


@pytest.mark.cuad
def test_cuad_contracts_ingest_with_their_pages_and_text(cuad_dir: Path) -> None:
    paths = [cuad_dir / "pdf" / f"{name}.pdf" for name in SAMPLE]

    results = dict(ingest_many(paths))

    assert set(results) == set(paths)
    for path, document in results.items():
        assert isinstance(document, Document), document
        assert document.loader == "pypdf"
        assert document.page_count == len(PdfReader(path).pages)
        reference = (cuad_dir / "txt" / f"{path.stem}.txt").read_text(encoding="utf-8")
        assert _token_recall(document.text, reference) >= 0.99, path.name
