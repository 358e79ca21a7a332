"""Many files at once: every file comes back once, refusals as errors, good files as documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.document import Document
from extractors.errors import ErrorCode, IngestError
from extractors.ingest import ingest_many
from tests.extractors.ingest import hostile
from tests.extractors.ingest.conftest import FAST


def test_ingest_many_yields_each_file_once_with_its_document_or_refusal(tmp_path: Path) -> None:
    files = {
        "slow.pdf": hostile.shared_content_stream(),
        "cycle.pdf": hostile.page_tree_cycle(),
        "page.html": hostile.html_page(),
        "notes.md": b"# Notes\n\nRenewal is automatic unless cancelled.",
        "order.docx": hostile.docx_bytes(["Fees are payable in EUR."]),
        **{
            f"good-{index}.pdf": hostile.text_pdf([f"Contract number {index} of many."])
            for index in range(5)
        },
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    results = dict(ingest_many(sorted(tmp_path.iterdir()), limits=FAST, workers=2))

    assert sorted(path.name for path in results) == sorted(files)
    outcomes = {path.name: outcome for path, outcome in results.items()}
    refused = {name: o.code for name, o in outcomes.items() if isinstance(o, IngestError)}
    assert refused == {
        "slow.pdf": ErrorCode.PARSE_TIMEOUT,
        "cycle.pdf": ErrorCode.CORRUPT,
        "page.html": ErrorCode.UNSUPPORTED_TYPE,
    }
    for index in range(5):
        document = outcomes[f"good-{index}.pdf"]
        assert isinstance(document, Document)
        assert document.text.strip() == f"Contract number {index} of many."
    assert isinstance(outcomes["order.docx"], Document)
    assert isinstance(outcomes["notes.md"], Document)


def test_ingest_many_raises_for_a_path_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(ingest_many([tmp_path / "missing.pdf"]))
