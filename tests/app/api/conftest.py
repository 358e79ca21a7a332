"""Fixtures for the API tests: an app on a fresh database, queues to choose from, bad files."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from app import deciding
from app.api.main import QueueFactory, create_app
from app.auth.models import Role, User
from app.auth.service import create_user, issue_token
from app.db import get_engine, session_scope
from app.jobs.inline import InlineJobQueue
from app.models import Blob, Case, CaseDocument, IdempotencyRecord, Job
from app.settings import Settings
from extractors.ingest import shutdown_pool
from rules import Policy

SAMPLE = Path(__file__).resolve().parents[3] / "app" / "samples" / "kepler-maritime"

MSA_TEXT = (
    b"MASTER SUBSCRIPTION AGREEMENT\n\n"
    b"This agreement is between Nimbus Cloud Ltd and Harbor Foods Inc.\n"
    b"Invoices are payable within sixty (60) days of receipt.\n"
    b"This Agreement is governed by the laws of the State of New York.\n"
)
SOW_TEXT = (
    b"STATEMENT OF WORK\n\nNimbus Cloud Ltd will configure the service for Harbor Foods Inc.\n"
    b"The configuration is complete within thirty (30) days of the effective date.\n"
)


@pytest.fixture(scope="session", autouse=True)
def _stop_worker_processes() -> Iterator[None]:
    yield
    deciding.close_deciders()
    shutdown_pool()


class RecordingQueue:
    """Keeps the submitted job ids and runs nothing: the jobs stay queued in the table."""

    def __init__(self, *, engine: Engine, settings: Settings, policy: Policy) -> None:
        self.submitted: list[str] = []

    def submit(self, job_id: str) -> None:
        self.submitted.append(job_id)

    def start(self) -> None:
        return None

    def stop(self, *, timeout_s: float = 30.0) -> None:
        return None

    def healthy(self) -> bool:
        return True


class SlowQueue(RecordingQueue):
    """Takes a second to submit, so a request holds its Idempotency-Key that long."""

    def submit(self, job_id: str) -> None:
        time.sleep(1.0)
        super().submit(job_id)


def failing_queue(**_: Any) -> RecordingQueue:
    """A queue whose submit raises: an error no handler expects."""

    class Failing(RecordingQueue):
        def submit(self, job_id: str) -> None:
            raise RuntimeError("secret internals: broker password=hunter2")

    return Failing(**_)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings on a fresh database (SQLite or PostgreSQL) and data folder."""
    return Settings(database_url=db_url, data_dir=tmp_path / "data")


# The user the API tests call as: one who may upload, recommend and replay rules.
API_USER = "api@example.com"
API_ROLES = (Role.CSM, Role.ADMIN)


def issue_test_token(
    engine: Engine, *, email: str = API_USER, roles: tuple[Role, ...] = API_ROLES
) -> str:
    """A new API token for the user ``email`` (made with ``roles`` if it does not exist)."""
    with session_scope(engine) as session:
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = create_user(session=session, email=email, roles=roles)
        return issue_token(session=session, user=user, name="tests")


def bearer(token: str) -> dict[str, str]:
    """The header that carries ``token``."""
    return {"Authorization": f"Bearer {token}"}


def auth_headers(settings: Settings, **user: Any) -> dict[str, str]:
    """A token header for an app on ``settings`` (its database migrated now if need be)."""
    return bearer(issue_test_token(get_engine(settings.database_url), **user))


def user_id(client: TestClient, email: str = API_USER) -> str:
    """The id of the user ``email`` in the client's database."""
    with Session(engine_of(client)) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        return user.id


@contextmanager
def api_client(
    settings: Settings, queue_factory: QueueFactory = InlineJobQueue, **options: Any
) -> Iterator[TestClient]:
    """A TestClient over the app, its lifespan (database, policy, queue) started.

    Every request carries the token of ``API_USER`` (csm and admin) unless it says otherwise.
    """
    app = create_app(settings, queue_factory=queue_factory)
    with TestClient(app, **options) as client:
        client.headers.update(bearer(issue_test_token(engine_of(client))))
        yield client


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The API with jobs run inline: a case is decided when its upload is answered."""
    with api_client(settings) as test_client:
        yield test_client


@pytest.fixture
def queued_client(settings: Settings) -> Iterator[TestClient]:
    """The API with jobs left queued (nothing is extracted or decided)."""
    with api_client(settings, RecordingQueue) as test_client:
        yield test_client


def submitted_jobs(client: TestClient) -> list[str]:
    """The job ids the app's RecordingQueue was given."""
    app: FastAPI = client.app  # type: ignore[assignment]
    queue = app.state.queue
    assert isinstance(queue, RecordingQueue)
    return queue.submitted


def engine_of(client: TestClient) -> Engine:
    app: FastAPI = client.app  # type: ignore[assignment]
    engine: Engine = app.state.engine
    return engine


@dataclass(frozen=True)
class Snapshot:
    """Everything an upload could change: row counts, case and document rows, blob files."""

    counts: dict[str, int]
    cases: list[tuple[Any, ...]]
    documents: list[tuple[Any, ...]]
    blob_files: list[str] = field(default_factory=list)


def snapshot(client: TestClient, settings: Settings) -> Snapshot:
    """The stored state, to compare before and after a request that must change nothing."""
    with Session(engine_of(client)) as session:
        counts = {
            model.__name__: int(session.exec(select(func.count()).select_from(model)).one())
            for model in (Case, CaseDocument, Job, Blob, IdempotencyRecord)
        }
        cases = [
            (c.id, c.status, c.reference, c.updated_at, c.decision_json)
            for c in session.exec(select(Case).order_by(col(Case.id))).all()
        ]
        documents = [
            (d.id, d.case_id, d.sha256, d.status, d.filename)
            for d in session.exec(select(CaseDocument).order_by(col(CaseDocument.id))).all()
        ]
    blobs = settings.data_dir / "blobs"
    files = sorted(str(p.relative_to(blobs)) for p in blobs.rglob("*")) if blobs.exists() else []
    return Snapshot(counts, cases, documents, files)


def count_cases(client: TestClient) -> int:
    with Session(engine_of(client)) as session:
        return int(session.exec(select(func.count()).select_from(Case)).one())


def sample_files() -> list[tuple[str, tuple[str, bytes, str]]]:
    """The bundled Kepler Maritime MSA and order form as multipart files."""
    return [
        ("files", ("msa.pdf", (SAMPLE / "msa.pdf").read_bytes(), "application/pdf")),
        (
            "files",
            (
                "order_form.docx",
                (SAMPLE / "order_form.docx").read_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        ),
    ]


def text_file(data: bytes = MSA_TEXT, name: str = "msa.txt") -> tuple[str, tuple[str, bytes, str]]:
    return ("files", (name, data, "text/plain"))


# ---- bad files, built here so each is exactly what its name says -------------------------


def text_pdf(pages: list[str]) -> bytes:
    """A PDF with one page of text per entry."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page that only paints a shape, as a scan paints an image: no text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """A text PDF that needs a password to open."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["Confidential terms."]))))
    writer.encrypt("user-password", "owner-password")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---- a real server --------------------------------------------------------------------------


@contextmanager
def running_server(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free port of 127.0.0.1, in a thread; its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        sock.close()


def wait_for(predicate: Callable[[], bool], *, timeout_s: float = 60.0) -> None:
    """Poll until ``predicate()`` holds, or fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"not reached within {timeout_s} s")
        time.sleep(0.1)
