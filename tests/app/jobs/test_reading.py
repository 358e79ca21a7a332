"""Reading uploads ahead: the same outcomes as reading them when asked, each read once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from app.cases import case_documents
from app.db import session_scope
from app.jobs import reading
from app.jobs.inline import run_triage
from app.jobs.reading import ReadAhead, Upload, read_uploads
from app.settings import Settings
from extractors.document import Document
from extractors.ingest import ingest_bytes as real_ingest_bytes
from rules import Policy

MSA = Upload(
    data=b"MASTER SUBSCRIPTION AGREEMENT\n\nInvoices are payable within sixty (60) days.\n",
    filename="msa.txt",
)
NOT_A_PDF = Upload(data=b"<html><body>not a contract</body></html>", filename="order.pdf")
SOW = Upload(data=b"STATEMENT OF WORK\n\nThe supplier installs the software.\n", filename="sow.md")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str | None]]:
    """The name of every upload handed to the parser, in order."""
    seen: list[str | None] = []

    def counted(data: bytes, *, filename: str | None, limits: object) -> Document:
        seen.append(filename)
        return real_ingest_bytes(data, filename=filename, limits=limits)  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "ingest_bytes", counted)
    yield seen


def _comparable(outcomes: list[reading.UploadOutcome]) -> list[tuple[object, ...]]:
    return [
        (
            o.filename,
            o.sha256,
            o.document.model_dump_json() if o.document else None,
            (o.error.code, o.error.message) if o.error else None,
        )
        for o in outcomes
    ]


def test_read_ahead_gives_what_reading_then_gives_and_reads_each_upload_once(
    reads: list[str | None],
) -> None:
    settings = Settings()
    expected = read_uploads([MSA, NOT_A_PDF, SOW], settings=settings)
    reads.clear()

    ahead = ReadAhead([MSA, NOT_A_PDF], settings=settings)
    # The caller asks for some of them, in its own order, and one it did not read ahead.
    got = ahead.read([NOT_A_PDF, SOW, MSA])

    assert _comparable(got) == _comparable([expected[1], expected[2], expected[0]])
    assert got[0].error is not None and got[0].error.code.value == "unsupported_type"
    assert sorted(map(str, reads)) == ["msa.txt", "order.pdf", "sow.md"]


def test_the_same_bytes_under_another_name_are_read_as_that_name(
    reads: list[str | None],
) -> None:
    renamed = Upload(data=MSA.data, filename="agreement.txt")
    ahead = ReadAhead([MSA], settings=Settings())

    (outcome,) = ahead.read([renamed])

    assert outcome.document is not None and outcome.document.filename == "agreement.txt"
    assert sorted(map(str, reads)) == ["agreement.txt", "msa.txt"]


def test_an_error_reading_ahead_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: bytes, *, filename: str | None, limits: object) -> Document:
        raise RuntimeError("the parser pool failed")

    monkeypatch.setattr(reading, "ingest_bytes", broken)
    ahead = ReadAhead([MSA], settings=Settings())

    with pytest.raises(RuntimeError, match="parser pool failed"):
        ahead.read([MSA])


def test_a_cancelled_read_ahead_reads_when_asked(
    reads: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(data: bytes, *, filename: str | None, limits: object) -> Document:
        started.set()
        release.wait(10)
        reads.append(filename)
        return real_ingest_bytes(data, filename=filename, limits=limits)  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "ingest_bytes", slow)
    ahead = ReadAhead([MSA, SOW], settings=Settings())
    assert started.wait(10)
    ahead.cancel()  # the first is being read already; the second is not started
    release.set()

    got = ahead.read([MSA, SOW])

    assert [o.document is not None for o in got] == [True, True]
    assert sorted(map(str, reads)) == ["msa.txt", "sow.md"]


def test_a_case_triaged_from_uploads_read_ahead_stores_them_once(
    engine: Engine, policy: Policy, reads: list[str | None]
) -> None:
    settings = Settings()
    ahead = ReadAhead([MSA, NOT_A_PDF], settings=settings)

    result = run_triage(
        engine=engine,
        uploads=[MSA, NOT_A_PDF],
        settings=settings,
        policy=policy,
        reader=ahead.read,
    )

    assert sorted(map(str, reads)) == ["msa.txt", "order.pdf"]
    assert [o.error is not None for o in result.outcomes] == [False, True]
    with session_scope(engine) as session:
        rows = case_documents(session=session, case_id=result.case_id)
        assert sorted(row.filename or "" for row in rows) == ["msa.txt", "order.pdf"]
